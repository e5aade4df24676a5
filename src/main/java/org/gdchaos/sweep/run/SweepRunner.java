package org.gdchaos.sweep.run;

import org.gdchaos.sweep.store.RunJsonUpgrade;

import org.gdchaos.sweep.store.ResultCollector;
import org.gdchaos.sweep.store.ResultSink;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellOutcome;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.Invocation;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.report.Report;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.SpecDifference;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.Setting;
import org.gdchaos.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.time.Instant;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.DataSplit;

/**
 * Runs a sweep end to end: loads the data, plans device batches, runs them, and hands each finished
 * batch to a {@link ResultSink}: with an output folder ({@link Options#out}) a {@link ResultStore}, which
 * appends it to disk and writes {@code summary.csv} and {@code run.json}, then the figures and
 * {@code report.html} are drawn; without one a {@link ResultCollector} in memory, and nothing is written.
 * With {@code resume}, cells already in the folder's {@code results.csv} are skipped (the spec must match).
 */
public final class SweepRunner {
    private final Backend backend;
    private final SweepSpec spec;
    private final Options options;
    private final List<String> warnings = new ArrayList<>();

    /**
     * How a sweep runs, beside its spec and backend (build with {@link #builder()}; every setting has a default).
     *
     * @param out         output folder, or null to write nothing (the results stay in memory)
     * @param resume      finish an interrupted sweep in {@code out}
     * @param maxBatch    at most this many trajectories per device batch (0 = from memory)
     * @param progress    progress sink
     * @param include     which cells this process runs (all, or one shard)
     * @param invocation  what started this run, for run.json (the Java API by default)
     * @param plotOptions size and formats of the figures
     * @param report      whether a run with a folder ends with the figures and report.html; a driver that
     *                    runs a folder in several steps (the onset search) writes its own at the end
     * @param annotations further run.json members (e.g. the onset search's settings), in order
     * @param collector   where the outcomes are also kept in memory (null: nowhere); without {@code out},
     *                    the sink itself
     */
    public record Options(Path out, boolean resume, int maxBatch, ProgressListener progress, Predicate<Cell> include,
                          Invocation invocation, org.gdchaos.plot.PlotOptions plotOptions, boolean report,
                          Map<String, JsonNode> annotations, ResultCollector collector) {
        public Options {
            if (resume && out == null) throw new IllegalArgumentException("resume needs an output folder");
            java.util.Objects.requireNonNull(progress, "progress");
            java.util.Objects.requireNonNull(include, "include");
            java.util.Objects.requireNonNull(invocation, "invocation");
            java.util.Objects.requireNonNull(plotOptions, "plotOptions");
            Map<String, JsonNode> copy = new LinkedHashMap<>();
            annotations.forEach((k, v) -> copy.put(java.util.Objects.requireNonNull(k, "key"), v.deepCopy()));
            annotations = java.util.Collections.unmodifiableMap(copy);
        }

        /** No folder, batches from memory, no progress, every cell, the Java API, default figures, a report. */
        public static Builder builder() {
            return new Builder();
        }

        /** The options, named one by one. */
        public static final class Builder {
            private Path out;
            private boolean resume;
            private int maxBatch;
            private ProgressListener progress = ProgressListener.NONE;
            private Predicate<Cell> include = c -> true;
            private Invocation invocation = Invocation.JAVA_API;
            private org.gdchaos.plot.PlotOptions plotOptions = org.gdchaos.plot.PlotOptions.DEFAULT;
            private boolean report = true;
            private final Map<String, JsonNode> annotations = new LinkedHashMap<>();
            private ResultCollector collector;

            private Builder() {
            }

            /** Writes the usual files to {@code folder} (null: none). */
            public Builder out(Path folder) {
                this.out = folder;
                return this;
            }

            /** Finishes the interrupted sweep in the {@link #out} folder. */
            public Builder resume(boolean resume) {
                this.resume = resume;
                return this;
            }

            /** At most this many trajectories per device batch (0: planned from the backend's memory). */
            public Builder maxBatch(int trajectories) {
                this.maxBatch = trajectories;
                return this;
            }

            public Builder progress(ProgressListener progress) {
                this.progress = progress;
                return this;
            }

            /** Runs only the cells {@code include} accepts (a shard, the onset search's next cells). */
            public Builder include(Predicate<Cell> include) {
                this.include = include;
                return this;
            }

            /** Records in run.json what started this run. */
            public Builder invokedBy(Invocation how) {
                this.invocation = how;
                return this;
            }

            public Builder plotOptions(org.gdchaos.plot.PlotOptions options) {
                this.plotOptions = options;
                return this;
            }

            /** Whether a run with a folder ends with the figures and report.html (default true). */
            public Builder report(boolean write) {
                this.report = write;
                return this;
            }

            /** Adds a member {@code key} to run.json. */
            public Builder annotate(String key, JsonNode value) {
                annotations.put(key, value);
                return this;
            }

            /** Also keeps the outcomes in {@code collector} (with a folder: as well as writing them). */
            public Builder collectInto(ResultCollector collector) {
                this.collector = collector;
                return this;
            }

            public Options build() {
                return new Options(out, resume, maxBatch, progress, include, invocation, plotOptions, report,
                        annotations, collector);
            }
        }
    }

