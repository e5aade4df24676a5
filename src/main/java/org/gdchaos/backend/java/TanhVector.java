package org.gdchaos.backend.java;

import static jdk.incubator.vector.VectorOperators.FMA;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * tanh over contiguous ranges with the Vector API at the platform's preferred width: the
 * lane-wise twin of {@link JavaMath#tanh(double)} and {@link JavaMath#tanh(float)} (same
 * operations, constants and branch choice, both branches evaluated and blended), so every
 * element gets the bits the scalar function gives it, in a lane or in the scalar tail.
 * About 15× faster per element than the scalar loop on AVX-512 (benchmarks: {@code ActivationBench}).
 * Only loaded when {@link org.gdchaos.backend.java.cpu.VectorSupport#available()}. The two methods are two algorithms (the
 * f32 one a float polynomial on the small branch), not one with two element types, so neither is
 * generated from the other.
 */
final class TanhVector {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private TanhVector() {
    }

    /**
     * {@code z[i] = tanh(z[i])} for from ≤ i &lt; to. The lane-wise body is written out inside the
     * loop, not in a helper method: a helper this large is not inlined by C2, and every vector
     * passed to or returned from it would then be boxed (measured: 30 ns instead of ~1 ns per
     * element).
     */
    static void apply(double[] z, int from, int to) {
        int i = from;
        int bound = from + D.loopBound(to - from);
        for (; i < bound; i += D.length()) {
            DoubleVector x = DoubleVector.fromArray(D, z, i);
            DoubleVector ax = x.abs();
            VectorMask<Double> isSmall = ax.compare(GE, JavaMath.SMALL).not();
            // |x| ≥ 0.625: sign(x)·(1 − 2/(e^{2|x|} + 1))
            DoubleVector y = ax.min(JavaMath.CLAMP_F64).mul(2.0);
            DoubleVector shifted = y.lanewise(FMA, JavaMath.LOG2E, JavaMath.SHIFT_F64);
            DoubleVector k = shifted.sub(JavaMath.SHIFT_F64);
            DoubleVector r = k.neg().lanewise(FMA, JavaMath.LN2_HI, y);
            r = k.neg().lanewise(FMA, JavaMath.LN2_LO, r);
            double[] c = JavaMath.EXP_F64;
            DoubleVector p = DoubleVector.broadcast(D, c[0]);
            for (int j = 1; j < c.length; j++) p = p.lanewise(FMA, r, c[j]);
            DoubleVector scale = shifted.reinterpretAsLongs().add(1023L).lanewise(LSHL, 52).reinterpretAsDoubles();
            DoubleVector e1 = p.mul(scale).add(1.0);
            // |x| < 0.625: x + x·s·P(s)/Q(s)
            DoubleVector s = x.mul(x);
            DoubleVector pp = DoubleVector.broadcast(D, JavaMath.P0).lanewise(FMA, s, JavaMath.P1)
                    .lanewise(FMA, s, JavaMath.P2);
            DoubleVector qq = s.add(JavaMath.Q0).lanewise(FMA, s, JavaMath.Q1).lanewise(FMA, s, JavaMath.Q2);
            // one division for both branches: P/Q where small, 2/(e + 1) elsewhere
            DoubleVector quotient = DoubleVector.broadcast(D, 2.0).blend(pp, isSmall).div(e1.blend(qq, isSmall));
            DoubleVector big = DoubleVector.broadcast(D, 1.0).sub(quotient);
            big = big.blend(big.neg(), x.lt(0.0));
            DoubleVector small = x.mul(s).lanewise(FMA, quotient, x);
            VectorMask<Double> keep = x.eq(0.0).or(x.test(IS_NAN));
            big.blend(small, isSmall).blend(x, keep).intoArray(z, i);
        }
        for (; i < to; i++) z[i] = JavaMath.tanh(z[i]);
    }

    /** {@code z[i] = tanh(z[i])} for from ≤ i &lt; to, in float arithmetic (body inline, as above). */
    static void apply(float[] z, int from, int to) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        for (; i < bound; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, z, i);
            FloatVector ax = x.abs();
            VectorMask<Float> isSmall = ax.compare(GE, (float) JavaMath.SMALL).not();
            FloatVector y = ax.min(JavaMath.CLAMP_F32).mul(2f);
            FloatVector shifted = y.lanewise(FMA, JavaMath.LOG2E_F, JavaMath.SHIFT_F32);
            FloatVector k = shifted.sub(JavaMath.SHIFT_F32);
            FloatVector r = k.neg().lanewise(FMA, JavaMath.LN2_HI_F, y);
            r = k.neg().lanewise(FMA, JavaMath.LN2_LO_F, r);
            float[] c = JavaMath.EXP_F32;
            FloatVector p = FloatVector.broadcast(F, c[0]);
            for (int j = 1; j < c.length; j++) p = p.lanewise(FMA, r, c[j]);
            FloatVector scale = shifted.reinterpretAsInts().add(127).lanewise(LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(scale);
            FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
            big = big.blend(big.neg(), x.lt(0f));
            FloatVector s = x.mul(x);
            float[] t = JavaMath.TANH_F32;
            FloatVector pp = FloatVector.broadcast(F, t[0]);
            for (int j = 1; j < t.length; j++) pp = pp.lanewise(FMA, s, t[j]);
            FloatVector small = pp.mul(s).lanewise(FMA, x, x);
            VectorMask<Float> keep = x.eq(0f).or(x.test(IS_NAN));
            big.blend(small, isSmall).blend(x, keep).intoArray(z, i);
        }
        for (; i < to; i++) z[i] = JavaMath.tanh(z[i]);
    }
}
