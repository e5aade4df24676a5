package org.gdchaos.cli;

import org.gdchaos.Setting;
import org.gdchaos.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSource;
import org.gdchaos.data.DataSpec;
import org.gdchaos.lyapunov.LyapunovSetting;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.LearningRates;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.run.SweepResult;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gdchaos sweep}: a learning-rate × initialisation sweep with Lyapunov exponents. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "org.gdchaos.cli.SweepHelp",
        description = {"Train a grid of learning rates (× weight decays) × initialisations × perturbed replicas in "
                + "lockstep and measure Lyapunov exponents, training time and accuracy.",
            "Writes results.csv, summary.csv, curves.csv, run.json, the figures (PNG, SVG; --plot-format) and "
                + "report.html to --out."})
public class SweepCommand implements Callable<Integer>, Main.HasOutputFolder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The grid when neither {@code --lr} nor a preset gives one. */
    static final String DEFAULT_LR = SweepSpec.Builder.DEFAULT_LEARNING_RATES;
    static final String DEFAULT_MODEL = "mlp";
    /** Hidden width of {@code --model linear}. */
    static final int DEFAULT_WIDTH = 1;
    static final String DEFAULT_BACKEND = "auto";
    static final Path DEFAULT_OUT = Path.of("gdchaos-out");
    /**
     * The spec the command line starts from ({@link SweepSpec#userBuilder}'s defaults, with the grid
     * {@value #DEFAULT_LR}); an option left out keeps its value (or the preset's), and {@code --help}
     * shows these values ({@link SweepHelp}).
     */
    static final SweepSpec DEFAULTS = SweepSpec.userBuilder().build();

    @Option(names = Flags.PRESET, description = "${bundle:default.presets} (explicit options override; "
            + Flags.LIST_PRESETS + " shows what each sets)")
    String preset;
    @Option(names = Flags.LIST_PRESETS, description = "print what each preset sets, and exit")
    boolean listPresets;

    @Option(names = Flags.DATA, description = "mnist-10k | idx:DIR | fashion-mnist | scalar:x=X,y=Y | "
            + "teacher:in=D,hidden=H,out=C,n=N,seed=S | npy:X.npy,y.npy | npz:FILE[:x=KEY,y=KEY] | "
            + "csv:FILE[:label=COL|target=COL,COL...] | cifar10:DIR (default ${bundle:default.data})")
    String data;
    @Option(names = Flags.TEST_DATA, paramLabel = "SPEC", description = "the test set from another source, in the "
            + "syntax of " + Flags.DATA + " (its first " + Flags.TEST_SIZE + " samples, or its test files); default "
            + "split: a part of the training data, disjoint from the training set")
    String testData;
    @Option(names = Flags.NORMALIZE, description = "auto | none | unit | standard: feature scaling, per feature "
            + "with training-set statistics (auto: image bytes / 255, other values raw; default auto)")
    String normalize;
    @Option(names = Flags.TRAIN_SIZE, description = "training samples (0 = all; default 1000 for MNIST-like "
            + "data and cifar10:, all for scalar:, teacher:, npy:, npz: and csv: (80%% of the file))")
    Integer trainSize;
    @Option(names = Flags.TEST_SIZE, description = "test samples (0 = all; default 1000 for MNIST-like data "
            + "and cifar10:, all for scalar: and teacher:, the rest of an npy:, npz: or csv: file (20%%))")
    Integer testSize;

    @Option(names = Flags.MODEL, description = "mlp | linear (two-layer linear network 1-D-1, no bias, mse; "
            + "default ${bundle:default.model})")
    String model;
    @Option(names = Flags.WIDTH, description = "hidden width D of --model linear (default ${bundle:default.width})")
    Integer width;
    @Option(names = Flags.LAYERS, description = "layer widths of an MLP, input to output (default "
            + "${bundle:default.layers}; any other network: " + Flags.ARCH + ")", split = ",")
    int[] layers;
    @Option(names = Flags.ACTIVATION, description = "tanh | sigmoid | relu | linear: the hidden layers' activation "
            + "of " + Flags.LAYERS + " (default ${bundle:default.activation})")
    String activation;
    @Option(names = Flags.ARCH, paramLabel = "TEXT", description = "the network as layers, input to output, instead of "
            + Flags.LAYERS + "/" + Flags.ACTIVATION + ": ${bundle:arch.forms}; an activation follows its conv or dense "
            + "layer, the last layer is dense:OUTPUTS without one; the input shape is the data's (28x28x1 for MNIST-like "
            + "images) unless input:HxWxC comes first; e.g. ${bundle:arch.example}")
    String arch;
    @Option(names = Flags.NO_BIAS, description = "layers without biases")
    boolean noBias;
    @Option(names = Flags.LOSS, description = "ce | mse (mse = (1/2N)·Σ‖f(x)−y‖²; default "
            + "${bundle:default.loss})")
    String loss;
    @Option(names = Flags.INIT, description = "normal:STD | xavier | he | values:v1,v2,... | file:PATH (.npy or one "
            + "number per line, in the order of values:; default ${bundle:default.init})")
    String init;

    @Option(names = Flags.LR, description = "learning rates: a list, log:A:B:N or lin:A:B:N (default "
            + "${bundle:default.lr})")
    String lr;
    @Option(names = Flags.INITS, description = "initialisations per learning rate (default ${bundle:default.inits})")
    Integer inits;
    @Option(names = Flags.SEED, description = "sweep seed (default ${bundle:default.seed})")
    Long seed;
    @Option(names = Flags.WEIGHT_DECAY, paramLabel = "LIST", description = "weight decays λ, a grid axis: GD "
            + "minimises loss + (λ/2)·‖w‖² over the weights; a list such as 0,1e-4,1e-3 multiplies the cells "
            + "(default 0: none)")
    String weightDecay;
    @Option(names = Flags.DECAY_BIASES, description = "apply the weight decay to the biases too")
    boolean decayBiases;
    @Option(names = Flags.OPTIMIZER, paramLabel = "OPT", description = "gd | momentum:β | nesterov:β | "
            + "adam:β1,β2,ε (default gd; momentum/nesterov without β: 0.9; adam: 0.9,0.999,1e-8). Heavy ball "
            + "v ← βv − ηg, w ← w + v; the learning rates are η")
    String optimizer;
    @Option(names = Flags.MOMENTUM, paramLabel = "LIST", description = "momentum coefficients β, a grid axis like "
            + "--weight-decay: β of momentum/nesterov, β1 of adam, a list such as 0,0.5,0.9 in [0, 1) multiplies the "
            + "cells; with gd (the default) the optimizer becomes heavy ball (momentum)")
    String momentum;

    @Option(names = Flags.METHOD, description = "paper | benettin | spectrum | tangent (default "
            + "${bundle:default.method})")
    String method;
    @Option(names = Flags.REPLICAS, description = "replicas per cell (paper, benettin; warned and ignored by others; "
            + "default ${bundle:default.replicas})")
    Integer replicas;
    @Option(names = Flags.EXPONENTS, description = "number of exponents K (spectrum, tangent; warned and ignored by "
            + "others; default ${bundle:default.exponents})")
    Integer exponents;
    @Option(names = Flags.EPSILON, description = "perturbation size ε (paper: U(−ε,ε) per weight; benettin/spectrum: δ0; "
            + "warned and ignored by tangent; default ${bundle:default.epsilon})")
    Double epsilon;
    @Option(names = Flags.RENORM_EVERY, description = "steps between renormalisations τ (benettin, spectrum, tangent; "
            + "warned and ignored by paper; default ${bundle:default.renormEvery})")
    Integer renormEvery;
    @Option(names = Flags.TRANSIENT, description = "steps discarded before exponents accumulate (benettin, spectrum, "
            + "tangent; warned and ignored by paper; default ${bundle:default.transient})")
    Integer transientSteps;
    @Option(names = Flags.NORM, description = "l1 | l2 distance (default ${bundle:default.norm}; spectrum and "
            + "tangent always use l2 and warn that --norm is ignored)")
    String norm;
    @Option(names = Flags.FIT, description = "growth | max-r2: how λ is fitted from ln⟨d(t)⟩ (paper method; warned "
            + "and ignored by others; default ${bundle:default.fit})")
    String fit;
    @Option(names = Flags.PERTURB_BIASES, description = "perturb biases too (the paper perturbs weights only)")
    boolean perturbBiases;

    @Option(names = Flags.STEPS, description = "GD steps (default ${bundle:default.steps})")
    Integer steps;
    @Option(names = Flags.BATCH, description = "full | B (minibatch size for SGD; default ${bundle:default.batch})")
    String batch;
    @Option(names = Flags.ACCURACY_THRESHOLD, description = "test accuracy counted as trained (default "
            + "${bundle:default.accuracyThreshold})")
    Double threshold;
    @Option(names = Flags.EVAL_EVERY, description = "evaluate test accuracy every K steps (0 = only at the start and "
            + "the end; default ${bundle:default.evalEvery})")
    Integer evalEvery;

    @Option(names = Flags.SHARPNESS, description = "measure the sharpness (top Hessian eigenvalue) at the end")
    boolean sharpness;
    @Option(names = Flags.SHARPNESS_EVERY, description = "also measure the sharpness every K steps (curves.csv; "
            + "the top eigenvalue only, whatever --sharpness-k)")
    Integer sharpnessEvery;
    @Option(names = Flags.SHARPNESS_K, paramLabel = "K", description = "report the top K Hessian eigenvalues at the "
            + "end: sharpness, hessian_eig_2 … hessian_eig_K, descending (default ${bundle:default.sharpnessK}; "
            + "needs --sharpness or --sharpness-every)")
    Integer sharpnessK;
    @Option(names = Flags.FLOW, description = "also integrate gradient flow from each start; report its limit")
    boolean flow;
    @Option(names = Flags.BALANCE, description = "report imbalance ‖W1·W1ᵀ − W2ᵀ·W2‖_F (two-layer nets)")
    boolean balance;

    @Option(names = Flags.DTYPE, description = "f64 | f32 (default ${bundle:default.dtype})")
    String dtype;
    @Option(names = Flags.BACKEND, description = "auto | java | opencl | cuda (default ${bundle:default.backend})")
    String backend;
    @Option(names = Flags.MAX_BATCH, description = "at most T trajectories per device batch (default: from memory)")
    Integer maxBatch;

    @Option(names = Flags.OUT, description = "output folder (default ${bundle:default.out})")
    String out;
    @Option(names = Flags.RESUME, description = "finish an interrupted sweep in --out")
    boolean resume;
    @Option(names = Flags.NEW, description = "start a new run without touching an earlier one: when --out already "
            + "holds a sweep, write into the first free numbered folder beside it (OUT-2, OUT-3, …)")
    boolean newFolder;
    @Option(names = Flags.PLAN, description = "print the plan (cells, trajectories, device batches, memory per "
            + "batch) and a time estimate from a short calibration on the backend, then exit without running the "
            + "sweep or touching --out")
    boolean plan;
    @Option(names = Flags.QUIET, description = "no progress output")
    boolean quiet;
    @Option(names = Flags.SHARD, paramLabel = "I/N", description = "run only shard I of N (0 ≤ I < N; cell k of the "
            + "grid goes to shard k mod N) into OUT/shards/I-of-N/; combine with 'gdchaos merge OUT'")
    String shard;

    @CommandLine.Mixin
    PlotFlags plot = new PlotFlags();

    /** The output folder once known (for the error log). */
    volatile Path outputFolder;

    @Override
    public Path outputFolder() {
        return outputFolder;
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        if (listPresets) {
            listPresets(o);
            return ExitCodes.OK;
        }
        SweepSpec s = buildSpec();
        org.gdchaos.plot.PlotOptions plotOptions = plot.options();
        PrintWriter err = spec.commandLine().getErr();
        for (String w : ignoredOptions(s.lyapunov().method())) err.println("gdchaos: warning: " + w);
        err.flush();
        if (maxBatch != null && maxBatch < 1) {
            throw new InputException(Flags.MAX_BATCH + " must be ≥ 1, got " + maxBatch + " (leave it out to plan "
                    + "from memory)");
        }
        int maxB = maxBatch == null ? 0 : maxBatch;
        Path dir = out == null ? DEFAULT_OUT : PathArgs.folder(Flags.OUT, out);
        if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
            throw new org.gdchaos.sweep.store.OutputFolderException(Flags.OUT + " " + dir + " is a file, not a folder; choose a "
                    + "folder (it is created if missing)");
        }
        org.gdchaos.sweep.Shard sh = shard == null ? null : org.gdchaos.sweep.Shard.parse(shard);
        if (newFolder && resume) {
            throw new InputException(Flags.NEW + " starts a new run and " + Flags.RESUME + " finishes one: give one "
                    + "of them");
        }
        if (newFolder && sh != null) {
            throw new InputException(Flags.NEW + " cannot be combined with " + Flags.SHARD + ": every shard must write "
                    + "into the same --out; give the new folder with " + Flags.OUT);
        }
        Path asked = dir;
        if (newFolder && org.gdchaos.sweep.store.ResultStore.holdsSweep(dir)) dir = org.gdchaos.sweep.store.ResultStore.nextFree(dir);
        if (sh != null) {
            // OUT itself, and its other shards, must hold this sweep or none (merge would replace another's results)
            if (!plan) org.gdchaos.sweep.merge.ShardParts.checkFolderHoldsNoOtherSweep(dir, s, true);
            dir = sh.folder(dir);
        }
        if (plan) {
            printPlan(o, s, dir, maxB, sh, asked);
            return ExitCodes.OK;
        }
        if (!dir.equals(asked) && sh == null) {
            err.println("gdchaos: " + asked + " holds an earlier sweep; this run writes into " + dir + " (" + Flags.NEW
                    + ")");
            err.flush();
        }
        boolean terminal = System.console() != null;
        Interrupted hint = new Interrupted(o, err, dir, terminal && !quiet);
        outputFolder = dir;
        try (Backend be = BackendChoice.open(backend, s.training().dtype(), o, spec.commandLine().getErr(), quiet)) {
            SweepRunner runner = new SweepRunner(be, s, SweepRunner.Options.builder().out(dir).resume(resume)
                    .maxBatch(maxB).progress(quiet ? org.gdchaos.sweep.run.ProgressListener.NONE : new ProgressPrinter(o, terminal))
                    .include(sh == null ? c -> true : sh.includes(s)).plotOptions(plotOptions)
                    .invokedBy(org.gdchaos.sweep.store.Invocation.commandLine(Main.originalArgs(spec.commandLine()))).build());
            hint.arm();
            SweepResult r = runner.run();
            hint.disarm();
            for (String w : runner.warnings()) spec.commandLine().getErr().println("gdchaos: warning: " + w);
            report(o, r, s);
        } catch (Error fatal) {
            throw new Main.Fatal(fatal);
        } finally {
            hint.disarm();
        }
        return ExitCodes.OK;
    }

    /** Longest a {@code --plan} calibration aims to take, in seconds (the warm-up run comes on top). */
    static final double CALIBRATION_SECONDS = 10;

    /**
     * {@code --plan}: the sweep's plan ({@link SweepRunner#preview}) and a time estimate from a short
     * calibration on the chosen backend; nothing is run to completion and nothing is written.
     */
    private void printPlan(PrintWriter o, SweepSpec s, Path dir, int maxB, org.gdchaos.sweep.Shard sh, Path asked) {
        try (Backend be = BackendChoice.open(backend, s.training().dtype(), o, spec.commandLine().getErr(), false)) {
            SweepRunner runner = new SweepRunner(be, s, SweepRunner.Options.builder().out(dir).resume(resume)
                    .maxBatch(maxB).include(sh == null ? c -> true : sh.includes(s)).build());
            o.println(String.format(Locale.ROOT, "calibrating on %s: a few steps of up to %d cells of the first batch, "
                    + "at most %d samples per step (about %.0f s)...", be.name(), org.gdchaos.sweep.run.Calibration.MAX_CELLS,
                    org.gdchaos.sweep.run.Calibration.MAX_ROWS, CALIBRATION_SECONDS));
            o.flush();
            SweepRunner.Preview pre = runner.preview(CALIBRATION_SECONDS);
            org.gdchaos.sweep.run.Plan p = pre.plan();
            int per = s.trajectoriesPerCell();
            int biggest = p.batches().stream().mapToInt(List::size).max().orElse(0);
            o.println("plan: " + p.description());
            int wds = s.training().weightDecayCount();
            o.println(String.format(Locale.ROOT, "cells:            %d (%d learning rates%s × %d initialisations%s)",
                    p.cellCount(), s.training().learningRates().length, (wds > 1 ? " × " + wds + " weight decays" : "")
                            + (s.training().momentumCount() > 1 ? " × " + s.training().momentumCount() + " momenta" : ""),
                    s.training().inits(), sh == null ? "" : ", shard " + shard));
            o.println(String.format(Locale.ROOT, "trajectories:     %d (%d per cell)", (long) p.cellCount() * per,
                    per));
            o.println(String.format(Locale.ROOT, "device batches:   %d (≤ %d cells = %d trajectories each)",
                    p.batches().size(), biggest, (long) biggest * per));
            o.println(String.format(Locale.ROOT, "memory per batch: %s (%d bytes; the backend reports %s)",
                    org.gdchaos.sweep.run.Planner.human(p.bytesPerBatch()), p.bytesPerBatch(),
                    org.gdchaos.sweep.run.Planner.human(be.memoryBytes())));
            o.println(String.format(Locale.ROOT, "steps:            %d per trajectory, %d trajectory-steps",
                    s.training().steps(), pre.trajectorySteps()));
            org.gdchaos.sweep.run.Calibration.Estimate e = pre.estimate();
            if (e != null) {
                long secs = Math.round(e.seconds());
                o.println(String.format(Locale.ROOT, "estimated time:   %d:%02d:%02d (%.1f s; %s from the fastest and "
                        + "the slowest calibration run) on %s: training, evaluation and the Lyapunov measurement (not data "
                        + "loading or writing the results)", secs / 3600, secs / 60 % 60, secs % 60, e.seconds(), e.range(),
                        be.name()));
                o.println("measured:         " + e.measured());
                if (!e.notes().isEmpty()) o.println("not included:     " + e.notes());
            }
            if (resume) o.println("note: --resume: cells already done in " + dir + " are not subtracted");
            if (!dir.equals(asked) && sh == null) {
                o.println("output:           " + dir + " (" + asked + " holds an earlier sweep; " + Flags.NEW + ")");
            } else if (!resume && org.gdchaos.sweep.store.ResultStore.holdsSweep(dir)) {
                o.println("output:           the run would stop (exit 4): " + org.gdchaos.sweep.store.ResultStore.heldSweep(dir));
            }
            o.println("nothing was written (--plan); the same command without " + Flags.PLAN + " runs the sweep into "
                    + dir);
            o.flush();
        } catch (Error fatal) {
            throw new Main.Fatal(fatal);
        }
    }

    /** {@code --list-presets}: each preset's purpose and the options it sets, from {@link Preset}. */
    static void listPresets(PrintWriter o) {
        for (Preset p : Preset.values()) {
            o.println(p.label + ": " + p.purpose);
            p.settings().forEach((flag, value) -> o.println(String.format(Locale.ROOT, "  %-22s %s", flag, value)));
        }
        o.println("Every other option keeps its default (sweep --help); options given explicitly override the "
                + "preset's.");
        o.flush();
    }

    /**
     * While a sweep runs, a shutdown hook (SIGINT/Ctrl-C, SIGTERM) ends the progress line and says
     * how to continue: the finished cells are on disk, {@code --resume} runs the rest.
     */
    static final class Interrupted {
        private final Thread hook;
        private boolean armed;

        Interrupted(PrintWriter out, PrintWriter err, Path dir, boolean progressLine) {
            hook = new Thread(() -> {
                if (progressLine) out.println();
                out.flush();
                err.println("gdchaos: interrupted; the finished cells are saved in " + dir + ": rerun the same command "
                        + "with --resume to run the rest");
                err.flush();
            }, "gdchaos-interrupted");
        }

        synchronized void arm() {
            if (!armed) Runtime.getRuntime().addShutdownHook(hook);
            armed = true;
        }

        synchronized void disarm() {
            if (!armed) return;
            armed = false;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook runs, which is what an interrupt wants
            }
        }
    }

    /** A median number of steps for the terminal: "n/a", "never", or the number (17.5 stays 17.5, 18 is 18). */
    static String medianSteps(double m) {
        if (Double.isNaN(m)) return "n/a";
        if (Double.isInfinite(m)) return "never";
        return m == Math.rint(m) ? String.format(Locale.ROOT, "%.0f", m) : String.format(Locale.ROOT, "%.1f", m);
    }

    private void report(PrintWriter o, SweepResult r, SweepSpec s) {
        o.println(String.format(Locale.ROOT, "done: %d cells run, %d skipped, %.1f s, %.0f trajectory-steps/s",
                r.cellsRun(), r.cellsSkipped(), r.seconds(), r.trajectoryStepsPerSecond()));
        double[] wds = s.training().weightDecays();
        boolean decay = wds.length > 1 || wds[0] != 0; // a weight-decay column only when there is weight decay
        boolean beta = s.training().momentumCount() > 1; // a β column with a momentum grid
        o.println(String.format(Locale.ROOT, "%10s ", "lr") + (decay ? String.format(Locale.ROOT, "%10s ", "wd") : "")
                + (beta ? String.format(Locale.ROOT, "%6s ", "β") : "")
                + String.format(Locale.ROOT, "%6s %12s %12s %10s %9s", "cells", "lambda_1", "95% ±",
                "steps→" + s.measurement().accuracyThreshold(), "diverged"));
        // η and λ as in the figures' legends (shortest form that tells the grid's values apart: 0.1, 1, 0.01, 0),
        // a median of steps as it is (an even number of inits can give 17.5)
        org.gdchaos.plot.Labels lrs = org.gdchaos.plot.Labels.of(s.training().learningRates());
        org.gdchaos.plot.Labels decays = org.gdchaos.plot.Labels.of(wds);
        org.gdchaos.plot.Labels betas = org.gdchaos.plot.Labels.of(s.training().momentumValues());
        for (SummaryCsv.Row row : r.summary()) {
            o.println(String.format(Locale.ROOT, "%10s ", lrs.of(row.lr()))
                    + (decay ? String.format(Locale.ROOT, "%10s ", decays.of(row.weightDecay())) : "")
                    + (beta ? String.format(Locale.ROOT, "%6s ", betas.of(row.momentum())) : "") + String.format(
                    Locale.ROOT, "%6d %12.4f %12.4f %10s %8.0f%%", row.cells(),
                    row.lambda1().mean(), row.lambda1().ciHalfWidth(), medianSteps(row.medianSteps()),
                    100 * row.divergedFraction()));
        }
        long lost = r.rows().stream().filter(org.gdchaos.sweep.store.CellRow::precisionLost).count();
        if (lost > 0) {
            o.println(lost + " cell(s) lost precision (weights too large to resolve the perturbation): their "
                    + "lambda is NaN, not counted above; see precision_lost in results.csv");
        }
        StringBuilder files = new StringBuilder("results.csv, summary.csv, curves.csv, run.json");
        for (Path p : r.plots()) files.append(", ").append(p.getFileName());
        o.println("wrote " + r.dir().toAbsolutePath() + " (" + files + ")");
        o.flush();
    }

    /**
     * Merges preset, explicit options and defaults into a validated spec: starts from the builder
     * that holds every default ({@link SweepSpec#userBuilder}) and sets each setting an explicit
     * option or the preset gives (the option wins), by name.
     */
    SweepSpec buildSpec() {
        Preset p = preset == null ? null : Preset.parse(preset);
        SweepSpec.Builder b = SweepSpec.userBuilder();
        String d = pick(data, p == null ? null : p.data, DEFAULTS.data().spec());
        b.data(d);
        // sizes: explicit option, else the preset's, else what the data source suggests (the builder's
        // default: a 1000/1000 subset of MNIST-like images, all samples of scalar:/teacher:); impossible
        // sizes fail at load; with --test-data, the test set's default size is the test source's
        DataSource source = DataSpec.parse(d);
        given(trainSize, p == null ? null : p.trainSize, b::trainSize);
        given(testSize, p == null ? null : p.testSize, b::testSize);
        b.testData(testData).model(model(p, source));
        given(init == null ? null : InitSpec.parse(init), p == null ? null : p.init, b::init);
        given(lr, p == null ? null : p.lr, v -> b.learningRates(LearningRates.parse(v)));
        given(method == null ? null : Method.parse(method), null, b::method); // the rest: the method's defaults
        given(replicas, p == null ? null : p.replicas, b::replicas);
        given(exponents, null, b::exponents);
        given(epsilon, null, b::epsilon);
        given(renormEvery, null, b::renormEvery);
        given(transientSteps, null, b::transientSteps);
        given(norm == null ? null : Norm.parse(norm), null, b::norm);
        given(fit == null ? null : GrowthFit.Method.parse(fit), null, b::fit);
        if (perturbBiases) b.perturbBiases(true);
        given(batch == null ? null : parseBatch(batch), null, b::batchSize);
        b.normalize(org.gdchaos.data.Normalization.parse(normalize));
        given(inits, p == null ? null : p.inits, b::inits);
        given(seed, null, b::seed);
        given(steps, p == null ? null : p.steps, b::steps);
        given(threshold, p == null ? null : p.threshold, b::accuracyThreshold);
        given(evalEvery, p == null ? null : p.evalEvery, b::evalEvery);
        given(dtype == null ? null : DType.parse(dtype), null, b::dtype);
        given(weightDecay == null ? null : weightDecays(weightDecay), null, b::weightDecays);
        b.decayBiases(decayBiases);
        given(optimizer == null ? null : Optimizer.parse(optimizer), null, b::optimizer);
        b.momenta(momenta(momentum, optimizer));
        extras(b);
        return b.build();
    }

    /** Sets a setting given explicitly ({@code explicit}) or by the preset; else the builder keeps its default. */
    private static <T> void given(T explicit, T preset, java.util.function.Consumer<? super T> setter) {
        T v = pick(explicit, preset, null);
        if (v != null) setter.accept(v);
    }

    /**
     * {@code --momentum}: comma-separated numbers (range and duplicate checks: {@link SweepSpec.Training}),
     * or null when not given. Refused when {@code --optimizer} states β itself ({@code momentum:0.9}).
     *
     * @throws InputException naming the setting for an empty list, a word that is not a number, or β given twice
     */
    static double[] momenta(String list, String optimizer) {
        if (list == null) return null;
        if (optimizer != null && optimizer.contains(":") && !optimizer.trim().toLowerCase(Locale.ROOT).startsWith("gd")) {
            throw new InputException(Setting.MOMENTA.key(), Flags.OPTIMIZER + " " + optimizer + " states β and "
                    + Flags.MOMENTUM + " lists it too: give β once (" + Flags.OPTIMIZER + " "
                    + optimizer.substring(0, optimizer.indexOf(':')).trim() + " " + Flags.MOMENTUM + " " + list + ")");
        }
        return numbers(list, Setting.MOMENTA.key(), "momentum", "0,0.5,0.9", true);
    }

    /**
     * {@code --weight-decay}: comma-separated numbers (range checks: {@link SweepSpec.Training}).
     *
     * @throws InputException naming the setting for an empty list or a word that is not a number
     */
    static double[] weightDecays(String list) {
        return numbers(list, Setting.WEIGHT_DECAYS.key(), "weight-decay", "0,1e-4,1e-3", false);
    }

    /**
     * A grid axis's comma-separated numbers (range checks: {@link SweepSpec.Training}).
     *
     * @param finite whether NaN and ±Infinity count as words
     * @throws InputException naming {@code setting} for an empty item or a word that is not a number
     */
    private static double[] numbers(String list, String setting, String what, String example, boolean finite) {
        String[] parts = list.split(",", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            try {
                if (p.isEmpty()) throw new NumberFormatException("empty");
                out[i] = Double.parseDouble(p);
                if (finite && !Double.isFinite(out[i])) throw new NumberFormatException("not finite");
            } catch (NumberFormatException e) {
                throw new InputException(setting, "bad " + what + " list '" + list + "': '" + p
                        + "' is not a number (a list such as " + example + ")");
            }
        }
        return out;
    }

    /** The extra measurements given; {@code --sharpness-k} refused without one to apply it to. */
    private void extras(SweepSpec.Builder b) {
        // an explicit --sharpness-k, even 1, with nothing to apply it to is a mistake on the command line
        int every = pick(sharpnessEvery, null, 0);
        if (sharpnessK != null && sharpnessK >= 1 && !sharpness && every == 0) {
            throw SweepSpec.Extras.needsSharpness(sharpnessK);
        }
        b.sharpness(sharpness).flow(flow).balance(balance);
        given(sharpnessEvery, null, b::sharpnessEvery);
        given(sharpnessK, null, b::sharpnessK);
    }

    /**
     * One line per Lyapunov option given explicitly on the command line (not by a preset or a
     * default) that {@code method} does not use: they are ignored, with a warning, not an error,
     * so a command line can switch methods without deleting options.
     */
    List<String> ignoredOptions(Method method) {
        List<String> out = new ArrayList<>();
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed == null) return out;
        for (LyapunovSetting setting : LyapunovSetting.values()) {
            String flag = Flags.of(setting.key());
            if (!parsed.hasMatchedOption(flag) || method.impl().uses().contains(setting)) continue;
            out.add(flag + " has no effect with " + Flags.METHOD + " " + method.label() + " (used by "
                    + Arrays.stream(Method.values()).filter(m -> m.impl().uses().contains(setting))
                            .map(Method::label).collect(Collectors.joining(", ")) + "); ignored");
        }
        return out;
    }

    /**
     * The network: explicit options, else the preset's network, else the defaults. {@code --arch}
     * gives the whole network, so {@code --layers}, {@code --activation} and {@code --model linear}
     * cannot come with it; without an {@code input:} token its input is the data's sample shape
     * ({@link DataSource#sampleShape}, known before the data loads; flattened when the first layer is
     * dense, so an MLP written as {@code --arch} is the {@code --layers} one). {@code --no-bias} and
     * {@code --loss} apply to either form.
     */
    private ModelSpec model(Preset p, DataSource source) {
        String kind = pick(model, null, DEFAULT_MODEL).toLowerCase(Locale.ROOT);
        if (arch != null) {
            for (String[] other : new String[][] {{Flags.LAYERS, layers == null ? null : "x"},
                    {Flags.ACTIVATION, activation}, {Flags.WIDTH, width == null ? null : "x"},
                    {Flags.MODEL + " linear", kind.equals("linear") ? "x" : null}}) {
                if (other[1] != null) {
                    throw new InputException(Flags.ARCH + " gives the whole network, layers and activations; it cannot "
                            + "be combined with " + other[0] + " (use one or the other)");
                }
            }
        }
        if (kind.equals("linear")) {
            if (layers != null) throw new InputException(Flags.MODEL + " linear takes " + Flags.WIDTH + ", not "
                    + Flags.LAYERS);
            int w = pick(width, null, DEFAULT_WIDTH);
            if (w < 1) throw new InputException(Flags.WIDTH + " must be ≥ 1");
            try {
                return ModelSpec.linear(w);
            } catch (InputException e) { // about the widths 1, D, 1 that --width gives
                throw new InputException(Flags.WIDTH + " " + w + ": " + e.getMessage());
            }
        }
        if (!kind.equals("mlp")) {
            throw new InputException("unknown " + Flags.MODEL + " '" + model + "' (use mlp or linear)");
        }
        if (width != null) throw new InputException(Flags.WIDTH + " applies to " + Flags.MODEL + " linear; use "
                + Flags.LAYERS);
        ModelSpec def = DEFAULTS.model().network();
        Loss l = loss == null ? def.loss() : Loss.parse(loss);
        // an explicit --layers replaces a preset's --arch; an explicit --arch replaces a preset's --layers
        String text = arch != null ? arch : layers == null && p != null ? p.arch : null;
        if (arch == null && layers == null && activation != null && p != null && p.arch != null) {
            throw new InputException(Flags.ACTIVATION + " sets the hidden activation of " + Flags.LAYERS + ", but the "
                    + "preset " + p.label + " gives its network as " + Flags.ARCH + " " + p.arch + ": write the activations "
                    + "into " + Flags.ARCH + ", or give " + Flags.LAYERS + " too");
        }
        if (text != null) return ModelSpec.parse(text, source.sampleShape(), !noBias, l);
        int[] w = pick(layers, p == null ? null : p.layers(), def.widths());
        Activation a = pick(activation == null ? null : Activation.parse(activation), p == null ? null : p.activation,
                def.activation());
        return new ModelSpec(w, a, !noBias, l);
    }

    static int parseBatch(String b) {
        if (b.equalsIgnoreCase("full")) return 0;
        try {
            int v = Integer.parseInt(b.trim());
            if (v < 1) throw new InputException(Flags.BATCH + " must be 'full' or ≥ 1, got " + b);
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(Flags.BATCH + " must be 'full' or a number, got '" + b + "'");
        }
    }

    static <T> T pick(T explicit, T preset, T def) {
        return explicit != null ? explicit : preset != null ? preset : def;
    }

    @Override
    public String toString() {
        return "sweep " + Arrays.toString(layers);
    }
}
