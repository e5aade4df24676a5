package org.gdchaos.backend.java.gemm;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.GemmShape;

/**
 * How one batched GEMM call is cut into parallel tasks, and argument validation.
 *
 * <p>A task is a box {@code [b0,b1) × [i0,i1) × [j0,j1)} of (batch entry, row of C, column of
 * C). Tasks never share an element of C, so they need no synchronisation. Row chunks are
 * multiples of MR and column chunks multiples of NR, so only the last chunk has a partial
 * micro-tile.
 *
 * <p>The split (bParts × mParts × nParts boxes, at most {@link GemmTunables#MAX_TASKS_PER_THREAD}
 * per thread) minimises a cost model of the driver's loop nest ({@link GemmDriverF64}), in
 * flop-equivalents, for a task of E entries, R rows, C columns:
 * <pre>
 *   compute = 2·E·⌈R⌉_MR·⌈C⌉_NR·k                               (padded micro-tiles)
 *   A shared:  packA = R·k,                packB = E·⌈R/superRows⌉·C·k
 *   otherwise: packA = E·⌈C/NC⌉·R·k,       packB = (B shared ? 1 : E)·C·k
 *   task = compute + PACK_WEIGHT·(packA + packB) + TASK_OVERHEAD
 *   time = max(max task, Σ task / threads) · ⌈P/threads⌉/(P/threads) · (1 + LOAD_SLACK·threads/P)
 * </pre>
 * with P the number of tasks. The first factor is whole waves of tasks, the second rewards a
 * few tasks per thread so work stealing can even out a shared, noisy machine. So a shared
 * operand keeps its reuse (a shared A is packed once per task, not once per entry) and
 * small per-entry operands are not re-packed by many row or column tasks.
 */
final class GemmPlan {
    /** Cost of packing one element, in flops (a packed copy is ~10–20× slower than an FMA lane). */
    static final double PACK_WEIGHT = 16;
    /** Fixed cost of one task, in flops (fork/join, loop set-up: a few microseconds). */
    static final double TASK_OVERHEAD = 5.0e4;
    /** Weight of the load-balancing term (see class Javadoc). */
    static final double LOAD_SLACK = 0.25;

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
     * The driver's block sizes that the cost model needs.
     *
     * @param mr        micro-tile rows
     * @param nr        micro-tile columns
     * @param mc        rows of a packed A block
     * @param nc        columns of a packed B panel
     * @param superRows rows of a packed A super-block (A-shared loop order)
     */
    record Blocking(int mr, int nr, int mc, int nc, int superRows) {
        Blocking {
            if (mr < 1 || nr < 1 || mc < 1 || nc < 1 || superRows < 1) {
                throw new IllegalArgumentException("GEMM block sizes must be ≥ 1: " + mr + ", " + nr + ", " + mc
                        + ", " + nc + ", " + superRows);
            }
        }
    }

