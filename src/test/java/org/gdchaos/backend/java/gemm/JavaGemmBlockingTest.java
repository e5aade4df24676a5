package org.gdchaos.backend.java.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * The GEMM drivers with tiny block sizes (so every loop of the nest runs several times: row
 * super-blocks, k blocks, column panels, row blocks, edge tiles) against a naive triple loop,
 * and the task split of {@link GemmPlan} (an exact partition of the output).
 */
class JavaGemmBlockingTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(2);

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    /** width, transA, transB, sharing (0 none, 1 A shared, 2 B shared), beta. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int width : JavaGemmTest.widths()) {
            for (int t = 0; t < 4; t++) {
                for (int shared = 0; shared < 3; shared++) {
                    out.add(Arguments.of(width, (t & 1) != 0, (t & 2) != 0, shared, shared == 1 ? 0.0 : 0.5));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "bits={0} tA={1} tB={2} shared={3} beta={4}")
    @MethodSource("cases")
    void tinyBlocksMatchOracle(int width, boolean ta, boolean tb, int shared, double beta) {
        // m spans several 12-row blocks and 36-element super-blocks; n several panels; k 4 blocks.
        GemmShape s = new GemmShape(5, 41, 3 * 16 + 5, 23, ta, tb, -1.5, beta);
        GemmKernelF64 k64 = width == 0 ? new GemmKernelF64.Scalar() : GemmKernelF64Vector.forBits(width);
        GemmKernelF32 k32 = width == 0 ? new GemmKernelF32.Scalar() : GemmKernelF32Vector.forBits(width);
        // superElems = 23·24 → 24-row super-blocks (two 12-row blocks)
        GemmDriverF64 d64 = new GemmDriverF64(k64, 12, 6, k64.nr, 23 * 24);
        GemmDriverF32 d32 = new GemmDriverF32(k32, 12, 6, k32.nr, 23 * 24);
        SplittableRandom rnd = new SplittableRandom(31L * width + (ta ? 7 : 0) + (tb ? 13 : 0) + shared);
        int aStride = shared == 1 ? 0 : (int) s.sizeA() + 2;
        int bStride = shared == 2 ? 0 : (int) s.sizeB() + 1;
        int cStride = (int) s.sizeC() + 3;
        double[] a = rnd.doubles(3 + 4 * aStride + (int) s.sizeA(), -1, 1).toArray();
        double[] b = rnd.doubles(1 + 4 * bStride + (int) s.sizeB(), -1, 1).toArray();
        double[] c = rnd.doubles(2 + 4 * cStride + (int) s.sizeC(), -1, 1).toArray();
        double[] expect = c.clone();
        oracle(s, a, 3, aStride, b, 1, bStride, expect, 2, cStride);
        double[] c64 = c.clone();
        d64.gemm(POOL, s, a, 3, aStride, b, 1, bStride, c64, 2, cStride);
        float[] c32 = toFloat(c);
        d32.gemm(POOL, s, toFloat(a), 3, aStride, toFloat(b), 1, bStride, c32, 2, cStride);
        for (int e = 0; e < c.length; e++) {
            if (!(Math.abs(c64[e] - expect[e]) <= 1e-12 * (1 + Math.abs(expect[e])))) {
                fail("f64 mismatch at " + e + ": got " + c64[e] + ", expected " + expect[e]);
            }
            if (!(Math.abs(c32[e] - expect[e]) <= 2e-5 * (1 + Math.abs(expect[e])))) {
                fail("f32 mismatch at " + e + ": got " + c32[e] + ", expected " + expect[e]);
            }
        }
    }

    @Test
    void planPartitionsTheOutputExactly() {
        GemmShape[] shapes = {
            new GemmShape(64, 500, 64, 784, false, true, 1, 0),
            new GemmShape(64, 64, 784, 500, true, false, 1, 1),
            new GemmShape(64, 500, 10, 64, false, true, 1, 0),
            new GemmShape(1, 1024, 1024, 1024, false, false, 1, 0),
            new GemmShape(3, 7, 1000, 300, false, false, 1, 0),
            new GemmShape(16, 2000, 64, 784, false, true, 1, 0),
        };
        for (GemmShape s : shapes) {
            for (int threads : new int[] {1, 2, 3, 16}) {
                for (int sharing = 0; sharing < 3; sharing++) {
                    GemmPlan.Blocking blk = new GemmPlan.Blocking(6, 16, 96, 1024, 576);
                    List<GemmPlan.Task> tasks = GemmPlan.split(s, sharing == 1, sharing == 2, blk, threads);
                    String where = s + " threads " + threads + " sharing " + sharing;
                    assertTrue(tasks.size() <= Math.max(1, threads * GemmTunables.MAX_TASKS_PER_THREAD), where);
                    if (threads >= 2) {
                        assertTrue(tasks.size() >= 2, "a large GEMM uses more than one task: " + where);
                    }
                    int[] covered = new int[s.batch() * s.m() * s.n()];
                    for (GemmPlan.Task t : tasks) {
                        assertEquals(0, t.i0() % 6, "row chunks start on a micro-tile: " + where);
                        assertEquals(0, t.j0() % 16, "column chunks start on a micro-tile: " + where);
                        for (int e = t.b0(); e < t.b1(); e++) {
                            for (int i = t.i0(); i < t.i1(); i++) {
                                for (int j = t.j0(); j < t.j1(); j++) {
                                    covered[(e * s.m() + i) * s.n() + j]++;
                                }
                            }
                        }
                    }
                    for (int x : covered) {
                        if (x != 1) {
                            fail("element covered " + x + " times: " + where);
                        }
                    }
                }
            }
        }
    }

    /** Naive triple loop in double (the definition of {@link GemmShape}). */
    static void oracle(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                       double[] c, int cOff, int cStride) {
        int m = s.m(), n = s.n(), k = s.k();
        for (int t = 0; t < s.batch(); t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        double x = s.transA() ? a[aOff + t * aStride + p * m + i] : a[aOff + t * aStride + i * k + p];
                        double y = s.transB() ? b[bOff + t * bStride + j * k + p] : b[bOff + t * bStride + p * n + j];
                        acc += x * y;
                    }
                    int ci = cOff + t * cStride + i * n + j;
                    c[ci] = s.beta() == 0 ? s.alpha() * acc : s.alpha() * acc + s.beta() * c[ci];
                }
            }
        }
    }

    static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }
}
