package org.gdchaos.backend.java.gemm;

import java.util.concurrent.ForkJoinPool;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.java.cpu.Parallel;

/**
 * The two batched GEMMs of a convolution that reads a shared operand, folded into one wide
 * GEMM so that the packed driver ({@link GemmDriverF64}) sees a shape it runs well. A
 * convolution's im2col matrix (shared by all trajectories, stride 0) has few columns per
 * trajectory on the other side: C_out = 4 … 16 output channels, far below a micro-tile's width,
 * so the per-entry GEMM wastes most of each tile. Folding the batch into that dimension,
 * <pre>
 *   forward,  A shared (m×k, not transposed), n ≤ {@link #MAX_FOLD}:
 *       C'[i][b·n + j] = Σ_p A[i][p]·op(B[b])[p][j]          one GEMM, m × (batch·n), in row blocks
 *       C[b][i][j] = alpha·C'[i][b·n + j] + beta·C[b][i][j]
 *   weight gradient, B shared (k×n, not transposed), A[b] k×m transposed, m ≤ {@link #MAX_FOLD}:
 *       G[p][b·m + i] = A[b][p][i]                            gathered in depth blocks of {@link #DEPTH_BLOCK}
 *       C'[b·m + i][j] = Σ_blocks Σ_p G[p][b·m + i]·B[p][j]   one GEMM per depth block, accumulated
 *       C[b][i][j] = alpha·C'[b·m + i][j] + beta·C[b][i][j]
 * </pre>
 * A third narrow shape has no shared operand: a convolution after the first, whose per-entry
 * lowering A[b] (m×k) meets per-entry weights with n ≤ {@link #MAX_FOLD} output channels. It is
 * computed transposed, so that the narrow side lies along the micro-tile's short rows:
 * <pre>
 *   per entry, n ≤ {@link #MAX_FOLD}:   Cᵀ[b] = op(B[b])ᵀ·A[b]ᵀ   (n × m, in row blocks), then transposed into C
 * </pre>
 * Every element of C' is one micro-kernel dot product whose order of additions depends on k (and on
 * the fixed depth blocks) only, never on the batch, the row block or where its column sits in the
 * fold: a trajectory gets the same bits alone as in any batch, so the fold is taken on the shape
 * alone ({@link #appliesForward}, {@link #appliesWeightGradient}), batch 1 included.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}.
 */
final class FoldedGemmF64 {
    /** Largest per-entry n (forward) or m (weight gradient) that is folded. */
    static final int MAX_FOLD = 16;
    /** Smallest depth-free size (m of the forward, k of the weight gradient) worth folding. */
    static final int MIN_ROWS = 1024;
    /** Depth block of the weight-gradient fold (fixed: the result depends on it, not on the batch). */
    static final int DEPTH_BLOCK = 4096;
    /** Target elements of the folded temporary (row blocks of the forward fold). */
    private static final int TEMP_ELEMENTS = 1 << 18;

