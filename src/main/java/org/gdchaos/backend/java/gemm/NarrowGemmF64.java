package org.gdchaos.backend.java.gemm;

import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.java.cpu.Parallel;

/**
 * A convolution's forward GEMM on the Java backend: many rows (output pixels), a short depth
 * (k·k·C_in) and few columns (the filters, C_out), {@code C[b] = alpha·A[b]·op(B[b]) + beta·C[b]}
 * with A m×k not transposed (the im2col matrix, shared or per entry) and n such that one vector holds
 * a row of C exactly (n times the element size = 128, 256 or 512 bits). The packed driver
 * pads such an n to its micro-tile width and packs all of A; this kernel reads A's rows in place and
 * keeps C's rows in registers ({@link NarrowVectorF64}), with op(B[b]) as a k×n panel (copied once
 * per entry when B is stored n×k). Units of work are (row block, entry) in row-block-major order,
 * so a thread reuses a shared A's block (in cache) across entries. Every element is one FMA chain
 * over p in ascending order: the same bits alone as in any batch, taken on the shape alone.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class NarrowGemmF64 {
    /** Rows of C per unit of work. */
    static final int BLOCK_ROWS = 256;
    /** Smallest m and largest k taken (short depth: the panel of B stays in L1/L2). */
    static final int MIN_ROWS = 256;
    static final int MAX_DEPTH = 2048;
    /**
     * Whether this precision takes the transposed-A product: single precision only. In double precision
     * the kernel was as fast as in single on a synthetic call (88 against 64 ms for 16 × (4×576000 ·
     * 576000×25)) but 5× slower than the folded GEMM inside a CNN training step (1.1 s against 0.2 s
     * per step, 2026-12-02), for a reason not found; double precision keeps the folded GEMM.
     */
    static final boolean TRANSPOSED_A = Double.SIZE == 32;
    /** Widest n of the transposed-A product (the lowering's columns, k·k·C_in). */
    static final int MAX_WIDTH = 1024;
    /** Depth rows per block of the transposed-A product (a shared B's block stays in cache across entries). */
    static final int DEPTH_BLOCK = 1024;

    private final Parallel parallel;
    private final int vectorBits;

    /** @param vectorBits the vector width the backend uses (0: never applies) */
    NarrowGemmF64(Parallel parallel, int vectorBits) {
        this.parallel = parallel;
        this.vectorBits = vectorBits;
    }

    /** Whether the shape is a narrow forward product this kernel takes (any strides). */
    static boolean applies(GemmShape s, int vectorBits) {
        if (vectorBits == 0 || s.transA() || s.m() < MIN_ROWS || s.k() > MAX_DEPTH) return false;
        return NarrowVectorF64.hasSpecies(s.n(), vectorBits);
    }

    /**
     * Whether the shape is a narrow weight gradient this kernel takes: {@code C[b] = alpha·A[b]ᵀ·B[b] + beta·C[b]},
     * A[b] k×m per entry with m the lanes of a 128- or 256-bit vector (the filters), B k×n shared or per
     * entry (the lowering), a long depth k (output pixels).
     */
    static boolean appliesTransposedA(GemmShape s, int aStride, int vectorBits) {
        return TRANSPOSED_A && vectorBits != 0 && s.transA() && !s.transB() && aStride != 0 && s.k() >= MIN_ROWS
                && s.n() <= MAX_WIDTH && NarrowVectorF64.hasSpeciesT(s.m(), vectorBits);
    }

    boolean tryGemm(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] c,
                    int cOff, int cStride) {
        if (applies(s, vectorBits)) {
            run(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
            return true;
        }
        if (appliesTransposedA(s, aStride, vectorBits)) {
            runTransposedA(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
            return true;
        }
        return false;
    }

    /**
     * Cᵀ of each entry accumulated over depth blocks of {@link #DEPTH_BLOCK} rows, the entries of a task
     * inside each block, so that a shared B's block is read from memory once per task, not once per entry.
     */
    private void runTransposedA(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                                double[] c, int cOff, int cStride) {
        int batch = s.batch(), m = s.m(), n = s.n(), k = s.k();
        /*host*/double alpha = s.alpha(), beta = s.beta();
        parallel.run(batch, (long) k * (m + n), (e0, e1) -> {
            double[][] acc = new double[e1 - e0][m * n];
            for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
                int p1 = Math.min(k, p0 + DEPTH_BLOCK);
                for (int e = e0; e < e1; e++) {
                    NarrowVectorF64.accumulateT(m, a, aOff + e * aStride, b, bOff + e * bStride, n, p0, p1, acc[e - e0]);
                }
            }
            for (int e = e0; e < e1; e++) {
                double[] t = acc[e - e0];
                int co = cOff + e * cStride;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        int o = co + i * n + j;
                        c[o] = beta == 0 ? (double) (alpha * t[j * m + i]) : (double) (alpha * t[j * m + i] + beta * c[o]);
                    }
                }
            }
        });
    }

    private void run(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] c,
                     int cOff, int cStride) {
        int batch = s.batch(), m = s.m(), n = s.n(), k = s.k();
        // op(B[b]) as k×n panels: B itself when stored k×n, else transposed once per entry
        double[] panel;
        int panelStride, panelOff;
        if (!s.transB()) {
            panel = b;
            panelStride = bStride;
            panelOff = bOff;
        } else {
            int entries = bStride == 0 ? 1 : batch;
            panel = new double[entries * k * n];
            for (int e = 0; e < entries; e++) {
                int src = bOff + e * bStride, dst = e * k * n;
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) panel[dst + p * n + j] = b[src + j * k + p];
                }
            }
            panelStride = bStride == 0 ? 0 : k * n;
            panelOff = 0;
        }
        int blocks = (m + BLOCK_ROWS - 1) / BLOCK_ROWS;
        /*host*/double alpha = s.alpha(), beta = s.beta();
        double[] pf = panel;
        int ps = panelStride, po = panelOff;
        parallel.run(Math.multiplyExact(blocks, batch), (long) BLOCK_ROWS * k, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int blk = u / batch, e = u % batch;
                int i0 = blk * BLOCK_ROWS, i1 = Math.min(m, i0 + BLOCK_ROWS);
                NarrowVectorF64.rows(n, a, aOff + e * aStride, k, pf, po + e * ps, c, cOff + e * cStride, i0, i1,
                        alpha, beta);
            }
        });
    }
}
