package org.gdchaos.backend.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.gdchaos.backend.java.cpu.VectorSupport;

class JavaMathTest {

    /** Mixed magnitudes: uniform in ±25, tiny (down to 2^-40), and around the branch point 0.625. */
    private static double sample(SplittableRandom r, int i) {
        switch (i % 3) {
            case 0: return r.nextDouble(-25, 25);
            case 1: return Math.scalb(r.nextDouble(-1, 1), -r.nextInt(40));
            default: return (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.6, 0.65);
        }
    }

    @Test
    void tanhWithinFewUlpOfMathTanh() {
        SplittableRandom r = new SplittableRandom(11);
        double worst = 0;
        for (int i = 0; i < 300_000; i++) {
            double x = sample(r, i);
            double want = Math.tanh(x);
            worst = Math.max(worst, Math.abs(JavaMath.tanh(x) - want) / Math.ulp(want));
        }
        assertTrue(worst <= 3, "max error " + worst + " ulp");
    }

    @Test
    void floatTanhWithinFewUlpOfCorrectlyRounded() {
        SplittableRandom r = new SplittableRandom(12);
        double worst = 0;
        for (int i = 0; i < 300_000; i++) {
            float x = (float) sample(r, i);
            float want = (float) Math.tanh(x);
            worst = Math.max(worst, Math.abs(JavaMath.tanh(x) - want) / Math.ulp(want));
        }
        assertTrue(worst <= 3, "max error " + worst + " float ulp");
    }

    @Test
    void expForTanhIsAccurateOnItsRange() {
        double worst = 0, worstF = 0;
        for (double y = 0; y <= 40; y += 0.001) {
            double want = Math.exp(y);
            worst = Math.max(worst, Math.abs(JavaMath.expForTanh(y) - want) / Math.ulp(want));
            if (y <= 20) {
                float wf = (float) want;
                worstF = Math.max(worstF, Math.abs(JavaMath.expForTanh((float) y) - Math.exp((float) y)) / Math.ulp(wf));
            }
        }
        assertTrue(worst <= 2, "exp f64 max error " + worst + " ulp");
        assertTrue(worstF <= 2, "exp f32 max error " + worstF + " ulp");
    }

    @Test
    void tanhSpecialValues() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(JavaMath.tanh(-0.0)));
        assertEquals(1.0, JavaMath.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, JavaMath.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(-1.0, JavaMath.tanh(-1000));
        assertEquals(1.0, JavaMath.tanh(19.5));
        assertTrue(Double.isNaN(JavaMath.tanh(Double.NaN)));
        assertEquals(Math.tanh(0.625), JavaMath.tanh(0.625), 2 * Math.ulp(0.55));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(JavaMath.tanh(-0f)));
        assertEquals(1f, JavaMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, JavaMath.tanh(-50f));
        assertTrue(Float.isNaN(JavaMath.tanh(Float.NaN)));
    }

    /** The Vector API twin gives every element the scalar function's bits, in lanes and in the tail. */
    @Test
    void vectorTanhIsBitIdenticalToScalar() {
        assumeTrue(VectorSupport.available(), "needs " + VectorSupport.FLAG);
        SplittableRandom r = new SplittableRandom(13);
        int n = 10_007;
        double[] x = new double[n];
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = sample(r, i);
            xf[i] = (float) x[i];
        }
        double[] specials = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.625,
            -0.625, 19.07, 1e-300, Double.MIN_VALUE, 354, 1e308};
        for (int i = 0; i < specials.length; i++) {
            x[100 + i] = specials[i];
            xf[100 + i] = (float) specials[i];
        }
        int from = 3, to = n - 2; // unaligned start, odd length: lanes and a scalar tail
        double[] want = x.clone();
        float[] wantF = xf.clone();
        for (int i = from; i < to; i++) {
            want[i] = JavaMath.tanh(x[i]);
            wantF[i] = JavaMath.tanh(xf[i]);
        }
        TanhVector.apply(x, from, to);
        TanhVector.apply(xf, from, to);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(x[i]), "f64 element " + i);
            assertEquals(Float.floatToRawIntBits(wantF[i]), Float.floatToRawIntBits(xf[i]), "f32 element " + i);
        }
        assertArrayEquals(want, x);
    }
}
