package org.gdchaos.sweep;

import org.gdchaos.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
import java.time.Instant;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.DataSplit;

/**
 * Runs a sweep end to end: loads the data, plans device batches, runs them, appends each
 * finished batch to disk, and writes {@code summary.csv}, {@code run.json}, the figures and {@code report.html}.
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
    private Invocation invocation = Invocation.JAVA_API;
    private int rowsPerStep;
    /** run.json's {@code data} member ({@link #describe}), once the data is loaded. */
    private ObjectNode dataInfo;
    private org.gdchaos.plot.PlotOptions plotOptions = org.gdchaos.plot.PlotOptions.DEFAULT;
    private boolean writeReport = true;
    private final Map<String, JsonNode> annotations = new LinkedHashMap<>();

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

    /** Records in run.json what started this run (the Java API unless told otherwise); returns this. */
    public SweepRunner invokedBy(Invocation how) {
        invocation = java.util.Objects.requireNonNull(how, "how");
        return this;
    }

    /** Size and formats of the figures (default {@link org.gdchaos.plot.PlotOptions#DEFAULT}); returns this. */
    public SweepRunner plotOptions(org.gdchaos.plot.PlotOptions options) {
        this.plotOptions = java.util.Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Whether the run ends with the figures and report.html (default true); a driver that runs a
     * folder in several steps (the onset search) writes its own at the end. Returns this.
     */
    public SweepRunner reporting(boolean write) {
        this.writeReport = write;
        return this;
    }

    /** Adds a member {@code key} to run.json (e.g. the onset search's settings); returns this. */
    public SweepRunner annotate(String key, JsonNode value) {
        annotations.put(java.util.Objects.requireNonNull(key, "key"), value.deepCopy());
        return this;
    }

    /** Non-fatal problems met (e.g. a plot that could not be drawn). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Loads and checks the data of a spec against its model. */
    public static DataSplit loadData(SweepSpec spec) {
        return check(spec, loaded(spec).split());
    }

    private static DataSpec.Loaded loaded(SweepSpec spec) {
        return DataSpec.loadWithStatistics(spec.data().spec(), spec.data().testData(), spec.data().normalize(),
                spec.data().trainSize(), spec.data().testSize());
    }

    /**
     * run.json's {@code data}: what was loaded — train and test set (name, samples), features, sample shape,
     * outputs, task, and with {@code --normalize unit|standard} (or {@code none} on image bytes) the per-feature
     * map {@code x ↦ (x − shift)·scale} from the training set.
     */
    static ObjectNode describe(DataSpec.Loaded loaded) {
        DataSplit s = loaded.split();
        ObjectNode n = RunInfo.JSON.createObjectNode();
        n.putObject("train").put("name", s.train().name()).put("samples", s.train().n());
        n.putObject("test").put("name", s.test().name()).put("samples", s.test().n());
        n.put("features", s.features());
        n.put("shape", s.shape().toString());
        n.put("outputs", s.outputs());
        n.put("task", s.isClassification() ? "classification" : "regression");
        org.gdchaos.data.Normalization.Statistics st = loaded.statistics();
        if (st != null) {
            ObjectNode m = n.putObject("normalization");
            m.put("method", st.method().label());
            java.util.Arrays.stream(st.shift()).forEach(m.putArray("shift")::add);
            java.util.Arrays.stream(st.scale()).forEach(m.putArray("scale")::add);
        }
        return n;
    }

    /** Checks loaded data against the spec's model; returns it. */
    private static DataSplit check(SweepSpec spec, DataSplit split) {
        org.gdchaos.nn.ModelSpec net = spec.model().network();
        if (!net.inputShape().isFlat()) { // an image network reads images of exactly its shape
            if (!split.shape().equals(net.inputShape())) {
                throw new InputException(org.gdchaos.nn.ArchSyntax.KEY, "data '" + spec.data().spec() + "' has samples of "
                        + "shape " + split.shape() + " but the network reads " + net.inputShape() + " (leave input: out of "
                        + "the architecture to read the data's shape, or start it with input:" + split.shape() + ")");
            }
        } else if (split.features() != net.inputs()) {
            if (net.isMlp()) {
                throw new InputException("model.network.widths", "data '" + spec.data().spec() + "' has " + split.features()
                        + " input features but the model's first layer is " + net.inputs()
                        + " (make the layer widths start with " + split.features() + ")");
            }
            throw new InputException(org.gdchaos.nn.ArchSyntax.KEY, "data '" + spec.data().spec() + "' has "
                    + split.features() + " input features (samples of shape " + split.shape() + ") but the network reads "
                    + "a flat input of " + net.inputs() + " (leave input: out of the architecture to read the data's shape)");
        }
        if (split.outputs() != net.outputs()) {
            throw new InputException(net.isMlp() ? "model.network.widths" : org.gdchaos.nn.ArchSyntax.KEY, "data '"
                    + spec.data().spec() + "' has " + split.outputs() + " outputs but the model's last layer is "
                    + net.outputs());
        }
        if (spec.training().batchSize() > split.train().n()) {
            throw new InputException("training.batchSize", "minibatches of " + spec.training().batchSize() + " samples "
                    + "exceed the " + split.train().n() + " training samples (use at most " + split.train().n()
                    + ", or full batch)");
        }
        if (spec.model().network().loss() == Loss.CROSS_ENTROPY && !split.isClassification()) {
            throw new InputException("model.network.loss", "data '" + spec.data().spec() + "' is a regression task: use the "
                    + "mean-squared-error loss");
        }
        return split;
    }

    /**
     * What {@link #run} would do, without running the sweep or touching the output folder: the
     * plan for the cells this process runs (all, or one shard; cells a resumed run would skip are
     * not subtracted) and, with {@code calibrationBudgetSeconds > 0}, a time estimate from a short
     * calibration on the backend ({@link Calibration}).
     */
    public Preview preview(double calibrationBudgetSeconds) {
        checkCurvesFit(spec, Runtime.getRuntime().maxMemory());
        DataSplit split = loadData(spec);
        rowsPerStep = spec.training().batchSize() == 0 ? split.train().n() : spec.training().batchSize();
        List<Cell> todo = spec.cells().stream().filter(include).toList();
        Plan plan = todo.isEmpty() ? new Plan(List.of(), 0, 0, "nothing to run")
                : planBatches(todo, split, backend.memoryBytes());
        Calibration.Estimate estimate = calibrationBudgetSeconds > 0 && !todo.isEmpty()
                ? Calibration.estimate(backend, spec, split, plan, calibrationBudgetSeconds) : null;
        return new Preview(plan, (long) todo.size() * spec.trajectoriesPerCell() * spec.training().steps(), estimate);
    }

    /**
     * A sweep's plan before it runs.
     *
     * @param plan             the device batches
     * @param trajectorySteps  trajectories × steps of the planned cells
     * @param estimate         the time estimate, or null when not calibrated
     */
    public record Preview(Plan plan, long trajectorySteps, Calibration.Estimate estimate) {
    }

    public SweepResult run() {
        long t0 = System.nanoTime();
        checkCurvesFit(spec, Runtime.getRuntime().maxMemory());
        DataSpec.Loaded loaded = loaded(spec);
        DataSplit split = check(spec, loaded.split());
        dataInfo = describe(loaded);
        rowsPerStep = spec.training().batchSize() == 0 ? split.train().n() : spec.training().batchSize();
        planBatches(spec.cells().subList(0, 1), split, backend.memoryBytes()); // fails fast when one cell cannot fit, before drawing P values
        double[] w0 = BatchRunner.initialParameters(spec, 0);
        double max = 0;
        for (double v : w0) {
            if (!Double.isFinite(v)) {
                throw new InputException("model.init", "the initial parameters overflow (" + v + "): the init '"
                        + spec.model().init() + "' draws numbers beyond the floating-point range; use a smaller scale");
            }
            max = Math.max(max, Math.abs(v));
        }
        double rms = 0; // scaled by the largest magnitude, so that squaring cannot overflow
        if (max > 0) for (double v : w0) rms += (v / max) * (v / max);
        spec.lyapunov().checkResolvable(spec.training().dtype(), max * Math.sqrt(rms / w0.length),
                new org.gdchaos.nn.ParameterLayout(spec.model().network()), spec.training().optimizer());

        ResultsCsv format = ResultsCsv.of(spec);
        // one writer per folder: the store's lock is held until the summary, plots and run.json are written
        try (ResultStore store = new ResultStore(out, format, resume)) {
            warnings.addAll(store.warnings());
            ObjectNode previous = resume ? RunInfo.previous(out) : null;
            if (previous != null && previous.get("spec") != null) checkSameSweep(out, previous.get("spec"), spec);
            Set<Cell.Identity> done = resume ? store.recover(spec.training().steps() + 1, spec) : Set.of();
            warnings.addAll(store.repairs());
            List<Cell> todo = new ArrayList<>();
            int skipped = 0;
            for (Cell c : spec.cells()) {
                if (!include.test(c)) continue;
                if (done.contains(c.identity())) skipped++;
                else todo.add(c);
            }
            long totalSteps = (long) todo.size() * spec.trajectoriesPerCell() * spec.training().steps();
            long[] doneSteps = {0};
            long memory = backend.memoryBytes(); // one reading for the plan and the extras' chunk
            Plan plan = todo.isEmpty() ? new Plan(List.of(), 0, 0, "nothing left to run")
                    : planBatches(todo, split, memory);
            progress.planned(plan, skipped);
            RunInfo.History history = new RunInfo.History(previous, Instant.now(), todo.size(), invocation);
            RunInfo.write(out, runInfo(plan, "running", history.update(0, 0, 0)));
            if (!todo.isEmpty()) {
                try (SweepData data = new SweepData(backend, spec.training().dtype(), split, spec.training().batchSize() > 0)) {
                    BatchRunner runner = new BatchRunner(backend, spec, data, plan.chunkRows(),
                            ExtraMemory.meterChunk(spec, spec.cells().size(), split.train().n(), memory));
                    int b = 0;
                    int cellsDone = 0;
                    for (List<Cell> batch : plan.batches()) {
                        List<CellOutcome> outcomes = runner.run(batch, progress, doneSteps, totalSteps);
                        store.append(outcomes);
                        cellsDone += batch.size();
                        RunInfo.write(out, runInfo(plan, "running", history.update(cellsDone,
                                (System.nanoTime() - t0) / 1e9, doneSteps[0])));
                        progress.batchDone(++b, plan.batches().size(), batch.size());
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<CellRow> rows = store.readRows();
            List<SummaryCsv.Row> summary = SummaryCsv.summarize(rows, spec.training().optimizer());
            write(out.resolve("summary.csv"), SummaryCsv.render(summary));
            history.update(todo.size(), seconds, doneSteps[0]);
            ObjectNode info = runInfo(plan, "complete", history.finish("complete"));
            RunInfo.write(out, info);
            List<Path> plots = writeReport ? report(summary, rows, info) : List.of();
            return new SweepResult(out, rows, summary, todo.size(), skipped, seconds, doneSteps[0], plots);
        }
    }

    /**
     * Refuses to resume the sweep recorded in {@code out} with other settings, naming each that
     * differs; the recorded spec is read as a value (of this version or the flat one before it).
     */
    static void checkSameSweep(Path out, JsonNode recorded, SweepSpec spec) {
        SweepSpec was;
        try {
            was = SpecJson.read(recorded);
        } catch (InputException e) {
            throw new OutputFolderException("cannot resume the sweep in " + out + ": " + e.getMessage()
                    + "; choose another output folder");
        }
        List<SpecDifference> diff = SpecJson.differences(was, spec);
        if (!diff.isEmpty()) {
            throw new OutputFolderException(name -> "cannot resume: the sweep in " + out + " was started with "
                    + "different settings (" + SpecDifference.describe(diff, name, "in the folder", "now")
                    + "); resume with the settings in its " + RunInfo.FILE + ", or choose another output folder");
        }
    }

    private Plan planBatches(List<Cell> cells, DataSplit split, long memory) {
        return Planner.plan(Planner.Request.builder(cells, spec.model().network())
                .trajectoriesPerCell(spec.trajectoriesPerCell())
                .rowsPerStep(spec.training().batchSize() == 0 ? split.train().n() : spec.training().batchSize())
                .dataElements((long) (split.train().n() + split.test().n()) * (split.features() + split.outputs()))
                .elementBytes(spec.training().dtype().bytes()).memoryBytes(memory).maxTrajectories(maxBatch)
                // the whole grid, not the cells to run: the chunk is then the same for every shard and resume
                .extra(ExtraMemory.of(spec, spec.cells().size(), split.train().n(), memory)).build());
    }

    /** Extra results columns for the measurements requested in the spec ({@link ResultsCsv#extraColumns}). */
    static List<String> extraColumns(SweepSpec spec) {
        return ResultsCsv.extraColumns(spec.measurement().extras());
    }

    /**
     * run.json: the spec, the provenance of this run ({@link RunInfo#provenance}: version, commit, host,
     * Java, command), backend, plan, and the history of every run on this folder ({@link RunInfo.History},
     * each with its start and end); {@code wall_seconds}, {@code trajectory_steps} and the rates are
     * totals over all runs.
     */
    private ObjectNode runInfo(Plan plan, String status, RunInfo.History history) {
        ObjectNode n = RunInfo.JSON.createObjectNode();
        n.put("tool", "gdchaos");
        n.put(RunJsonUpgrade.MEMBER, RunJsonUpgrade.FORMAT);
        n.put("status", status);
        RunInfo.provenance(n, invocation);
        n.set("spec", SpecJson.tree(spec));
        if (dataInfo != null) n.set("data", dataInfo);
        ObjectNode be = n.putObject("backend");
        be.put("name", backend.name());
        be.put("device", backend.device());
        n.put("plan", plan.description());
        double seconds = history.totalSeconds();
        long trajSteps = history.totalTrajectorySteps();
        n.put("wall_seconds", seconds);
        n.put("trajectory_steps", trajSteps);
        n.put("trajectory_steps_per_second", seconds > 0 ? trajSteps / seconds : 0);
        n.put("samples_per_step", rowsPerStep);
        double flops = spec.model().network().flopsPerSample();
        n.put("gflops", seconds > 0 ? trajSteps * flops * rowsPerStep / seconds / 1e9 : 0);
        n.set("runs", history.runs(plan.description(), backend.name(), backend.device()));
        annotations.forEach(n::set);
        return n;
    }

    /**
     * Values each cell holds per step on the host, an upper bound: the loss and test-accuracy
     * curves, the method's per-step arrays
     * ({@link org.gdchaos.lyapunov.LyapunovMethod#curveValuesPerStep}) and the extra measurements' curves (×2
     * for their copies).
     */
    static long curveValuesPerStep(SweepSpec spec) {
        long method = spec.lyapunov().method().impl().curveValuesPerStep(spec.lyapunov());
        return 2 + method + 2L * extraColumns(spec).size();
    }

    /**
     * Host bytes one cell's per-step data needs: {@code (S+1)·v·8} for its arrays
     * ({@link #curveValuesPerStep}) plus its curves.csv text, at most {@value #CSV_BYTES_PER_VALUE}
     * bytes per value written, held three times while it is built, converted and written.
     */
    static long curveBytesPerCell(SweepSpec spec) {
        long steps = spec.training().steps() + 1L;
        // lr_index, lr, wd_index, weight_decay, (optimizer, momentum_index, momentum,) init, step + every curve
        long columns = (spec.training().optimizer().isGd() ? 6 : 9) + curveValuesPerStep(spec);
        return steps * curveValuesPerStep(spec) * 8 + steps * columns * CSV_BYTES_PER_VALUE * 3;
    }

    static final int CSV_BYTES_PER_VALUE = 25;

    /**
     * One cell's per-step curves must fit in half the JVM's heap ({@code maxHeap}), before anything
     * is loaded or allocated; the planner then packs cells into batches counting these bytes too.
     *
     * @throws InputException naming the steps, the bytes needed and the heap
     */
    static void checkCurvesFit(SweepSpec spec, long maxHeap) {
        long need = curveBytesPerCell(spec);
        if (need > maxHeap / 2) {
            throw new InputException("training.steps", String.format(java.util.Locale.ROOT, "%,d steps: one cell's per-step "
                    + "curves (%d values per step and their curves.csv text) need %s, but the Java heap is %s: use "
                    + "fewer steps, or a larger heap (JAVA_OPTS=-Xmx…)", spec.training().steps(), curveValuesPerStep(spec),
                    Planner.human(need), Planner.human(maxHeap)));
        }
    }

    /**
     * The figures and report.html ({@link Report#write}); a failure to draw is a warning, the results
     * stand; a failure to write them (full disk, read-only folder) is an {@link OutputFolderException}.
     */
    private List<Path> report(List<SummaryCsv.Row> summary, List<CellRow> rows, ObjectNode info) {
        try {
            List<Cell> mine = spec.cells().stream().filter(include).toList(); // a shard's cells, or all
            return Report.write(out, spec, mine, info, rows, summary, plotOptions, List.of());
        } catch (OutputFolderException e) { // a full disk or unwritable folder fails the run (exit 4), not a warning
            throw e;
        } catch (RuntimeException e) { // an Error (out of memory, …) is not a warning: it fails the run
            warnings.add("plots or " + Report.FILE + " not written: " + e);
            return List.of();
        }
    }

    private static void write(Path p, String text) {
        org.gdchaos.io.AtomicFiles.writeString(p, text, why -> OutputFolderException.resumable(why + "; the cells are saved: "
                + "free space or fix the folder, then resume the sweep"));
    }
}
