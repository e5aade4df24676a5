package org.gdchaos.sweep;

import java.util.List;
import java.util.Locale;
import org.gdchaos.backend.Backend;
import org.gdchaos.data.DataSplit;

/**
 * A time estimate for a sweep from a short calibration on its backend: a few steps of the first
 * (largest) device batch's cells, timed, and extrapolated. Each measurement trains {@code n}
 * cells of the batch for {@code s1} and for {@code s2 > s1} steps as the sweep would (same
 * model, data, method and evaluation; nothing is written) but without the extra measurements
 * (sharpness, gradient flow, balance: their cost, which can exceed the training's, is not in
 * the estimate, and {@link Estimate#notes} says so); then
 * <pre>
 *   per step  t_step  = (t(s2) − t(s1)) / (s2 − s1)
 *   per batch t_fixed = t(s1) − s1·t_step      (set-up, initial and final evaluation, fits)
 *   estimate  T       = Σ_batches (size_b / n)·(t_fixed + S·t_step)
 * </pre>
 * for S steps. {@code n} starts at one cell and grows ×4 up to the batch's size while the runs
 * stay within the time budget (which the warm-up does not count), so small sweeps are measured
 * on their whole batch; otherwise the time is scaled linearly in cells, an upper bound where
 * {@code n} cells do not yet fill the device. One warm-up run (one cell, one step) comes first and is not counted (JIT, kernel
 * compilation).
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * @param seconds            estimated wall time of the sweep's runs (positive, finite)
     * @param cells              cells per calibration run n
     * @param batchCells         cells in the first device batch
     * @param steps              the two step counts measured, s1 and s2
     * @param secondsPerStep     t_step for n cells
     * @param secondsFixed       t_fixed for n cells
     * @param calibrationSeconds wall time of the calibration itself, warm-up included
     * @param notes              what the estimate leaves out, or "" if nothing
     */
    public record Estimate(double seconds, int cells, int batchCells, int[] steps, double secondsPerStep,
                           double secondsFixed, double calibrationSeconds, String notes) {
        /** One line saying what was measured. */
        public String measured() {
            return String.format(Locale.ROOT, "%d of the first batch's %d cell%s trained %d and %d steps: "
                            + "%.3g s per step, %.3g s set-up and wrap-up%s; calibration took %.1f s",
                    cells, batchCells, batchCells == 1 ? "" : "s", steps[0], steps[1], secondsPerStep, secondsFixed,
                    cells < batchCells ? ", scaled linearly in cells to whole batches (an upper bound while "
                            + cells + " cell" + (cells == 1 ? " leaves" : "s leave") + " the device partly idle)" : "",
                    calibrationSeconds);
        }
    }

    /**
     * Times the sweep's first batch as described above, within about {@code budgetSeconds}.
     *
     * @throws IllegalArgumentException if the plan has no batch
     */
    public static Estimate estimate(Backend backend, SweepSpec spec, DataSplit split, Plan plan, double budgetSeconds) {
        if (plan.batches().isEmpty()) throw new IllegalArgumentException("nothing to calibrate: the plan is empty");
        long t0 = System.nanoTime();
        List<Cell> first = plan.batches().get(0);
        int s1 = 1;
        int s2 = Math.min(spec.training().steps(), 3);
        try (SweepData data = new SweepData(backend, spec.training().dtype(), split, spec.training().batchSize() > 0)) {
            time(backend, spec, data, plan, first.subList(0, 1), 1); // warm-up
            long tm = System.nanoTime(); // the budget counts the measured runs
            int n = 1;
            double t1;
            double t2;
            while (true) {
                t1 = time(backend, spec, data, plan, first.subList(0, n), s1);
                t2 = s2 > s1 ? time(backend, spec, data, plan, first.subList(0, n), s2) : t1;
                double spent = (System.nanoTime() - tm) / 1e9;
                if (n >= first.size() || 4 * (t1 + t2) > budgetSeconds - spent) break;
                n = Math.min(first.size(), 4 * n);
            }
            double perStep = s2 > s1 ? (t2 - t1) / (s2 - s1) : 0;
            if (!(perStep > 0)) perStep = t2 / s2; // timing noise: the whole run as steps, an upper bound
            double fixed = Math.max(0, t1 - s1 * perStep);
            double perBatchOfN = fixed + (double) spec.training().steps() * perStep;
            double total = 0;
            for (List<Cell> b : plan.batches()) total += perBatchOfN * b.size() / n;
            String notes = spec.measurement().extras().any() ? "the extra measurements (" + extrasNames(spec.measurement().extras())
                    + ")" : "";
            return new Estimate(total, n, first.size(), new int[] {s1, s2}, perStep, fixed,
                    (System.nanoTime() - t0) / 1e9, notes);
        }
    }

    /** The extra measurements of {@code x} by their options' names. */
    static String extrasNames(SweepSpec.Extras x) {
        List<String> n = new java.util.ArrayList<>();
        if (x.sharpness() || x.sharpnessEvery() > 0) n.add("sharpness");
        if (x.flow()) n.add("gradient flow");
        if (x.balance()) n.add("balance");
        return String.join(", ", n);
    }

    /** Seconds to train {@code cells} for {@code steps} steps as the sweep would (nothing written). */
    private static double time(Backend backend, SweepSpec spec, SweepData data, Plan plan, List<Cell> cells,
                               int steps) {
        SweepSpec brief = spec.toBuilder().steps(steps).extras(SweepSpec.Extras.NONE).build();
        BatchRunner runner = new BatchRunner(backend, brief, data, plan.chunkRows(), 0); // no extras: no meter
        long t = System.nanoTime();
        runner.run(cells, ProgressListener.NONE, new long[1], (long) cells.size() * spec.trajectoriesPerCell() * steps);
        return (System.nanoTime() - t) / 1e9;
    }
}
