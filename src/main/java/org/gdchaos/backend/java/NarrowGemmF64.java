package org.gdchaos.backend.java;

import org.gdchaos.backend.GemmShape;

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
    static final int MIN_ROWS = 1024;
    static final int MAX_DEPTH = 2048;

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

    boolean tryGemm(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] c,
                    int cOff, int cStride) {
        if (!applies(s, vectorBits)) return false;
        run(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
        return true;
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
