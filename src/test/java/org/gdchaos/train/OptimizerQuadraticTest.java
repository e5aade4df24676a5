package org.gdchaos.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimizers on the one-dimensional quadratic {@code L(w) = ½·h·w²} (one weight, no bias, MSE,
 * one sample x = √h, target 0), trained through {@link Ensemble#setOptimizer} and {@link Trainer}:
 * <ul>
 *   <li>every optimizer against a host re-implementation of its map (docs/science.md#optimizers),
 *       which pins the conventions (η inside v, Nesterov's look-ahead, Adam's bias corrections);</li>
 *   <li>heavy ball with β = 0 gives GD's trajectory bit for bit;</li>
 *   <li>Adam's fixed point w = 0: with ε ≫ |g| Adam is EMA momentum with step η/ε, so w = 0 is
 *       stable exactly while the preconditioned sharpness h/ε is below (2 + 2β1)/((1 − β1)·η)
 *       (docs/science.md#optimizer-thresholds): below it w → 0 geometrically; above it w leaves
 *       the fixed point and grows until √ŝ ≈ |g| lowers the preconditioned sharpness to the edge,
 *       where it stays bounded (Adam's self-stabilisation, Cohen et al. 2022).</li>
 * </ul>
 */
class OptimizerQuadraticTest {
    static Backend java;

    @BeforeAll
    static void open() {
        java = Backends.create("java");
    }

    @AfterAll
    static void close() {
        java.close();
    }

    /** w over steps 0..steps of one trajectory with the given optimizer on ½·h·w². */
    static double[] train(Backend b, Optimizer opt, double h, double eta, double w0, int steps) {
        return train(b, opt, h, eta, w0, steps, null);
    }

    /** As above; {@code finalState} (when not null) receives the state vectors' values after the last step. */
    static double[] train(Backend b, Optimizer opt, double h, double eta, double w0, int steps, double[] finalState) {
        ModelSpec spec = new ModelSpec(new int[] {1, 1}, Activation.IDENTITY, false, Loss.MSE);
        double[] out = new double[steps + 1];
        try (DeviceData data = DeviceData.upload(b, DType.F64, new double[] {Math.sqrt(h)}, new double[] {0}, 1, 1, 1);
             Ensemble e = new Ensemble(b, DType.F64, spec, 1);
             Trainer tr = new Trainer(e, data, TrainConfig.fullBatchGd())) {
            e.setParameters(0, new double[] {w0});
            e.setLearningRates(new double[] {eta});
            e.setOptimizer(opt);
            out[0] = w0;
            for (int s = 1; s <= steps; s++) {
                tr.step();
                out[s] = e.parameters(0)[0];
            }
            if (finalState != null) for (int i = 0; i < e.stateVectors(); i++) finalState[i] = e.state(i, 0)[0];
        }
        return out;
    }

    /** The host map of docs/science.md#optimizers, for g = h·w. */
    static double[] host(Optimizer opt, double h, double eta, double w0, int steps) {
        double[] out = new double[steps + 1];
        double w = w0, m = 0, s = 0, b1 = opt.beta1(), b2 = opt.beta2();
        out[0] = w;
        for (int t = 1; t <= steps; t++) {
            double g = h * w;
            switch (opt.kind()) {
                case GD -> w -= eta * g;
                case MOMENTUM -> {
                    m = b1 * m - eta * g;
                    w += m;
                }
                case NESTEROV -> {
                    m = b1 * m - eta * g;
                    w += b1 * m - eta * g;
                }
                case ADAM -> {
                    m = b1 * m + (1 - b1) * g;
                    s = b2 * s + (1 - b2) * g * g;
                    double mh = m / (1 - Math.pow(b1, t)), sh = s / (1 - Math.pow(b2, t));
                    w -= eta * mh / (Math.sqrt(sh) + opt.epsilon());
                }
            }
            out[t] = w;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gd", "momentum:0.9", "nesterov:0.5", "adam:0.9,0.999,1e-8", "adam:0.5,0.9,0.1"})
    void everyOptimizerFollowsItsMap(String name) {
        Optimizer opt = Optimizer.parse(name);
        double[] got = train(java, opt, 2.0, 0.3, 1.5, 40);
        double[] want = host(opt, 2.0, 0.3, 1.5, 40);
        for (int t = 0; t <= 40; t++) {
            assertEquals(want[t], got[t], 1e-12 * Math.max(1, Math.abs(want[t])), name + " at step " + t);
        }
        assertTrue(Math.abs(got[40]) < Math.abs(got[0]), name + " moved towards the minimum");
    }

    @Test
    void heavyBallWithBetaZeroIsGdBitForBit() {
        double[] gd = train(java, Optimizer.GD, 3.0, 0.61, 0.7, 60);
        double[] hb = train(java, Optimizer.momentum(0), 3.0, 0.61, 0.7, 60);
        assertArrayEquals(gd, hb);
    }

    /**
     * β2 = 0.9, so that ŝ follows g² within a few steps: above the edge the preconditioned sharpness
     * {@code h/(√ŝ + ε)} settles just below (2 + 2β1)/((1 − β1)·η) (measured 0.96–0.99 of it) and w
     * keeps oscillating around the fixed point instead of converging. (With β2 = 0.999, ŝ remembers
     * the burst: w returns to 0 while ŝ decays, and bursts again when the edge is crossed.)
     */
    @Test
    void adamFixedPointIsStableExactlyBelowThePreconditionedThreshold() {
        double h = 1, eps = 1, beta1 = 0.9;
        Optimizer adam = Optimizer.adam(beta1, 0.9, eps);
        double edge = adam.threshold(1) * eps / h; // η at which h/ε = (2 + 2β1)/((1 − β1)η): 38
        assertEquals(38, edge, 1e-9);
        double[] below = train(java, adam, h, 0.8 * edge, 1e-3, 600);
        assertTrue(Math.abs(below[600]) < 1e-12, "below the edge w → 0: " + below[600]);
        double eta = 1.25 * edge;
        double[] state = new double[2];
        int steps = 1000;
        double[] above = train(java, adam, h, eta, 1e-3, steps, state);
        double max = 0, tail = 0;
        for (int t = 0; t <= steps; t++) {
            assertTrue(Double.isFinite(above[t]), "bounded");
            max = Math.max(max, Math.abs(above[t]));
            if (t > steps - 100) tail = Math.max(tail, Math.abs(above[t]));
        }
        assertTrue(max > 1e-1 && max < 100, "above the edge w leaves the fixed point and stays bounded: " + max);
        assertTrue(tail > 1e-2, "it does not return to w = 0: " + tail);
        double preconditioned = h / (Math.sqrt(adam.c2(steps) * state[1]) + eps);
        double ratio = preconditioned / adam.threshold(eta);
        assertTrue(ratio > 0.85 && ratio < 1.05, "the preconditioned sharpness sits at Adam's edge: " + ratio);
    }

    @Test
    void optimizersRunTheSameOnOpenCl() {
        Backend ocl;
        try {
            ocl = Backends.create("opencl");
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(System.getenv("CI") != null, "OpenCL unavailable");
            throw e;
        }
        try (ocl) {
            for (String name : new String[] {"momentum:0.9", "nesterov:0.5", "adam:0.9,0.999,1e-8"}) {
                Optimizer opt = Optimizer.parse(name);
                double[] got = train(ocl, opt, 2.0, 0.3, 1.5, 30);
                double[] want = host(opt, 2.0, 0.3, 1.5, 30);
                for (int t = 0; t <= 30; t++) {
                    assertEquals(want[t], got[t], 1e-9 * Math.max(1, Math.abs(want[t])), name + " at step " + t);
                }
            }
        }
    }
}
