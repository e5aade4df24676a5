package org.gdchaos.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.DataSplit;

/**
 * Runs a sweep end to end: loads the data, plans device batches, runs them, appends each
 * finished batch to disk, and writes {@code summary.csv}, the plots and {@code run.json}.
 * With {@code resume}, cells already in {@code results.csv} are skipped (the spec must match).
 */
public final class SweepRunner {
    private final Backend backend;
    private final SweepSpec spec;
    private final Path out;
    private final boolean resume;
    private final int maxBatch;
    private final ProgressListener progress;
    private final Predicate<Cell> include;
    private final List<String> warnings = new ArrayList<>();
    private int rowsPerStep;

    /**
     * @param backend  where to compute
     * @param spec     the sweep
     * @param out      output folder
     * @param resume   finish an interrupted sweep in {@code out}
     * @param maxBatch at most this many trajectories per device batch (0 = from memory)
     * @param progress progress sink
     * @param include  which cells this process runs (all, or one shard)
     */
    public SweepRunner(Backend backend, SweepSpec spec, Path out, boolean resume, int maxBatch,
                       ProgressListener progress, Predicate<Cell> include) {
        this.backend = backend;
        this.spec = spec;
        this.out = out;
        this.resume = resume;
        this.maxBatch = maxBatch;
        this.progress = progress;
        this.include = include;
    }

    public SweepRunner(Backend backend, SweepSpec spec, Path out, boolean resume, int maxBatch,
                       ProgressListener progress) {
        this(backend, spec, out, resume, maxBatch, progress, c -> true);
    }

    /** Non-fatal problems met (e.g. a plot that could not be drawn). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Loads and checks the data of a spec against its model. */
    public static DataSplit loadData(SweepSpec spec) {
        DataSplit split = DataSpec.parse(spec.data()).load(spec.trainSize(), spec.testSize());
        if (split.features() != spec.model().inputs()) {
            throw new IllegalArgumentException("data '" + spec.data() + "' has " + split.features()
                    + " input features but the model's first layer is " + spec.model().inputs()
                    + " (set --layers " + split.features() + ",...)");
        }
        if (split.outputs() != spec.model().outputs()) {
            throw new IllegalArgumentException("data '" + spec.data() + "' has " + split.outputs()
                    + " outputs but the model's last layer is " + spec.model().outputs());
        }
        if (spec.model().loss() == Loss.CROSS_ENTROPY && !split.isClassification()) {
            throw new IllegalArgumentException("data '" + spec.data() + "' is a regression task: use --loss mse");
        }
        return split;
    }

