package org.gdchaos.cli;

import org.gdchaos.Setting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.gdchaos.InputException;
import org.gdchaos.backend.Backend;
import org.gdchaos.onset.Lattice;
import org.gdchaos.onset.OnsetAnswer;
import org.gdchaos.onset.OnsetResult;
import org.gdchaos.onset.OnsetRunner;
import org.gdchaos.onset.OnsetSearch;
import org.gdchaos.onset.OnsetSettings;
import org.gdchaos.sweep.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gdchaos onset}: an adaptive search for the onset of chaos and the fastest learning rate
 * (docs/science.md#onset), with every model, data, training, method and backend option of
 * {@code sweep} (inherited from {@link SweepCommand}); the learning rates come from the search.
 */
@Command(name = "onset", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "org.gdchaos.cli.SweepHelp",
        description = {"Find the edge of chaos: search a learning-rate range round by round for the onset of chaos "
                + "(the first η where λ1 exceeds λ* with confidence across initialisations) and for the η that "
                + "trains fastest, and say where one lies relative to the other.",
            "Every round is one batch of cells in lockstep; the folder (--out) is a sweep folder (results.csv, "
                + "curves.csv, summary.csv, run.json) plus onset.json (every round and the answer), the onset "
                + "figures and report.html. Model, data, training, method and backend options are those of "
                + "sweep; --lr and --shard are not used."})
public final class OnsetCommand extends SweepCommand {
    @Option(names = Flags.LR_RANGE, paramLabel = "LO:HI", description = "learning-rate range: LO:HI (log spacing), "
            + "lin:LO:HI for linear (default: the preset's grid's lowest and highest η, else 0.01:20)")
    String lrRange;

    @Option(names = Flags.POINTS, paramLabel = "K", description = "new learning rates per round (≥ 2; default: as "
            + "many as fill one device batch with --inits cells each, 4 … 16)")
    Integer points;

    @Option(names = Flags.MAX_ROUNDS, description = "round budget, round 0 included (default "
            + OnsetSettings.DEFAULT_MAX_ROUNDS + ")")
    Integer maxRounds;

    @Option(names = Flags.TOLERANCE, description = "relative width (b − a)/a at which a bracket [a, b] is located "
            + "(0 < tol < 1; default " + OnsetSettings.DEFAULT_TOLERANCE + ")")
    Double tolerance;

    @Option(names = Flags.CHAOS_THRESHOLD, paramLabel = "λ*", description = "a learning rate is chaotic when λ1 > λ* "
            + "with 95% confidence across initialisations, regular when λ1 < λ* (default 0.02 for the paper method, "
            + "0.01 for benettin, spectrum and tangent; docs/science.md#onset)")
    Double chaosThreshold;

    @Option(names = Flags.MAX_INITS, description = "the most initialisations an undecided learning rate gets (≥ 2; "
            + "default 4 × --inits)")
    Integer maxInits;

    static final String DEFAULT_RANGE = "0.01:20";

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listPresets) {
            listPresets(o);
            return ExitCodes.OK;
        }
        if (lr != null) {
            throw new InputException(Setting.ONSET_RANGE.key(), Flags.LR + " sets a sweep's grid; an onset search chooses its "
                    + "learning rates: give the range to search with " + Flags.LR_RANGE + " LO:HI");
        }
        if (shard != null) throw new InputException("shard", Flags.SHARD + " is not available for onset (its rounds "
                + "depend on each other): run the search in one process");
        if (plan) throw new InputException(Flags.PLAN + " is not available for onset: the cells depend on the results");
        Preset p = preset == null ? null : Preset.parse(preset);
        String range = lrRange != null ? lrRange : p != null ? presetRange(p) : DEFAULT_RANGE;
        lr = "1"; // the spec needs a grid; the search replaces it with its lattice
        SweepSpec base;
        try {
            base = buildSpec();
        } finally {
            lr = null;
        }
        double[] r = OnsetSettings.parseRange(range);
        int n0 = base.training().inits();
        if (points != null && points < 2) {
            throw new InputException(Setting.ONSET_POINTS.key(), "a round needs at least 2 new learning rates, got " + points);
        }
        // K = 0: the runner resolves it (a batch's worth, or the K recorded in the folder)
        OnsetSettings settings = new OnsetSettings(r[0], r[1], r[2] == 1, points == null ? 0 : points,
                maxRounds == null ? OnsetSettings.DEFAULT_MAX_ROUNDS : maxRounds,
                tolerance == null ? OnsetSettings.DEFAULT_TOLERANCE : tolerance,
                chaosThreshold == null ? OnsetSettings.defaultThreshold(base.lyapunov().method()) : chaosThreshold,
                n0, maxInits == null ? Math.max(2, 4 * n0) : maxInits);
        for (String w : ignoredOptions(base.lyapunov().method())) err.println("gdchaos: warning: " + w);
        err.flush();
        if (maxBatch != null && maxBatch < 1) {
            throw new InputException(Flags.MAX_BATCH + " must be ≥ 1, got " + maxBatch + " (leave it out to plan "
                    + "from memory)");
        }
        Path dir = out == null ? Path.of("gdchaos-onset") : PathArgs.folder(Flags.OUT, out);
        if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
            throw new org.gdchaos.sweep.store.OutputFolderException(Flags.OUT + " " + dir + " is a file, not a folder; choose a "
                    + "folder (it is created if missing)");
        }
        if (newFolder && resume) {
            throw new InputException(Flags.NEW + " starts a new search and " + Flags.RESUME + " goes on with one: give "
                    + "one of them");
        }
        if (newFolder && org.gdchaos.sweep.store.ResultStore.holdsSweep(dir)) {
            Path asked = dir;
            dir = org.gdchaos.sweep.store.ResultStore.nextFree(dir);
            err.println("gdchaos: " + asked + " holds an earlier run; this search writes into " + dir + " (" + Flags.NEW
                    + ")");
            err.flush();
        }
        boolean terminal = System.console() != null;
        Interrupted hint = new Interrupted(o, err, dir, terminal && !quiet);
        outputFolder = dir; // an internal error's log goes into the search's folder
        Lattice lattice = settings.lattice();
        try (Backend be = BackendChoice.open(backend, base.training().dtype(), o, err, quiet)) {
            OnsetRunner runner = new OnsetRunner(be, base, settings, dir, resume, maxBatch == null ? 0 : maxBatch)
                    .plotOptions(plot.options())
                    .invokedBy(org.gdchaos.sweep.store.Invocation.commandLine(Main.originalArgs(spec.commandLine())));
            if (!quiet) {
                runner.progress(new ProgressPrinter(o, terminal)).listener(new RoundPrinter(o, lattice));
                o.println(String.format(Locale.ROOT, "onset search over η in %s: %d lattice steps of ≤ %s relative "
                        + "width; λ* = %s; %d initialisations per η (up to %d when undecided)", range,
                        lattice.intervals(), settings.tolerance(), settings.chaosThreshold(), n0, settings.maxInits()));
                o.flush();
            }
            hint.arm();
            OnsetResult res = runner.run();
            hint.disarm();
            for (String w : runner.warnings()) err.println("gdchaos: warning: " + w);
            err.flush();
            OnsetAnswer a = res.answer();
            o.println(String.format(Locale.ROOT, "done: %d rounds, %d cells (%d run now; a uniform grid at this "
                            + "resolution: %d), %.1f s; wrote %s (onset.json, results.csv, summary.csv, curves.csv, "
                            + "run.json, report.html)", res.replay().rounds().size(), res.rows().size(), res.cellsRun(),
                    res.uniformGridCells(), res.seconds(), res.dir().toAbsolutePath()));
            o.println(a.onsetLine());
            o.println(a.fastestLine());
            o.flush();
        } catch (Error fatal) {
            throw new Main.Fatal(fatal);
        } finally {
            hint.disarm();
        }
        return ExitCodes.OK;
    }

    private static String presetRange(Preset p) {
        double[] g = org.gdchaos.sweep.LearningRates.parse(p.lr);
        double lo = Arrays.stream(g).filter(v -> v > 0).min().orElse(0.01), hi = Arrays.stream(g).max().orElse(20);
        return lo + ":" + hi;
    }

    /** One line per round: what it runs, then what it decided. */
    static final class RoundPrinter implements OnsetRunner.Listener {
        private final PrintWriter o;
        private final Lattice l;

        RoundPrinter(PrintWriter o, Lattice l) {
            this.o = o;
            this.l = l;
        }

        @Override
        public void roundStarting(OnsetSearch.Round r, int missing) {
            o.println(String.format(Locale.ROOT, "round %d: %d new η%s, %d η with more initialisations: %d cells%s",
                    r.round(), r.newPoints().size(), r.newPoints().isEmpty() ? ""
                            : " in [" + g(l.value(r.newPoints().get(0))) + ", "
                            + g(l.value(r.newPoints().get(r.newPoints().size() - 1))) + "]",
                    r.moreInits().size(), r.cells().size(),
                    missing < r.cells().size() ? " (" + missing + " to run, the rest on disk)" : ""));
            o.flush();
        }

        @Override
        public void roundDone(OnsetSearch.Done d) {
            OnsetSearch.State s = d.after();
            long reg = s.points().values().stream().filter(p -> p.verdict() == org.gdchaos.onset.Verdict.REGULAR).count();
            long cha = s.points().values().stream().filter(p -> p.verdict() == org.gdchaos.onset.Verdict.CHAOTIC).count();
            OnsetSearch.Onset on = s.onset();
            String bracket = on.high() < 0 ? "no chaotic η yet" : on.low() < 0 ? "onset ≤ " + g(l.value(on.high()))
                    : "onset in (" + g(l.value(on.low())) + ", " + g(l.value(on.high())) + "]";
            o.println(String.format(Locale.ROOT, "round %d decided: %d regular, %d chaotic, %d undecided; %s",
                    d.round().round(), reg, cha, s.points().size() - reg - cha, bracket));
            o.flush();
        }
    }

    static String g(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
