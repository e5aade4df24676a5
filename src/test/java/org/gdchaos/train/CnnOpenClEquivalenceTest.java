package org.gdchaos.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.View;
import org.gdchaos.hessian.SecondOrderNetwork;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.testing.TestBackends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java vs OpenCL (PoCL in CI, where it must run: CI=true fails if unavailable; elsewhere skipped
 * when OpenCL is missing) on convolutional networks in f64: 20 full-batch GD steps of 4 trajectories
 * at calm learning rates (chunked), the per-step losses and the final parameters agree to 1e-9
 * (relative, absolute below 1), and Hessian-vector products at the trained parameters agree to
 * 1e-9 of their largest entry.
 */
class CnnOpenClEquivalenceTest {
    static final double[] RATES = {0.05, 0.1, 0.2, 0.3};
    static final int STEPS = 20;

    record Run(double[][] losses, double[][] params, double[] hv) {
    }

    static Run run(Backend b, ModelSpec spec, double[][] xy) {
        int tt = RATES.length, k = 2;
        double[][] losses = new double[STEPS][];
        double[][] params = new double[tt][];
        try (Ensemble e = new Ensemble(b, DType.F64, spec, tt);
             DeviceData d = CnnCases.upload(b, DType.F64, spec, xy);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 7, 0))) {
            for (int t = 0; t < tt; t++) e.setParameters(t, CnnCases.init(spec, 3, t, 0.5));
            e.setLearningRates(RATES);
            for (int s = 0; s < STEPS; s++) losses[s] = tr.step();
            for (int t = 0; t < tt; t++) {
                assertFalse(e.diverged(t), b.name() + " trajectory " + t);
                params[t] = e.parameters(t);
            }
            int p = (int) e.p();
            try (SecondOrderNetwork so = new SecondOrderNetwork(b, DType.F64, spec, tt, 6);
                 Buffer vb = b.allocate(DType.F64, (long) k * tt * p);
                 Buffer ob = b.allocate(DType.F64, (long) k * tt * p)) {
                java.util.SplittableRandom r = new java.util.SplittableRandom(17);
                double[] v = new double[k * tt * p];
                for (int j = 0; j < v.length; j++) v[j] = r.nextDouble(-1, 1);
                b.upload(v, 0, vb, 0, v.length);
                so.hvp(d, e.params(), tt, View.of(vb, p), View.of(ob, p), k);
                double[] hv = new double[k * tt * p];
                b.download(ob, 0, hv, 0, hv.length);
                return new Run(losses, params, hv);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "input:7x7x2,conv:3@3x3:same,tanh,avgpool:2,conv:4@2x2,sigmoid,maxpool:2,dense:5,relu,dense:3",
            "input:9x9x1,conv:2@5x5:same,tanh,conv:3@1x1,sigmoid,maxpool:2,dense:2"})
    void javaAndOpenClTrainAndMultiplyAlike(String arch) {
        ModelSpec spec = ModelSpec.parse(arch, null, true, Loss.CROSS_ENTROPY);
        double[][] xy = CnnCases.data(spec, 20, 4);
        Run java;
        try (Backend b = TestBackends.openOrSkip("java")) {
            java = run(b, spec, xy);
        }
        Run cl;
        try (Backend b = TestBackends.openOrSkip("opencl")) {
            Assumptions.assumeTrue(b.supports(DType.F64), "the OpenCL device has no f64");
            cl = run(b, spec, xy);
        }
        for (int s = 0; s < STEPS; s++) {
            for (int t = 0; t < RATES.length; t++) {
                assertEquals(java.losses[s][t], cl.losses[s][t], 1e-9 * Math.max(1, Math.abs(java.losses[s][t])),
                        "loss step " + s + " t=" + t);
            }
        }
        assertTrue(java.losses[STEPS - 1][3] < java.losses[0][3], "training moves the loss");
        for (int t = 0; t < RATES.length; t++) {
            for (int j = 0; j < java.params[t].length; j++) {
                double a = java.params[t][j];
                assertEquals(a, cl.params[t][j], 1e-9 * Math.max(1, Math.abs(a)), "t=" + t + " parameter " + j);
            }
        }
        double scale = 0;
        for (double v : java.hv) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 1e-3, "products worth comparing: " + scale);
        for (int j = 0; j < java.hv.length; j++) assertEquals(java.hv[j], cl.hv[j], 1e-9 * scale, "Hv[" + j + "]");
    }
}
