package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gdchaos.backend.Backend;
import org.gdchaos.data.DataSplit;
import org.gdchaos.lyapunov.LyapunovSetting;

/**
 * A time estimate for a sweep from a short, bounded calibration on its backend.
 *
 * <p><b>Bounded.</b> The calibration trains a <i>reduced</i> copy of the first (largest) device
 * batch, as the sweep would (same model, method, dtype and evaluation; nothing is written; no
 * extra measurements — their cost is not in the estimate and {@link Estimate#notes} says so):
 * <ul>
 *   <li>at most {@value #MAX_CELLS} of the batch's cells;</li>
 *   <li>at most {@value #MAX_MEMBERS} replicas (paper, benettin) or exponents (spectrum, tangent)
 *       per cell;</li>
 *   <li>at most {@value #MAX_ROWS} samples per step: a full-batch sweep's training and test sets
 *       are cut to the same fraction f = min(1, {@value #MAX_ROWS}/N_train); a minibatch larger
 *       than {@value #MAX_ROWS} is cut to it;</li>
 *   <li>at most {@value #STEPS} steps per timed run and at most {@value #RUNS} timed runs, fewer once the
 *       runs have taken the budget; before them at most {@value #WARM_RUNS} warm-up runs of one cell, of 2
 *       steps and then of about budget/8 each (at most {@value #WARM_STEPS} steps), until half the budget
 *       is spent (at least two runs, unless one step is slow enough to shrink the samples);</li>
 *   <li>when one step of one cell takes more than budget/12, fewer samples (down to {@value #MIN_ROWS}),
 *       cells and steps (down to 2), scaled back as below.</li>
 * </ul>
 * So the work is at most ({@value #WARM_RUNS}·{@value #WARM_STEPS} + {@value #RUNS}·{@value #MAX_CELLS}·{@value #STEPS})
 * cell-steps of ({@value #MAX_MEMBERS} + 1) trajectories on {@value #MAX_ROWS} samples (twice the timed part
 * for the spectrum and tangent methods with more than {@value #MAX_MEMBERS} exponents), whatever the
 * sweep's size ({@link Estimate#trajectorySampleSteps} counts it), and the memory that of a batch of
 * {@value #MAX_CELLS} such cells. The time is about the budget plus a few runs' set-up, unless a
 * single step of one cell on {@value #MIN_ROWS} samples is itself slower than the budget.
 *
 * <p><b>Stable.</b> The warm-up (JIT and kernel compilation: runs of one cell until two runs in a row
 * agree on the step time within {@value #WARM_AGREEMENT}) is not counted. Each timed run
 * reports the time of each of its steps ({@link ProgressListener#advanced}); a run's first step
 * is left out (one-time set-up inside the step) and the others averaged: one step time per run.
 * The test accuracy is evaluated at every calibration step, so each step holds an evaluation (an
 * upper bound for any {@code --eval-every}). The estimate uses the median of the runs' step times
 * t_step; its spread is stated as the interval from the fastest to the slowest run's step time.
 * The fixed time per batch is t_fixed = (median run time) − steps · t_step (set-up, initial and
 * final evaluation, fits).
 *
 * <p><b>Scaling</b> from the reduced batch (n cells, m members, r samples per step) to each real
 * batch of b cells with M members and R samples per step, for S steps:
 * <pre>
 *   T = t_warm + Σ_batches (b/n) · g · (t_fixed + S · t_step),   g = (R/r) · ((M+1)/(m+1)) · q
 * </pre>
 * where t_warm is the warm-up's time: a fresh process pays it too before its steps reach the
 * calibrated speed;
 * q = 1 for replicas; for the spectrum and tangent methods (their Gram–Schmidt step costs
 * O(K²·P)) the member factor (M+1)/(m+1)·q is replaced by t(K)/t(m) with t(K) = a·(K+1) + b·K² fitted
 * (a, b ≥ 0) to timed runs with m = 4 and 2m = 8 exponents. The scaling in samples and in cells is
 * linear while the fixed costs per step (kernel launches, per-parameter updates) do not grow, which
 * errs high; the runs of a few steps see a partly warm JIT, which errs high too; the extrapolation
 * in K from 4 and 8 exponents may miss a K² term that is still below the timing noise there, which
 * errs low. T is an estimate, not a bound. The interval [T_low, T_high] is T with the fastest and the slowest
 * run's step time.
 */
