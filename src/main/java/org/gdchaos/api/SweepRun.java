package org.gdchaos.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.gdchaos.backend.Backend;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.CellRow;
import org.gdchaos.sweep.Plan;
import org.gdchaos.sweep.ProgressListener;
import org.gdchaos.sweep.ResultStore;
import org.gdchaos.sweep.SummaryCsv;
import org.gdchaos.sweep.SweepResult;
import org.gdchaos.sweep.SweepRunner;

/**
 * One run of a {@link Sweep} on a backend, configured fluently and started by {@link #run()}:
 * <pre>{@code
 * SweepResults r = sweep.on(backend)
 *         .progress((done, total) -> { })   // optional
 *         .writeTo(Path.of("out"))          // optional: results.csv, curves.csv, summary.csv, run.json, plots
 *         .curves(true)                     // optional: per-step curves in each SweepRow
 *         .run();
 * }</pre>
 * Without {@link #writeTo(Path)} the sweep runs in a temporary folder that is deleted before
 * {@link #run()} returns; the results are in memory only. The backend must support the sweep's
 * dtype; the caller keeps ownership of it (and closes it).
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
     * @throws UncheckedIOException     when the temporary folder cannot be created or read
     */
    public SweepResults run() {
        if (resume && folder == null) throw new IllegalStateException("resume needs writeTo(folder)");
        Path dir = folder;
        boolean temporary = dir == null;
        try {
            if (temporary) dir = Files.createTempDirectory("gdchaos-sweep");
            SweepRunner runner = new SweepRunner(backend, sweep.spec(), dir, resume, maxBatch, adapter(progress));
            SweepResult r = runner.run();
            Map<Cell.Identity, Map<String, double[]>> curveMap = curves ? readCurves(dir.resolve(ResultStore.CURVES),
                    sweep.spec().training().optimizer().beta1()) : Map.of();
            List<SweepRow> rows = new ArrayList<>();
            for (CellRow c : r.rows()) rows.add(row(c, curveMap.getOrDefault(c.cell().identity(), Map.of())));
            // the grid's order, by value: learning rate, then weight decay, then momentum, then init (SweepSpec.cells())
            rows.sort(Comparator.comparingInt(SweepRow::lrIndex).thenComparingDouble(SweepRow::weightDecay)
                    .thenComparingDouble(SweepRow::momentum).thenComparingInt(SweepRow::init));
            List<LearningRateSummary> summary = new ArrayList<>();
            for (SummaryCsv.Row s : r.summary()) {
                summary.add(LearningRateSummary.of(s));
            }
            return new SweepResults(rows, summary, temporary ? java.util.Optional.empty()
                    : java.util.Optional.of(dir), r.cellsRun(), r.seconds(), r.trajectorySteps(), runner.warnings());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temporary && dir != null) deleteTree(dir);
        }
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

    /**
     * Reads {@code curves.csv} (header {@code lr_index,lr,wd_index,weight_decay,init,step,NAME…} or, before
     * weight decay, {@code lr_index,lr,init,step,NAME…}; one line per cell and step, steps 0 … S in
     * order) into per-cell curves keyed by {@link Cell#identity()} (a file without a {@code momentum} column:
     * {@code absentMomentum}, the sweep's optimizer's β).
     */
    static Map<Cell.Identity, Map<String, double[]>> readCurves(Path file, double absentMomentum) throws IOException {
        Map<Cell.Identity, Map<String, double[]>> out = new HashMap<>();
        if (!Files.exists(file)) return out;
        Map<Cell.Identity, List<double[]>> lines = new LinkedHashMap<>();
        String[] names;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) return out;
            String[] h = header.split(",");
            int first = org.gdchaos.sweep.CurvesCsv.firstCurve(h);
            names = java.util.Arrays.copyOfRange(h, first, h.length);
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                if (l.isEmpty()) continue;
                String[] f = l.split(",");
                if (f.length != h.length) throw new IllegalStateException(file + ": a line has " + f.length
                        + " fields, the header " + h.length);
                double[] v = new double[names.length];
                for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(f[first + i]);
                lines.computeIfAbsent(org.gdchaos.sweep.CurvesCsv.identity(h, f, absentMomentum), k -> new ArrayList<>()).add(v);
            }
        }
        for (Map.Entry<Cell.Identity, List<double[]>> e : lines.entrySet()) {
            List<double[]> steps = e.getValue();
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int j = 0; j < names.length; j++) {
                double[] c = new double[steps.size()];
                for (int s = 0; s < c.length; s++) c[s] = steps.get(s)[j];
                m.put(names[j], c);
            }
            out.put(e.getKey(), m);
        }
        return out;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a finished sweep for
        }
    }
}
