package org.gdchaos.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.CellSeeds;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batched trainer against independent oracles, on the Java backend in float64. */
class TrainerTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static double[] init(ModelSpec spec, long seed, int i, double std) {
        return InitSpec.normal(std).draw(new ParameterLayout(spec), CellSeeds.stream(seed, CellSeeds.INIT, i, 0));
    }

    @ParameterizedTest(name = "{0} {1} bias={2} {3}")
    @CsvSource({"5-4-3, tanh, true, ce", "3-6-2, sigmoid, true, mse", "4-5-5-3, relu, false, ce",
            "1-3-1, linear, false, mse", "6-3, tanh, true, ce"})
    void gradientMatchesFiniteDifferencesOfAnIndependentLoss(String widths, String act, boolean bias, String loss) {
        int[] w = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        ModelSpec spec = new ModelSpec(w, Activation.parse(act), bias, Loss.parse(loss));
        TinyData data = spec.loss() == Loss.MSE ? TinyData.regression(13, w[0], spec.outputs(), 3)
                : TinyData.classification(13, w[0], spec.outputs(), 3);
        int tt = 3;
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, tt);
             DeviceData d = data.upload(backend, DType.F64);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 5, 0))) {
            double[][] p = new double[tt][];
            for (int t = 0; t < tt; t++) {
                p[t] = init(spec, 11, t, 0.7);
                e.setParameters(t, p[t]);
            }
            e.setLearningRates(new double[tt]);
            double[] loss0 = tr.computeGradient();
            for (int t = 0; t < tt; t++) {
                assertEquals(HostMlp.loss(spec, p[t], data), loss0[t], 1e-12, "loss of trajectory " + t);
                double[] g = e.gradient(t);
                for (int k = 0; k < g.length; k++) {
                    double h = 1e-5;
                    double[] plus = p[t].clone(), minus = p[t].clone();
                    plus[k] += h;
                    minus[k] -= h;
                    double fd = (HostMlp.loss(spec, plus, data) - HostMlp.loss(spec, minus, data)) / (2 * h);
                    assertEquals(fd, g[k], 1e-7 * Math.max(1, Math.abs(fd)), "dL/dw[" + k + "] trajectory " + t);
                }
            }
        }
    }

    @Test
    void batchedRunEqualsSeparateRuns() {
        ModelSpec spec = new ModelSpec(new int[] {7, 5, 3}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        TinyData data = TinyData.classification(40, 7, 3, 5);
        double[] rates = {0.01, 0.3, 1.0, 3.0, 7.0, 0.05};
        int steps = 15;
        double[][] batched;
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, rates.length);
             DeviceData d = data.upload(backend, DType.F64);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 16, 0))) {
            for (int t = 0; t < rates.length; t++) e.setParameters(t, init(spec, 2, t, 1));
            e.setLearningRates(rates);
            for (int s = 0; s < steps; s++) tr.step();
            batched = new double[rates.length][];
            for (int t = 0; t < rates.length; t++) batched[t] = e.parameters(t);
        }
        for (int t = 0; t < rates.length; t++) {
            try (Ensemble e = new Ensemble(backend, DType.F64, spec, 1);
                 DeviceData d = data.upload(backend, DType.F64);
                 Trainer tr = new Trainer(e, d, new TrainConfig(0, 16, 0))) {
                e.setParameters(0, init(spec, 2, t, 1));
                e.setLearningRates(new double[] {rates[t]});
                for (int s = 0; s < steps; s++) tr.step();
                double[] single = e.parameters(0);
                for (int k = 0; k < single.length; k++) {
                    assertEquals(single[k], batched[t][k], 1e-12 * Math.max(1, Math.abs(single[k])),
                            "trajectory " + t + " parameter " + k);
                }
            }
        }
    }

    @Test
    void chunkedGradientEqualsUnchunked() {
        ModelSpec spec = new ModelSpec(new int[] {9, 6, 4}, Activation.SIGMOID, true, Loss.CROSS_ENTROPY);
        TinyData data = TinyData.classification(53, 9, 4, 8);
        double[][] grads = new double[2][];
        double[][] losses = new double[2][];
        int[] chunks = {53, 7};
        for (int c = 0; c < 2; c++) {
            try (Ensemble e = new Ensemble(backend, DType.F64, spec, 2);
                 DeviceData d = data.upload(backend, DType.F64);
                 Trainer tr = new Trainer(e, d, new TrainConfig(0, chunks[c], 0))) {
                e.setParameters(0, init(spec, 4, 0, 1));
                e.setParameters(1, init(spec, 4, 1, 1));
                e.setLearningRates(new double[2]);
                losses[c] = tr.computeGradient();
                grads[c] = e.gradient(1);
            }
        }
        assertEquals(losses[0][1], losses[1][1], 1e-13);
        for (int k = 0; k < grads[0].length; k++) assertEquals(grads[0][k], grads[1][k], 1e-13, "g[" + k + "]");
    }

    @Test
    void divergingTrajectoryIsFrozenAndDoesNotTouchNeighbours() {
        ModelSpec spec = new ModelSpec(new int[] {4, 8, 1}, Activation.RELU, true, Loss.MSE);
        TinyData data = TinyData.regression(20, 4, 1, 9);
        double[] rates = {0.05, 1e200, 0.1};
        double[][] withBad = new double[3][];
        int divergedAt;
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, 3);
             DeviceData d = data.upload(backend, DType.F64);
             Trainer tr = new Trainer(e, d, TrainConfig.fullBatchGd())) {
            for (int t = 0; t < 3; t++) e.setParameters(t, init(spec, 6, t, 1));
            e.setLearningRates(rates);
            for (int s = 0; s < 10; s++) tr.step();
            for (int t = 0; t < 3; t++) withBad[t] = e.parameters(t);
            assertTrue(e.diverged(1), "the huge learning rate must diverge");
            assertFalse(e.diverged(0));
            assertFalse(e.diverged(2));
            divergedAt = e.divergedAt(1);
            assertTrue(divergedAt >= 1 && divergedAt < 10, "diverged at " + divergedAt);
        }
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, 2);
             DeviceData d = data.upload(backend, DType.F64);
             Trainer tr = new Trainer(e, d, TrainConfig.fullBatchGd())) {
            e.setParameters(0, init(spec, 6, 0, 1));
            e.setParameters(1, init(spec, 6, 2, 1));
            e.setLearningRates(new double[] {rates[0], rates[2]});
            for (int s = 0; s < 10; s++) tr.step();
            assertArrayEquals(e.parameters(0), withBad[0]);
            assertArrayEquals(e.parameters(1), withBad[2]);
        }
    }

    /** Loss and divergence flags come back in one download per step (one host wait on async backends). */
    @Test
    void oneDownloadPerStepReadsLossAndFlags() {
        int[] downloads = {0};
        Backend counting = new org.gdchaos.backend.conformance.DelegatingBackend(backend) {
            @Override
            public void download(org.gdchaos.backend.Buffer src, long srcOffset, double[] dst, int dstOffset, int n) {
                downloads[0]++;
                inner.download(src, srcOffset, dst, dstOffset, n);
            }
        };
        ModelSpec spec = new ModelSpec(new int[] {4, 8, 1}, Activation.RELU, true, Loss.MSE);
        TinyData data = TinyData.regression(20, 4, 1, 9);
        try (Ensemble e = new Ensemble(counting, DType.F64, spec, 3);
             DeviceData d = data.upload(counting, DType.F64);
             Trainer tr = new Trainer(e, d, TrainConfig.fullBatchGd())) {
            for (int t = 0; t < 3; t++) e.setParameters(t, init(spec, 6, t, 1));
            e.setLearningRates(new double[] {0.05, 1e200, 0.1});
            downloads[0] = 0;
            double[][] losses = new double[10][];
            for (int s = 0; s < 10; s++) losses[s] = tr.step();
            assertEquals(10, downloads[0], "downloads in 10 steps");
            assertTrue(e.diverged(1) && !e.diverged(0) && !e.diverged(2), "flags still read right");
            assertTrue(Double.isFinite(losses[9][0]) && losses[9][0] < losses[0][0], "loss still read right");
        }
    }

    private static void assertArrayEquals(double[] a, double[] b) {
        for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 1e-12 * Math.max(1, Math.abs(a[k])), "[" + k + "]");
    }

    @Test
    void sgdUsesOneSharedOrderAndCoversTheEpoch() {
        ModelSpec spec = new ModelSpec(new int[] {3, 2}, Activation.TANH, true, Loss.MSE);
        TinyData data = TinyData.regression(12, 3, 2, 1);
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, 2);
             DeviceData d = data.upload(backend, DType.F64);
             Trainer tr = new Trainer(e, d, new TrainConfig(4, 0, 77), data.x, data.y)) {
            double[] w = init(spec, 1, 0, 1);
            e.setParameters(0, w);
            e.setParameters(1, w);
            e.setLearningRates(new double[] {0, 0});
            double sum = 0;
            for (int s = 0; s < 3; s++) {
                double[] l = tr.step();
                assertEquals(l[0], l[1], 0, "identical trajectories see identical minibatches");
                sum += l[0];
            }
            // with lr = 0 the three minibatch losses of one epoch average to the full loss
            assertEquals(HostMlp.loss(spec, w, data), sum / 3, 1e-12);
        }
    }

    /** The full-batch gradient norm after SGD steps: all N samples, against finite differences of the host loss. */
    @Test
    void fullGradientNormsUseEverySampleEvenUnderSgd() {
        ModelSpec spec = new ModelSpec(new int[] {3, 4, 2}, Activation.TANH, true, Loss.MSE);
        TinyData data = TinyData.regression(13, 3, 2, 8);
        int tt = 2;
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, tt);
             DeviceData d = data.upload(backend, DType.F64);
             Trainer tr = new Trainer(e, d, new TrainConfig(4, 0, 5), data.x, data.y)) {
            for (int t = 0; t < tt; t++) e.setParameters(t, init(spec, 3, t, 0.8));
            e.setLearningRates(new double[] {0.1, 0.3});
            for (int s = 0; s < 7; s++) tr.step();   // mid-epoch, data reshuffled on the device
            double[][] p = {e.parameters(0), e.parameters(1)};
            double[] norms = tr.fullGradientNorms(tt);
            for (int t = 0; t < tt; t++) {
                double sq = 0;
                for (int k = 0; k < p[t].length; k++) {
                    double h = 1e-5;
                    double[] plus = p[t].clone(), minus = p[t].clone();
                    plus[k] += h;
                    minus[k] -= h;
                    double fd = (HostMlp.loss(spec, plus, data) - HostMlp.loss(spec, minus, data)) / (2 * h);
                    sq += fd * fd;
                }
                assertEquals(Math.sqrt(sq), norms[t], 1e-7 * Math.max(1, Math.sqrt(sq)), "trajectory " + t);
                assertTrue(norms[t] > 1e-3, "not at a minimum: " + norms[t]);
            }
            assertEquals(1, tr.fullGradientNorms(1).length);
        }
    }

    /** Argmax accuracy over one output is meaningless: NaN; with two outputs it is a fraction. */
    @Test
    void accuracyIsUndefinedForASingleOutput() {
        for (int outputs : new int[] {1, 2}) {
            ModelSpec spec = new ModelSpec(new int[] {3, 4, outputs}, Activation.TANH, true, Loss.MSE);
            TinyData data = TinyData.regression(10, 3, outputs, 2);
            try (Ensemble e = new Ensemble(backend, DType.F64, spec, 1);
                 DeviceData d = data.upload(backend, DType.F64);
                 Trainer tr = new Trainer(e, d, new TrainConfig(0, 0, 0))) {
                double[] w = init(spec, 1, 0, 0.5);
                e.setParameters(0, w);
                Evaluation ev = tr.evaluate(d);
                assertEquals(HostMlp.loss(spec, w, data), ev.loss(0), 1e-12);
                if (outputs == 1) assertTrue(Double.isNaN(ev.accuracy(0)), "one output: " + ev.accuracy(0));
                else assertTrue(ev.accuracy(0) >= 0 && ev.accuracy(0) <= 1
                        && Math.abs(ev.accuracy(0) * 10 - Math.rint(ev.accuracy(0) * 10)) < 1e-9, "" + ev.accuracy(0));
            }
        }
    }
}
