package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Top Hessian eigenvalues against closed forms (docs/science.md#o5) and a dense decomposition of a finite-difference Hessian. */
class LanczosTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void sharpnessAtAGlobalMinimumOfTheLinearNetIsTheSquaredNorm() {
        int d = 5, tt = 3;
        double phi = 1.3;
        ModelSpec spec = ModelSpec.linear(d);
        try (DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F64, spec, tt, 1);
             Lanczos lanczos = new Lanczos(mlp, LanczosConfig.defaults(DType.F64));
             Buffer pb = backend.allocate(DType.F64, 2L * d * tt)) {
            double[][] w = new double[tt][];
            for (int t = 0; t < tt; t++) {
                w[t] = LinearNet.minimum(d, phi, 40 + t);
                backend.upload(w[t], 0, pb, 2L * d * t, 2 * d);
            }
            Lanczos.Result r = lanczos.topEigenvalues(data, View.of(pb, 2 * d), tt, 3);
            for (int t = 0; t < tt; t++) {
                double s = LinearNet.lambda(w[t]);
                assertEquals(s, r.sharpness(t), 1e-12 * s, "O5: S = |a|^2 + |b|^2");
                assertTrue(s >= 2 * Math.abs(phi) - 1e-12, "S >= 2|Phi|");
                assertEquals(0, r.eigenvalues()[t][1], 1e-12 * s, "rank-one Hessian at a minimum");
                assertEquals(0, r.eigenvalues()[t][2], 1e-12 * s);
                assertTrue(r.converged()[t]);
            }
        }
    }

    @Test
    void topEigenvaluesMatchADenseDecompositionOfTheFiniteDifferenceHessian() {
        ModelSpec spec = new ModelSpec(new int[] {3, 4, 3, 2}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        int tt = 3, k = 3;
        try (DeviceData data = Fixtures.upload(backend, DType.F64, spec, Fixtures.data(spec, 11, 5));
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F64, spec, 2, 4); // groups of 2
             Lanczos lanczos = new Lanczos(mlp, LanczosConfig.defaults(DType.F64))) {
            int p = (int) mlp.p();
            try (Buffer pb = backend.allocate(DType.F64, (long) tt * p)) {
                double[][] w = new double[tt][];
                for (int t = 0; t < tt; t++) {
                    w[t] = Fixtures.gaussian(p, 1.2, 70 + t);
                    backend.upload(w[t], 0, pb, (long) t * p, p);
                }
                Lanczos.Result r = lanczos.topEigenvalues(data, View.of(pb, p), tt, k);
                for (int t = 0; t < tt; t++) {
                    double[] dense = Fixtures.jacobiEigenvalues(Fixtures.fdHessian(backend, spec, data, w[t], 1e-5));
                    for (int i = 0; i < k; i++) {
                        assertEquals(dense[i], r.eigenvalues()[t][i], 1e-7 * Math.abs(dense[0]),
                                "eigenvalue " + i + " of trajectory " + t);
                    }
                    assertTrue(dense[dense.length - 1] < 0, "the test point is not a minimum (indefinite H)");
                }
            }
        }
    }

    @Test
    void float32SharpnessMatchesTheClosedFormToSinglePrecision() {
        int d = 6;
        double phi = 0.9;
        try (DeviceData data = DeviceData.upload(backend, DType.F32, new double[] {1}, new double[] {phi}, 1, 1, 1);
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F32, ModelSpec.linear(d), 1, 1);
             Lanczos lanczos = new Lanczos(mlp, LanczosConfig.defaults(DType.F32));
             Buffer pb = backend.allocate(DType.F32, 2L * d)) {
            double[] w = LinearNet.minimum(d, phi, 11);
            backend.upload(w, 0, pb, 0, 2 * d);
            double[] w32 = new double[2 * d];
            backend.download(pb, 0, w32, 0, 2 * d);
            double s = LinearNet.lambda(w32);
            Lanczos.Result r = lanczos.topEigenvalues(data, View.of(pb, 2 * d), 1, 1);
            assertEquals(s, r.sharpness(0), 1e-5 * s);
        }
    }

    @Test
    void tridiagonalEigenvaluesOfTheSecondDifferenceMatrix() {
        int n = 9;
        double[] diag = new double[n], off = new double[n - 1];
        java.util.Arrays.fill(diag, 2);
        java.util.Arrays.fill(off, -1);
        double[][] ev = Tridiagonal.eigen(diag, off, n);
        for (int j = 1; j <= n; j++) {
            double exact = 2 - 2 * Math.cos(Math.PI * (n + 1 - j) / (n + 1));
            assertEquals(exact, ev[0][j - 1], 1e-13);
            // last component of the unit eigenvector: sqrt(2/(n+1))·sin(n·kπ/(n+1)), k = n+1−j
            double last = Math.sqrt(2.0 / (n + 1)) * Math.sin(n * Math.PI * (n + 1 - j) / (n + 1));
            assertEquals(Math.abs(last), Math.abs(ev[1][j - 1]), 1e-13);
        }
    }
}
