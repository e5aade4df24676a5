package org.gdchaos.cli;

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
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSource;
import org.gdchaos.data.DataSpec;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.LyapunovSetting;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.LearningRates;
import org.gdchaos.sweep.SummaryCsv;
import org.gdchaos.sweep.SweepResult;
import org.gdchaos.sweep.SweepRunner;
import org.gdchaos.sweep.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gdchaos sweep}: a learning-rate × initialisation sweep with Lyapunov exponents. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a grid of learning rates × initialisations × perturbed replicas in lockstep and "
                + "measure Lyapunov exponents, training time and accuracy.",
            "Writes results.csv, summary.csv, curves.csv, run.json, the figures (PNG, SVG; --plot-format) and "
                + "report.html to --out."})
public final class SweepCommand implements Callable<Integer>, Main.HasOutputFolder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = Flags.PRESET, description = "quick | paper-mnist (explicit options override)")
    String preset;

    @Option(names = Flags.DATA, description = "mnist-10k (default) | idx:DIR | fashion-mnist | scalar:x=X,y=Y | "
            + "teacher:in=D,hidden=H,out=C,n=N,seed=S")
    String data;
    @Option(names = Flags.TRAIN_SIZE, description = "training samples (0 = all; default 1000 for MNIST-like "
            + "data, all for scalar: and teacher:)")
    Integer trainSize;
    @Option(names = Flags.TEST_SIZE, description = "test samples (0 = all; default 1000 for MNIST-like data, "
            + "all for scalar: and teacher:)")
    Integer testSize;

    @Option(names = Flags.MODEL, description = "mlp (default) | linear (two-layer linear network 1-D-1, no bias, mse)")
    String model;
    @Option(names = Flags.WIDTH, description = "hidden width D of --model linear")
    Integer width;
    @Option(names = Flags.LAYERS, description = "layer widths, e.g. 784,64,10", split = ",")
    int[] layers;
    @Option(names = Flags.ACTIVATION, description = "tanh | sigmoid | relu | linear")
    String activation;
    @Option(names = Flags.NO_BIAS, description = "layers without biases")
    boolean noBias;
    @Option(names = Flags.LOSS, description = "ce | mse (mse = (1/2N)·Σ‖f(x)−y‖²)")
    String loss;
    @Option(names = Flags.INIT, description = "normal:STD | xavier | he | values:v1,v2,... (default normal:1)")
    String init;

    @Option(names = Flags.LR, description = "learning rates: a list, log:A:B:N or lin:A:B:N")
    String lr;
    @Option(names = Flags.INITS, description = "initialisations per learning rate")
    Integer inits;
    @Option(names = Flags.SEED, description = "sweep seed (default 1)")
    Long seed;

    @Option(names = Flags.METHOD, description = "paper | benettin | spectrum | tangent")
    String method;
    @Option(names = Flags.REPLICAS, description = "replicas per cell (paper, benettin; warned and ignored by others)")
    Integer replicas;
    @Option(names = Flags.EXPONENTS, description = "number of exponents K (spectrum, tangent; warned and ignored by "
            + "others)")
    Integer exponents;
    @Option(names = Flags.EPSILON, description = "perturbation size ε (paper: U(−ε,ε) per weight; benettin/spectrum: δ0; "
            + "warned and ignored by tangent)")
    Double epsilon;
    @Option(names = Flags.RENORM_EVERY, description = "steps between renormalisations τ (benettin, spectrum, tangent; "
            + "warned and ignored by paper)")
    Integer renormEvery;
    @Option(names = Flags.TRANSIENT, description = "steps discarded before exponents accumulate (benettin, spectrum, "
            + "tangent; warned and ignored by paper)")
    Integer transientSteps;
    @Option(names = Flags.NORM, description = "l1 | l2 distance (paper default l1; benettin default l2; spectrum and "
            + "tangent always use l2 and warn that --norm is ignored)")
    String norm;
    @Option(names = Flags.FIT, description = "growth | max-r2: how λ is fitted from ln⟨d(t)⟩ (paper method; warned "
            + "and ignored by others)")
    String fit;
    @Option(names = Flags.PERTURB_BIASES, description = "perturb biases too (the paper perturbs weights only)")
    boolean perturbBiases;

    @Option(names = Flags.STEPS, description = "GD steps")
    Integer steps;
    @Option(names = Flags.BATCH, description = "full | B (minibatch size for SGD)")
    String batch;
    @Option(names = Flags.ACCURACY_THRESHOLD, description = "test accuracy counted as trained (default 0.8)")
    Double threshold;
    @Option(names = Flags.EVAL_EVERY, description = "evaluate test accuracy every K steps (0 = only at the start and "
            + "the end)")
    Integer evalEvery;

    @Option(names = Flags.SHARPNESS, description = "measure the sharpness (top Hessian eigenvalue) at the end")
    boolean sharpness;
    @Option(names = Flags.SHARPNESS_EVERY, description = "also measure the sharpness every K steps (curves.csv; "
            + "the top eigenvalue only, whatever --sharpness-k)")
    Integer sharpnessEvery;
    @Option(names = Flags.SHARPNESS_K, paramLabel = "K", description = "report the top K Hessian eigenvalues at the "
            + "end: sharpness, hessian_eig_2 … hessian_eig_K, descending (default 1; needs --sharpness or "
            + "--sharpness-every)")
    Integer sharpnessK;
    @Option(names = Flags.FLOW, description = "also integrate gradient flow from each start; report its limit")
    boolean flow;
    @Option(names = Flags.BALANCE, description = "report imbalance ‖W1·W1ᵀ − W2ᵀ·W2‖_F (two-layer nets)")
    boolean balance;

    @Option(names = Flags.DTYPE, description = "f64 | f32 (default f64)")
    String dtype;
    @Option(names = Flags.BACKEND, description = "auto | java | opencl | cuda (default auto)")
    String backend;
    @Option(names = Flags.MAX_BATCH, description = "at most T trajectories per device batch (default: from memory)")
    Integer maxBatch;

    @Option(names = Flags.OUT, description = "output folder (default gdchaos-out)")
    Path out;
    @Option(names = Flags.RESUME, description = "finish an interrupted sweep in --out")
    boolean resume;
    @Option(names = Flags.QUIET, description = "no progress output")
    boolean quiet;
    @Option(names = Flags.SHARD, paramLabel = "I/N", description = "run only shard I of N (0 ≤ I < N; cell k of the "
            + "grid goes to shard k mod N) into OUT/shards/I-of-N/; combine with 'gdchaos merge OUT'")
    String shard;

    @CommandLine.Mixin
    PlotFlags plot = new PlotFlags();

    /** The output folder once known (for the error log). */
    private volatile Path outputFolder;

    @Override
    public Path outputFolder() {
        return outputFolder;
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
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
        Path dir = out == null ? Path.of("gdchaos-out") : out;
        if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
            throw new org.gdchaos.sweep.OutputFolderException(Flags.OUT + " " + dir + " is a file, not a folder; choose a "
                    + "folder (it is created if missing)");
        }
        org.gdchaos.sweep.Shard sh = shard == null ? null : org.gdchaos.sweep.Shard.parse(shard);
        if (sh != null) dir = sh.folder(dir);
        boolean terminal = System.console() != null;
        Interrupted hint = new Interrupted(o, err, dir, terminal && !quiet);
        outputFolder = dir;
        try (Backend be = BackendChoice.open(backend, s.dtype(), o, spec.commandLine().getErr(), quiet)) {
            SweepRunner runner = new SweepRunner(be, s, dir, resume, maxB,
                    quiet ? org.gdchaos.sweep.ProgressListener.NONE : new ProgressPrinter(o, terminal),
                    sh == null ? c -> true : sh.includes(s)).plotOptions(plotOptions);
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

    private void report(PrintWriter o, SweepResult r, SweepSpec s) {
        o.println(String.format(Locale.ROOT, "done: %d cells run, %d skipped, %.1f s, %.0f trajectory-steps/s",
                r.cellsRun(), r.cellsSkipped(), r.seconds(), r.trajectoryStepsPerSecond()));
        o.println(String.format(Locale.ROOT, "%10s %6s %12s %12s %10s %9s", "lr", "cells", "lambda_1", "95% ±",
                "steps→" + s.accuracyThreshold(), "diverged"));
        for (SummaryCsv.Row row : r.summary()) {
            o.println(String.format(Locale.ROOT, "%10.4g %6d %12.4f %12.4f %10s %8.0f%%", row.lr(), row.cells(),
                    row.lambda1().mean(), row.lambda1().ciHalfWidth(),
                    Double.isNaN(row.medianSteps()) ? "n/a" : Double.isInfinite(row.medianSteps()) ? "never"
                            : String.format(Locale.ROOT, "%.0f", row.medianSteps()),
                    100 * row.divergedFraction()));
        }
        StringBuilder files = new StringBuilder("results.csv, summary.csv, curves.csv, run.json");
        for (Path p : r.plots()) files.append(", ").append(p.getFileName());
        o.println("wrote " + r.dir().toAbsolutePath() + " (" + files + ")");
        o.flush();
    }

    /** Merges preset, explicit options and defaults into a validated spec. */
    SweepSpec buildSpec() {
        Preset p = preset == null ? null : Preset.parse(preset);
        String d = pick(data, p == null ? null : p.data, SweepSpec.Builder.DEFAULT_DATA);
        // sizes: explicit option, else the preset's, else what the data source suggests (a 1000/1000
        // subset of MNIST-like images, all samples of scalar:/teacher:); impossible sizes fail at load
        DataSource source = DataSpec.parse(d);
        int tr = pick(trainSize, p == null ? null : p.trainSize, source.defaultTrainSize());
        int te = pick(testSize, p == null ? null : p.testSize, source.defaultTestSize());
        ModelSpec m = model();
        InitSpec in = InitSpec.parse(pick(init, null, "normal:1"));
        double[] rates = LearningRates.parse(pick(lr, p == null ? null : p.lr, "0.01,0.1,1,10"));
        Method meth = Method.parse(pick(method, null, "paper"));
        LyapunovConfig def = meth.impl().defaults(); // each method's defaults live in its class
        LyapunovConfig lc = new LyapunovConfig(meth, pick(replicas, p == null ? null : p.replicas, def.replicas()),
                pick(exponents, null, def.exponents()), pick(epsilon, null, def.epsilon()),
                pick(renormEvery, null, def.renormEvery()), pick(transientSteps, null, def.transientSteps()),
                norm == null ? def.norm() : Norm.parse(norm), perturbBiases,
                fit == null ? def.fit() : GrowthFit.Method.parse(fit));
        int bs = parseBatch(pick(batch, null, "full"));
        return SweepSpec.builder().data(d).trainSize(tr).testSize(te).model(m).init(in).learningRates(rates)
                .inits(pick(inits, p == null ? null : p.inits, SweepSpec.Builder.DEFAULT_INITS))
                .seed(pick(seed, null, 1L)).lyapunov(lc)
                .steps(pick(steps, p == null ? null : p.steps, SweepSpec.Builder.DEFAULT_STEPS)).batchSize(bs)
                .accuracyThreshold(pick(threshold, p == null ? null : p.threshold,
                        SweepSpec.Builder.DEFAULT_ACCURACY_THRESHOLD))
                .evalEvery(pick(evalEvery, p == null ? null : p.evalEvery, 1))
                .dtype(DType.parse(pick(dtype, null, "f64")))
                .extras(extras()).build();
    }

    private SweepSpec.Extras extras() {
        int every = pick(sharpnessEvery, null, 0);
        int k = pick(sharpnessK, null, 1);
        // an explicit --sharpness-k, even 1, with nothing to apply it to is a mistake on the command line
        if (sharpnessK != null && k >= 1 && !sharpness && every == 0) throw SweepSpec.Extras.needsSharpness(k);
        return new SweepSpec.Extras(sharpness, every, flow, balance, k);
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

    private ModelSpec model() {
        String kind = pick(model, null, "mlp").toLowerCase(Locale.ROOT);
        if (kind.equals("linear")) {
            if (layers != null) throw new InputException(Flags.MODEL + " linear takes " + Flags.WIDTH + ", not "
                    + Flags.LAYERS);
            int w = pick(width, null, 1);
            if (w < 1) throw new InputException(Flags.WIDTH + " must be ≥ 1");
            return ModelSpec.linear(w);
        }
        if (!kind.equals("mlp")) {
            throw new InputException("unknown " + Flags.MODEL + " '" + model + "' (use mlp or linear)");
        }
        if (width != null) throw new InputException(Flags.WIDTH + " applies to " + Flags.MODEL + " linear; use "
                + Flags.LAYERS);
        int[] w = layers == null ? new int[] {784, 64, 10} : layers;
        return new ModelSpec(w, Activation.parse(pick(activation, null, "tanh")), !noBias,
                Loss.parse(pick(loss, null, "ce")));
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
