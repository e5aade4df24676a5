package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.CnnCases;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.HostNetwork;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Second-order code through convolution and pooling ({@link SecondOrderNetwork}, Java backend,
 * f64): Hessian-vector products against finite differences of gradients, its gradient and loss
 * against the trainer's and the host oracle's, and max-pooling ties.
 */
class SecondOrderCnnTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** Gradient, loss and K Hessian-vector products of T trajectories from one {@link SecondOrderNetwork#run} call. */
    record Products(double[][] grad, double[] loss, double[][][] hv) {
    }

    static Products run(ModelSpec spec, DeviceData d, int chunk, double[][] params, double[][][] vecs) {
        int tt = params.length, k = vecs.length;
        try (SecondOrderNetwork so = new SecondOrderNetwork(backend, DType.F64, spec, tt, chunk)) {
            int p = (int) so.p();
            try (Buffer pb = backend.allocate(DType.F64, (long) tt * p);
                 Buffer vb = backend.allocate(DType.F64, (long) k * tt * p);
                 Buffer ob = backend.allocate(DType.F64, (long) k * tt * p);
                 Buffer gb = backend.allocate(DType.F64, (long) tt * p);
                 Buffer lb = backend.allocate(DType.F64, tt)) {
                for (int t = 0; t < tt; t++) {
                    backend.upload(params[t], 0, pb, (long) t * p, p);
                    for (int i = 0; i < k; i++) backend.upload(vecs[i][t], 0, vb, (long) (i * tt + t) * p, p);
                }
                so.run(d, View.of(pb, p), tt, View.of(gb, p), View.of(lb, 1), View.of(vb, p), View.of(ob, p), k);
                double[][] g = new double[tt][p];
                double[] l = new double[tt];
                double[][][] hv = new double[k][tt][p];
                backend.download(lb, 0, l, 0, tt);
                for (int t = 0; t < tt; t++) {
                    backend.download(gb, (long) t * p, g[t], 0, p);
                    for (int i = 0; i < k; i++) backend.download(ob, (long) (i * tt + t) * p, hv[i][t], 0, p);
                }
                return new Products(g, l, hv);
            }
        }
    }

