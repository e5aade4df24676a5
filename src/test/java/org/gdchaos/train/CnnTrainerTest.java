package org.gdchaos.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolutional networks in the batched trainer (Java backend, f64) against the independent host
 * oracle {@link HostNetwork}: the loss the trainer returns, its gradient against central finite
 * differences of the oracle's loss, and batched = separate training.
 */
class CnnTrainerTest {
    static Backend backend;

    static double[] init(ModelSpec spec, long seed, int i, double std) {
        return CnnCases.init(spec, seed, i, std);
    }

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** The oracle counts the parameters as the layout does (its own order is checked by the tests below). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.gdchaos.train.CnnCases#specs")
    void oracleCountsTheParametersOfTheLayout(ModelSpec spec) {
        assertEquals(new ParameterLayout(spec).size(), HostNetwork.parameterCount(spec));
    }

    /** The oracle itself on a hand-computed case and on an MLP (against {@link HostMlp}). */
    @Test
    void oracleOnHandComputedCases() {
        // 3×3×1 input 1..9, one 2×2 valid filter [[1, 0], [0, −1]], bias 0.5, linear: each output x(y,x) − x(y+1,x+1) + ½ = −3.5;
        // then a dense layer of one unit, weights (1, 2, 3, 4), bias 0: −35; MSE against 0: ½·35².
        ModelSpec spec = ModelSpec.parse("input:3x3x1,conv:1@2x2,dense:1", null, true, Loss.MSE);
        double[] w = {1, 0, 0, -1, 0.5, 1, 2, 3, 4, 0};
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertEquals(0.5 * 35 * 35, HostNetwork.loss(spec, w, x, new double[] {0}, 1), 0);
        // same padding, 1×1×1 image 2, 3×3 kernel: only the centre weight (index 4) sees the pixel
        ModelSpec same = ModelSpec.parse("input:1x1x1,conv:1@3x3:same,dense:1", null, false, Loss.MSE);
        double[] ws = {9, 9, 9, 9, 3, 9, 9, 9, 9, 1};
        assertEquals(0.5 * 36, HostNetwork.loss(same, ws, new double[] {2}, new double[] {0}, 1), 0);
        // 2×2 pools of a 3×2 image (last row dropped): avg (1+2+3+4)/4 = 2.5, max 4
        for (String op : new String[] {"avg", "max"}) {
            ModelSpec pool = ModelSpec.parse("input:3x2x1," + op + "pool:2,dense:1", null, false, Loss.MSE);
            double v = HostNetwork.loss(pool, new double[] {1}, new double[] {1, 2, 3, 4, 100, 100}, new double[] {0}, 1);
            assertEquals(0.5 * (op.equals("avg") ? 2.5 * 2.5 : 16), v, 0);
        }
        ModelSpec mlp = new ModelSpec(new int[] {5, 4, 3}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        TinyData d = TinyData.classification(6, 5, 3, 2);
        double[] wm = init(mlp, 1, 0, 0.9);
        assertEquals(HostMlp.loss(mlp, wm, d), HostNetwork.loss(mlp, wm, d.x, d.y, d.n), 1e-15);
    }

    /**
     * (a) the loss the trainer returns equals the oracle's to 1e-12 relative; (b) the gradient
     * equals central finite differences of the oracle's loss (h = 1e-5, 1e-7·max(1, |fd|)), for 3
     * trajectories with different parameters, 13 samples in chunks of 5 (three chunks, the last partial).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.gdchaos.train.CnnCases#specs")
    void lossAndGradientMatchTheOracle(ModelSpec spec) {
        int tt = 3, n = 13;
        double[][] xy = CnnCases.data(spec, n, 3);
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, tt);
             DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 5, 0))) {
            assertEquals(5, tr.network().chunk());
            double[][] p = new double[tt][];
            for (int t = 0; t < tt; t++) {
                p[t] = init(spec, 11, t, 0.7);
                e.setParameters(t, p[t]);
            }
            e.setLearningRates(new double[tt]);
            double[] loss = tr.computeGradient();
            for (int t = 0; t < tt; t++) {
                double oracle = HostNetwork.loss(spec, p[t], xy[0], xy[1], n);
                assertEquals(oracle, loss[t], 1e-12 * Math.abs(oracle), "loss of trajectory " + t);
                double[] g = e.gradient(t);
                double[] fd = HostNetwork.fdGradient(spec, p[t], xy[0], xy[1], n, null, 1e-5);
                double gmax = 0;
                for (int k = 0; k < g.length; k++) {
                    assertEquals(fd[k], g[k], 1e-7 * Math.max(1, Math.abs(fd[k])), "dL/dw[" + k + "] trajectory " + t);
                    gmax = Math.max(gmax, Math.abs(g[k]));
                }
                assertTrue(gmax > 1e-3, "a gradient worth testing: " + gmax);
            }
        }
    }

    /**
     * (e) T trajectories (different initial parameters and learning rates) trained 12 steps in one
     * ensemble end bit-identical to each trained alone: the Java backend cuts every call into
     * blocks of (batch entry × rows), so an entry's arithmetic does not depend on the others, and
     * the shared first-layer lowering is the same im2col either way.
     */
    @Test
    void batchedRunEqualsSeparateRunsBitForBit() {
        ModelSpec spec = ModelSpec.parse("input:7x7x2,conv:3@3x3:same,tanh,avgpool:2,conv:4@2x2,sigmoid,maxpool:2,dense:5,relu,dense:3",
                null, true, Loss.CROSS_ENTROPY);
        double[][] xy = CnnCases.data(spec, 24, 5);
        double[] rates = {0.01, 0.3, 1.0, 3.0, 0.05};
        int steps = 12;
        double[][] batched = new double[rates.length][];
        double[][] batchedLoss = new double[steps][];
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, rates.length);
             DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 7, 0))) {
            for (int t = 0; t < rates.length; t++) e.setParameters(t, init(spec, 2, t, 1));
            e.setLearningRates(rates);
            for (int s = 0; s < steps; s++) batchedLoss[s] = tr.step();
            for (int t = 0; t < rates.length; t++) {
                batched[t] = e.parameters(t);
                assertFalse(e.diverged(t));
            }
        }
        for (int t = 0; t < rates.length; t++) {
            try (Ensemble e = new Ensemble(backend, DType.F64, spec, 1);
                 DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy);
                 Trainer tr = new Trainer(e, d, new TrainConfig(0, 7, 0))) {
                double[] w0 = init(spec, 2, t, 1);
                e.setParameters(0, w0);
                e.setLearningRates(new double[] {rates[t]});
                for (int s = 0; s < steps; s++) {
                    assertEquals(batchedLoss[s][t], tr.step()[0], 0, "loss of trajectory " + t + " at step " + s);
                }
                double[] single = e.parameters(0);
                double moved = 0;
                for (int k = 0; k < single.length; k++) {
                    assertEquals(single[k], batched[t][k], 0, "trajectory " + t + " parameter " + k);
                    moved = Math.max(moved, Math.abs(single[k] - w0[k]));
                }
                assertTrue(moved > 1e-4, "trajectory " + t + " trained: " + moved);
            }
        }
    }

    /**
     * Weight decay on a CNN: the trainer's gradient equals finite differences of the oracle's
     * {@code L + (λ/2)·‖w‖²} over the conv and dense weights only (biases counted out by the
     * oracle's own layout), and the returned loss stays the data loss.
     */
    @Test
    void weightDecayGradientOnAConvolutionalNetwork() {
        ModelSpec spec = CnnCases.specs()[0];
        int n = 9;
        double[] lambda = {0.3, 0.05};
        double[][] xy = CnnCases.data(spec, n, 12);
        boolean[] weight = HostNetwork.weightMask(spec);
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, 2);
             DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 4, 0))) {
            double[][] p = {init(spec, 8, 0, 0.6), init(spec, 8, 1, 0.6)};
            e.setParameters(0, p[0]);
            e.setParameters(1, p[1]);
            e.setLearningRates(new double[2]);
            e.setWeightDecay(lambda, false);
            double[] loss = tr.computeGradient();
            for (int t = 0; t < 2; t++) {
                double lt = lambda[t];
                java.util.function.ToDoubleFunction<double[]> objective = w -> {
                    double sq = 0;
                    for (int k = 0; k < w.length; k++) if (weight[k]) sq += w[k] * w[k];
                    return HostNetwork.loss(spec, w, xy[0], xy[1], n) + 0.5 * lt * sq;
                };
                double data = HostNetwork.loss(spec, p[t], xy[0], xy[1], n);
                assertEquals(data, loss[t], 1e-12 * data, "the data loss");
                double[] g = e.gradient(t);
                for (int k = 0; k < g.length; k++) {
                    double h = 1e-5;
                    double[] plus = p[t].clone(), minus = p[t].clone();
                    plus[k] += h;
                    minus[k] -= h;
                    double fd = (objective.applyAsDouble(plus) - objective.applyAsDouble(minus)) / (2 * h);
                    assertEquals(fd, g[k], 1e-7 * Math.max(1, Math.abs(fd)), "t=" + t + " k=" + k + (weight[k] ? " weight" : " bias"));
                }
            }
        }
    }

    /**
     * Minibatch SGD on a CNN (the shuffled data replaced on the device each epoch, the first
     * convolution re-lowered): at η = 0, identical trajectories see identical minibatches and the
     * minibatch losses of one epoch average to the oracle's full loss.
     */
    @Test
    void sgdOnAConvolutionalNetworkCoversTheEpoch() {
        ModelSpec spec = CnnCases.specs()[3];
        int n = 12;
        double[][] xy = CnnCases.data(spec, n, 21);
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, 2);
             DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy);
             Trainer tr = new Trainer(e, d, new TrainConfig(4, 3, 77), xy[0], xy[1])) {
            double[] w = init(spec, 1, 0, 0.7);
            e.setParameters(0, w);
            e.setParameters(1, w);
            e.setLearningRates(new double[] {0, 0});
            for (int epoch = 0; epoch < 2; epoch++) {
                double sum = 0;
                java.util.Set<Double> distinct = new java.util.HashSet<>();
                for (int s = 0; s < 3; s++) {
                    double[] l = tr.step();
                    assertEquals(l[0], l[1], 0, "identical trajectories see identical minibatches");
                    sum += l[0];
                    distinct.add(l[0]);
                }
                assertEquals(3, distinct.size(), "three different minibatches");
                double full = HostNetwork.loss(spec, w, xy[0], xy[1], n);
                assertEquals(full, sum / 3, 1e-12 * full, "epoch " + epoch);
            }
        }
    }
}