    /**
     * @param s       the GEMM
     * @param aShared A has stride 0
     * @param bShared B has stride 0
     * @param blk     the driver's block sizes
     * @param threads pool parallelism
     * @return the tasks (one when the call is small or there is one thread)
     */
    static List<Task> split(GemmShape s, boolean aShared, boolean bShared, Blocking blk, int threads) {
        if (s.flops() < GemmTunables.INLINE_FLOPS || threads <= 1) {
            return List.of(new Task(0, s.batch(), 0, s.m(), 0, s.n()));
        }
        int maxTasks = Math.min(256, threads * GemmTunables.MAX_TASKS_PER_THREAD);
        int mChunks = ceilDiv(s.m(), blk.mr());
        int nChunks = ceilDiv(s.n(), blk.nr());
        double bestTime = Double.POSITIVE_INFINITY;
        int bestB = s.batch();
        int bestM = s.m();
        int bestN = s.n();
        for (int bp = 1; bp <= Math.min(s.batch(), maxTasks); bp++) {
            int bStep = ceilDiv(s.batch(), bp);
            if (ceilDiv(s.batch(), bStep) != bp) {
                continue;
            }
            for (int mp = 1; mp <= Math.min(mChunks, maxTasks / bp); mp++) {
                int mStep = GemmTunables.roundUp(ceilDiv(s.m(), mp), blk.mr());
                if (ceilDiv(s.m(), mStep) != mp) {
                    continue;
                }
                for (int np = 1; np <= Math.min(nChunks, maxTasks / (bp * mp)); np++) {
                    int nStep = GemmTunables.roundUp(ceilDiv(s.n(), np), blk.nr());
                    if (ceilDiv(s.n(), nStep) != np) {
                        continue;
                    }
                    double time = time(s, aShared, bShared, blk, threads, bStep, mStep, nStep);
                    if (time < bestTime) {
                        bestTime = time;
                        bestB = bStep;
                        bestM = mStep;
                        bestN = nStep;
                    }
                }
            }
        }
        List<Task> tasks = new ArrayList<>();
        for (int b0 = 0; b0 < s.batch(); b0 += bestB) {
            for (int i0 = 0; i0 < s.m(); i0 += bestM) {
                for (int j0 = 0; j0 < s.n(); j0 += bestN) {
                    tasks.add(new Task(b0, Math.min(s.batch(), b0 + bestB), i0, Math.min(s.m(), i0 + bestM),
                            j0, Math.min(s.n(), j0 + bestN)));
                }
            }
        }
        return tasks;
    }

    /** Estimated time (flop-equivalents per thread) of the split with these steps; see class Javadoc. */
    static double time(GemmShape s, boolean aShared, boolean bShared, Blocking blk, int threads, int bStep,
                       int mStep, int nStep) {
        int bFull = s.batch() / bStep;
        int mFull = s.m() / mStep;
        int nFull = s.n() / nStep;
        int bRest = s.batch() - bFull * bStep;
        int mRest = s.m() - mFull * mStep;
        int nRest = s.n() - nFull * nStep;
        double total = 0;
        double max = 0;
        for (int bi = 0; bi < 2; bi++) {
            int e = bi == 0 ? bStep : bRest;
            int eCount = bi == 0 ? bFull : (bRest > 0 ? 1 : 0);
            for (int mi = 0; mi < 2; mi++) {
                int r = mi == 0 ? mStep : mRest;
                int rCount = mi == 0 ? mFull : (mRest > 0 ? 1 : 0);
                for (int ni = 0; ni < 2; ni++) {
                    int c = ni == 0 ? nStep : nRest;
                    int cCount = ni == 0 ? nFull : (nRest > 0 ? 1 : 0);
                    long count = (long) eCount * rCount * cCount;
                    if (count == 0) {
                        continue;
                    }
                    double task = taskCost(s, aShared, bShared, blk, e, r, c);
                    total += count * task;
                    max = Math.max(max, task);
                }
            }
        }
        double p = (double) ceilDiv(s.batch(), bStep) * ceilDiv(s.m(), mStep) * ceilDiv(s.n(), nStep);
        double perThread = p / threads;
        double waves = Math.ceil(perThread) / perThread;
        return Math.max(max, total / threads) * Math.max(1, waves) * (1 + LOAD_SLACK / perThread);
    }

    /** Cost of one task of e entries × r rows × c columns, in flop-equivalents. */
    private static double taskCost(GemmShape s, boolean aShared, boolean bShared, Blocking blk, int e, int r,
                                   int c) {
        double k = s.k();
        double compute = 2.0 * e * GemmTunables.roundUp(r, blk.mr()) * GemmTunables.roundUp(c, blk.nr()) * k;
        double packA;
        double packB;
        if (aShared && !bShared) {
            packA = r * k;
            packB = (double) e * ceilDiv(r, blk.superRows()) * c * k;
        } else {
            packA = (double) e * ceilDiv(c, blk.nc()) * r * k;
            packB = (bShared ? 1.0 : e) * c * k;
        }
        return compute + PACK_WEIGHT * (packA + packB) + TASK_OVERHEAD;
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