    private static final class Scratch {
        double[] fold = new double[0];
        double[] gather = new double[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final GemmDriverF64 driver;
    private final Parallel parallel;

    FoldedGemmF64(GemmDriverF64 driver, Parallel parallel) {
        this.driver = driver;
        this.parallel = parallel;
    }

    /** Whether a call is the forward product of a convolution on a shared lowering (see class comment). */
    static boolean appliesForward(GemmShape s, int aStride, int bStride) {
        return aStride == 0 && bStride != 0 && !s.transA() && s.n() <= MAX_FOLD && s.m() >= MIN_ROWS;
    }

    /** Whether a call is the weight gradient of a convolution on a shared lowering (see class comment). */
    static boolean appliesWeightGradient(GemmShape s, int aStride, int bStride) {
        return bStride == 0 && aStride != 0 && s.transA() && !s.transB() && s.m() <= MAX_FOLD && s.k() >= MIN_ROWS;
    }

    /** Whether a call is a per-entry product with a narrow n (a later convolution's forward GEMM). */
    static boolean appliesTransposed(GemmShape s, int aStride, int bStride) {
        return aStride != 0 && bStride != 0 && !s.transA() && s.n() <= MAX_FOLD && s.m() >= MIN_ROWS;
    }

    /** Runs the call folded when it applies; returns whether it did. */
    boolean tryGemm(ForkJoinPool pool, GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff,
                    int bStride, double[] c, int cOff, int cStride) {
        if (appliesForward(s, aStride, bStride)) {
            forward(pool, s, a, aOff, b, bOff, bStride, c, cOff, cStride);
            return true;
        }
        if (appliesWeightGradient(s, aStride, bStride)) {
            weightGradient(pool, s, a, aOff, aStride, b, bOff, c, cOff, cStride);
            return true;
        }
        if (appliesTransposed(s, aStride, bStride)) {
            transposed(pool, s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
            return true;
        }
        return false;
    }

    private void transposed(ForkJoinPool pool, GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff,
                            int bStride, double[] c, int cOff, int cStride) {
        int batch = s.batch(), m = s.m(), n = s.n(), k = s.k();
        int rows = Math.max(GemmTunables.VECTOR_MR * 16, TEMP_ELEMENTS / (batch * n));
        rows = Math.min(rows, m);
        double[] t = SCRATCH.get().fold;
        if (t.length < batch * n * rows) {
            t = new double[batch * n * rows];
            SCRATCH.get().fold = t;
        }
        double[] tf = t;
        /*host*/double alpha = s.alpha(), beta = s.beta();
        for (int i0 = 0; i0 < m; i0 += rows) {
            int r = Math.min(rows, m - i0), base = i0;
            // op(B)ᵀ is B itself when B is stored n×k (transB), else B (k×n) read transposed; A[b]ᵀ: A read transposed
            driver.gemm(pool, new GemmShape(batch, n, r, k, !s.transB(), true, 1, 0), b, bOff, bStride, a,
                    aOff + i0 * k, aStride, tf, 0, n * r);
            parallel.run(batch, (long) r * n, (e0, e1) -> {
                for (int e = e0; e < e1; e++) {
                    int co = cOff + e * cStride + base * n, to = e * n * r;
                    for (int i = 0; i < r; i++) {
                        int o = co + i * n;
                        for (int j = 0; j < n; j++) {
                            double v = tf[to + j * r + i];
                            c[o + j] = beta == 0 ? (double) (alpha * v) : (double) (alpha * v + beta * c[o + j]);
                        }
                    }
                }
            });
        }
    }

    private void forward(ForkJoinPool pool, GemmShape s, double[] a, int aOff, double[] b, int bOff, int bStride,
                         double[] c, int cOff, int cStride) {
        int batch = s.batch(), m = s.m(), n = s.n(), k = s.k(), wide = batch * n;
        // op(B) of all entries side by side, as one B: transposed, entry b's n×k block is rows b·n.. of an
        // (batch·n)×k matrix; otherwise column block b·n.. of a k×(batch·n) matrix
        double[] bf = new double[wide * k];
        for (int e = 0; e < batch; e++) {
            int src = bOff + e * bStride;
            if (s.transB()) {
                System.arraycopy(b, src, bf, e * n * k, n * k);
            } else {
                for (int p = 0; p < k; p++) System.arraycopy(b, src + p * n, bf, p * wide + e * n, n);
            }
        }
        int rows = Math.max(GemmTunables.VECTOR_MR * 16, TEMP_ELEMENTS / wide);
        double[] fold = SCRATCH.get().fold;
        if (fold.length < rows * wide) {
            fold = new double[rows * wide];
            SCRATCH.get().fold = fold;
        }
        double[] cf = fold;
        /*host*/double alpha = s.alpha(), beta = s.beta();
        for (int i0 = 0; i0 < m; i0 += rows) {
            int r = Math.min(rows, m - i0);
            driver.gemm(pool, new GemmShape(1, r, wide, k, false, s.transB(), 1, 0), a, aOff + i0 * k, 0, bf, 0, 0,
                    cf, 0, 0);
            int base = i0;
            parallel.run(batch, (long) r * n, (e0, e1) -> {
                for (int e = e0; e < e1; e++) {
                    int co = cOff + e * cStride + base * n;
                    for (int i = 0; i < r; i++) {
                        int fo = i * wide + e * n, o = co + i * n;
                        for (int j = 0; j < n; j++) {
                            c[o + j] = beta == 0 ? (double) (alpha * cf[fo + j])
                                    : (double) (alpha * cf[fo + j] + beta * c[o + j]);
                        }
                    }
                }
            });
        }
    }

    private void weightGradient(ForkJoinPool pool, GemmShape s, double[] a, int aOff, int aStride, double[] b,
                                int bOff, double[] c, int cOff, int cStride) {
        int batch = s.batch(), m = s.m(), n = s.n(), k = s.k(), tall = batch * m;
        double[] acc = new double[tall * n];
        int depth = Math.min(DEPTH_BLOCK, k);
        double[] g = SCRATCH.get().gather;
        if (g.length < depth * tall) {
            g = new double[depth * tall];
            SCRATCH.get().gather = g;
        }
        double[] gf = g;
        for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
            int kb = Math.min(DEPTH_BLOCK, k - p0), start = p0;
            parallel.run(batch, (long) kb * m, (e0, e1) -> {
                for (int e = e0; e < e1; e++) {
                    int src = aOff + e * aStride + start * m;
                    for (int p = 0, s0 = src, d0 = e * m; p < kb; p++, s0 += m, d0 += tall) {
                        for (int i = 0; i < m; i++) gf[d0 + i] = a[s0 + i]; // m ≤ 16: no arraycopy call per row
                    }
                }
            });
            driver.gemm(pool, new GemmShape(1, tall, n, kb, true, false, 1, p0 == 0 ? 0 : 1), gf, 0, 0, b,
                    bOff + p0 * n, 0, acc, 0, 0);
        }
        /*host*/double alpha = s.alpha(), beta = s.beta();
        for (int e = 0; e < batch; e++) {
            int co = cOff + e * cStride;
            for (int q = 0; q < m * n; q++) {
                double v = acc[e * m * n + q];
                c[co + q] = beta == 0 ? (double) (alpha * v) : (double) (alpha * v + beta * c[co + q]);
            }
        }
    }
}