public final class Calibration {
    /** Most cells a calibration run trains. */
    public static final int MAX_CELLS = 4;
    /** Most replicas (paper, benettin) or exponents (spectrum, tangent) per calibration cell. */
    public static final int MAX_MEMBERS = 4;
    /** Most samples per calibration step. */
    public static final int MAX_ROWS = 256;
    /** Most warm-up runs (one cell each). */
    public static final int WARM_RUNS = 8;
    /** Most steps of a warm-up run. */
    public static final int WARM_STEPS = 200;
    /** Warm-up ends when two runs in a row agree on the step time within this fraction. */
    public static final double WARM_AGREEMENT = 0.15;
    /** Fewest samples per calibration step (when one step of {@value #MAX_ROWS} samples is slow). */
    public static final int MIN_ROWS = 16;
    /** Steps per calibration run (fewer when the sweep has fewer). */
    public static final int STEPS = 8;
    /** Most timed runs (after one warm-up run). */
    public static final int RUNS = 3;

    private Calibration() {
    }

    /**
     * @param seconds               estimated wall time of the sweep's runs, from the median step time
     * @param low                   the estimate with the fastest run's step time
     * @param high                  the estimate with the slowest run's step time
     * @param cells                 cells per calibration run n
     * @param batchCells            cells in the first device batch
     * @param steps                 steps per calibration run
     * @param warmUpRuns            warm-up runs (one cell each; not counted)
     * @param runs                  timed runs (after the warm-up)
     * @param secondsPerStep        median over the runs of the step time t_step of the reduced batch
     * @param secondsFixed          median fixed time t_fixed of the reduced batch
     * @param scale                 g: the factor from the reduced batch's cell to a real cell
     * @param reduced               what was reduced, in words ("" when nothing)
     * @param warmUpSeconds         time of the warm-up runs, added to the estimate (a fresh process pays it too)
     * @param trajectorySampleSteps the calibration's work: Σ over its runs of trajectories × steps × samples per step
     * @param calibrationSeconds    wall time of the calibration itself, warm-up included
     * @param notes                 what the estimate leaves out, or "" if nothing
     */
    public record Estimate(double seconds, double low, double high, int cells, int batchCells, int steps, int warmUpRuns,
                           int runs,
                           double secondsPerStep, double secondsFixed, double scale, String reduced,
                           double warmUpSeconds, long trajectorySampleSteps, double calibrationSeconds, String notes) {
        /** One line saying what was measured. */
        public String measured() {
            return String.format(Locale.ROOT, "%d of the first batch's %d cell%s, %d run%s of %d steps after %d warm-up "
                            + "run%s: %.3g s per step (median of the runs; spread %s), %.3g s set-up and wrap-up%s, scaled ×%.3g "
                            + "per cell%s to whole batches, plus the warm-up's %.3g s; calibration took %.1f s",
                    cells, batchCells, batchCells == 1 ? "" : "s", runs, runs == 1 ? "" : "s", steps, warmUpRuns,
                    warmUpRuns == 1 ? "" : "s", secondsPerStep,
                    spread(), secondsFixed, reduced.isEmpty() ? "" : " (" + reduced + ")", scale,
                    cells < batchCells ? " and linearly in cells" : "", warmUpSeconds, calibrationSeconds);
        }

        /** The 10–90% interval of the estimate, e.g. "95.1–120 s". */
        public String range() {
            return String.format(Locale.ROOT, "%.3g–%.3g s", low, high);
        }

        private String spread() {
            double rel = seconds > 0 ? Math.max(high - seconds, seconds - low) / seconds : 0;
            return String.format(Locale.ROOT, "±%.0f%%", 100 * rel);
        }
    }

    /** The reduced batch the calibration trains, and the factor g from its cell to a real one. */
    record Reduction(SweepSpec spec, DataSplit split, double scale, double memberScale, boolean exponentsReduced,
                     String what) {
    }

