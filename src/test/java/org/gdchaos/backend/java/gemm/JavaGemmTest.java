package org.gdchaos.backend.java.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.gdchaos.backend.GemmShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * JavaGemm against a naive triple loop (computed in double) for every transpose combination,
 * odd shapes, batch 1 and 7, shared A or B (stride 0), alpha/beta variants, on the scalar path
 * and every vector width the platform has.
 */
class JavaGemmTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(3);

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    static List<Integer> widths() {
        List<Integer> w = new ArrayList<>();
        w.add(0);
        for (int bits : new int[] {128, 256, 512}) {
            if (VectorSupport.clampBits(bits) == bits) {
                w.add(bits);
            }
        }
        return w;
    }

    /** width, m, n, k, transA, transB, batch, sharing (0 none, 1 A shared, 2 B shared), alpha, beta. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {3, 37, 53}, {65, 129, 257}};
        for (int width : widths()) {
            for (int[] sh : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    out.add(Arguments.of(width, sh[0], sh[1], sh[2], ta, tb, 1, 0, 1.0, 0.0));
                    out.add(Arguments.of(width, sh[0], sh[1], sh[2], ta, tb, 7, 0, -0.75, 0.5));
                    out.add(Arguments.of(width, sh[0], sh[1], sh[2], ta, tb, 7, 1, 1.25, 0.0));
                    out.add(Arguments.of(width, sh[0], sh[1], sh[2], ta, tb, 7, 2, 1.0, 1.0));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "bits={0} {1}x{2}x{3} tA={4} tB={5} batch={6} shared={7} a={8} b={9}")
    @MethodSource("cases")
    void float64MatchesOracle(int width, int m, int n, int k, boolean ta, boolean tb, int batch, int shared,
                              double alpha, double beta) {
        GemmShape s = new GemmShape(batch, m, n, k, ta, tb, alpha, beta);
        SplittableRandom rnd = new SplittableRandom(m * 1000003L + n * 1009L + k + batch);
        int aStride = shared == 1 ? 0 : (int) s.sizeA() + 3;
        int bStride = shared == 2 ? 0 : (int) s.sizeB() + 1;
        int cStride = (int) s.sizeC() + 2;
        int aOff = 5, bOff = 2, cOff = 7;
        double[] a = random(rnd, aOff + (batch - 1) * aStride + (int) s.sizeA() + 4);
        double[] b = random(rnd, bOff + (batch - 1) * bStride + (int) s.sizeB() + 4);
        double[] c = random(rnd, cOff + (batch - 1) * cStride + (int) s.sizeC() + 4);
        if (beta == 0) {
            java.util.Arrays.fill(c, Double.NaN);
        }
        double[] expect = c.clone();
        double[] mag = new double[c.length];
        oracle(s, a, aOff, aStride, b, bOff, bStride, expect, mag, cOff, cStride);
        double[] before = c.clone();
        new JavaGemm(POOL, width).gemm(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
        for (int e = 0; e < c.length; e++) {
            if (!inC(e, s, cOff, cStride)) {
                assertEquals(Double.doubleToRawLongBits(before[e]), Double.doubleToRawLongBits(c[e]),
                        "element outside C modified at " + e);
                continue;
            }
            double tol = 1e-12 * mag[e] + Double.MIN_NORMAL;
            if (!(Math.abs(c[e] - expect[e]) <= tol)) {
                fail("f64 mismatch at " + e + ": got " + c[e] + ", expected " + expect[e]);
            }
        }
    }

    @ParameterizedTest(name = "bits={0} {1}x{2}x{3} tA={4} tB={5} batch={6} shared={7} a={8} b={9}")
    @MethodSource("cases")
    void float32MatchesOracle(int width, int m, int n, int k, boolean ta, boolean tb, int batch, int shared,
                              double alpha, double beta) {
        GemmShape s = new GemmShape(batch, m, n, k, ta, tb, alpha, beta);
        SplittableRandom rnd = new SplittableRandom(m * 7919L + n * 31L + k + batch);
        int aStride = shared == 1 ? 0 : (int) s.sizeA() + 1;
        int bStride = shared == 2 ? 0 : (int) s.sizeB() + 3;
        int cStride = (int) s.sizeC();
        int aOff = 1, bOff = 4, cOff = 3;
        float[] a = toFloat(random(rnd, aOff + (batch - 1) * aStride + (int) s.sizeA()));
        float[] b = toFloat(random(rnd, bOff + (batch - 1) * bStride + (int) s.sizeB()));
        float[] c = toFloat(random(rnd, cOff + (batch - 1) * cStride + (int) s.sizeC() + 2));
        if (beta == 0) {
            java.util.Arrays.fill(c, Float.NaN);
        }
        double[] expect = toDouble(c);
        double[] mag = new double[c.length];
        oracle(s, toDouble(a), aOff, aStride, toDouble(b), bOff, bStride, expect, mag, cOff, cStride);
        float[] before = c.clone();
        new JavaGemm(POOL, width).gemm(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
        for (int e = 0; e < c.length; e++) {
            if (!inC(e, s, cOff, cStride)) {
                assertEquals(Float.floatToRawIntBits(before[e]), Float.floatToRawIntBits(c[e]),
                        "element outside C modified at " + e);
                continue;
            }
            double tol = 1e-5 * Math.sqrt(k) * mag[e] + Float.MIN_NORMAL;
            if (!(Math.abs(c[e] - expect[e]) <= tol)) {
                fail("f32 mismatch at " + e + ": got " + c[e] + ", expected " + expect[e]);
            }
        }
    }

    @Test
    void handComputedTwoByTwo() {
        // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50]; with alpha 2, beta -1, C = 1: [37 43; 85 99]
        GemmShape s = new GemmShape(1, 2, 2, 2, false, false, 2.0, -1.0);
        for (int width : widths()) {
            double[] c = {1, 1, 1, 1};
            new JavaGemm(POOL, width).gemm(s, new double[] {1, 2, 3, 4}, 0, 0, new double[] {5, 6, 7, 8}, 0, 0,
                    c, 0, 0);
            assertEquals(List.of(37.0, 43.0, 85.0, 99.0), List.of(c[0], c[1], c[2], c[3]), "width " + width);
            float[] cf = {1, 1, 1, 1};
            new JavaGemm(POOL, width).gemm(s, new float[] {1, 2, 3, 4}, 0, 0, new float[] {5, 6, 7, 8}, 0, 0,
                    cf, 0, 0);
            assertEquals(List.of(37f, 43f, 85f, 99f), List.of(cf[0], cf[1], cf[2], cf[3]), "width " + width);
        }
    }

    @Test
    void rejectsOperandsOutsideTheirArrays() {
        JavaGemm g = new JavaGemm(POOL, 0);
        GemmShape s = new GemmShape(2, 2, 2, 2, false, false, 1, 0);
        assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> g.gemm(s, new double[7], 0, 4, new double[4], 0, 0, new double[8], 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> g.gemm(s, new double[8], 0, 4, new double[4], 0, 0, new double[4], 0, 0));
    }

    @Test
    void vectorWidthIsClampedToPlatform() {
        int preferred = VectorSupport.preferredBits();
        assertEquals(0, new JavaGemm(POOL, 0).vectorBits());
        int got = new JavaGemm(POOL, 4096).vectorBits();
        assertTrue(got == 0 || got <= preferred, "clamped " + got + " vs preferred " + preferred);
        if (VectorSupport.available()) {
            assertEquals(VectorSupport.clampBits(preferred), got);
        }
    }

    private static boolean inC(int e, GemmShape s, int cOff, int cStride) {
        for (int t = 0; t < s.batch(); t++) {
            long o = cOff + (long) t * cStride;
            if (e >= o && e < o + s.sizeC()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Naive triple loop in double: the definition of GemmShape, written independently. Also
     * writes {@code mag = |alpha|·Σ_p |x·y| + |beta·C_old|}, the scale of rounding errors.
     */
    private static void oracle(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                               double[] c, double[] mag, int cOff, int cStride) {
        int m = s.m(), n = s.n(), k = s.k();
        for (int t = 0; t < s.batch(); t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        double x = s.transA() ? a[aOff + t * aStride + p * m + i] : a[aOff + t * aStride + i * k + p];
                        double y = s.transB() ? b[bOff + t * bStride + j * k + p] : b[bOff + t * bStride + p * n + j];
                        acc += x * y;
                        abs += Math.abs(x * y);
                    }
                    int ci = cOff + t * cStride + i * n + j;
                    mag[ci] = Math.abs(s.alpha()) * abs + (s.beta() == 0 ? 0 : Math.abs(s.beta() * c[ci]));
                    c[ci] = s.beta() == 0 ? s.alpha() * acc : s.alpha() * acc + s.beta() * c[ci];
                }
            }
        }
    }

    private static double[] random(SplittableRandom rnd, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    private static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
