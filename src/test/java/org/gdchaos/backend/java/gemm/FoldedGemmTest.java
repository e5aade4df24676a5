package org.gdchaos.backend.java.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/**
 * The narrow convolution GEMMs ({@link NarrowGemmF64}, {@link FoldedGemmF64} and their f32 twins, through
 * {@link JavaGemm}) against
 * the definition, that they are taken on the shape alone, and that an entry gets the same bits alone as
 * in a batch (the reproducibility the sweeps rely on).
 */
class FoldedGemmTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(2);
    private static final JavaGemm GEMM = new JavaGemm(POOL, 512);

    @AfterAll
    static void close() {
        POOL.shutdown();
    }

    private static double[] random(int n, SplittableRandom r) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextDouble() < 0.3 ? 0 : r.nextDouble(-1, 1);
        return x;
    }

    /** shape: fwd (A shared), wgrad (B shared, A transposed), per (both per entry: transposed path). */
    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transB={4} alpha={5} beta={6} batch={7}")
    @CsvSource({
        "fwd, 1500, 4, 25, true, 1, 0, 3",
        "fwd, 2051, 16, 9, false, 1.5, -0.5, 2",
        "fwd, 1024, 1, 50, true, 1, 1, 1",
        "wgrad, 4, 25, 9000, false, 1, 0, 3",
        "wgrad, 16, 7, 4097, false, -2, 0.5, 2",
        "wgrad, 1, 3, 1024, false, 1, 0, 1",
        "per, 1100, 8, 100, true, 1, 0, 3",
        "per, 3000, 13, 17, false, 0.5, 1, 2",
        "per, 1024, 16, 3, true, 1, 0, 1",
    })
    void matchesTheDefinitionInBothPrecisions(String kind, int m, int n, int k, boolean transB, double alpha,
                                             double beta, int batch) {
        boolean transA = kind.equals("wgrad");
        GemmShape s = new GemmShape(batch, m, n, k, transA, transB, alpha, beta);
        SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
        int aStride = kind.equals("fwd") ? 0 : m * k, bStride = kind.equals("wgrad") ? 0 : n * k;
        double[] a = random(kind.equals("fwd") ? m * k : batch * m * k, r);
        double[] b = random(kind.equals("wgrad") ? n * k : batch * n * k, r);
        double[] c0 = random(batch * m * n, r);
        assertTrue(applies(kind, s, aStride, bStride), "the narrow path applies to " + s);
        double[] want = c0.clone();
        JavaGemmBlockingTest.oracle(s, a, 0, aStride, b, 0, bStride, want, 0, m * n);
        double[] got = c0.clone();
        GEMM.gemm(s, a, 0, aStride, b, 0, bStride, got, 0, m * n);
        double scale = 1;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12 * scale * k, "f64 element " + i);
        float[] got32 = JavaGemmBlockingTest.toFloat(c0);
        GEMM.gemm(s, JavaGemmBlockingTest.toFloat(a), 0, aStride, JavaGemmBlockingTest.toFloat(b), 0, bStride, got32, 0,
                m * n);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got32[i], 1e-5 * scale * k, "f32 element " + i);
    }

    /** A shared or per-entry A (m×k) times per-entry B with n = a vector's lanes: the narrow kernel, both precisions. */
    @ParameterizedTest(name = "shared A={0} m={1} n={2} k={3} transB={4} alpha={5} beta={6}")
    @CsvSource({
        "true, 1500, 4, 25, true, 1, 0",
        "false, 1031, 8, 100, true, 1, 0",
        "false, 2048, 8, 7, false, -0.5, 1.5",
        "true, 1030, 2, 9, false, 2, 0",
        "false, 1025, 16, 30, true, 1, 0",
    })
    void narrowKernelMatchesTheDefinition(boolean sharedA, int m, int n, int k, boolean transB, double alpha,
                                          double beta) {
        int batch = 3;
        GemmShape s = new GemmShape(batch, m, n, k, false, transB, alpha, beta);
        int bits = GEMM.vectorBits();
        org.junit.jupiter.api.Assumptions.assumeTrue(NarrowGemmF64.applies(s, bits) || NarrowGemmF32.applies(s, bits),
                "no vector of " + n + " lanes within " + bits + " bits on this machine");
        SplittableRandom r = new SplittableRandom(m + 13L * n + k);
        int aStride = sharedA ? 0 : m * k;
        double[] a = random(sharedA ? m * k : batch * m * k, r), b = random(batch * n * k, r), c0 = random(batch * m * n, r);
        double[] want = c0.clone();
        JavaGemmBlockingTest.oracle(s, a, 0, aStride, b, 0, n * k, want, 0, m * n);
        double scale = 1;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        if (NarrowGemmF64.applies(s, bits)) {
            double[] got = c0.clone();
            GEMM.gemm(s, a, 0, aStride, b, 0, n * k, got, 0, m * n);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12 * scale * k, "f64 element " + i);
        }
        if (NarrowGemmF32.applies(s, bits)) {
            float[] got = JavaGemmBlockingTest.toFloat(c0);
            GEMM.gemm(s, JavaGemmBlockingTest.toFloat(a), 0, aStride, JavaGemmBlockingTest.toFloat(b), 0, n * k, got, 0,
                    m * n);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * scale * k, "f32 element " + i);
        }
        // each entry alone gets the batch's bits
        double[] all = c0.clone();
        GEMM.gemm(s, a, 0, aStride, b, 0, n * k, all, 0, m * n);
        for (int e = 0; e < batch; e++) {
            double[] one = java.util.Arrays.copyOfRange(c0, e * m * n, (e + 1) * m * n);
            GEMM.gemm(new GemmShape(1, m, n, k, false, transB, alpha, beta), a, aStride * e, aStride, b, e * n * k, n * k,
                    one, 0, m * n);
            assertArrayEquals(java.util.Arrays.copyOfRange(all, e * m * n, (e + 1) * m * n), one, "entry " + e);
        }
    }

    /** A[b]ᵀ·B with m = a vector's lanes (the filters) and B shared or per entry: the narrow transposed-A kernel. */
    @ParameterizedTest(name = "shared B={0} m={1} n={2} k={3} alpha={4} beta={5}")
    @CsvSource({
        "true, 4, 25, 5000, 1, 0",
        "false, 8, 100, 640, 1, 1",
        "true, 8, 9, 3001, -1.5, 0.5",
        "false, 4, 3, 257, 1, 0",
    })
    void narrowTransposedAMatchesTheDefinition(boolean sharedB, int m, int n, int k, double alpha, double beta) {
        int batch = 3, bits = GEMM.vectorBits();
        GemmShape s = new GemmShape(batch, m, n, k, true, false, alpha, beta);
        org.junit.jupiter.api.Assumptions.assumeTrue(NarrowGemmF64.appliesTransposedA(s, m * k, bits)
                || NarrowGemmF32.appliesTransposedA(s, m * k, bits), "no vector of " + m + " lanes here");
        SplittableRandom r = new SplittableRandom(m + 7L * n + k);
        int bStride = sharedB ? 0 : n * k;
        double[] a = random(batch * m * k, r), b = random(sharedB ? n * k : batch * n * k, r), c0 = random(batch * m * n, r);
        double[] want = c0.clone();
        JavaGemmBlockingTest.oracle(s, a, 0, m * k, b, 0, bStride, want, 0, m * n);
        double scale = 1;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        if (NarrowGemmF64.appliesTransposedA(s, m * k, bits)) {
            double[] got = c0.clone();
            GEMM.gemm(s, a, 0, m * k, b, 0, bStride, got, 0, m * n);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12 * scale * k, "f64 element " + i);
            for (int e = 0; e < batch; e++) {
                double[] one = java.util.Arrays.copyOfRange(c0, e * m * n, (e + 1) * m * n);
                GEMM.gemm(new GemmShape(1, m, n, k, true, false, alpha, beta), a, e * m * k, m * k, b, e * bStride, bStride,
                        one, 0, m * n);
                assertArrayEquals(java.util.Arrays.copyOfRange(got, e * m * n, (e + 1) * m * n), one, "entry " + e);
            }
        }
        if (NarrowGemmF32.appliesTransposedA(s, m * k, bits)) {
            float[] got = JavaGemmBlockingTest.toFloat(c0);
            GEMM.gemm(s, JavaGemmBlockingTest.toFloat(a), 0, m * k, JavaGemmBlockingTest.toFloat(b), 0, bStride, got, 0,
                    m * n);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * scale * k, "f32 element " + i);
        }
    }

    private static boolean applies(String kind, GemmShape s, int aStride, int bStride) {
        return switch (kind) {
            case "fwd" -> FoldedGemmF64.appliesForward(s, aStride, bStride);
            case "wgrad" -> FoldedGemmF64.appliesWeightGradient(s, aStride, bStride);
            default -> FoldedGemmF64.appliesTransposed(s, aStride, bStride);
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fwd", "wgrad", "per"})
    void anEntryGetsTheSameBitsAloneAsInABatch(String kind) {
        int m = kind.equals("wgrad") ? 8 : 1200, n = kind.equals("wgrad") ? 30 : 8, k = kind.equals("wgrad") ? 5000 : 75;
        int batch = 5;
        boolean transA = kind.equals("wgrad");
        SplittableRandom r = new SplittableRandom(11);
        int aStride = kind.equals("fwd") ? 0 : m * k, bStride = kind.equals("wgrad") ? 0 : n * k;
        double[] a = random(kind.equals("fwd") ? m * k : batch * m * k, r);
        double[] b = random(kind.equals("wgrad") ? n * k : batch * n * k, r);
        double[] all = new double[batch * m * n];
        GEMM.gemm(new GemmShape(batch, m, n, k, transA, true, 1, 0), a, 0, aStride, b, 0, bStride, all, 0, m * n);
        for (int e = 0; e < batch; e++) {
            double[] one = new double[m * n];
            GEMM.gemm(new GemmShape(1, m, n, k, transA, true, 1, 0), a, aStride * e, aStride, b, bStride * e, bStride,
                    one, 0, m * n);
            double[] part = java.util.Arrays.copyOfRange(all, e * m * n, (e + 1) * m * n);
            assertArrayEquals(part, one, "entry " + e + " alone differs from the batch");
        }
    }

    @Test
    void wideOrShortShapesKeepTheGeneralPaths() {
        assertFalse(FoldedGemmF64.appliesForward(new GemmShape(4, 1000, 64, 784, false, true, 1, 0), 0, 50176),
                "an MLP's first layer (n = 64 hidden units) is not narrow");
        assertFalse(FoldedGemmF64.appliesForward(new GemmShape(4, 500, 4, 25, false, true, 1, 0), 0, 100),
                "too few rows");
        assertFalse(FoldedGemmF64.appliesWeightGradient(new GemmShape(4, 64, 784, 1000, true, false, 1, 0), 64000, 0));
        assertFalse(FoldedGemmF64.appliesTransposed(new GemmShape(4, 2000, 32, 100, false, true, 1, 0), 1, 1));
        assertFalse(FoldedGemmF64.appliesTransposed(new GemmShape(4, 2000, 8, 100, true, true, 1, 0), 1, 1));
    }
}