    /**
     * The reduced spec and data of the calibration: members capped at {@value #MAX_MEMBERS}, samples
     * per step at {@value #MAX_ROWS}, {@code steps} steps, no extra measurements; and g.
     */
    static Reduction reduce(SweepSpec spec, DataSplit split, int steps, int members, int maxRows) {
        org.gdchaos.lyapunov.LyapunovConfig ly = spec.lyapunov();
        java.util.Set<LyapunovSetting> uses = ly.method().impl().uses();
        List<String> what = new ArrayList<>();
        double g = 1;
        double memberScale = 1;
        boolean exponents = false;
        if (uses.contains(LyapunovSetting.EXPONENTS) && ly.exponents() > members) {
            int k = ly.exponents();
            memberScale = (k + 1.0) / (members + 1.0) * ((double) k / members);
            exponents = true;
            what.add(members + " of " + k + " exponents, scaled quadratically");
            ly = ly.withExponents(members);
        } else if (uses.contains(LyapunovSetting.REPLICAS) && ly.replicas() > members) {
            int m = ly.replicas();
            memberScale = (m + 1.0) / (members + 1.0);
            what.add(members + " of " + m + " replicas");
            ly = ly.withReplicas(members);
        }
        g *= memberScale;
        int batch = spec.training().batchSize();
        int trainN = split.train().n();
        int testN = split.test().n();
        DataSplit data = split;
        int calBatch = batch;
        if (batch == 0 && trainN > maxRows) { // full batch: the same fraction of both sets
            double f = (double) maxRows / trainN;
            int te = Math.max(1, Math.min(testN, (int) Math.ceil(testN * f)));
            data = new DataSplit(split.train().head(maxRows), split.test().head(te));
            g *= (double) trainN / maxRows;
            what.add(maxRows + " of " + trainN + " samples per step");
        } else if (batch > maxRows) {
            calBatch = maxRows;
            g *= (double) batch / maxRows;
            what.add("minibatches of " + maxRows + " of " + batch + " samples");
        }
        if (uses.contains(LyapunovSetting.TRANSIENT) && ly.transientSteps() >= steps) {
            ly = ly.withTransientSteps(steps - 1); // the timing does not depend on where exponents start to accumulate
        }
        // test accuracy evaluated at every step: an upper bound for any --eval-every, and no step without it
        // whose time would stand for the steps with it
        SweepSpec reduced = spec.toBuilder().steps(steps).extras(SweepSpec.Extras.NONE).lyapunov(ly).batchSize(calBatch)
                .evalEvery(1).build();
        return new Reduction(reduced, data, g, memberScale, exponents, String.join(", ", what));
    }

    /** Timed runs of one reduced batch: each run's step time (mean of its steps after the first) and wall time. */
    private record Runs(double[] stepTimes, double[] runTimes, long work) {
        double medianStep() {
            return quantile(sorted(stepTimes), 0.5);
        }

        double medianRun() {
            return quantile(sorted(runTimes), 0.5);
        }
    }

