package org.gdchaos.backend.java.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.gdchaos.backend.GemmShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.gdchaos.backend.java.cpu.Parallel;

/** The sparse shared-operand GEMM (f64, and its generated f32 twin) against a plain triple loop, and when it is (not) taken. */
class SparseSharedGemmTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(2);
    private static final SparseSharedGemmF64 SPARSE = new SparseSharedGemmF64(new Parallel(POOL, 2), true);
    private static final SparseSharedGemmF64 SCALAR = new SparseSharedGemmF64(new Parallel(POOL, 2), false);
    private static final SparseSharedGemmF32 SPARSE32 = new SparseSharedGemmF32(new Parallel(POOL, 2), true);

    @AfterAll
    static void close() {
        POOL.shutdown();
    }

    /** Values in ±1 with the given fraction of exact zeros, some whole rows zero. */
    private static double[] sparse(int rows, int cols, double zeros, SplittableRandom r) {
        double[] x = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (i % 7 == 3) continue; // an all-zero row
            for (int j = 0; j < cols; j++) x[i * cols + j] = r.nextDouble() < zeros ? 0 : r.nextDouble(-1, 1);
        }
        return x;
    }

    private static double[] dense(int n, SplittableRandom r) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextDouble(-1, 1);
        return x;
    }

    /** C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b] by the definition ({@link JavaGemmBlockingTest#oracle}). */
    private static double[] naive(GemmShape s, double[] a, int aStride, double[] b, int bStride, double[] c0) {
        double[] c = c0.clone();
        JavaGemmBlockingTest.oracle(s, a, 0, aStride, b, 0, bStride, c, 0, s.m() * s.n());
        return c;
    }

    private static float[] toFloat(double[] x) {
        return JavaGemmBlockingTest.toFloat(x);
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static void assertClose(double[] want, double[] got, double tol, String what) {
        double scale = 1;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * scale, what + " element " + i);
        }
    }

    @ParameterizedTest(name = "shared {0}, m={1} n={2} k={3}, transB={4}, alpha={5}, beta={6}")
    @CsvSource({
        "A, 37, 53, 29, true, 1, 0",
        "A, 37, 53, 29, false, 1.5, -0.5",
        "A, 64, 64, 784, true, 1, 0",
        "A, 33, 17, 91, false, -2, 1",
        "B, 64, 53, 37, false, 1, 0",
        "B, 23, 784, 64, false, 0.5, 1",
        "B, 10, 31, 200, false, 1, -1",
    })
    void matchesTheDefinition(String shared, int m, int n, int k, boolean transB, double alpha, double beta) {
        SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
        int batch = 3;
        boolean sharedA = shared.equals("A");
        GemmShape s = new GemmShape(batch, m, n, k, !sharedA, sharedA && transB, alpha, beta);
        double[] a = sharedA ? sparse(m, k, 0.8, r) : dense(batch * m * k, r);
        double[] b = sharedA ? dense(batch * n * k, r) : sparse(k, n, 0.8, r);
        int aStride = sharedA ? 0 : m * k, bStride = sharedA ? n * k : 0;
        double[] c0 = dense(batch * m * n, r);
        if (beta == 0) c0[5] = Double.NaN; // beta = 0 must not read the old C
        double[] want = naive(s, a, aStride, b, bStride, c0);

        double[] c = c0.clone();
        assertTrue(SPARSE.tryGemm(s, a, 0, aStride, b, 0, bStride, c, 0, m * n), "sparse path taken");
        assertClose(want, c, 1e-13, "f64");
        double[] cs = c0.clone();
        assertTrue(SCALAR.tryGemm(s, a, 0, aStride, b, 0, bStride, cs, 0, m * n));
        for (int i = 0; i < c.length; i++) {
            assertEquals(Double.doubleToRawLongBits(c[i]), Double.doubleToRawLongBits(cs[i]), "vector vs scalar, " + i);
        }

        float[] cf = toFloat(c0);
        assertTrue(SPARSE32.tryGemm(s, toFloat(a), 0, aStride, toFloat(b), 0, bStride, cf, 0, m * n));
        double[] wantF = naive(s, toDouble(toFloat(a)), aStride, toDouble(toFloat(b)), bStride, toDouble(toFloat(c0)));
        assertClose(wantF, toDouble(cf), 2e-5, "f32");
    }

    @Test
    void offsetsAndEntryStridesAreHonoured() {
        SplittableRandom r = new SplittableRandom(5);
        int m = 20, n = 24, k = 120, batch = 4, pad = 11;
        GemmShape s = new GemmShape(batch, m, n, k, false, true, 1, 0);
        double[] x = sparse(m, k, 0.85, r);
        double[] a = new double[pad + x.length];
        System.arraycopy(x, 0, a, pad, x.length);
        int bStride = n * k + 3; // padded entries
        double[] b = dense(7 + batch * bStride, r);
        double[] c = new double[2 + batch * (m * n + 5)];
        assertTrue(SPARSE.tryGemm(s, a, pad, 0, b, 7, bStride, c, 2, m * n + 5));
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += x[i * k + p] * b[7 + e * bStride + j * k + p];
                    assertEquals(sum, c[2 + e * (m * n + 5) + i * n + j], 1e-13);
                }
            }
        }
    }

    @Test
    void denseOrUnsupportedCallsAreLeftToTheBlockedKernel() {
        SplittableRandom r = new SplittableRandom(6);
        int m = 40, n = 40, k = 400;
        double[] dense = dense(m * k, r), b = dense(3 * n * k, r), c = new double[3 * m * n];
        GemmShape fwd = new GemmShape(3, m, n, k, false, true, 1, 0);
        assertFalse(SPARSE.tryGemm(fwd, dense, 0, 0, b, 0, n * k, c, 0, m * n), "dense shared operand");
        double[] sp = sparse(m, k, 0.9, r);
        assertFalse(SPARSE.tryGemm(new GemmShape(3, m, n, k, true, true, 1, 0), sp, 0, 0, b, 0, n * k, c, 0, m * n),
                "shared A transposed: not handled");
        assertFalse(SPARSE.tryGemm(new GemmShape(3, 2, 2, 2, false, true, 1, 0), sp, 0, 0, b, 0, 4, c, 0, 4),
                "tiny entries: dense is cheaper");
    }

    /** Same entry, same bits, whatever the batch around it (sweeps stay reproducible across batchings). */
    @Test
    void anEntryDoesNotDependOnTheBatch() {
        SplittableRandom r = new SplittableRandom(8);
        int m = 30, n = 64, k = 100;
        double[] x = sparse(m, k, 0.8, r), b = dense(5 * n * k, r);
        double[] c5 = new double[5 * m * n], c2 = new double[2 * m * n];
        assertTrue(SPARSE.tryGemm(new GemmShape(5, m, n, k, false, true, 1, 0), x, 0, 0, b, 0, n * k, c5, 0, m * n));
        assertTrue(SPARSE.tryGemm(new GemmShape(2, m, n, k, false, true, 1, 0), x, 0, 0, b, 3 * n * k, n * k, c2, 0,
                m * n));
        for (int i = 0; i < 2 * m * n; i++) {
            assertEquals(Double.doubleToRawLongBits(c5[3 * m * n + i]), Double.doubleToRawLongBits(c2[i]), "element " + i);
        }
        // one entry alone takes the same kernel (issue 22: a one-cell batch used to go to the dense kernel)
        double[] c1 = new double[m * n];
        assertTrue(SPARSE.tryGemm(new GemmShape(1, m, n, k, false, true, 1, 0), x, 0, 0, b, 4 * n * k, n * k, c1, 0,
                m * n), "batch 1 with a shared (stride 0) operand");
        for (int i = 0; i < m * n; i++) {
            assertEquals(Double.doubleToRawLongBits(c5[4 * m * n + i]), Double.doubleToRawLongBits(c1[i]), "alone, element " + i);
        }
    }
}