    /** The trainer's gradients (chunk rows per pass) at each parameter vector. */
    static double[][] trainerGradients(ModelSpec spec, DeviceData d, int chunk, double[][] params) {
        try (Ensemble e = new Ensemble(backend, DType.F64, spec, params.length);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, chunk, 0))) {
            for (int t = 0; t < params.length; t++) e.setParameters(t, params[t]);
            e.setLearningRates(new double[params.length]);
            tr.computeGradient();
            double[][] g = new double[params.length][];
            for (int t = 0; t < params.length; t++) g[t] = e.gradient(t);
            return g;
        }
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /**
     * (c) For every architecture of {@link CnnCases} (T = 3 trajectories, K = 2 vectors, 13 samples
     * in chunks of 5): the loss equals the host oracle's (1e-12 relative), the gradient equals the
     * trainer's (1e-12), and H·v equals central differences of the trainer's gradients along v
     * (ε = 1e-5, 1e-7·max(1, max|Hv|)).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.gdchaos.train.CnnCases#specs")
    void hvpMatchesFiniteDifferencesOfGradients(ModelSpec spec) {
        int tt = 3, k = 2, n = 13, chunk = 5;
        double[][] xy = CnnCases.data(spec, n, 7);
        try (DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy)) {
            int p = HostNetwork.parameterCount(spec);
            double[][] params = new double[tt][];
            double[][][] vecs = new double[k][tt][];
            for (int t = 0; t < tt; t++) {
                params[t] = Fixtures.gaussian(p, 0.8, 100 + t);
                for (int i = 0; i < k; i++) vecs[i][t] = Fixtures.gaussian(p, 1, 200 + 10 * t + i);
            }
            Products so = run(spec, d, chunk, params, vecs);
            double[][] g = trainerGradients(spec, d, chunk, params);
            double eps = 1e-5;
            for (int t = 0; t < tt; t++) {
                double oracle = HostNetwork.loss(spec, params[t], xy[0], xy[1], n);
                assertEquals(oracle, so.loss()[t], 1e-12 * Math.abs(oracle), "loss t=" + t);
                for (int j = 0; j < p; j++) {
                    assertEquals(g[t][j], so.grad()[t][j], 1e-12 * Math.max(1, Math.abs(g[t][j])), "grad[" + j + "] t=" + t);
                }
                for (int i = 0; i < k; i++) {
                    double[] plus = params[t].clone(), minus = params[t].clone();
                    for (int j = 0; j < p; j++) {
                        plus[j] += eps * vecs[i][t][j];
                        minus[j] -= eps * vecs[i][t][j];
                    }
                    double[][] gg = trainerGradients(spec, d, 4, new double[][] {plus, minus});
                    double[] hv = so.hv()[i][t];
                    double scale = maxAbs(hv);
                    assertTrue(scale > 1e-3, "a product worth testing: " + scale);
                    for (int j = 0; j < p; j++) {
                        double fd = (gg[0][j] - gg[1][j]) / (2 * eps);
                        assertEquals(fd, hv[j], 1e-7 * Math.max(1, scale), "(Hv)[" + j + "] t=" + t + " v=" + i);
                    }
                }
            }
        }
    }

    /**
     * (d1) A structural tie: every sample's top-left 4×4 region is zero, so with same padding the
     * four outputs of the first 2×2 max-pooling window are {@code tanh(b_f)} for every filter —
     * exactly equal (checked in the trainer's forward pass) for any parameters. The loss is then
     * smooth there (the four are one function of the parameters), so the test asserts that the
     * whole window gradient goes to one element (not to each tied one: no double counting) — the
     * gradient equals finite differences of the oracle — and that H·v equals finite differences of
     * the gradients.
     */
    @Test
    void structuralTieFromAZeroRegion() {
        ModelSpec spec = ModelSpec.parse("input:6x6x1,conv:2@3x3:same,tanh,maxpool:2,dense:3", null, true,
                Loss.CROSS_ENTROPY);
        int n = 6, tt = 2, k = 2, p = HostNetwork.parameterCount(spec);
        double[][] xy = CnnCases.data(spec, n, 11);
        for (int s = 0; s < n; s++) {
            for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) xy[0][s * 36 + y * 6 + x] = 0;
        }
        double[][] params = {Fixtures.gaussian(p, 0.8, 1), Fixtures.gaussian(p, 0.8, 2)};
        double[][][] vecs = new double[k][tt][];
        for (int i = 0; i < k; i++) for (int t = 0; t < tt; t++) vecs[i][t] = Fixtures.gaussian(p, 1, 30 + 10 * i + t);
        try (DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy)) {
            // the premise: the trainer's conv outputs tie exactly in window (0, 0) of every sample and filter
            try (Ensemble e = new Ensemble(backend, DType.F64, spec, 1);
                 Trainer tr = new Trainer(e, d, new TrainConfig(0, n, 0))) {
                e.setParameters(0, params[0]);
                tr.network().forward(d, 0, n, 1);
                double[] h = new double[n * 36 * 2];
                View a = tr.network().activations(0);
                backend.download(a.buffer(), a.offset(), h, 0, h.length);
                for (int s = 0; s < n; s++) {
                    for (int f = 0; f < 2; f++) {
                        double v00 = h[(s * 36) * 2 + f];
                        for (int el : new int[] {1, 6, 7}) {
                            assertEquals(v00, h[(s * 36 + el) * 2 + f], 0, "tie in sample " + s + " filter " + f);
                        }
                    }
                }
            }
            Products so = run(spec, d, 4, params, vecs);
            for (int t = 0; t < tt; t++) {
                double[] fd = HostNetwork.fdGradient(spec, params[t], xy[0], xy[1], n, null, 1e-5);
                for (int j = 0; j < p; j++) {
                    assertEquals(fd[j], so.grad()[t][j], 1e-8 * Math.max(1, Math.abs(fd[j])), "grad[" + j + "] t=" + t);
                }
                double eps = 1e-5;
                for (int i = 0; i < k; i++) {
                    double[] plus = params[t].clone(), minus = params[t].clone();
                    for (int j = 0; j < p; j++) {
                        plus[j] += eps * vecs[i][t][j];
                        minus[j] -= eps * vecs[i][t][j];
                    }
                    double[][] gg = trainerGradients(spec, d, 4, new double[][] {plus, minus});
                    double scale = maxAbs(so.hv()[i][t]);
                    for (int j = 0; j < p; j++) {
                        assertEquals((gg[0][j] - gg[1][j]) / (2 * eps), so.hv()[i][t][j], 1e-7 * Math.max(1, scale));
                    }
                }
            }
        }
    }

    /**
     * (d2) A tie that parameters break: a 1×1 convolution of two channels with equal weights
     * {@code w₁ = w₂ = r}, and in every sample pixel (0,0) = (a, 0), pixel (0,1) = (0, a), a &gt; 0,
     * the window's other two pixels lower, so {@code z₀₀ = z₀₁ = r·a + b} exactly. The loss has a
     * kink there (the max of two different functions of w). gdchaos takes the first maximum in
     * row-major order (x00) in the forward pass, the backward pass and the R-operator. Asserted:
     * the gradient is that of the branch that keeps x00 selected — central differences of the
     * oracle replaying the selection recorded at w ({@link HostNetwork.Selection}) — and differs
     * from the x01 branch's (so the test tells the two apart); H·v equals central differences
     * (along v) of that branch's finite-difference gradient, and differs from the x01 branch's.
     * Finite differences of gdchaos's own gradient would straddle the kink, so they are not used.
     */
    @Test
    void brokenTieTakesTheFirstMaximumInGradientAndHessian() {
        ModelSpec spec = ModelSpec.parse("input:4x4x2,conv:1@1x1,maxpool:2,dense:3,tanh,dense:2", null, true,
                Loss.CROSS_ENTROPY);
        int n = 8, tt = 2, k = 2, p = HostNetwork.parameterCount(spec);
        double[][] xy = CnnCases.data(spec, n, 5);
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int s = 0; s < n; s++) {
            int o = s * 32;
            double a = r.nextDouble(0.5, 1);
            xy[0][o] = a;          // (0,0) channel 0
            xy[0][o + 1] = 0;      // (0,0) channel 1
            xy[0][o + 2] = 0;      // (0,1) channel 0
            xy[0][o + 3] = a;      // (0,1) channel 1
            for (int c = 0; c < 2; c++) {
                xy[0][o + 8 + c] = -r.nextDouble(0.5, 1);   // (1,0)
                xy[0][o + 10 + c] = -r.nextDouble(0.5, 1);  // (1,1)
            }
        }
        double[][] params = new double[tt][];
        for (int t = 0; t < tt; t++) {
            params[t] = Fixtures.gaussian(p, 0.8, 40 + t);
            params[t][0] = params[t][1] = 0.6 + 0.2 * t;   // conv weights equal and positive: the tie
        }
        double[][][] vecs = new double[k][tt][];
        for (int i = 0; i < k; i++) for (int t = 0; t < tt; t++) vecs[i][t] = Fixtures.gaussian(p, 1, 60 + 10 * i + t);
        try (DeviceData d = CnnCases.upload(backend, DType.F64, spec, xy)) {
            Products so = run(spec, d, 3, params, vecs);
            double[][] g = trainerGradients(spec, d, 3, params);
            for (int t = 0; t < tt; t++) {
                HostNetwork.Selection first = HostNetwork.selection(spec, params[t], xy[0], n);
                // window (0,0) of each sample is the first of its 4 pooled values: index 4·s
                HostNetwork.Selection second = first;
                for (int s = 0; s < n; s++) {
                    assertEquals(0, first.choices().get(4 * s), "the oracle's first maximum in sample " + s);
                    second = second.with(4 * s, 1);
                }
                double[] fdFirst = HostNetwork.fdGradient(spec, params[t], xy[0], xy[1], n, first, 1e-5);
                double[] fdSecond = HostNetwork.fdGradient(spec, params[t], xy[0], xy[1], n, second, 1e-5);
                double apart = 0;
                for (int j = 0; j < p; j++) {
                    assertEquals(fdFirst[j], so.grad()[t][j], 1e-8 * Math.max(1, Math.abs(fdFirst[j])), "grad[" + j + "] t=" + t);
                    assertEquals(so.grad()[t][j], g[t][j], 1e-12 * Math.max(1, Math.abs(g[t][j])), "trainer grad[" + j + "]");
                    apart = Math.max(apart, Math.abs(fdSecond[j] - fdFirst[j]));
                }
                assertTrue(apart > 1e-2, "the two branches' gradients differ: " + apart);
                for (int i = 0; i < k; i++) {
                    double[] hv = so.hv()[i][t];
                    double[] hFirst = branchHv(spec, params[t], vecs[i][t], xy, n, first);
                    double[] hSecond = branchHv(spec, params[t], vecs[i][t], xy, n, second);
                    double scale = maxAbs(hv), hApart = 0;
                    for (int j = 0; j < p; j++) {
                        assertEquals(hFirst[j], hv[j], 1e-6 * Math.max(1, scale), "(Hv)[" + j + "] t=" + t + " v=" + i);
                        hApart = Math.max(hApart, Math.abs(hSecond[j] - hFirst[j]));
                    }
                    assertTrue(hApart > 1e-2, "the two branches' Hv differ: " + hApart);
                }
            }
        }
    }

    /**
     * Lanczos (the sharpness of {@code --sharpness}) through convolution and pooling: the top 3
     * eigenvalues of 3 trajectories (in groups of 2) equal those of a dense decomposition of the
     * finite-difference Hessian (trainer gradients), to 1e-7 of the largest.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 6})
    void lanczosTopEigenvaluesMatchADenseDecomposition(int arch) {
        ModelSpec spec = CnnCases.specs()[arch];
        int tt = 3, k = 3;
        try (DeviceData data = CnnCases.upload(backend, DType.F64, spec, CnnCases.data(spec, 11, 5));
             SecondOrderNetwork so = new SecondOrderNetwork(backend, DType.F64, spec, 2, 4);
             Lanczos lanczos = new Lanczos(so, LanczosConfig.defaults(DType.F64))) {
            int p = (int) so.p();
            try (Buffer pb = backend.allocate(DType.F64, (long) tt * p)) {
                double[][] w = new double[tt][];
                for (int t = 0; t < tt; t++) {
                    w[t] = Fixtures.gaussian(p, 0.8, 70 + t);
                    backend.upload(w[t], 0, pb, (long) t * p, p);
                }
                Lanczos.Result r = lanczos.topEigenvalues(data, View.of(pb, p), tt, k);
                for (int t = 0; t < tt; t++) {
                    double[] dense = Fixtures.jacobiEigenvalues(Fixtures.fdHessian(backend, spec, data, w[t], 1e-5));
                    assertTrue(Double.isFinite(r.sharpness(t)) && r.sharpness(t) > 0, "sharpness " + r.sharpness(t));
                    for (int i = 0; i < k; i++) {
                        assertEquals(dense[i], r.eigenvalues()[t][i], 1e-7 * Math.abs(dense[0]),
                                "eigenvalue " + i + " of trajectory " + t);
                    }
                }
            }
        }
    }

    /** H·v of the branch with max-pooling selection {@code sel}: central differences along v of its FD gradient. */
    static double[] branchHv(ModelSpec spec, double[] w, double[] v, double[][] xy, int n, HostNetwork.Selection sel) {
        double e = 1e-4, h = 1e-4;
        double[] plus = w.clone(), minus = w.clone();
        for (int j = 0; j < w.length; j++) {
            plus[j] += e * v[j];
            minus[j] -= e * v[j];
        }
        double[] gp = HostNetwork.fdGradient(spec, plus, xy[0], xy[1], n, sel, h);
        double[] gm = HostNetwork.fdGradient(spec, minus, xy[0], xy[1], n, sel, h);
        double[] out = new double[w.length];
        for (int j = 0; j < w.length; j++) out[j] = (gp[j] - gm[j]) / (2 * e);
        return out;
    }
}
