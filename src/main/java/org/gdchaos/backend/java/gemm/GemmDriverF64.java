package org.gdchaos.backend.java.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import org.gdchaos.backend.GemmShape;

/**
 * Blocked, packed float64 GEMM driver (loop nest in {@link GemmTunables}) around one
 * {@link GemmKernelF64} micro-kernel: {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}.
 *
 * <p>Packed layouts (zero-padded to whole slivers): an A block of mc×kc holds sliver
 * {@code s} (rows {@code s·MR … s·MR+MR−1}) at {@code s·MR·kc}, element (p, r) at
 * {@code s·MR·kc + p·MR + r}; a B panel of kc×nc holds sliver {@code t} at {@code t·NR·kc},
 * element (p, j) at {@code t·NR·kc + p·NR + j}. The depth k is cut into
 * {@code ⌈k/KC⌉} blocks of equal depth (no thin last block). The first k block applies beta,
 * later ones accumulate (beta = 1).
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java} (element type {@code double} → single
 * precision; alpha and beta are rounded to the element type where they are read from the shape).
 *
 * <p>Two loop orders ({@link GemmPlan} picks the task boxes for them):
 * <ul>
 * <li><b>A shared</b> (stride 0, B per entry): the task's rows of op(A) are packed once for the
 *     whole depth (a "row super-block" of at most {@code superElems} elements) and reused by
 *     every batch entry; each entry's B panel is packed once per super-block and k block.</li>
 * <li><b>general</b>: per column block and k block, B is packed once per entry (once in all
 *     when B is shared) and A once per entry and row block.</li>
 * </ul>
 * Both orders, and every task box, give every element of C the same arithmetic: one micro-kernel
 * FMA chain per k block (the k blocks depend on k alone), blocks added in ascending order, and
 * tile edges at fixed multiples of MR and NR of the whole matrix (task boxes and blocks start
 * there), so an entry's bits do not depend on the batch, its position in it, the split or the
 * thread count. The order is picked by the strides alone (batch 1 included).
 *
 * <p>Packing loops write the packed buffers sequentially (one read stream per source row or
 * column of a sliver), so a transposed operand costs about as much to pack as a plain one.
 * Packing buffers are per thread and reused (no allocation per call once a thread has run a
 * call of that size). Partial edge tiles go through a per-thread scratch tile.
 */
final class GemmDriverF64 {
    private final GemmKernelF64 kernel;
    private final int mr;
    private final int nr;
    private final int mc;
    private final int kcMax;
    private final int nc;
    private final int superElems;
    /** Per-thread buffers, shared by all drivers of this dtype; they only ever grow. */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Per-thread packing buffers and edge tile. */
    private static final class Workspace {
        double[] aPack = new double[0];
        double[] bPack = new double[0];
        double[] edge = new double[0];

        /** Grows the buffers to at least the given sizes (allocates only when they grow). */
        Workspace ensure(int aSize, int bSize, int edgeSize) {
            if (aPack.length < aSize) {
                aPack = new double[aSize];
            }
            if (bPack.length < bSize) {
                bPack = new double[bSize];
            }
            if (edge.length < edgeSize) {
                edge = new double[edgeSize];
            }
            return this;
        }
    }

    /** Driver with the block sizes of {@link GemmTunables}. */
    GemmDriverF64(GemmKernelF64 kernel) {
        this(kernel, GemmTunables.MC_F64, GemmTunables.KC_F64, GemmTunables.NC_F64, GemmTunables.A_SUPER_ELEMS);
    }

    /**
     * Driver with explicit block sizes (tests use tiny ones to exercise every loop).
     *
     * @param mc         rows of an A block (rounded up to a multiple of MR)
     * @param kcMax      largest depth of a k block
     * @param nc         columns of a B panel (rounded up to a multiple of NR)
     * @param superElems elements of a packed A row super-block (A-shared order), at least mc·k
     *                   rows' worth is always allowed
     */
    GemmDriverF64(GemmKernelF64 kernel, int mc, int kcMax, int nc, int superElems) {
        if (mc < 1 || kcMax < 1 || nc < 1 || superElems < 1) {
            throw new IllegalArgumentException("block sizes must be ≥ 1: " + mc + ", " + kcMax + ", " + nc + ", "
                    + superElems);
        }
        this.kernel = kernel;
        this.mr = kernel.mr;
        this.nr = kernel.nr;
        this.mc = GemmTunables.roundUp(mc, mr);
        this.kcMax = kcMax;
        this.nc = GemmTunables.roundUp(nc, nr);
        this.superElems = superElems;
    }

