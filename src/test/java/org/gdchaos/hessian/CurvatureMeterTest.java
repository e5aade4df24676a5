package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.junit.jupiter.api.Test;

/** The sweep-facing facade on the linear network, against O5/O6 (docs/science.md#oracles) and the host imbalance. */
class CurvatureMeterTest {
    @Test
    void linearNetworkExtrasMatchTheClosedForms() {
        int d = 3, cells = 4;
        double phi = 0.8;
        try (Backend backend = Backends.create("java");
             DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
             CurvatureMeter meter = new CurvatureMeter(backend, DType.F64, ModelSpec.linear(d), cells, 1);
             Buffer pb = backend.allocate(DType.F64, 2L * d * cells)) {
            double[][] w = new double[cells][];
            for (int c = 0; c < cells; c++) {
                w[c] = LinearNet.start(d, 0.5 + 0.3 * c, 300 + c);
                backend.upload(w[c], 0, pb, 2L * d * c, 2 * d);
            }
            double[][] twice = new double[2 * cells][];
            for (int c = 0; c < 2 * cells; c++) twice[c] = w[c % cells].clone(); // same init, two learning rates
            double[][] gf = meter.flow(data, twice);
            for (int c = 0; c < cells; c++) assertEquals(gf[0][c], gf[0][c + cells], 0.0);
            double[] imb = meter.imbalance(View.of(pb, 2 * d), cells);
            double[] s = meter.sharpness(data, View.of(pb, 2 * d), cells);
            double[] q = meter.q(View.of(pb, 2 * d), cells);
            for (int c = 0; c < cells; c++) {
                double sGf = Math.sqrt(4 * phi * phi + LinearNet.p(w[c]));
                assertEquals(sGf, gf[0][c], 1e-7 * sGf, "O6");
                assertEquals(0, gf[1][c], 1e-18);
                double aa = 0, bb = 0;
                for (int i = 0; i < d; i++) {
                    aa += w[c][i] * w[c][i];
                    bb += w[c][d + i] * w[c][d + i];
                }
                double m = LinearNet.m(w[c]);
                assertEquals(Math.sqrt(aa * aa + bb * bb - 2 * m * m), imb[c], 1e-12, "|a a^T - b b^T|_F");
                assertEquals(aa - bb, q[c], 1e-12, "Q = |a|^2 - |b|^2");
                assertTrue(s[c] > 0 && Double.isFinite(s[c]));
            }
        }
    }

    /**
     * Keyed Lanczos starts: a trajectory's sharpness is the same, to the bit, alone or in any batch
     * position (a tanh MLP, where Lanczos stops before exhausting the space, so the start vector shows
     * in the last digits: a different key gives a different value).
     */
    @Test
    void keyedSharpnessDoesNotDependOnTheBatch() {
        ModelSpec spec = new ModelSpec(new int[] {3, 6, 2}, org.gdchaos.backend.Activation.TANH, true,
                org.gdchaos.backend.Loss.MSE);
        int cells = 3, n = 10, p = (int) new org.gdchaos.nn.ParameterLayout(spec).size();
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double[] x = new double[n * 3], y = new double[n * 2];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        for (int i = 0; i < y.length; i++) y[i] = r.nextDouble(-1, 1);
        try (Backend backend = Backends.create("java");
             DeviceData data = DeviceData.upload(backend, DType.F64, x, y, n, 3, 2);
             CurvatureMeter meter = new CurvatureMeter(backend, DType.F64, spec, cells, n);
             Buffer pb = backend.allocate(DType.F64, (long) p * cells)) {
            for (int c = 0; c < cells; c++) {
                double[] w = new double[p];
                for (int i = 0; i < p; i++) w[i] = r.nextGaussian();
                backend.upload(w, 0, pb, (long) p * c, p);
            }
            double[] all = meter.sharpness(data, View.of(pb, p), cells, new long[] {7, 8, 9});
            View last = View.of(pb, p).shift(2L * p);
            assertEquals(all[2], meter.sharpness(data, last, 1, new long[] {9})[0], 0.0,
                    "cell 2 alone = cell 2 in a batch of 3");
            double other = meter.sharpness(data, last, 1, new long[] {0})[0];
            assertEquals(all[2], other, 1e-8 * all[2], "the same eigenvalue from another start");
            assertTrue(other != all[2], "the key matters (else this test shows nothing): " + other);
        }
    }
}