    /**
     * @param backend where to compute
     * @param spec    the sweep
     * @param options where the results go and how the run is driven
     */
    public SweepRunner(Backend backend, SweepSpec spec, Options options) {
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        this.spec = java.util.Objects.requireNonNull(spec, "spec");
        this.options = java.util.Objects.requireNonNull(options, "options");
    }

    /** Non-fatal problems met (e.g. a plot that could not be drawn). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Training samples behind each step's loss and gradient: the minibatch size, or with full batch
     * ({@code batchSize} 0) every training sample.
     */
    static int rowsPerStep(SweepSpec spec, DataSplit split) {
        return spec.training().batchSize() == 0 ? split.train().n() : spec.training().batchSize();
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
                throw new InputException(Setting.ARCH.key(), "data '" + spec.data().spec() + "' has samples of "
                        + "shape " + split.shape() + " but the network reads " + net.inputShape() + " (leave input: out of "
                        + "the architecture to read the data's shape, or start it with input:" + split.shape() + ")");
            }
        } else if (split.features() != net.inputs()) {
            if (net.isMlp()) {
                throw new InputException(Setting.WIDTHS.key(), "data '" + spec.data().spec() + "' has " + split.features()
                        + " input features but the model's first layer is " + net.inputs()
                        + " (make the layer widths start with " + split.features() + ")");
            }
            throw new InputException(Setting.ARCH.key(), "data '" + spec.data().spec() + "' has "
                    + split.features() + " input features (samples of shape " + split.shape() + ") but the network reads "
                    + "a flat input of " + net.inputs() + " (leave input: out of the architecture to read the data's shape)");
        }
        if (split.outputs() != net.outputs()) {
            throw new InputException(net.isMlp() ? Setting.WIDTHS.key() : Setting.ARCH.key(), "data '"
                    + spec.data().spec() + "' has " + split.outputs() + " outputs but the model's last layer is "
                    + net.outputs());
        }
        if (spec.training().batchSize() > split.train().n()) {
            throw new InputException(Setting.BATCH_SIZE.key(), "minibatches of " + spec.training().batchSize() + " samples "
                    + "exceed the " + split.train().n() + " training samples (use at most " + split.train().n()
                    + ", or full batch)");
        }
        if (spec.model().network().loss() == Loss.CROSS_ENTROPY && !split.isClassification()) {
            throw new InputException(Setting.LOSS.key(), "data '" + spec.data().spec() + "' is a regression task: use the "
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
        List<Cell> todo = spec.cells().stream().filter(options.include()).toList();
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

    /**
     * Runs the sweep into its sink ({@link ResultSink}: the {@link Options#out} folder, with the
     * {@link Options#collector} beside it; or, without a folder, the collector or a new one).
     *
     * @return the rows the sink holds, their summary, and what this run did; {@link SweepResult#dir()} is
     *         null when nothing was written
     */
    public SweepResult run() {
        long t0 = System.nanoTime();
        checkCurvesFit(spec, Runtime.getRuntime().maxMemory());
        DataSpec.Loaded loaded = loaded(spec);
        DataSplit split = check(spec, loaded.split());
        ObjectNode dataInfo = describe(loaded);
        planBatches(spec.cells().subList(0, 1), split, backend.memoryBytes()); // fails fast when one cell cannot fit, before drawing P values
        double[] w0 = BatchRunner.initialParameters(spec, 0);
        double max = 0;
        for (double v : w0) {
            if (!Double.isFinite(v)) {
                throw new InputException(Setting.INIT.key(), "the initial parameters overflow (" + v + "): the init '"
                        + spec.model().init() + "' draws numbers beyond the floating-point range; use a smaller scale");
            }
            max = Math.max(max, Math.abs(v));
        }
        double rms = 0; // scaled by the largest magnitude, so that squaring cannot overflow
        if (max > 0) for (double v : w0) rms += (v / max) * (v / max);
        spec.lyapunov().checkResolvable(spec.training().dtype(), max * Math.sqrt(rms / w0.length),
                new org.gdchaos.nn.ParameterLayout(spec.model().network()), spec.training().optimizer());

        RunRecord record = new RunRecord(dataInfo, rowsPerStep(spec, split));
        // one writer per folder: the store's lock is held until the summary, plots and run.json are written
        try (ResultSink sink = openSink()) {
            warnings.addAll(sink.warnings());
            Path out = sink.folder().orElse(null);
            ObjectNode previous = sink.previousRun();
            if (previous != null && previous.get("spec") != null) checkSameSweep(out, previous.get("spec"), spec);
            Set<Cell.Identity> done = sink.resumed(spec);
            warnings.addAll(sink.repairs());
            List<Cell> todo = new ArrayList<>();
            int skipped = 0;
            for (Cell c : spec.cells()) {
                if (!options.include().test(c)) continue;
                if (done.contains(c.identity())) skipped++;
                else todo.add(c);
            }
            long totalSteps = (long) todo.size() * spec.trajectoriesPerCell() * spec.training().steps();
            long[] doneSteps = {0};
            long memory = backend.memoryBytes(); // one reading for the plan and the extras' chunk
            Plan plan = todo.isEmpty() ? new Plan(List.of(), 0, 0, "nothing left to run")
                    : planBatches(todo, split, memory);
            ProgressListener progress = options.progress();
            progress.planned(plan, skipped);
            RunInfo.History history = new RunInfo.History(previous, Instant.now(), todo.size(), options.invocation());
            sink.started(runInfo(plan, "running", history.update(0, 0, 0), record));
            if (!todo.isEmpty()) {
                try (SweepData data = new SweepData(backend, spec.training().dtype(), split, spec.training().batchSize() > 0)) {
                    BatchRunner runner = new BatchRunner(backend, spec, data, plan.chunkRows(),
                            ExtraMemory.meterChunk(spec, spec.cells().size(), split.train().n(), memory));
                    int b = 0;
                    int cellsDone = 0;
                    for (List<Cell> batch : plan.batches()) {
                        List<CellOutcome> outcomes = runner.run(batch, progress, doneSteps, totalSteps);
                        sink.append(outcomes);
                        cellsDone += batch.size();
                        sink.progressed(runInfo(plan, "running", history.update(cellsDone,
                                (System.nanoTime() - t0) / 1e9, doneSteps[0]), record));
                        progress.batchDone(++b, plan.batches().size(), batch.size());
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<CellRow> rows = sink.rows();
            List<SummaryCsv.Row> summary = SummaryCsv.summarize(rows, spec.training().optimizer());
            history.update(todo.size(), seconds, doneSteps[0]);
            ObjectNode info = runInfo(plan, "complete", history.finish("complete"), record);
            sink.finished(summary, info);
            List<Path> plots = out != null && options.report() ? report(out, summary, rows, info) : List.of();
            return new SweepResult(out, rows, summary, todo.size(), skipped, seconds, doneSteps[0], plots);
        }
    }

    /**
     * The run's sink: a {@link ResultStore} on the {@link Options#out} folder (opened now, after the
     * checks, so a refused sweep creates no folder), with the collector beside it if one is given; without a
     * folder the collector, or a new one that keeps the rows only.
     */
    private ResultSink openSink() {
        ResultCollector memory = options.collector();
        if (options.out() == null) return memory != null ? memory : new ResultCollector(false);
        ResultStore store = new ResultStore(options.out(), ResultsCsv.of(spec), options.resume());
        return memory == null ? store : ResultSink.both(store, memory);
    }

    /**
     * What run.json records of the loaded data beside the spec: its description ({@link #describe}) and
     * the samples per step ({@link #rowsPerStep}).
     */
    private record RunRecord(ObjectNode dataInfo, int rowsPerStep) {
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
                .rowsPerStep(rowsPerStep(spec, split))
                .dataElements((long) (split.train().n() + split.test().n()) * (split.features() + split.outputs()))
                .elementBytes(spec.training().dtype().bytes()).memoryBytes(memory).maxTrajectories(options.maxBatch())
                // the whole grid, not the cells to run: the chunk is then the same for every shard and resume
                .extra(ExtraMemory.of(spec, spec.cells().size(), split.train().n(), memory)).build());
    }

    /**
     * run.json: the spec, the provenance of this run ({@link RunInfo#provenance}: version, commit, host,
     * Java, command), backend, plan, and the history of every run on this folder ({@link RunInfo.History},
     * each with its start and end); {@code wall_seconds}, {@code trajectory_steps} and the rates are
     * totals over all runs.
     */
    private ObjectNode runInfo(Plan plan, String status, RunInfo.History history, RunRecord record) {
        ObjectNode n = RunInfo.JSON.createObjectNode();
        n.put("tool", "gdchaos");
        n.put(RunJsonUpgrade.MEMBER, RunJsonUpgrade.FORMAT);
        n.put("status", status);
        RunInfo.provenance(n, options.invocation());
        n.set("spec", SpecJson.tree(spec));
        n.set("data", record.dataInfo());
        ObjectNode be = n.putObject("backend");
        be.put("name", backend.name());
        be.put("device", backend.device());
        n.put("plan", plan.description());
        double seconds = history.totalSeconds();
        long trajSteps = history.totalTrajectorySteps();
        n.put("wall_seconds", seconds);
        n.put("trajectory_steps", trajSteps);
        n.put("trajectory_steps_per_second", seconds > 0 ? trajSteps / seconds : 0);
        int rowsPerStep = record.rowsPerStep();
        n.put("samples_per_step", rowsPerStep);
        double flops = spec.model().network().flopsPerSample();
        n.put("gflops", seconds > 0 ? trajSteps * flops * rowsPerStep / seconds / 1e9 : 0);
        n.set("runs", history.runs(plan.description(), backend.name(), backend.device()));
        options.annotations().forEach(n::set);
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
        return 2 + method + 2L * ResultsCsv.extraColumns(spec).size();
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
            throw new InputException(Setting.STEPS.key(), String.format(java.util.Locale.ROOT, "%,d steps: one cell's per-step "
                    + "curves (%d values per step and their curves.csv text) need %s, but the Java heap is %s: use "
                    + "fewer steps, or a larger heap (JAVA_OPTS=-Xmx…)", spec.training().steps(), curveValuesPerStep(spec),
                    Planner.human(need), Planner.human(maxHeap)));
        }
    }

    /**
     * The figures and report.html ({@link Report#write}); a failure to draw is a warning, the results
     * stand; a failure to write them (full disk, read-only folder) is an {@link OutputFolderException}.
     */
    private List<Path> report(Path out, List<SummaryCsv.Row> summary, List<CellRow> rows, ObjectNode info) {
        try {
            List<Cell> mine = spec.cells().stream().filter(options.include()).toList(); // a shard's cells, or all
            return Report.write(out, spec, mine, info, rows, summary, options.plotOptions(), List.of());
        } catch (OutputFolderException e) { // a full disk or unwritable folder fails the run (exit 4), not a warning
            throw e;
        } catch (RuntimeException e) { // an Error (out of memory, …) is not a warning: it fails the run
            warnings.add("plots or " + Report.FILE + " not written: " + e);
            return List.of();
        }
    }
}