    /** Runs the whole batched GEMM (see {@link JavaGemm}); modifies c only. */
    void gemm(ForkJoinPool pool, GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff,
              int bStride, double[] c, int cOff, int cStride) {
        GemmPlan.checkOperand("A", a.length, aOff, aStride, s.sizeA(), s.batch());
        GemmPlan.checkOperand("B", b.length, bOff, bStride, s.sizeB(), s.batch());
        GemmPlan.checkOperand("C", c.length, cOff, cStride, s.sizeC(), s.batch());
        boolean aShared = aStride == 0;
        boolean bShared = bStride == 0;
        GemmPlan.Blocking blk = new GemmPlan.Blocking(mr, nr, mc, nc, superRows(s.k()));
        List<GemmPlan.Task> tasks = GemmPlan.split(s, aShared, bShared, blk, pool.getParallelism());
        if (tasks.size() == 1) {
            run(tasks.get(0), s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
            return;
        }
        List<RecursiveAction> actions = new ArrayList<>(tasks.size());
        for (GemmPlan.Task t : tasks) {
            actions.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    run(t, s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
                }
            });
        }
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            ForkJoinTask.invokeAll(actions);
        } else {
            pool.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    ForkJoinTask.invokeAll(actions);
                }
            });
        }
    }

    /** Rows of an A super-block for depth k: a multiple of mc, at least mc. */
    private int superRows(int k) {
        return Math.max(1, superElems / Math.max(1, k) / mc) * mc;
    }

    /** One task: the loop nest over its box of (batch entry, rows, columns). */
    private void run(GemmPlan.Task t, GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff,
                     int bStride, double[] c, int cOff, int cStride) {
        int k = s.k();
        int kBlocks = (k + kcMax - 1) / kcMax;
        int kcStd = (k + kBlocks - 1) / kBlocks;
        boolean aReuse = aStride == 0 && bStride != 0;
        if (aReuse) {
            int ms = superRows(k);
            int rows = Math.min(ms, t.i1() - t.i0());
            Workspace w = WORKSPACE.get().ensure(GemmTunables.roundUp(rows, mr) * k,
                    kcStd * Math.min(nc, GemmTunables.roundUp(t.j1() - t.j0(), nr)), mr * nr);
            for (int is = t.i0(); is < t.i1(); is += ms) {
                int msb = Math.min(ms, t.i1() - is);
                int msPad = GemmTunables.roundUp(msb, mr);
                for (int pc = 0; pc < k; pc += kcStd) {
                    packA(s, a, aOff, w.aPack, msPad * pc, is, msb, pc, Math.min(kcStd, k - pc));
                }
                for (int e = t.b0(); e < t.b1(); e++) {
                    for (int jc = t.j0(); jc < t.j1(); jc += nc) {
                        int ncb = Math.min(nc, t.j1() - jc);
                        for (int pc = 0; pc < k; pc += kcStd) {
                            int kc = Math.min(kcStd, k - pc);
                            double beta = pc == 0 ? (double) s.beta() : 1;
                            packB(s, b, bOff + e * bStride, w.bPack, pc, kc, jc, ncb);
                            for (int ic = 0; ic < msb; ic += mc) {
                                macro(w, msPad * pc + ic * kc, s, c, cOff + e * cStride, is + ic,
                                        Math.min(mc, msb - ic), jc, ncb, kc, beta);
                            }
                        }
                    }
                }
            }
            return;
        }
        Workspace w = WORKSPACE.get().ensure(mc * kcStd,
                kcStd * Math.min(nc, GemmTunables.roundUp(t.j1() - t.j0(), nr)), mr * nr);
        for (int jc = t.j0(); jc < t.j1(); jc += nc) {
            int ncb = Math.min(nc, t.j1() - jc);
            for (int pc = 0; pc < k; pc += kcStd) {
                int kc = Math.min(kcStd, k - pc);
                double beta = pc == 0 ? (double) s.beta() : 1;
                for (int e = t.b0(); e < t.b1(); e++) {
                    if (e == t.b0() || bStride != 0) {
                        packB(s, b, bOff + e * bStride, w.bPack, pc, kc, jc, ncb);
                    }
                    for (int ic = t.i0(); ic < t.i1(); ic += mc) {
                        int mcb = Math.min(mc, t.i1() - ic);
                        packA(s, a, aOff + e * aStride, w.aPack, 0, ic, mcb, pc, kc);
                        macro(w, 0, s, c, cOff + e * cStride, ic, mcb, jc, ncb, kc, beta);
                    }
                }
            }
        }
    }

    /** All micro-tiles of one packed A block (at {@code aBase} in aPack) × packed B panel. */
    private void macro(Workspace w, int aBase, GemmShape s, double[] c, int co, int ic, int mcb, int jc, int ncb,
                       int kc, double beta) {
        int ldc = s.n();
        double alpha = (double) s.alpha();
        for (int jr = 0; jr < ncb; jr += nr) {
            int nrb = Math.min(nr, ncb - jr);
            int bo = jr * kc;
            for (int ir = 0; ir < mcb; ir += mr) {
                int mrb = Math.min(mr, mcb - ir);
                int ct = co + (ic + ir) * ldc + jc + jr;
                if (mrb == mr && nrb == nr) {
                    kernel.tile(kc, w.aPack, aBase + ir * kc, w.bPack, bo, c, ct, ldc, alpha, beta);
                } else {
                    kernel.tile(kc, w.aPack, aBase + ir * kc, w.bPack, bo, w.edge, 0, nr, 1, 0);
                    mergeEdge(w.edge, c, ct, ldc, mrb, nrb, alpha, beta);
                }
            }
        }
    }

    /** {@code C[r][j] = alpha·edge[r][j] + beta·C[r][j]} for the valid part of an edge tile. */
    private void mergeEdge(double[] edge, double[] c, int ct, int ldc, int mrb, int nrb, double alpha,
                           double beta) {
        for (int r = 0; r < mrb; r++) {
            int o = ct + r * ldc;
            for (int j = 0; j < nrb; j++) {
                double v = alpha * edge[r * nr + j];
                c[o + j] = beta == 0 ? v : v + beta * c[o + j];
            }
        }
    }

    /**
     * Packs rows [ic, ic+mcb) × depth [pc, pc+kc) of op(A) into MR-row slivers (zero-padded)
     * starting at {@code dst[d0]}.
     */
    private void packA(GemmShape s, double[] a, int ao, double[] dst, int d0, int ic, int mcb, int pc, int kc) {
        int m = s.m();
        int k = s.k();
        for (int ir = 0; ir < mcb; ir += mr) {
            int rows = Math.min(mr, mcb - ir);
            int base = d0 + ir * kc;
            if (s.transA()) {
                // op(A)(i, p) = a[ao + p·m + i]: MR contiguous elements per p.
                if (rows == mr) {
                    // full sliver: one contiguous copy of MR elements per p
                    for (int p = 0, src = ao + pc * m + ic + ir, d = base; p < kc; p++, src += m, d += mr) {
                        System.arraycopy(a, src, dst, d, mr);
                    }
                    continue;
                }
                for (int p = 0; p < kc; p++) {
                    int src = ao + (pc + p) * m + ic + ir;
                    int d = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[src + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        dst[d + r] = 0;
                    }
                }
            } else {
                // op(A)(i, p) = a[ao + i·k + p]: one read stream per row, sequential writes.
                int src = ao + (ic + ir) * k + pc;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * mr;
                    int sp = src + p;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[sp + r * k];
                    }
                    for (int r = rows; r < mr; r++) {
                        dst[d + r] = 0;
                    }
                }
            }
        }
    }

    /** Packs depth [pc, pc+kc) × columns [jc, jc+ncb) of op(B) into NR-column slivers (zero-padded). */
    private void packB(GemmShape s, double[] b, int bo, double[] dst, int pc, int kc, int jc, int ncb) {
        int n = s.n();
        int k = s.k();
        for (int jr = 0; jr < ncb; jr += nr) {
            int cols = Math.min(nr, ncb - jr);
            int base = jr * kc;
            if (s.transB()) {
                // op(B)(p, j) = b[bo + j·k + p]: one read stream per column, sequential writes.
                int src = bo + (jc + jr) * k + pc;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    int sp = src + p;
                    for (int j = 0; j < cols; j++) {
                        dst[d + j] = b[sp + j * k];
                    }
                    for (int j = cols; j < nr; j++) {
                        dst[d + j] = 0;
                    }
                }
            } else {
                // op(B)(p, j) = b[bo + p·n + j]: NR contiguous elements per p.
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    System.arraycopy(b, bo + (pc + p) * n + jc + jr, dst, d, cols);
                    for (int j = cols; j < nr; j++) {
                        dst[d + j] = 0;
                    }
                }
            }
        }
    }
}
