package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact Hessian-vector products against finite differences of the trainer's gradient and closed forms. */
class SecondOrderNetworkTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @ParameterizedTest(name = "{0} {1} bias={2} {3}")
    @CsvSource({"5-4-3, tanh, true, ce", "3-6-2, sigmoid, true, mse", "4-5-5-3, relu, false, ce",
            "1-3-1, linear, false, mse", "3-4-4-2, tanh, true, mse", "2-3-3-2, sigmoid, false, ce",
            "4-5-5-3, linear, true, ce", "3-5-2, relu, true, mse"})
    void hvpMatchesFiniteDifferencesOfGradients(String widths, String act, boolean bias, String loss) {
        int[] w = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        ModelSpec spec = new ModelSpec(w, Activation.parse(act), bias, Loss.parse(loss));
        int tt = 3, k = 2, n = 13;
        try (DeviceData d = Fixtures.upload(backend, DType.F64, spec, Fixtures.data(spec, n, 7));
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F64, spec, tt, 5)) {
            int p = (int) mlp.p();
            double[][] params = new double[tt][];
            double[][][] vecs = new double[k][tt][];
            try (Buffer pb = backend.allocate(DType.F64, (long) tt * p);
                 Buffer vb = backend.allocate(DType.F64, (long) k * tt * p);
                 Buffer ob = backend.allocate(DType.F64, (long) k * tt * p);
                 Buffer gb = backend.allocate(DType.F64, (long) tt * p);
                 Buffer lb = backend.allocate(DType.F64, tt)) {
                for (int t = 0; t < tt; t++) {
                    params[t] = Fixtures.gaussian(p, 0.8, 100 + t);
                    backend.upload(params[t], 0, pb, (long) t * p, p);
                    for (int i = 0; i < k; i++) {
                        vecs[i][t] = Fixtures.gaussian(p, 1, 200 + 10 * t + i);
                        backend.upload(vecs[i][t], 0, vb, (long) (i * tt + t) * p, p);
                    }
                }
                mlp.run(d, View.of(pb, p), tt, View.of(gb, p), View.of(lb, 1), View.of(vb, p), View.of(ob, p), k);
                double[][] g = Fixtures.trainerGradients(backend, spec, d, params);
                double eps = 1e-5;
                for (int t = 0; t < tt; t++) {
                    double[] gOurs = new double[p];
                    backend.download(gb, (long) t * p, gOurs, 0, p);
                    for (int j = 0; j < p; j++) assertEquals(g[t][j], gOurs[j], 1e-12 * Math.max(1, Math.abs(g[t][j])));
                    for (int i = 0; i < k; i++) {
                        double[] plus = params[t].clone(), minus = params[t].clone();
                        for (int j = 0; j < p; j++) {
                            plus[j] += eps * vecs[i][t][j];
                            minus[j] -= eps * vecs[i][t][j];
                        }
                        double[][] gg = Fixtures.trainerGradients(backend, spec, d, new double[][] {plus, minus});
                        double[] hv = new double[p];
                        backend.download(ob, (long) (i * tt + t) * p, hv, 0, p);
                        double scale = 0;
                        for (int j = 0; j < p; j++) scale = Math.max(scale, Math.abs(hv[j]));
                        for (int j = 0; j < p; j++) {
                            double fd = (gg[0][j] - gg[1][j]) / (2 * eps);
                            assertEquals(fd, hv[j], 1e-7 * Math.max(1, scale), "(Hv)[" + j + "] t=" + t + " v=" + i);
                        }
                    }
                }
            }
        }
    }

    /** Every other available backend (OpenCL, CUDA) gives the Java backend's products (f64 when supported). */
    @Test
    void otherBackendsAgreeWithJava() {
        ModelSpec spec = new ModelSpec(new int[] {4, 5, 3, 3}, Activation.SIGMOID, true, Loss.CROSS_ENTROPY);
        double[] ref = products(backend, spec, DType.F64);
        int tested = 0;
        for (org.gdchaos.backend.Backends.Entry en : Backends.list()) {
            if (!en.availability().available() || en.name().equals("java")) continue;
            try (Backend other = Backends.create(en.name())) {
                DType dt = other.supports(DType.F64) ? DType.F64 : DType.F32;
                double[] got = products(other, spec, dt);
                double tol = dt == DType.F64 ? 1e-11 : 1e-4;
                double scale = 0;
                for (double v : ref) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < ref.length; i++) assertEquals(ref[i], got[i], tol * scale, en.name() + " [" + i + "]");
                tested++;
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(tested > 0, "no other backend available");
    }

    static double[] products(Backend b, ModelSpec spec, DType dt) {
        int tt = 2, k = 2;
        try (DeviceData d = Fixtures.upload(b, dt, spec, Fixtures.data(spec, 9, 4));
             SecondOrderNetwork mlp = new SecondOrderNetwork(b, dt, spec, tt, 4)) {
            int p = (int) mlp.p();
            try (Buffer pb = b.allocate(dt, (long) tt * p);
                 Buffer vb = b.allocate(dt, (long) k * tt * p);
                 Buffer ob = b.allocate(dt, (long) k * tt * p)) {
                b.upload(Fixtures.gaussian(tt * p, 1, 1), 0, pb, 0, tt * p);
                b.upload(Fixtures.gaussian(k * tt * p, 1, 2), 0, vb, 0, k * tt * p);
                mlp.hvp(d, View.of(pb, p), tt, View.of(vb, p), View.of(ob, p), k);
                double[] out = new double[k * tt * p];
                b.download(ob, 0, out, 0, out.length);
                return out;
            }
        }
    }

    /**
     * Two-layer linear net, one sample x = 1, y = Φ: L = ½(aᵀb − Φ)², W1 = a (d×1), W2 = b (1×d).
     * In (a, b) order H = [[b bᵀ, r I + b aᵀ], [r I + a bᵀ, a aᵀ]], r = aᵀb − Φ.
     */
    @Test
    void linearNetworkHessianHasTheClosedForm() {
        int dd = 4;
        double phi = 1.7;
        ModelSpec spec = ModelSpec.linear(dd);
        try (DeviceData d = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F64, spec, 1, 1);
             Buffer pb = backend.allocate(DType.F64, 2 * dd);
             Buffer vb = backend.allocate(DType.F64, 2L * dd * 2 * dd);
             Buffer ob = backend.allocate(DType.F64, 2L * dd * 2 * dd)) {
            double[] w = Fixtures.gaussian(2 * dd, 1, 3);
            backend.upload(w, 0, pb, 0, 2 * dd);
            int p = 2 * dd;
            for (int i = 0; i < p; i++) backend.fill(vb, (long) i * p + i, 1, 1.0); // unit vectors e_i
            mlp.hvp(d, View.of(pb, p), 1, View.of(vb, p), View.of(ob, p), p);
            double r = -phi;
            for (int i = 0; i < dd; i++) r += w[i] * w[dd + i];
            for (int col = 0; col < p; col++) {
                double[] hcol = new double[p];
                backend.download(ob, (long) col * p, hcol, 0, p);
                for (int row = 0; row < p; row++) {
                    assertEquals(closedForm(w, dd, r, row, col), hcol[row], 1e-13, "H[" + row + "][" + col + "]");
                }
            }
        }
    }

    static double closedForm(double[] w, int dd, double r, int row, int col) {
        boolean ra = row < dd, ca = col < dd;
        int i = row % dd, j = col % dd;
        double ai = w[i], bi = w[dd + i], aj = w[j], bj = w[dd + j];
        if (ra && ca) return bi * bj;
        if (!ra && !ca) return ai * aj;
        double id = i == j ? r : 0;
        return ra ? id + bi * aj : id + ai * bj;
    }
}
