package org.gdchaos.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.gdchaos.backend.Backend;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.run.Plan;
import org.gdchaos.sweep.run.ProgressListener;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.run.SweepResult;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.store.CurvesCsv;
import org.gdchaos.sweep.store.ResultCollector;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.run.Plan;
import org.gdchaos.sweep.run.ProgressListener;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.run.SweepResult;
import org.gdchaos.sweep.run.SweepRunner;


/**
 * One run of a {@link Sweep} on a backend, configured fluently and started by {@link #run()}:
 * <pre>{@code
 * SweepResults r = sweep.on(backend)
 *         .progress((done, total) -> { })   // optional
 *         .writeTo(Path.of("out"))          // optional: results.csv, curves.csv, summary.csv, run.json, plots
 *         .curves(true)                     // optional: per-step curves in each SweepRow
 *         .run();
 * }</pre>
 * The results are kept in memory as the cells finish ({@link ResultCollector}); without
 * {@link #writeTo(Path)} nothing is written to disk, with it the usual files are written as well
 * ({@link org.gdchaos.sweep.store.ResultStore}). The numbers are the same either way: the files write
 * each double as {@link Double#toString}, which reads back as the same double. The backend must support
 * the sweep's dtype; the caller keeps ownership of it (and closes it).
 */
public final class SweepRun {
    private final Sweep sweep;
    private final Backend backend;
    private SweepProgress progress = SweepProgress.NONE;
    private Path folder;
    private boolean resume;
    private boolean curves;
    private int maxBatch;

    SweepRun(Sweep sweep, Backend backend) {
        this.sweep = sweep;
        this.backend = backend;
    }

    /** Where progress goes (default: nowhere). */
    public SweepRun progress(SweepProgress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Also write the usual files to {@code folder} (created if missing); it must not already hold
     * a sweep unless {@link #resume(boolean)} is set.
     */
    public SweepRun writeTo(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder");
        return this;
    }

    /** Finish an interrupted sweep in the {@link #writeTo(Path)} folder (its settings must match). */
    public SweepRun resume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /** Keep every cell's per-step curves in {@link SweepRow#curves()} (memory: cells × steps × curves). */
    public SweepRun curves(boolean keep) {
        this.curves = keep;
        return this;
    }

    /** At most this many trajectories per device batch (0, the default: planned from the backend's memory). */
    public SweepRun maxBatch(int trajectories) {
        if (trajectories < 0) throw new IllegalArgumentException("maxBatch must be ≥ 0, got " + trajectories);
        this.maxBatch = trajectories;
        return this;
    }

    /**
     * Runs the sweep to the end.
     *
     * @throws IllegalArgumentException for settings the data or the backend cannot meet (one line)
     * @throws IllegalStateException    when resume is set without a folder
     */
    public SweepResults run() {
        if (resume && folder == null) throw new IllegalStateException("resume needs writeTo(folder)");
        ResultCollector memory = new ResultCollector(curves);
        SweepRunner runner = new SweepRunner(backend, sweep.spec(), SweepRunner.Options.builder().out(folder)
                .resume(resume).maxBatch(maxBatch).progress(adapter(progress)).collectInto(memory).build());
        SweepResult r = runner.run();
        Map<Cell.Identity, Map<String, double[]>> curveMap = curves ? curves(r, memory, sweep.spec()) : Map.of();
        List<SweepRow> rows = new ArrayList<>();
        for (CellRow c : r.rows()) rows.add(row(c, curveMap.getOrDefault(c.cell().identity(), Map.of())));
        // the grid's order, by value: learning rate, then weight decay, then momentum, then init (SweepSpec.cells())
        rows.sort(Comparator.comparingInt(SweepRow::lrIndex).thenComparingDouble(SweepRow::weightDecay)
                .thenComparingDouble(SweepRow::momentum).thenComparingInt(SweepRow::init));
        List<LearningRateSummary> summary = new ArrayList<>();
        for (SummaryCsv.Row s : r.summary()) {
            summary.add(LearningRateSummary.of(s));
        }
        return new SweepResults(rows, summary, Optional.ofNullable(r.dir()), r.cellsRun(), r.seconds(),
                r.trajectorySteps(), runner.warnings());
    }

    /**
     * The curves of every row of {@code r}: those of the cells this run computed from memory; with a
     * resumed folder, those an earlier run left from its curves.csv.
     */
    private static Map<Cell.Identity, Map<String, double[]>> curves(SweepResult r, ResultCollector memory, org.gdchaos.sweep.SweepSpec spec) {
        Map<Cell.Identity, Map<String, double[]>> all = new HashMap<>(memory.curves());
        if (r.cellsSkipped() > 0 && r.dir() != null) {
            CurvesCsv.read(r.dir().resolve(ResultStore.CURVES), spec.training().optimizer().beta1()).forEach(all::putIfAbsent);
        }
        return all;
    }

    private static SweepRow row(CellRow c, Map<String, double[]> curves) {
        return new SweepRow(c.cell().lrIndex(), c.cell().lr(), c.cell().weightDecay(), c.cell().momentum(), c.cell().init(), c.seed(), c.exponents(),
                c.exponentStdErrs(), c.fitR2(), c.fitPoints(), c.fitFewPoints(), c.kaplanYorke(), c.finalLoss(),
                c.trainAcc(), c.testLoss(), c.testAcc(), c.stepsToThreshold(), c.diverged(), c.divergedStep(),
                c.precisionLost(), c.gradNorm(), c.converged(), c.extras(), curves);
    }

    private static ProgressListener adapter(SweepProgress p) {
        return new ProgressListener() {
            @Override
            public void planned(Plan plan, int cellsAlreadyDone) {
                int cells = plan.batches().stream().mapToInt(List::size).sum();
                p.planned(cells, cellsAlreadyDone, plan.batches().size());
            }

            @Override
            public void advanced(long done, long total) {
                p.advanced(done, total);
            }

            @Override
            public void batchDone(int batchIndex, int batches, int cellsInBatch) {
                p.batchDone(batchIndex, batches, cellsInBatch);
            }
        };
    }
}
