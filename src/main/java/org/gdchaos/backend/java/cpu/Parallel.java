package org.gdchaos.backend.java.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs {@code units} independent work units, {@code [0, units)}, on a fork/join pool, or on
 * the calling thread when the call is small ({@link JavaTunables#PARALLEL_MIN_ELEMENTS}) or
 * only one thread is configured. Units must write disjoint memory.
 */
public final class Parallel {

    /** Body run over a contiguous range of units. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int threads;

    public Parallel(ForkJoinPool pool, int threads) {
        this.pool = pool;
        this.threads = threads;
    }

    /** Threads this runs on (1: always on the calling thread). */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, units).
     *
     * @param elementsPerUnit approximate elements touched by one unit (decides serial vs parallel)
     */
    public void run(int units, long elementsPerUnit, Range body) {
        if (units <= 0) return;
        if (threads <= 1 || units == 1 || (double) units * elementsPerUnit < JavaTunables.PARALLEL_MIN_ELEMENTS) {
            body.run(0, units);
            return;
        }
        int tasks = Math.min(units, threads * JavaTunables.TASKS_PER_THREAD);
        int grain = (units + tasks - 1) / tasks;
        pool.invoke(new Split(body, 0, units, grain));
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final Range body;
        private final int lo;
        private final int hi;
        private final int grain;

        Split(Range body, int lo, int hi, int grain) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (hi - lo <= grain) {
                body.run(lo, hi);
                return;
            }
            int mid = lo + (hi - lo) / 2;
            invokeAll(new Split(body, lo, mid, grain), new Split(body, mid, hi, grain));
        }
    }
}
