package org.gdchaos.backend.java;

/**
 * Elementary functions faster than their {@link Math} counterparts on JDK 17, where
 * {@code Math.tanh} is a native (JNI) call costing tens of ns per element.
 *
 * <p>Each function here is the <em>exact scalar twin</em> of its Vector API version in
 * {@link TanhVector}: the same IEEE operations (every {@code a·b + c} written as one fused
 * {@link Math#fma}), constants and branch selection. A value therefore gets the same bits
 * whether it lands in a vector lane or in a scalar tail, in the vector or the scalar code
 * path, whatever the batching of a sweep — which keeps resumed and sharded sweeps
 * bit-identical to uninterrupted ones.
 */
final class JavaMath {
    /** Below this |x| the odd rational (f64) or polynomial (f32) approximation is used. */
    static final double SMALL = 0.625;
    /** tanh(x) rounds to ±1 in double for |x| ≥ 19.06; the argument of exp is clamped here. */
    static final double CLAMP_F64 = 20.0;
    /** tanh(x) rounds to ±1 in float for |x| ≥ 9.02. */
    static final float CLAMP_F32 = 10f;

    // Cephes tanh.c rational approximation, |x| < 0.625: tanh x = x + x·s·P(s)/Q(s), s = x².
    static final double P0 = -9.64399179425052238628e-1;
    static final double P1 = -9.92877231001918586564e1;
    static final double P2 = -1.61468768441708447952e3;
    static final double Q0 = 1.12811678491632931402e2;
    static final double Q1 = 2.23548839060100448583e3;
    static final double Q2 = 4.84406305325125486048e3;

    // exp(y) = 2^k·exp(r), k = round(y/ln 2), r = y − k·ln 2 (Cody–Waite split), |r| ≤ ln2/2.
    static final double LOG2E = 1.4426950408889634;
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2^52: adding it rounds to an integer, which then sits in the low mantissa bits. */
    static final double SHIFT_F64 = 6755399441055744.0;
    /** Taylor coefficients 1/i!, i = 13 … 0 (degree 13: truncation ≈ 4e-18 relative). */
    static final double[] EXP_F64 = {
        1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
        1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0};

    // Cephes tanhf.c polynomial, |x| < 0.625: tanh x = x + x·s·P(s).
    static final float[] TANH_F32 = {
        -5.70498872745e-3f, 2.06390887954e-2f, -5.37397155531e-2f, 1.33314422036e-1f, -3.33332819422e-1f};
    static final float LOG2E_F = 1.44269504088896341f;
    static final float LN2_HI_F = 0.693359375f;
    static final float LN2_LO_F = -2.12194440e-4f;
    /** 1.5·2^23. */
    static final float SHIFT_F32 = 12582912f;
    /** 1/i!, i = 7 … 0 (degree 7: truncation ≈ 5e-9 relative, below float's half ulp). */
    static final float[] EXP_F32 = {
        1f / 5040f, 1f / 720f, 1f / 120f, 1f / 24f, 1f / 6f, 0.5f, 1f, 1f};

    private JavaMath() {
    }

    /**
     * tanh(x) in double: for |x| &lt; 0.625 the Cephes odd rational approximation
     * {@code x + x·s·P(s)/Q(s)}, s = x²; above, {@code sign(x)·(1 − 2/(e^{2|x|} + 1))} with
     * |x| clamped to 20 (where tanh is ±1 in double) and e^y from {@link #expForTanh}.
     * Within 3 ulp of {@link Math#tanh} (checked by the tests); keeps the sign of zero, maps
     * ±∞ to ±1 and NaN to NaN.
     */
    static double tanh(double x) {
        double z = Math.abs(x);
        if (!(z >= SMALL)) {
            if (x == 0 || x != x) return x;
            double s = x * x;
            double p = Math.fma(Math.fma(P0, s, P1), s, P2);
            double q = Math.fma(Math.fma(s + Q0, s, Q1), s, Q2);
            return Math.fma(x * s, p / q, x);
        }
        double e = expForTanh(2.0 * Math.min(z, CLAMP_F64));
        double r = 1.0 - 2.0 / (e + 1.0);
        return x < 0 ? -r : r;
    }

    /**
     * e^y for 0 ≤ y ≤ 40 (the range tanh needs): k = round(y·log₂e) by the 1.5·2^52 shift,
     * r = y − k·ln2 in two fused steps, e^r by its degree-13 Taylor polynomial (Horner, fused),
     * times 2^k built from the exponent bits. Relative error ≈ 1 ulp.
     */
    static double expForTanh(double y) {
        double shifted = Math.fma(y, LOG2E, SHIFT_F64);
        double k = shifted - SHIFT_F64;
        double r = Math.fma(-k, LN2_HI, y);
        r = Math.fma(-k, LN2_LO, r);
        double p = EXP_F64[0];
        for (int i = 1; i < EXP_F64.length; i++) p = Math.fma(p, r, EXP_F64[i]);
        // low mantissa bits of `shifted` hold 2^51 + k; (2^51 + k + 1023) << 52 keeps k + 1023
        long bits = (Double.doubleToRawLongBits(shifted) + 1023) << 52;
        return p * Double.longBitsToDouble(bits);
    }

    /**
     * tanh(x) in float arithmetic: Cephes {@code tanhf} polynomial below 0.625, else
     * {@code sign(x)·(1 − 2/(e^{2|x|} + 1))} with |x| clamped to 10 and e^y from
     * {@link #expForTanh(float)}. Within 3 ulp (float) of the correctly rounded tanh; zero sign,
     * ±∞ and NaN as {@link #tanh(double)}.
     */
    static float tanh(float x) {
        float z = Math.abs(x);
        if (!(z >= (float) SMALL)) {
            if (x == 0 || x != x) return x;
            float s = x * x;
            float p = TANH_F32[0];
            for (int i = 1; i < TANH_F32.length; i++) p = Math.fma(p, s, TANH_F32[i]);
            return Math.fma(p * s, x, x);
        }
        float e = expForTanh(2f * Math.min(z, CLAMP_F32));
        float r = 1f - 2f / (e + 1f);
        return x < 0 ? -r : r;
    }

    /** e^y in float for 0 ≤ y ≤ 20, as {@link #expForTanh(double)} with a degree-7 polynomial. */
    static float expForTanh(float y) {
        float shifted = Math.fma(y, LOG2E_F, SHIFT_F32);
        float k = shifted - SHIFT_F32;
        float r = Math.fma(-k, LN2_HI_F, y);
        r = Math.fma(-k, LN2_LO_F, r);
        float p = EXP_F32[0];
        for (int i = 1; i < EXP_F32.length; i++) p = Math.fma(p, r, EXP_F32[i]);
        // low mantissa bits of `shifted` hold 2^22 + k; (2^22 + k + 127) << 23 keeps k + 127
        int bits = (Float.floatToRawIntBits(shifted) + 127) << 23;
        return p * Float.intBitsToFloat(bits);
    }
}
