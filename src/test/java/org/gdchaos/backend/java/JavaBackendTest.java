package org.gdchaos.backend.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Java-backend-specific semantics that are easy to get wrong; oracles are computed inline. */
class JavaBackendTest {
    private final JavaBackend be = backend(2, "0");

    static JavaBackend backend(int threads, String vectorBits) {
        return new JavaBackend(new BackendOptions(Map.of("threads", Integer.toString(threads), "vectorBits", vectorBits)));
    }

    @AfterEach
    void close() {
        be.close();
    }

    private Buffer buf(JavaBackend b, DType t, double... v) {
        Buffer x = b.allocate(t, v.length);
        b.upload(v, 0, x, 0, v.length);
        return x;
    }

    private double[] get(JavaBackend b, Buffer x) {
        double[] d = new double[(int) x.length()];
        b.download(x, 0, d, 0, d.length);
        return d;
    }

    private static double[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextDouble(-2, 2);
        return d;
    }

    @Test
    void allocateIsZeroFilledAndRejectsHugeLengths() {
        assertArrayEquals(new double[5], get(be, be.allocate(DType.F32, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.allocate(DType.F64, Integer.MAX_VALUE - 7L));
        assertTrue(e.getMessage().contains("at most 2147483639"), e.getMessage());
    }

    /** Cross-entropy with non-one-hot targets (Σy ≠ 1), written over z, loss accumulated. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void crossEntropyGradientInPlaceWithGeneralTargets(DType t) {
        int batch = 2, rows = 3, cols = 4;
        double[] z = random(1, batch * rows * cols);
        z[0] = 700; // the max shift keeps this finite
        double[] y = {0.5, 0.2, 0, 0, 0, 0, 1, 0, 0.1, 0.1, 0.1, 0.4};
        double scale = 0.25;
        Buffer zb = buf(be, t, z), yb = buf(be, t, y), ls = buf(be, t, 1.5, -2.0);
        View zv = View.of(zb, rows * cols);
        be.lossGradient(Loss.CROSS_ENTROPY, batch, rows, cols, zv, View.shared(yb), scale, zv, View.of(ls, 1));
        double[] g = get(be, zb), sums = get(be, ls);
        double tol = t == DType.F64 ? 1e-12 : 1e-5;
        for (int b = 0; b < batch; b++) {
            double loss = 0;
            for (int i = 0; i < rows; i++) {
                int o = (b * rows + i) * cols;
                double m = Double.NEGATIVE_INFINITY, se = 0, sy = 0;
                for (int j = 0; j < cols; j++) m = Math.max(m, z[o + j]);
                for (int j = 0; j < cols; j++) se += Math.exp(z[o + j] - m);
                for (int j = 0; j < cols; j++) {
                    double yj = y[i * cols + j];
                    sy += yj;
                    loss -= yj * (z[o + j] - m - Math.log(se));
                }
                for (int j = 0; j < cols; j++) {
                    double p = Math.exp(z[o + j] - m) / se;
                    assertEquals(scale * (p * sy - y[i * cols + j]), g[o + j], tol);
                }
            }
            double before = b == 0 ? 1.5 : -2.0;
            assertEquals(before + scale * loss, sums[b], tol * Math.max(1, Math.abs(before + scale * loss)));
        }
    }

    @Test
    void mseGradientInPlace() {
        Buffer z = buf(be, DType.F64, 1, 2, 3), y = buf(be, DType.F64, 0.5, 2, 5), ls = buf(be, DType.F64, 10);
        be.lossGradient(Loss.MSE, 1, 1, 3, View.shared(z), View.shared(y), 2.0, View.shared(z), View.shared(ls));
        assertArrayEquals(new double[] {1.0, 0.0, -4.0}, get(be, z), 0);
        assertEquals(10 + 2.0 * 0.5 * (0.25 + 4), get(be, ls)[0], 1e-15);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nonFiniteFlagsAreSticky(DType t) {
        int n = 40_000; // more than one block per entry
        double[] x = new double[3 * n];
        x[n + n - 1] = Double.NaN;          // entry 1, last element
        x[2 * n + 17_000] = Double.POSITIVE_INFINITY; // entry 2, second block
        Buffer xb = buf(be, t, x), flags = buf(be, t, 1, 0, 0, 0);
        be.nonFinite(4 - 1, n, View.of(xb, n), View.of(flags, 1));
        assertArrayEquals(new double[] {1, 1, 1, 0}, get(be, flags));
        be.fill(xb, 0, 3L * n, 0.5); // all finite now: flags must not be cleared
        be.nonFinite(3, n, View.of(xb, n), View.of(flags, 1));
        assertArrayEquals(new double[] {1, 1, 1, 0}, get(be, flags));
    }

    @Test
    void strideZeroOperandsAreSharedByAllEntries() {
        // update with a shared gradient: w[b] -= lr[b]·g
        Buffer w = buf(be, DType.F64, 1, 1, 2, 2, 3, 3), g = buf(be, DType.F64, 1, -1), lr = buf(be, DType.F64, 0.5, 1, 2);
        be.update(3, 2, View.of(w, 2), View.shared(g), View.of(lr, 1));
        assertArrayEquals(new double[] {0.5, 1.5, 1, 3, 1, 5}, get(be, w), 0);
        // dot with a shared y
        Buffer out = be.allocate(DType.F64, 3);
        be.reduce(Reduction.DOT, 3, 2, View.of(w, 2), View.shared(g), View.of(out, 1));
        assertArrayEquals(new double[] {-1, -2, -4}, get(be, out), 0);
        // gemm with a shared A (the shared-input trick): C[b] = A·B[b]
        int batch = 3, m = 5, n = 7, k = 6;
        double[] a = random(2, m * k), bm = random(3, batch * k * n);
        Buffer ab = buf(be, DType.F64, a), bb = buf(be, DType.F64, bm), cb = be.allocate(DType.F64, batch * m * n);
        be.gemm(new GemmShape(batch, m, n, k, false, false, 1, 0), View.shared(ab), View.of(bb, k * n), View.of(cb, m * n));
        double[] c = get(be, cb);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[i * k + p] * bm[b * k * n + p * n + j];
                    assertEquals(s, c[(b * m + i) * n + j], 1e-13);
                }
            }
        }
    }

    @Test
    void zeroLearningRateLeavesFrozenEntryUntouched() {
        Buffer w = buf(be, DType.F32, 1, 2, 3, 4), g = buf(be, DType.F32, 1, 1, Double.NaN, 1), lr = buf(be, DType.F32, 1, 0);
        be.update(2, 2, View.of(w, 2), View.of(g, 2), View.of(lr, 1));
        assertArrayEquals(new double[] {0, 1, 3, 4}, get(be, w), 0);
    }

    @Test
    void betaZeroIgnoresOldContents() {
        Buffer a = buf(be, DType.F64, 1, 2), b = buf(be, DType.F64, 3, 4), c = buf(be, DType.F64, Double.NaN);
        be.gemm(new GemmShape(1, 1, 1, 2, false, false, 2, 0), View.shared(a), View.shared(b), View.shared(c));
        assertEquals(22, get(be, c)[0]);
        Buffer x = buf(be, DType.F64, 1, 2, 3, 4, 5, 6), out = buf(be, DType.F64, Double.NaN, Double.NaN, 7, 7);
        be.columnSums(2, 1, 2, 0.5, View.of(x, 2), 0, View.of(out, 2));
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2}, get(be, out), 0);
        be.columnSums(1, 3, 2, 1, View.shared(x), 2, View.shared(out));
        assertArrayEquals(new double[] {9 + 1, 12 + 2, 1.5, 2}, get(be, out), 0);
    }

    @Test
    void emptyReductionOverwritesWithZero() {
        Buffer x = be.allocate(DType.F64, 1), out = buf(be, DType.F64, 5, Double.NaN);
        be.reduce(Reduction.SUM_SQ, 2, 0, View.shared(x), null, View.of(out, 1));
        assertArrayEquals(new double[] {0, 0}, get(be, out), 0);
    }

    @Test
    void countCorrectFirstMaximumWins() {
        Buffer z = buf(be, DType.F64, 1, 3, 3, 5, 5, 0), y = buf(be, DType.F64, 0, 1, 0, 0, 1, 0);
        Buffer y2 = buf(be, DType.F64, 0, 0, 1, 1, 0, 0), cnt = buf(be, DType.F64, 4);
        be.countCorrect(1, 2, 3, View.shared(z), View.shared(y), View.shared(cnt));
        assertEquals(5, get(be, cnt)[0]); // row 0: argmax 1 = 1; row 1: argmax 0 ≠ 1
        be.countCorrect(1, 2, 3, View.shared(z), View.shared(y2), View.shared(cnt));
        assertEquals(6, get(be, cnt)[0]); // row 0: 1 ≠ 2; row 1: 0 = 0
    }

    @Test
    void float32ReductionsAccumulateInDouble() {
        Buffer x = buf(be, DType.F32, 16777216, 1, 1), out = be.allocate(DType.F32, 1);
        be.reduce(Reduction.SUM_ABS, 1, 3, View.shared(x), null, View.shared(out));
        assertEquals(16777218.0, get(be, out)[0]); // float accumulation would give 16777216
        Buffer cs = be.allocate(DType.F32, 1);
        be.columnSums(1, 3, 1, 1, View.shared(x), 0, View.shared(cs));
        assertEquals(16777218.0, get(be, cs)[0]);
    }

    @Test
    void activationForwardAndBackwardMatchFormulas() {
        Buffer z = buf(be, DType.F64, 0.1, -0.3, 0.7, 2.0), bias = buf(be, DType.F64, 0.2, -0.1);
        be.biasActivation(Activation.TANH, 2, 1, 2, View.of(z, 2), View.shared(bias));
        double[] h = get(be, z);
        assertArrayEquals(new double[] {Math.tanh(0.3), Math.tanh(-0.4), Math.tanh(0.9), Math.tanh(1.9)}, h, 1e-15);
        Buffer e = buf(be, DType.F64, 1, 2, 3, 4), rz = buf(be, DType.F64, 0.5, 0.5, -1, 2), rd = buf(be, DType.F64, 1, 1, 1, 1);
        be.activationBackwardR(Activation.TANH, 1, 2, 2, View.shared(z), View.shared(e), View.shared(rz), View.shared(rd));
        double[] ev = {1, 2, 3, 4}, rzv = {0.5, 0.5, -1, 2}, got = get(be, rd);
        for (int i = 0; i < 4; i++) {
            double d1 = 1 - h[i] * h[i];
            assertEquals(d1 + ev[i] * (-2 * h[i] * d1) * rzv[i], got[i], 1e-14);
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        int batch = 3, n = 50_001, rows = 5_000, cols = 10;
        double[] x = random(5, batch * n), y = random(6, batch * n), z = random(7, batch * rows * cols);
        double[][] red = new double[2][], loss = new double[2][];
        int[] threads = {1, 2};
        for (int r = 0; r < 2; r++) {
            try (JavaBackend b = backend(threads[r], "0")) {
                Buffer xb = buf(b, DType.F64, x), yb = buf(b, DType.F64, y), out = b.allocate(DType.F64, batch);
                b.reduce(Reduction.SUM_SQ_DIFF, batch, n, View.of(xb, n), View.of(yb, n), View.of(out, 1));
                red[r] = get(b, out);
                Buffer zb = buf(b, DType.F64, z), ls = b.allocate(DType.F64, batch);
                b.lossGradient(Loss.CROSS_ENTROPY, batch, rows, cols, View.of(zb, rows * cols), View.of(zb, rows * cols),
                        1.0 / rows, View.of(zb, rows * cols), View.of(ls, 1));
                loss[r] = get(b, ls);
            }
        }
        assertArrayEquals(red[0], red[1], 0);
        assertArrayEquals(loss[0], loss[1], 0);
        double s = 0;
        for (int k = 0; k < n; k++) s += (x[n + k] - y[n + k]) * (x[n + k] - y[n + k]);
        assertEquals(s, red[0][1], 1e-12 * s);
    }

    @Test
    void scalarAndVectorGemmAgree() {
        int batch = 3, m = 37, n = 53, k = 29;
        double[] a = random(8, batch * m * k), bm = random(9, batch * k * n);
        double[][] c = new double[2][];
        String[] widths = {"0", Integer.toString(Math.max(VectorWidth.preferredBits(), 0))};
        for (int r = 0; r < 2; r++) {
            try (JavaBackend b = backend(2, widths[r])) {
                Buffer ab = buf(b, DType.F64, a), bb = buf(b, DType.F64, bm), cb = b.allocate(DType.F64, batch * m * n);
                b.gemm(new GemmShape(batch, m, n, k, true, true, 1.5, 0), View.of(ab, m * k), View.of(bb, k * n),
                        View.of(cb, m * n));
                c[r] = get(b, cb);
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[b * m * k + p * m + i] * bm[b * k * n + j * k + p];
                    int idx = (b * m + i) * n + j;
                    assertEquals(1.5 * s, c[0][idx], 1e-12 * Math.max(1, Math.abs(s)));
                    assertEquals(c[0][idx], c[1][idx], 1e-12 * Math.max(1, Math.abs(s)));
                }
            }
        }
    }

    @Test
    void misuseGivesClearErrors() {
        Buffer x = be.allocate(DType.F64, 4), f = be.allocate(DType.F32, 4), out = be.allocate(DType.F64, 1);
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> be.reduce(Reduction.DOT, 1, 4, View.shared(x), View.shared(f), View.shared(out)));
        assertTrue(mismatch.getMessage().contains("dtype f32 does not match f64"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.copy(x, 0, f, 0, 4));
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class,
                () -> be.scale(2, 3, View.of(out, 0), View.of(x, 2)));
        assertTrue(fit.getMessage().startsWith("y: view"), fit.getMessage());
        x.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> be.fill(x, 0, 1, 1.0));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, () -> be.update(1, 1, View.shared(x), View.shared(x), View.shared(out)));
        try (JavaBackend other = backend(1, "0")) {
            assertThrows(IllegalArgumentException.class, () -> other.fill(out, 0, 1, 0));
        }
        be.close();
        assertThrows(IllegalStateException.class, () -> be.allocate(DType.F64, 1));
    }
}
