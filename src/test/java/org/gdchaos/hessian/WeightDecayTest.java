package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.gdchaos.train.WeightDecayTerm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Weight decay (docs/science.md#weight-decay): the objective {@code L + (λ/2)·‖w_D‖²}, its
 * gradient and Hessian-vector products against finite differences and an independent host
 * penalty; the regularised minimum of the two-layer linear network and its Hessian spectrum
 * against the closed form; λ = 0 bit-identical to no weight decay, also in a mixed batch.
 */
class WeightDecayTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** Objective values and gradients from SecondOrderNetwork at each parameter vector, λ per vector. */
    private static double[][] objective(SecondOrderNetwork mlp, DeviceData d, double[][] w, double[] lambda, boolean biases,
                                        double[] lossOut) {
        int p = (int) mlp.p(), n = w.length;
        mlp.setWeightDecay(lambda, biases);
        try (Buffer pb = backend.allocate(DType.F64, (long) n * p);
             Buffer gb = backend.allocate(DType.F64, (long) n * p);
             Buffer lb = backend.allocate(DType.F64, n)) {
            for (int t = 0; t < n; t++) backend.upload(w[t], 0, pb, (long) t * p, p);
            mlp.gradient(d, View.of(pb, p), n, View.of(gb, p), View.of(lb, 1));
            backend.download(lb, 0, lossOut, 0, n);
            double[][] g = new double[n][p];
            for (int t = 0; t < n; t++) backend.download(gb, (long) t * p, g[t], 0, p);
            return g;
        }
    }

    /** Trainer (BatchedNetwork) gradients with weight decay λ_t per trajectory; also returns the data losses. */
    private static double[][] trainerGradients(ModelSpec spec, DeviceData d, double[][] w, double[] lambda,
                                               boolean biases, double[] dataLoss) {
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, w.length);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 4, 0))) {
            for (int t = 0; t < w.length; t++) e.setParameters(t, w[t]);
            e.setLearningRates(new double[w.length]);
            if (lambda != null) e.setWeightDecay(lambda, biases);
            double[] l = tr.computeGradient();
            if (dataLoss != null) System.arraycopy(l, 0, dataLoss, 0, l.length);
            double[][] g = new double[w.length][];
            for (int t = 0; t < w.length; t++) g[t] = e.gradient(t);
            return g;
        }
    }

    @ParameterizedTest(name = "{0} {1} bias={2} {3} decayBiases={4}")
    @CsvSource({"3-4-2, tanh, true, mse, false", "3-4-2, tanh, true, mse, true", "4-5-3, relu, true, ce, false",
            "2-3-3-2, sigmoid, false, ce, false", "1-3-1, linear, false, mse, true"})
    void gradientAndHessianVectorProductsMatchFiniteDifferences(String widths, String act, boolean bias, String loss,
                                                                boolean decayBiases) {
        int[] wd = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        ModelSpec spec = new ModelSpec(wd, Activation.parse(act), bias, Loss.parse(loss));
        ParameterLayout layout = new ParameterLayout(spec);
        int tt = 3, n = 11;
        double[] lambda = {0.3, 0, 0.05};
        try (DeviceData d = Fixtures.upload(backend, DType.F64, spec, Fixtures.data(spec, n, 5));
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F64, spec, tt, 4)) {
            int p = (int) mlp.p();
            double[][] w = new double[tt][];
            double[][] v = new double[tt][];
            for (int t = 0; t < tt; t++) {
                w[t] = Fixtures.gaussian(p, 0.7, 40 + t);
                v[t] = Fixtures.gaussian(p, 1, 80 + t);
            }
            double[] obj = new double[tt];
            double[][] g = objective(mlp, d, w, lambda, decayBiases, obj);
            double[] dataLoss = new double[tt];
            double[][] gTrainer = trainerGradients(spec, d, w, lambda, decayBiases, dataLoss);
            double[][] gPlain = trainerGradients(spec, d, w, null, false, null);
            double eps = 1e-6;
            for (int t = 0; t < tt; t++) {
                // the objective = data loss (trainer, no penalty) + the host penalty
                assertEquals(dataLoss[t] + WeightDecayTerm.penalty(layout, w[t], lambda[t], decayBiases), obj[t],
                        1e-13 * Math.max(1, obj[t]), "objective");
                for (int j = 0; j < p; j++) {
                    assertEquals(g[t][j], gTrainer[t][j], 1e-13 * Math.max(1, Math.abs(g[t][j])), "trainer gradient");
                    boolean decayed = decayBiases || layout.isWeight(j);
                    assertEquals(gPlain[t][j] + (decayed ? lambda[t] * w[t][j] : 0), g[t][j], 1e-13, "∇L + λ·w_D");
                }
                // directional derivative of the objective = g·v
                double[][] pm = {w[t].clone(), w[t].clone()};
                for (int j = 0; j < p; j++) {
                    pm[0][j] += eps * v[t][j];
                    pm[1][j] -= eps * v[t][j];
                }
                double[] o2 = new double[2];
                double[][] g2 = objective(mlp, d, pm, new double[] {lambda[t], lambda[t]}, decayBiases, o2);
                double gv = 0;
                for (int j = 0; j < p; j++) gv += g[t][j] * v[t][j];
                assertEquals(gv, (o2[0] - o2[1]) / (2 * eps), 1e-7 * Math.max(1, Math.abs(gv)), "FD of the objective");
                // H·v of the objective against central differences of its gradient
                double[] hv = hvp(mlp, d, w[t], v[t], lambda[t], decayBiases);
                double scale = 0;
                for (int j = 0; j < p; j++) scale = Math.max(scale, Math.abs(hv[j]));
                for (int j = 0; j < p; j++) {
                    assertEquals((g2[0][j] - g2[1][j]) / (2 * eps), hv[j], 1e-6 * Math.max(1, scale), "FD of H·v");
                }
                double[] hvPlain = hvp(mlp, d, w[t], v[t], 0, false);
                for (int j = 0; j < p; j++) {
                    boolean decayed = decayBiases || layout.isWeight(j);
                    assertEquals(hvPlain[j] + (decayed ? lambda[t] * v[t][j] : 0), hv[j], 1e-13, "H·v + λ·v_D");
                }
            }
        }
    }

    private static double[] hvp(SecondOrderNetwork mlp, DeviceData d, double[] w, double[] v, double lambda, boolean biases) {
        int p = (int) mlp.p();
        mlp.setWeightDecay(new double[] {lambda}, biases);
        try (Buffer pb = backend.allocate(DType.F64, p);
             Buffer vb = backend.allocate(DType.F64, p);
             Buffer ob = backend.allocate(DType.F64, p)) {
            backend.upload(w, 0, pb, 0, p);
            backend.upload(v, 0, vb, 0, p);
            mlp.hvp(d, View.of(pb, p), 1, View.of(vb, p), View.of(ob, p), 1);
            double[] out = new double[p];
            backend.download(ob, 0, out, 0, p);
            return out;
        }
    }

    /**
     * The two-layer linear network 1-d-1, one sample (x, y): {@code L = ½(x·uᵀv − y)² + (λ/2)(‖u‖²+‖v‖²)}.
     * Stationarity gives {@code r·v = −λ·u}, {@code r·u = −λ·v} with {@code r = x(x·uᵀv − y)}, so a
     * non-zero minimiser has r = −λ, u = v and {@code ‖u‖² = ‖v‖² = uᵀv = (x·y − λ)/x²} (when x·y &gt; λ).
     * Its Hessian {@code [[x²uuᵀ + λI, x²uuᵀ − λI], [x²uuᵀ − λI, x²uuᵀ + λI]]} has eigenvalues
     * {@code 2x²‖u‖² = 2(x·y − λ)} (on (u, u)), {@code 2λ} (d times, on (a, −a)) and 0 (d − 1 times).
     * (For x·y &lt; −λ the mirror image: r = +λ, u = −v, uᵀv = (x·y + λ)/x².)
     * GD at a small η reaches that minimum; the sharpness, the top-k Lanczos eigenvalues and the
     * gradient flow's limit and objective agree with the closed form.
     */
    @ParameterizedTest(name = "d={0} x={1} y={2} λ={3}")
    @CsvSource({"1, 1.5, 1.2, 0.1", "3, 1.0, 2.0, 0.5", "2, 0.8, -1.5, 0.2"})
    void linearNetworkReachesTheClosedFormMinimum(int d, double x, double y, double lambda) {
        ModelSpec spec = ModelSpec.linear(d);
        // a non-zero minimiser has r = −λ, u = v (x·y > λ) or r = +λ, u = −v (x·y < −λ)
        double mStar = Math.signum(x * y) * (Math.abs(x * y) - lambda) / (x * x);
        try (DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {x}, new double[] {y}, 1, 1, 1);
             Ensemble e = new Ensemble(backend, DType.F64, spec, 1);
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 1, 0));
             CurvatureMeter meter = new CurvatureMeter(backend, DType.F64, spec, 1, 1)) {
            double[] w0 = LinearNet.start(d, 0.6, 11);
            if (LinearNet.m(w0) * Math.signum(x * y) < 0) for (int i = d; i < 2 * d; i++) w0[i] = -w0[i];
            e.setParameters(0, w0);
            e.setLearningRates(new double[] {0.05});
            e.setWeightDecay(new double[] {lambda}, false);
            for (int s = 0; s < 20_000; s++) tr.step();
            double[] w = e.parameters(0);
            double uu = 0, vv = 0;
            for (int i = 0; i < d; i++) {
                uu += w[i] * w[i];
                vv += w[d + i] * w[d + i];
            }
            double sgn = Math.signum(x * y);
            assertEquals(Math.abs(mStar), uu, 1e-10, "‖u‖²");
            assertEquals(Math.abs(mStar), vv, 1e-10, "‖v‖²");
            assertEquals(mStar, LinearNet.m(w), 1e-10, "uᵀv");
            for (int i = 0; i < d; i++) assertEquals(sgn * w[i], w[d + i], 1e-8, "balanced (u = ±v)");
            // the spectrum: 2x²|m*| = 2(|x·y| − λ) once, 2λ d times, 0 d − 1 times
            double top = 2 * x * x * Math.abs(mStar);
            double[] expected = new double[2 * d];
            expected[0] = top;
            for (int i = 1; i <= d; i++) expected[i] = 2 * lambda;
            Arrays.sort(expected);
            for (int i = 0; i < d; i++) {
                double tmp = expected[i];
                expected[i] = expected[2 * d - 1 - i];
                expected[2 * d - 1 - i] = tmp;
            }
            meter.setWeightDecay(new double[] {lambda}, false);
            // Lanczos from one start vector sees each distinct eigenvalue once: the two non-zero ones
            double[][] ev = meter.eigenvalues(data, e.params(), 1, 2, new long[] {7});
            assertEquals(Math.max(top, 2 * lambda), ev[0][0], 1e-8, "sharpness");
            assertEquals(Math.min(top, 2 * lambda), ev[0][1], 1e-8, "second eigenvalue");
            double[] dense = Fixtures.jacobiEigenvalues(denseObjectiveHessian(spec, data, w, lambda));
            for (int i = 0; i < 2 * d; i++) assertEquals(expected[i], dense[i], 1e-5, "dense FD eigenvalue " + (i + 1));
            // without weight decay the same point has another spectrum (the shift is really applied)
            meter.setWeightDecay(null, false);
            assertNotEquals(expected[0], meter.eigenvalues(data, e.params(), 1, 1, new long[] {7})[0][0], 1e-6);
            // gradient flow on the objective ends at the same minimum: objective ½(λ/x)² + λ·|m*|
            meter.setWeightDecay(new double[] {lambda}, false);
            double[][] gf = meter.flow(data, new double[][] {w0});
            double objective = 0.5 * (lambda / x) * (lambda / x) + lambda * Math.abs(mStar);
            assertEquals(objective, gf[1][0], 1e-9, "gradient-flow objective");
            assertEquals(expected[0], gf[0][0], 1e-6, "gradient-flow sharpness");
        }
    }

    /** Below the threshold x·y ≤ λ the minimum is w = 0, where the Hessian is [[λ, −xy], [−xy, λ]] (d = 1). */
    @Test
    void strongDecayShrinksTheLinearNetworkToZero() {
        ModelSpec spec = ModelSpec.linear(1);
        double x = 1, y = 0.5, lambda = 0.8;
        try (DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {x}, new double[] {y}, 1, 1, 1);
             Ensemble e = new Ensemble(backend, DType.F64, spec, 1);
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 1, 0));
             CurvatureMeter meter = new CurvatureMeter(backend, DType.F64, spec, 1, 1)) {
            e.setParameters(0, new double[] {0.9, 0.7});
            e.setLearningRates(new double[] {0.1});
            e.setWeightDecay(new double[] {lambda}, false);
            for (int s = 0; s < 5_000; s++) tr.step();
            double[] w = e.parameters(0);
            assertEquals(0, w[0], 1e-12);
            assertEquals(0, w[1], 1e-12);
            meter.setWeightDecay(new double[] {lambda}, false);
            double[][] ev = meter.eigenvalues(data, e.params(), 1, 2, new long[] {1});
            assertEquals(lambda + x * y, ev[0][0], 1e-10);
            assertEquals(lambda - x * y, ev[0][1], 1e-10);
        }
    }

    private static double[][] denseObjectiveHessian(ModelSpec spec, DeviceData data, double[] w, double lambda) {
        double[][] h = Fixtures.fdHessian(backend, spec, data, w, 1e-5);
        for (int i = 0; i < h.length; i++) h[i][i] += lambda; // every coordinate of the linear network is a weight
        return h;
    }

    /**
     * λ = 0 leaves training bit-identical: an ensemble where every λ is 0 computes nothing extra, and
     * a λ = 0 trajectory batched with λ &gt; 0 ones follows exactly the path it follows alone.
     */
    @Test
    void zeroDecayIsBitIdentical() {
        ModelSpec spec = new ModelSpec(new int[] {3, 5, 2}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        int tt = 3, p = (int) new ParameterLayout(spec).size();
        double[][] w0 = new double[tt][];
        for (int t = 0; t < tt; t++) w0[t] = Fixtures.gaussian(p, 0.9, 500 + t);
        double[][] plain = train(spec, w0, null);
        assertArrayEquals(flat(plain), flat(train(spec, w0, new double[tt])), 0.0, "all zeros");
        double[][] mixed = train(spec, w0, new double[] {1e-2, 0, 1e-3});
        for (int j = 0; j < p; j++) {
            assertEquals(Double.doubleToRawLongBits(plain[1][j]), Double.doubleToRawLongBits(mixed[1][j]), "λ = 0 in a mixed batch");
        }
        assertTrue(!Arrays.equals(plain[0], mixed[0]) && !Arrays.equals(plain[2], mixed[2]), "λ > 0 changes the path");
    }

    /**
     * On every backend (OpenCL skips where unavailable, except under CI=true): the penalty terms, computed
     * by the backend's axpby and reduce, are exactly the host's λ·w_D, λ·v_D and (λ/2)·‖w_D‖² (to rounding),
     * and a λ = 0 trajectory's gradient is bit-identical to that of a run without weight decay.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"java", "opencl"})
    void everyBackendAddsThePenalty(String name) {
        ModelSpec spec = new ModelSpec(new int[] {3, 4, 2}, Activation.TANH, true, Loss.MSE);
        ParameterLayout layout = new ParameterLayout(spec);
        int tt = 3, p = (int) layout.size();
        double[] lambda = {0.3, 0, 0.05};
        try (Backend b = org.gdchaos.testing.TestBackends.openOrSkip(name);
             DeviceData d = Fixtures.upload(b, DType.F64, spec, Fixtures.data(spec, 7, 9));
             SecondOrderNetwork mlp = new SecondOrderNetwork(b, DType.F64, spec, tt, 4);
             Buffer pb = b.allocate(DType.F64, (long) tt * p);
             Buffer vb = b.allocate(DType.F64, (long) tt * p);
             Buffer gb = b.allocate(DType.F64, (long) tt * p);
             Buffer ob = b.allocate(DType.F64, (long) tt * p);
             Buffer lb = b.allocate(DType.F64, tt)) {
            double[][] w = new double[tt][], v = new double[tt][];
            for (int t = 0; t < tt; t++) {
                w[t] = Fixtures.gaussian(p, 0.8, 60 + t);
                v[t] = Fixtures.gaussian(p, 1, 70 + t);
                b.upload(w[t], 0, pb, (long) t * p, p);
                b.upload(v[t], 0, vb, (long) t * p, p);
            }
            for (boolean biases : new boolean[] {false, true}) {
                double[][][] with = new double[3][][], without = new double[3][][];
                for (int pass = 0; pass < 2; pass++) {
                    mlp.setWeightDecay(pass == 0 ? lambda : null, biases);
                    mlp.run(d, View.of(pb, p), tt, View.of(gb, p), View.of(lb, 1), View.of(vb, p), View.of(ob, p), 1);
                    double[][][] out = pass == 0 ? with : without;
                    out[0] = new double[tt][p];
                    out[1] = new double[tt][p];
                    out[2] = new double[1][tt];
                    for (int t = 0; t < tt; t++) {
                        b.download(gb, (long) t * p, out[0][t], 0, p);
                        b.download(ob, (long) t * p, out[1][t], 0, p);
                    }
                    b.download(lb, 0, out[2][0], 0, tt);
                }
                for (int t = 0; t < tt; t++) {
                    double pen = WeightDecayTerm.penalty(layout, w[t], lambda[t], biases);
                    assertEquals(without[2][0][t] + pen, with[2][0][t], 1e-13 * Math.max(1, with[2][0][t]), name);
                    for (int j = 0; j < p; j++) {
                        boolean decayed = biases || layout.isWeight(j);
                        assertEquals(without[0][t][j] + (decayed ? lambda[t] * w[t][j] : 0), with[0][t][j], 1e-13, name);
                        assertEquals(without[1][t][j] + (decayed ? lambda[t] * v[t][j] : 0), with[1][t][j], 1e-13, name);
                    }
                }
                for (int k = 0; k < 2; k++) {
                    for (int j = 0; j < p; j++) {
                        assertEquals(Double.doubleToRawLongBits(without[k][1][j]), Double.doubleToRawLongBits(with[k][1][j]),
                                name + ": λ = 0 bit-identical");
                    }
                }
            }
            // the trainer's gradient on this backend, through the ensemble
            try (Ensemble e = new Ensemble(b, DType.F64, spec, tt);
                 Trainer tr = new Trainer(e, d, new TrainConfig(0, 4, 0))) {
                for (int t = 0; t < tt; t++) e.setParameters(t, w[t]);
                e.setLearningRates(new double[tt]);
                tr.computeGradient();
                double[][] plain = new double[tt][];
                for (int t = 0; t < tt; t++) plain[t] = e.gradient(t);
                e.setWeightDecay(lambda, false);
                tr.computeGradient();
                for (int t = 0; t < tt; t++) {
                    double[] g = e.gradient(t);
                    for (int j = 0; j < p; j++) {
                        assertEquals(plain[t][j] + (layout.isWeight(j) ? lambda[t] * w[t][j] : 0), g[j], 1e-13, name);
                    }
                }
                assertArrayEquals(plain[1], e.gradient(1), 0.0, name + ": λ = 0");
            }
        }
    }

    private static double[][] train(ModelSpec spec, double[][] w0, double[] lambda) {
        try (DeviceData d = Fixtures.upload(backend, DType.F64, spec, Fixtures.data(spec, 9, 3));
             Ensemble e = new Ensemble(backend, DType.F64, spec, w0.length);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 4, 0))) {
            for (int t = 0; t < w0.length; t++) e.setParameters(t, w0[t]);
            double[] rates = new double[w0.length];
            Arrays.fill(rates, 0.5);
            e.setLearningRates(rates);
            if (lambda != null) e.setWeightDecay(lambda, false);
            for (int s = 0; s < 30; s++) tr.step();
            double[][] out = new double[w0.length][];
            for (int t = 0; t < w0.length; t++) out[t] = e.parameters(t);
            return out;
        }
    }

    private static double[] flat(double[][] a) {
        return Arrays.stream(a).flatMapToDouble(Arrays::stream).toArray();
    }
}