    public SweepResult run() {
        long t0 = System.nanoTime();
        DataSplit split = loadData(spec);
        rowsPerStep = spec.batchSize() == 0 ? split.train().n() : spec.batchSize();
        planBatches(spec.cells().subList(0, 1), split); // fails fast when one cell cannot fit, before drawing P values
        double[] w0 = BatchRunner.initialParameters(spec, 0);
        double rms = 0;
        for (double v : w0) rms += v * v;
        spec.lyapunov().checkResolvable(spec.dtype(), Math.sqrt(rms / w0.length),
                spec.lyapunov().perturbedParameters(new org.gdchaos.nn.ParameterLayout(spec.model())));

        if (spec.sharpness().any() && extraColumns(spec).isEmpty()) {
            throw new IllegalArgumentException("--sharpness, --flow and --balance are not available in this build");
        }
        ResultsCsv format = new ResultsCsv(spec.lyapunov().reportedExponents(), extraColumns(spec));
        // one writer per folder: the store's lock is held until the summary, plots and run.json are written
        try (ResultStore store = new ResultStore(out, format, resume)) {
            warnings.addAll(store.warnings());
            if (resume) {
                JsonNode prev = RunInfo.previousSpec(out);
                JsonNode now = RunInfo.specTree(spec);
                if (prev != null && !prev.equals(now)) {
                    throw new IllegalArgumentException("--resume: the sweep in " + out + " was started with "
                            + "different settings; rerun with the same options (see its run.json) or choose another "
                            + "--out");
                }
            }
            Set<String> done = resume ? store.recover() : Set.of();
            List<Cell> todo = new ArrayList<>();
            int skipped = 0;
            for (Cell c : spec.cells()) {
                if (!include.test(c)) continue;
                if (done.contains(c.key())) skipped++;
                else todo.add(c);
            }
            long totalSteps = (long) todo.size() * spec.trajectoriesPerCell() * spec.steps();
            long[] doneSteps = {0};
            Plan plan = todo.isEmpty() ? new Plan(List.of(), 0, 0, "nothing left to run")
                    : planBatches(todo, split);
            progress.planned(plan, skipped);
            ObjectNode info = runInfo(plan, "running", 0, 0);
            RunInfo.write(out, info);
            if (!todo.isEmpty()) {
                try (SweepData data = new SweepData(backend, spec.dtype(), split, spec.batchSize() > 0)) {
                    BatchRunner runner = new BatchRunner(backend, spec, data, plan.chunkRows());
                    int b = 0;
                    for (List<Cell> batch : plan.batches()) {
                        List<CellOutcome> outcomes = runner.run(batch, progress, doneSteps, totalSteps);
                        store.append(outcomes);
                        progress.batchDone(++b, plan.batches().size(), batch.size());
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<CellRow> rows = store.readRows();
            List<SummaryCsv.Row> summary = SummaryCsv.summarize(rows);
            write(out.resolve("summary.csv"), SummaryCsv.render(summary));
            List<Path> plots = plots(summary, rows);
            RunInfo.write(out, runInfo(plan, "complete", seconds, doneSteps[0]));
            return new SweepResult(out, rows, summary, todo.size(), skipped, seconds, doneSteps[0], plots);
        }
    }

    private Plan planBatches(List<Cell> cells, DataSplit split) {
        return Planner.plan(cells, spec.trajectoriesPerCell(), spec.model(),
                spec.batchSize() == 0 ? split.train().n() : spec.batchSize(),
                (long) (split.train().n() + split.test().n()) * (split.features() + split.outputs()),
                spec.dtype().bytes(), backend.memoryBytes(), maxBatch, extraMemory(spec, cells.size(),
                        split.train().n(), backend.memoryBytes()));
    }

    /**
     * What the method and the extra measurements allocate beyond the training state: the tangent
     * tracker's vectors and Hessian workspace per cell; the sharpness meter's buffers for at most
     * {@code cells} trajectories (it measures in groups, so its memory is bounded by its group size).
     */
    static ExtraMemory extraMemory(SweepSpec spec, int cells, int trainRows, long memoryBytes) {
        ExtraMemory extra = ExtraMemory.NONE;
        if (spec.lyapunov().method() == org.gdchaos.lyapunov.Method.TANGENT) {
            int k = spec.lyapunov().exponents();
            extra = new ExtraMemory((2 * k + 1) + " tangent vectors and the Hessian workspace",
                    chunk -> org.gdchaos.lyapunov.TangentTracker.deviceElementsPerCell(spec.model(), k, chunk), "", 0);
        }
        SweepSpec.Extras x = spec.sharpness();
        if (x.any()) {
            extra = extra.withFixed("the sharpness/flow/balance measurements",
                    org.gdchaos.hessian.CurvatureMeter.deviceElements(memoryBytes, spec.dtype(), spec.model(),
                            Math.max(1, cells), trainRows, x.flow(), x.balance()));
        }
        return extra;
    }

    /** Extra results columns for the measurements requested in the spec. */
    static List<String> extraColumns(SweepSpec spec) {
        SweepSpec.Extras x = spec.sharpness();
        return x.any() ? org.gdchaos.hessian.ExtrasRecorder.columns(x.sharpness(), x.sharpnessEvery(),
                x.sharpnessK(), x.flow(), x.balance()) : List.of();
    }

    private ObjectNode runInfo(Plan plan, String status, double seconds, long trajSteps) {
        ObjectNode n = RunInfo.JSON.createObjectNode();
        n.put("tool", "gdchaos");
        n.put("version", RunInfo.version());
        n.put("status", status);
        n.set("spec", RunInfo.specTree(spec));
        ObjectNode be = n.putObject("backend");
        be.put("name", backend.name());
        be.put("device", backend.device());
        n.put("plan", plan.description());
        n.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        n.put("wall_seconds", seconds);
        n.put("trajectory_steps", trajSteps);
        n.put("trajectory_steps_per_second", seconds > 0 ? trajSteps / seconds : 0);
        n.put("samples_per_step", rowsPerStep);
        n.put("gflops", seconds > 0 ? trajSteps * spec.model().flopsPerSample() * rowsPerStep / seconds / 1e9 : 0);
        return n;
    }

    private List<Path> plots(List<SummaryCsv.Row> summary, List<CellRow> rows) {
        try {
            return SweepPlots.all(summary, rows, spec, out);
        } catch (RuntimeException | Error e) {
            warnings.add("plots not written: " + e);
            return List.of();
        }
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }
}
