package org.gdchaos.backend.java.gemm;

import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.java.cpu.JavaTunables;
import org.gdchaos.backend.java.cpu.Parallel;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * The batched GEMM when the operand shared by every entry (stride 0) is mostly zeros — the
 * data matrix X of a sweep: MNIST pixels are about 81% zeros. The shared operand is compressed
 * once per call to its non-zeros by row (CSR), and each entry does work proportional to the
 * non-zeros instead of to m·n·k. Two shapes, the two first-layer products of training:
 * <pre>
 *   shared A (forward):        C[b] = alpha·A·op(B[b]) + beta·C[b]     A m×k, not transposed
 *       row i:   t = Σ_{p: A[i][p] ≠ 0} A[i][p]·op(B[b])[p][·],   C[b][i][·] = alpha·t + beta·C[b][i][·]
 *   shared B (weight gradient): C[b] = alpha·A[b]ᵀ·B + beta·C[b]   B k×n, not transposed; A[b] k×m
 *       Cᵀ[j][·] = Σ_{p: B[p][j] ≠ 0} B[p][j]·A[b][p][·],          C[b][i][j] = alpha·Cᵀ[j][i] + beta·C[b][i][j]
 * </pre>
 * Both are one kernel, "a sparse row times a dense panel" ({@link SparseRowsVectorF64}, or its scalar
 * twin {@link #dot}): A by rows (CSR) against op(B[b]), or B by columns (CSC) against A[b].
 * Sums run over the non-zeros in ascending p ({@link #dot}), every element on its own (units of work are an
 * entry's blocks of rows or columns, more of them when the batch is small), so the result does not
 * depend on the batch, the thread count or the entry's position (sweeps stay bit-reproducible
 * across batchings and shards); it differs from the dense kernel's only by rounding (skipping
 * exact zeros changes no sum, but the dense kernel adds in another order). A zero of the shared
 * operand times a non-finite value of an entry contributes nothing here (the dense kernel would
 * give NaN); training freezes such trajectories anyway. When beta = 0 the old C is not read.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}; Java has no generics over
 * primitive arrays): the same code with the element type changed, alpha and beta rounded to it
 * once per call.
 *
 * <p>Taken when the shared operand's density is at most {@link GemmTunables#SPARSE_MAX_DENSITY}
 * and an entry's dense work 2·m·n·k is at least {@link GemmTunables#SPARSE_MIN_ENTRY_FLOPS} —
 * both independent of the batch size (a call with one entry included), so the same cell always
 * takes the same path.
 */
final class SparseSharedGemmF64 {
    /**
     * Per-thread scratch, grown on demand and reused (no allocation once warm): CSR of the
     * shared operand (built by the calling thread), op(B) as a k×n panel or Cᵀ as an n×m panel,
     * and one accumulator row.
     */
    private static final class Scratch {
        int[] rowPtr = new int[0];
        int[] col = new int[0];
        int[] fill = new int[0];
        double[] val = new double[0];
        double[] panel = new double[0];
        double[] row = new double[0];

        int[] rowPtr(int n) {
            if (rowPtr.length < n) rowPtr = new int[n];
            return rowPtr;
        }

        int[] col(int n) {
            if (col.length < n) col = new int[n];
            return col;
        }