    private static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }

    /**
     * Up to {@value #RUNS} timed runs of {@code cells} for {@code steps} steps, stopping when one more
     * would pass {@code budgetSeconds} (at least one run).
     */
    private static Runs timeRuns(Backend backend, SweepSpec brief, SweepData data, int chunk, List<Cell> cells,
                                 double budgetSeconds) {
        List<Double> st = new ArrayList<>(), rt = new ArrayList<>();
        long work = 0;
        long tm = System.nanoTime();
        int rows = brief.training().batchSize() == 0 ? data.train().n() : brief.training().batchSize();
        while (st.size() < RUNS) {
            double[] t = timeRun(backend, brief, data, chunk, cells);
            work += (long) cells.size() * brief.trajectoriesPerCell() * brief.training().steps() * rows;
            double sum = 0; // a run's first step holds one-time set-up: left out unless it is the only one
            for (int s = t.length == 2 ? 1 : 2; s < t.length; s++) sum += t[s];
            st.add(sum / (t.length == 2 ? 1 : t.length - 2));
            rt.add(t[0]);
            double spent = (System.nanoTime() - tm) / 1e9;
            if (spent * (st.size() + 1) / st.size() > budgetSeconds) break; // one more run would pass the budget
        }
        return new Runs(st.stream().mapToDouble(Double::doubleValue).toArray(),
                rt.stream().mapToDouble(Double::doubleValue).toArray(), work);
    }

    /**
     * Calibrates as described above, the timed runs within about {@code budgetSeconds} (at least one
     * timed run is made).
     *
     * @throws IllegalArgumentException if the plan has no batch
     */
    public static Estimate estimate(Backend backend, SweepSpec spec, DataSplit split, Plan plan, double budgetSeconds) {
        if (plan.batches().isEmpty()) throw new IllegalArgumentException("nothing to calibrate: the plan is empty");
        long t0 = System.nanoTime();
        List<Cell> first = plan.batches().get(0);
        int steps = Math.min(spec.training().steps(), STEPS);
        Reduction red = reduce(spec, split, steps, MAX_MEMBERS, MAX_ROWS);
        int rows = red.spec().training().batchSize() == 0 ? red.split().train().n() : red.spec().training().batchSize();
        int chunk = Math.max(1, Math.min(plan.chunkRows(), rows)); // the reduced batch's chunks, within the plan's
        rows = Math.max(1, rows);
        long work = 0;
        Runs runs;
        Runs twice = null; // the spectrum and tangent methods: a second member count, for t(K) = a·(K+1) + b·K²
        int n;
        int warmRuns = 0;
        double warmSeconds;
        double perCellStep;
        try (SweepData data = new SweepData(backend, red.spec().training().dtype(), red.split(),
                red.spec().training().batchSize() > 0)) {
            // warm-up (JIT, kernel compilation; not counted): runs of one cell, until two runs in a row agree on
            // the step time within WARM_AGREEMENT, at most WARM_RUNS runs and half the budget; its last step time
            // sizes the timed runs so that they fit the budget: fewer samples, cells and steps for slow steps
            long tw = System.nanoTime();
            double prev = Double.NaN;
            perCellStep = Double.NaN;
            for (int r = 0; r < WARM_RUNS; r++) {
                // the first run 2 steps, then runs of about budget/8 each (2 to WARM_STEPS steps)
                int ws = r == 0 ? 2 : (int) Math.max(2, Math.min(WARM_STEPS, budgetSeconds / 8 / perCellStep));
                SweepSpec warm = red.spec().toBuilder().steps(Math.min(spec.training().steps(), ws)).build();
                double[] w = timeRun(backend, warm, data, chunk, first.subList(0, 1));
                work += (long) warm.trajectoriesPerCell() * warm.training().steps() * rows;
                double sum = 0;
                for (int k = Math.min(2, w.length - 1); k < w.length; k++) sum += w[k];
                prev = perCellStep;
                perCellStep = Math.max(1e-9, sum / (w.length - Math.min(2, w.length - 1)));
                warmRuns = r + 1;
                double spent = (System.nanoTime() - tw) / 1e9;
                boolean settled = r >= 2 && Math.abs(perCellStep - prev) <= WARM_AGREEMENT * prev;
                boolean slow = perCellStep > budgetSeconds / (RUNS * 2 * 2); // fewer samples follow: stop here
                if (settled || slow || (r >= 1 && spent > budgetSeconds / 2)) break;
            }
            warmSeconds = (System.nanoTime() - tw) / 1e9;
        }
        double slowest = budgetSeconds / (RUNS * 2 * 2); // a step slower than this: fewer samples per step
        if (perCellStep > slowest && rows > MIN_ROWS) {
            int fewer = (int) Math.max(MIN_ROWS, Math.floor(rows * slowest / perCellStep));
            red = reduce(spec, split, steps, MAX_MEMBERS, fewer);
            perCellStep *= (double) fewer / rows;
            rows = red.spec().training().batchSize() == 0 ? red.split().train().n() : red.spec().training().batchSize();
            chunk = Math.max(1, Math.min(plan.chunkRows(), rows));
        }
        try (SweepData data = new SweepData(backend, red.spec().training().dtype(), red.split(),
                red.spec().training().batchSize() > 0)) {
            n = (int) Math.max(1, Math.min(Math.min(first.size(), MAX_CELLS),
                    Math.floor(budgetSeconds / (RUNS * steps * perCellStep))));
            int s = (int) Math.max(Math.min(2, steps), Math.min(steps, Math.floor(budgetSeconds / (RUNS * n * perCellStep))));
            SweepSpec timed = red.spec().toBuilder().steps(s).build();
            steps = s;
            runs = timeRuns(backend, timed, data, chunk, first.subList(0, n), budgetSeconds);
            work += runs.work();
            if (red.exponentsReduced()) {
                Reduction r2 = reduce(spec, split, s, 2 * MAX_MEMBERS, rows);
                twice = timeRuns(backend, r2.spec(), data, chunk, first.subList(0, n), budgetSeconds / 2);
                work += twice.work();
            }
        }
        double g = red.scale();
        String reduced = red.what();
        if (twice != null) { // t(K) = a·(K+1) + b·K², from K = m and 2m; a, b ≥ 0
            int m = MAX_MEMBERS, k = spec.lyapunov().exponents();
            double t1 = runs.medianStep(), t2 = twice.medianStep();
            double b = (t2 - (2.0 * m + 1) / (m + 1) * t1) / (4.0 * m * m - (2.0 * m + 1) / (m + 1) * m * m);
            double a = (t1 - b * m * m) / (m + 1);
            if (b < 0) {
                b = 0;
                a = t1 / (m + 1);
            } else if (a < 0) {
                a = 0;
                b = t1 / ((double) m * m);
            }
            double kFactor = t1 > 0 ? (a * (k + 1) + b * (double) k * k) / t1 : (k + 1.0) / (m + 1);
            g = g / red.memberScale() * kFactor;
            reduced = reduced.replace("scaled quadratically", String.format(Locale.ROOT, "%d and %d exponents "
                    + "measured, t(K) = a·(K+1) + b·K² fitted: ×%.3g", m, 2 * m, kFactor));
        }
        double median = runs.medianStep();
        double[] st = sorted(runs.stepTimes());
        double lo = st[0], hi = st[st.length - 1];
        // fixed = a run's time less its steps at the median step time (set-up, evaluation, fits)
        double fixed = Math.max(0, runs.medianRun() - steps * median);
        int sweepSteps = spec.training().steps();
        double total = 0, low = 0, high = 0;
        for (List<Cell> batch : plan.batches()) {
            double k = (double) batch.size() / n * g;
            total += k * (fixed + sweepSteps * median);
            low += k * (fixed + sweepSteps * lo);
            high += k * (fixed + sweepSteps * hi);
        }
        // a fresh process pays the warm-up too (JIT, kernels) before its steps reach the calibrated speed
        total += warmSeconds;
        low += warmSeconds;
        high += warmSeconds;
        String notes = spec.measurement().extras().any() ? "the extra measurements ("
                + extrasNames(spec.measurement().extras()) + ")" : "";
        return new Estimate(total, low, high, n, first.size(), steps, warmRuns, runs.stepTimes().length, median, fixed, g,
                reduced, warmSeconds, work, (System.nanoTime() - t0) / 1e9, notes);
    }

    /** The q-quantile of sorted values (linear interpolation); 0 when empty. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return 0;
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /** The extra measurements of {@code x} by their options' names. */
    static String extrasNames(SweepSpec.Extras x) {
        List<String> n = new java.util.ArrayList<>();
        if (x.sharpness() || x.sharpnessEvery() > 0) n.add("sharpness");
        if (x.flow()) n.add("gradient flow");
        if (x.balance()) n.add("balance");
        return String.join(", ", n);
    }

    /**
     * Trains {@code cells} of the reduced spec as the sweep would (nothing written): element 0 the
     * run's wall time, element s (1 ≤ s ≤ steps) the time of step s (from the progress callback).
     */
    private static double[] timeRun(Backend backend, SweepSpec brief, SweepData data, int chunkRows, List<Cell> cells) {
        int steps = brief.training().steps();
        double[] t = new double[steps + 1];
        long[] last = new long[1];
        int[] step = new int[1];
        int perStep = cells.size() * brief.trajectoriesPerCell();
        ProgressListener clock = new ProgressListener() {
            @Override
            public void advanced(long done, long total) {
                long now = System.nanoTime();
                int s = (int) (done / perStep);
                if (s >= 1 && s <= steps && s > step[0]) {
                    t[s] = (now - last[0]) / 1e9;
                    step[0] = s;
                }
                last[0] = now;
            }
        };
        BatchRunner runner = new BatchRunner(backend, brief, data, chunkRows, 0); // no extras: no meter
        long start = System.nanoTime();
        last[0] = start;
        runner.run(cells, clock, new long[1], (long) perStep * steps);
        t[0] = (System.nanoTime() - start) / 1e9;
        return t;
    }

}
