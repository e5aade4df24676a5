package org.gdchaos.backend.java;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.GemmShape;

/**
 * How one batched GEMM call is cut into parallel tasks, and argument validation.
 *
 * <p>A task is a box {@code [b0,b1) × [i0,i1) × [j0,j1)} of (batch entry, row of C, column of
 * C). Tasks never share an element of C, so they need no synchronisation. The split keeps a
 * shared operand's reuse: when A is shared (stride 0) the rows are split first, so that one task
 * packs each A block once and reuses it for all its batch entries; when B is shared the columns
 * are split first; otherwise the batch is split first. Row chunks are multiples of MR and column
 * chunks multiples of NR, so only the last chunk has a partial micro-tile.
 */
final class GemmPlan {
    private GemmPlan() {
    }

    /** One task's box: batch entries [b0,b1), rows [i0,i1), columns [j0,j1). */
    record Task(int b0, int b1, int i0, int i1, int j0, int j1) {
        Task {
            if (b0 < 0 || b0 >= b1 || i0 < 0 || i0 >= i1 || j0 < 0 || j0 >= j1) {
                throw new IllegalArgumentException("empty or negative GEMM task " + b0 + ":" + b1
                        + " × " + i0 + ":" + i1 + " × " + j0 + ":" + j1);
            }
        }
    }

    /**
     * @param s         the GEMM
     * @param aShared   A has stride 0 (and batch &gt; 1)
     * @param bShared   B has stride 0 (and batch &gt; 1)
     * @param mr        micro-tile rows
     * @param nr        micro-tile columns
     * @param threads   pool parallelism
     * @return the tasks (one when the call is small)
     */
    static List<Task> split(GemmShape s, boolean aShared, boolean bShared, int mr, int nr, int threads) {
        int want = s.flops() < GemmTunables.INLINE_FLOPS || threads <= 1
                ? 1 : threads * GemmTunables.TASKS_PER_THREAD;
        int mChunksMax = Math.max(1, s.m() / (2 * mr));
        int nChunksMax = Math.max(1, s.n() / (2 * nr));
        int bParts;
        int mParts;
        int nParts;
        if (aShared && !bShared) {
            mParts = Math.min(want, mChunksMax);
            bParts = Math.min(s.batch(), ceilDiv(want, mParts));
            nParts = Math.min(nChunksMax, ceilDiv(want, mParts * bParts));
        } else if (bShared && !aShared) {
            nParts = Math.min(want, nChunksMax);
            bParts = Math.min(s.batch(), ceilDiv(want, nParts));
            mParts = Math.min(mChunksMax, ceilDiv(want, nParts * bParts));
        } else {
            bParts = Math.min(s.batch(), want);
            mParts = Math.min(mChunksMax, ceilDiv(want, bParts));
            nParts = Math.min(nChunksMax, ceilDiv(want, bParts * mParts));
        }
        int bStep = ceilDiv(s.batch(), bParts);
        int mStep = GemmTunables.roundUp(ceilDiv(s.m(), mParts), mr);
        int nStep = GemmTunables.roundUp(ceilDiv(s.n(), nParts), nr);
        List<Task> tasks = new ArrayList<>();
        for (int b0 = 0; b0 < s.batch(); b0 += bStep) {
            for (int i0 = 0; i0 < s.m(); i0 += mStep) {
                for (int j0 = 0; j0 < s.n(); j0 += nStep) {
                    tasks.add(new Task(b0, Math.min(s.batch(), b0 + bStep), i0, Math.min(s.m(), i0 + mStep),
                            j0, Math.min(s.n(), j0 + nStep)));
                }
            }
        }
        return tasks;
    }

    /**
     * Checks that every batch entry of an operand lies inside its array.
     *
     * @throws IllegalArgumentException       for a negative stride, or stride 0 on C with batch &gt; 1
     * @throws ArrayIndexOutOfBoundsException when an entry would fall outside the array
     */
    static void checkOperand(String name, int length, int off, int stride, long size, int batch) {
        if (stride < 0) {
            throw new IllegalArgumentException(name + " stride must be ≥ 0, got " + stride);
        }
        if (name.equals("C") && stride == 0 && batch > 1) {
            throw new IllegalArgumentException("C stride must be > 0 when batch > 1 (entries would overwrite each other)");
        }
        long end = off + (long) (batch - 1) * stride + size;
        if (off < 0 || end > length) {
            throw new ArrayIndexOutOfBoundsException(name + ": entries [" + off + ", " + end
                    + ") do not fit an array of length " + length + " (batch " + batch + ", stride "
                    + stride + ", " + size + " elements each)");
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