        int[] fill(int n) {
            if (fill.length < n) fill = new int[n];
            return fill;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Parallel parallel;
    private final boolean vector;

    /** @param vector use the Vector API kernel (same bits as the scalar one) */
    SparseSharedGemmF64(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        this.vector = vector && VectorSupport.available();
    }

    /** Whether the shape is one of the two handled ones (density still to be checked). */
    static boolean shapeApplies(GemmShape s, int aStride, int bStride) {
        if (2.0 * s.m() * s.n() * s.k() < GemmTunables.SPARSE_MIN_ENTRY_FLOPS) return false;
        boolean sharedA = aStride == 0 && bStride != 0 && !s.transA();
        boolean sharedB = bStride == 0 && aStride != 0 && !s.transB() && s.transA();
        return sharedA || sharedB;
    }

    /** Non-zeros of {@code count} elements from {@code off}, or −1 as soon as there are more than {@code max}. */
    private static int countNonZeros(double[] x, int off, int count, long max) {
        int nnz = 0;
        for (int i = off, end = off + count; i < end; i++) {
            if (x[i] != 0 && ++nnz > max) return -1;
        }
        return nnz;
    }

    /** Runs the GEMM if it applies and the shared operand is sparse enough; returns whether it did. */
    boolean tryGemm(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                    double[] c, int cOff, int cStride) {
        if (!shapeApplies(s, aStride, bStride)) return false;
        boolean sharedA = aStride == 0;
        int m = s.m(), n = s.n(), k = s.k();
        double[] x = sharedA ? a : b;
        int xOff = sharedA ? aOff : bOff;
        int xRows = sharedA ? m : k, xCols = sharedA ? k : n;
        int nnz = countNonZeros(x, xOff, xRows * xCols, (long) (GemmTunables.SPARSE_MAX_DENSITY * xRows * xCols));
        if (nnz < 0) return false;
        // shared A: its rows (CSR); shared B: its columns (CSC), each list in ascending index
        Scratch sc = SCRATCH.get();
        int lists = sharedA ? m : n;
        int[] ptr = sc.rowPtr(lists + 1), idx = sc.col(nnz);
        if (sc.val.length < nnz) sc.val = new double[nnz];
        double[] val = sc.val;
        if (sharedA) {
            int q = 0;
            for (int r = 0; r < m; r++) {
                ptr[r] = q;
                for (int p = 0, o = xOff + r * k; p < k; p++) {
                    double v = x[o + p];
                    if (v != 0) {
                        idx[q] = p;
                        val[q++] = v;
                    }
                }
            }
            ptr[m] = q;
        } else {
            java.util.Arrays.fill(ptr, 0, n + 1, 0);
            for (int p = 0; p < k; p++) {
                for (int j = 0, o = xOff + p * n; j < n; j++) if (x[o + j] != 0) ptr[j + 1]++;
            }
            for (int j = 0; j < n; j++) ptr[j + 1] += ptr[j];
            int[] fill = sc.fill(n);
            System.arraycopy(ptr, 0, fill, 0, n);
            for (int p = 0; p < k; p++) {
                for (int j = 0, o = xOff + p * n; j < n; j++) {
                    double v = x[o + j];
                    if (v != 0) {
                        int q = fill[j]++;
                        idx[q] = p;
                        val[q] = v;
                    }
                }
            }
        }
        double alpha = (double) s.alpha(), beta = (double) s.beta();
        // units: (entry, block of lists); a few entries are cut into list blocks so that all threads work.
        // Every element is one list's sum whichever unit computes it: the cut changes no bits.
        int batch = s.batch();
        int blocks = Math.max(1, Math.min(lists, (2 * parallel.threads() * JavaTunables.TASKS_PER_THREAD + batch - 1)
                / batch));
        int per = (lists + blocks - 1) / blocks;
        int perEntry = (lists + per - 1) / per;
        parallel.run(Math.multiplyExact(batch, perEntry), (long) nnz * (sharedA ? n : m) / perEntry, (u0, u1) -> {
            Scratch w = SCRATCH.get();
            int panel = sharedA ? (s.transB() ? k * n : 0) : n * m;
            if (w.panel.length < panel) w.panel = new double[panel];
            if (w.row.length < n) w.row = new double[n];
            for (int u = u0; u < u1; u++) {
                int e = u / perEntry, l0 = (u % perEntry) * per, l1 = Math.min(lists, l0 + per);
                if (sharedA) {
                    forwardEntry(s, ptr, idx, val, b, bOff + e * bStride, w.panel, w.row, c, cOff + e * cStride,
                            alpha, beta, l0, l1);
                } else {
                    gradientEntry(s, ptr, idx, val, a, aOff + e * aStride, w.panel, c, cOff + e * cStride, alpha, beta,
                            l0, l1);
                }
            }
        });
        return true;
    }

    /**
     * Shared A, one entry, rows [i0, i1) of C: {@code C = alpha·A·op(B) + beta·C}; op(B) is copied to {@code pn}
     * (k×n) when B is transposed.
     */
    private void forwardEntry(GemmShape s, int[] ptr, int[] idx, double[] val, double[] b, int bo, double[] pn, double[] t,
                              double[] c, int co, double alpha, double beta, int i0, int i1) {
        int m = s.m(), n = s.n(), k = s.k();
        double[] panel = b;
        int base = bo;
        if (s.transB()) { // op(B)[p][j] = b[bo + j·k + p]
            for (int j = 0; j < n; j++) {
                for (int p = 0, src = bo + j * k; p < k; p++) pn[p * n + j] = b[src + p];
            }
            panel = pn;
            base = 0;
        }
        for (int i = i0; i < i1; i++) {
            row(ptr[i], ptr[i + 1], idx, val, panel, base, n, t, 0);
            int ci = co + i * n;
            if (beta == 0) {
                for (int j = 0; j < n; j++) c[ci + j] = alpha * t[j];
            } else {
                for (int j = 0; j < n; j++) c[ci + j] = alpha * t[j] + beta * c[ci + j];
            }
        }
    }

    /**
     * Shared B, one entry, columns [j0, j1) of C: {@code C = alpha·Aᵀ·B + beta·C} with A k×m (rows contiguous),
     * via Cᵀ (n×m) in {@code ct}.
     */
    private void gradientEntry(GemmShape s, int[] ptr, int[] idx, double[] val, double[] a, int ao, double[] ct, double[] c,
                               int co, double alpha, double beta, int j0, int j1) {
        int m = s.m(), n = s.n();
        for (int j = j0; j < j1; j++) row(ptr[j], ptr[j + 1], idx, val, a, ao, m, ct, j * m);
        for (int i = 0; i < m; i++) {
            int ci = co + i * n;
            if (beta == 0) {
                for (int j = j0; j < j1; j++) c[ci + j] = alpha * ct[j * m + i];
            } else {
                for (int j = j0; j < j1; j++) c[ci + j] = alpha * ct[j * m + i] + beta * c[ci + j];
            }
        }
    }

    /** {@code out[oo + j] = Σ_{q0 ≤ q < q1} val[q]·panel[base + idx[q]·w + j]} for j &lt; w (see {@link #dot} for the order). */
    private void row(int q0, int q1, int[] idx, double[] val, double[] panel, int base, int w, double[] out, int oo) {
        if (vector) {
            SparseRowsVectorF64.row(q0, q1, idx, val, panel, base, w, out, oo);
            return;
        }
        for (int j = 0; j < w; j++) out[oo + j] = dot(q0, q1, idx, val, panel, base + j, w);
    }

    /** {@code Σ_{q0 ≤ q < q1} val[q]·panel[base + idx[q]·w]}, one fused multiply-add per term in ascending q. */
    static double dot(int q0, int q1, int[] idx, double[] val, double[] panel, int base, int w) {
        double t = 0;
        for (int q = q0; q < q1; q++) t = Math.fma(val[q], panel[base + idx[q] * w], t);
        return t;
    }
}
