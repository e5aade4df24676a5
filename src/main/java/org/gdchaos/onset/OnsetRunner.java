package org.gdchaos.onset;

import org.gdchaos.Setting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.gdchaos.InputException;
import org.gdchaos.backend.Backend;
import org.gdchaos.plot.PlotOptions;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.Invocation;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.run.ProgressListener;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.run.SweepResult;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.SweepSpec;

/**
 * Runs an onset search into an output folder (docs/science.md#onset): round after round, the
 * cells {@link OnsetSearch} asks for run as one sweep step into the same folder (results.csv,
 * curves.csv, summary.csv and run.json as a sweep writes them; a round's cells in as few device
 * batches as memory allows, normally one), then {@code onset.json}, the onset figures and
 * report.html. The folder's sweep grid is the search's {@link Lattice} × maxInits initialisations;
 * only the cells the search visits run.
 *
 * <p>Resume: with {@code resume}, the rows on disk are replayed ({@link OnsetSearch#replay}) and the
 * search goes on where it stopped; the recorded settings must match (exit 4 naming each that differs).
 */
public final class OnsetRunner {
    /** The search's own file. */
    public static final String FILE = "onset.json";
    /** run.json's member holding the search's settings. */
    public static final String RUN_JSON_KEY = "onset";

    /** What a search tells while it runs. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A round starts: its cells, of which {@code missing} still have to run. */
        default void roundStarting(OnsetSearch.Round round, int missing) {
        }

        /** A round finished and was decided. */
        default void roundDone(OnsetSearch.Done done) {
        }
    }

    private final Backend backend;
    private final SweepSpec base;
    private final Path out;
    private final boolean resume;
    private final int maxBatch;
    private OnsetSettings settings;
    private ProgressListener progress = ProgressListener.NONE;
    private Listener listener = Listener.NONE;
    private Invocation invocation = Invocation.JAVA_API;
    private PlotOptions plotOptions = PlotOptions.DEFAULT;
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param backend  where to compute
     * @param base     the model, data, training and method (its learning rates and inits are replaced
     *                 by the search's); one weight decay
     * @param settings the search; {@code points} 0 = the default ({@link OnsetSettings#defaultPoints},
     *                 or the recorded K on resume)
     * @param out      output folder
     * @param resume   go on with the search in {@code out}
     * @param maxBatch at most this many trajectories per device batch (0 = from memory)
     */
    public OnsetRunner(Backend backend, SweepSpec base, OnsetSettings settings, Path out, boolean resume, int maxBatch) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.base = Objects.requireNonNull(base, "base");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.out = Objects.requireNonNull(out, "out");
        this.resume = resume;
        this.maxBatch = maxBatch;
        if (base.training().weightDecays().length != 1) {
            throw new InputException(Setting.WEIGHT_DECAYS.key(), "an onset search runs one weight decay, got "
                    + base.training().weightDecays().length + ": run one search per weight decay");
        }
        if (base.training().momentumCount() != 1) {
            throw new InputException(Setting.MOMENTA.key(), "an onset search runs one momentum coefficient, got "
                    + base.training().momentumCount() + ": run one search per β (--optimizer momentum:β)");
        }
    }

    public OnsetRunner progress(ProgressListener p) {
        progress = Objects.requireNonNull(p, "progress");
        return this;
    }

    public OnsetRunner listener(Listener l) {
        listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    public OnsetRunner invokedBy(Invocation how) {
        invocation = Objects.requireNonNull(how, "how");
        return this;
    }

    public OnsetRunner plotOptions(PlotOptions options) {
        plotOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Non-fatal problems met. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The settings as run (K resolved once {@link #run} started). */
    public OnsetSettings settings() {
        return settings;
    }

    /** The sweep spec the folder records: the lattice as learning rates, maxInits initialisations. */
    public static SweepSpec folderSpec(SweepSpec base, OnsetSettings s) {
        return base.toBuilder().learningRates(s.lattice().values()).inits(s.maxInits()).build();
    }

    /** Runs (or resumes) the search to its end. */
    public OnsetResult run() {
        long t0 = System.nanoTime();
        ObjectNode recorded = resume ? recordedSettings(out) : null;
        if (settings.points() == 0) {
            int k = recorded != null && recorded.path("points").asInt(0) >= 2 ? recorded.path("points").asInt()
                    : defaultPoints();
            settings = settings.withPoints(k);
        }
        if (recorded != null) checkSameSearch(recorded);
        SweepSpec spec = folderSpec(base, settings);
        OnsetSearch search = new OnsetSearch(settings, base.training().weightDecays()[0],
                base.training().momentumValues()[0]);
        JsonNode settingsJson = OnsetJson.settings(settings);
        boolean resumeNext = resume;
        List<CellRow> rows = resume ? runCells(spec, settingsJson, Set.of(), true).rows() : List.of();
        resumeNext = resumeNext || !rows.isEmpty();
        int cellsRun = 0;
        int reported = 0;
        OnsetSearch.Replay replay;
        while (true) {
            replay = search.replay(byKey(rows));
            for (; reported < replay.rounds().size(); reported++) listener.roundDone(replay.rounds().get(reported));
            if (replay.finished()) break;
            if (!replay.rounds().isEmpty()) OnsetJson.write(out.resolve(FILE), OnsetJson.tree(search, replay, rows.size()));
            listener.roundStarting(replay.pending(), replay.missing().size());
            SweepResult r = runCells(spec, settingsJson, new HashSet<>(replay.missing()), resumeNext);
            resumeNext = true;
            cellsRun += replay.missing().size();
            rows = r.rows();
        }
        List<Cell> visited = new ArrayList<>();
        for (OnsetSearch.Done d : replay.rounds()) visited.addAll(d.round().cells());
        OnsetAnswer answer = OnsetAnswer.of(search, replay);
        ObjectNode tree = OnsetJson.tree(search, replay, visited.size());
        OnsetJson.write(out.resolve(FILE), tree);
        List<CellRow> mine = rowsOf(visited, rows);
        JsonNode runJson;
        try {
            runJson = readRunJson(out);
        } catch (IOException e) { // the report shows no provenance then; the results stand
            warnings.add("cannot read " + out.resolve(RunInfo.FILE) + " for the report: " + e.getMessage());
            runJson = null;
        }
        List<Path> files = OnsetReport.write(out, runJson, spec, search, replay, answer, visited, mine, plotOptions,
                warnings);
        return new OnsetResult(out, settings, replay, answer, mine, cellsRun, (System.nanoTime() - t0) / 1e9, files);
    }

    private final Set<String> warned = new HashSet<>();

    private SweepResult runCells(SweepSpec spec, JsonNode settingsJson, Set<Cell> cells, boolean resumeFolder) {
        SweepRunner runner = new SweepRunner(backend, spec, SweepRunner.Options.builder().out(out).resume(resumeFolder)
                .maxBatch(maxBatch).progress(progress).include(cells::contains).report(false)
                .annotate(RUN_JSON_KEY, settingsJson).invokedBy(invocation).plotOptions(plotOptions).build());
        SweepResult r = runner.run();
        for (String w : runner.warnings()) if (warned.add(w)) warnings.add(w);
        return r;
    }

    /** K that fills one device batch with the initial inits ({@link OnsetSettings#defaultPoints}). */
    private int defaultPoints() {
        OnsetSettings probe = settings.withPoints(2);
        SweepSpec spec = folderSpec(base, probe);
        int n = probe.lattice().intervals() + 1;
        int want = Math.min(n, OnsetSettings.MAX_DEFAULT_POINTS);
        Set<Cell> cells = new HashSet<>();
        for (Cell c : spec.cells()) if (c.lrIndex() < want && c.init() < settings.inits()) cells.add(c);
        SweepRunner.Preview p = new SweepRunner(backend, spec, SweepRunner.Options.builder().out(out)
                .maxBatch(maxBatch).include(cells::contains).build()).preview(0);
        int perBatch = p.plan().batches().isEmpty() ? cells.size() : p.plan().batches().get(0).size();
        return OnsetSettings.defaultPoints(perBatch, settings.inits());
    }

    /**
     * Whether {@code dir} holds an onset search (its run.json has the search's settings): {@code gdchaos
     * report} rebuilds such a folder with {@link #rebuildReport}.
     */
    public static boolean isOnsetFolder(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RunInfo.FILE))) return false;
        try {
            JsonNode n = readRunJson(dir);
            return n != null && n.get(RUN_JSON_KEY) instanceof ObjectNode;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code dir}'s run.json in today's form ({@link RunInfo#read}: null for an empty file).
     *
     * @throws InputException for a run.json of a newer gdchaos (or one that cannot be upgraded)
     */
    static JsonNode readRunJson(Path dir) throws IOException {
        return RunInfo.read(dir.resolve(RunInfo.FILE));
    }

    /**
     * Rebuilds summary.csv, onset.json, the figures and report.html of an onset folder from its run.json
     * and results.csv (no training; a search not finished yet is shown up to its last finished round).
     *
     * @return the files written
     */
    public static List<Path> rebuildReport(Path dir, PlotOptions options, List<String> warnings) {
        JsonNode run;
        try {
            run = readRunJson(dir);
        } catch (IOException e) {
            throw new InputException("cannot read " + dir.resolve(RunInfo.FILE) + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (run == null || run.get("spec") == null) {
            throw new InputException(dir.resolve(RunInfo.FILE) + " has no spec: not a gdchaos output folder");
        }
        OnsetSettings s = OnsetJson.readSettings(run.get(RUN_JSON_KEY));
        SweepSpec spec = org.gdchaos.sweep.store.SpecJson.read(run.get("spec"));
        OnsetSearch search = new OnsetSearch(s, spec.training().weightDecays()[0], spec.training().momentumValues()[0]);
        List<CellRow> rows = org.gdchaos.sweep.report.Report.folderRows(dir, spec, warnings);
        OnsetSearch.Replay replay = search.replay(byKey(rows));
        List<Cell> visited = new ArrayList<>();
        for (OnsetSearch.Done d : replay.rounds()) visited.addAll(d.round().cells());
        List<Path> files = new ArrayList<>();
        if (!replay.rounds().isEmpty()) {
            OnsetJson.write(dir.resolve(FILE), OnsetJson.tree(search, replay, visited.size()));
            files.add(dir.resolve(FILE));
        }
        if (!replay.finished()) {
            warnings.add("the search in " + dir + " is not finished (round " + replay.pending().round() + " has "
                    + replay.missing().size() + " cells to run): the page shows the rounds before it; resume the "
                    + "search (--resume) to finish it");
        }
        files.addAll(OnsetReport.write(dir, run, spec, search, replay, replay.finished() ? OnsetAnswer.of(search, replay)
                : null, visited, rowsOf(visited, rows), options, warnings));
        return files;
    }

    /** The settings recorded in {@code dir}'s run.json (null when there is no run.json yet). */
    static ObjectNode recordedSettings(Path dir) {
        if (!Files.exists(dir.resolve(RunInfo.FILE))) return null;
        JsonNode n;
        try {
            n = readRunJson(dir);
        } catch (IOException e) {
            throw new OutputFolderException("cannot resume the search in " + dir + ": its run.json cannot be read ("
                    + e.getMessage().lines().findFirst().orElse("") + "); choose another output folder");
        } catch (InputException e) { // a newer format: refused as a sweep's resume refuses it
            throw new OutputFolderException("cannot resume the search in " + dir + ": " + e.getMessage()
                    + "; choose another output folder");
        }
        JsonNode s = n == null ? null : n.get(RUN_JSON_KEY);
        if (!(s instanceof ObjectNode o)) {
            throw new OutputFolderException(dir + " holds a sweep, not an onset search (its run.json has no '"
                    + RUN_JSON_KEY + "' settings): resume it with gdchaos sweep --resume, or choose another output folder");
        }
        return o;
    }

    private void checkSameSearch(ObjectNode recorded) {
        JsonNode now = OnsetJson.settings(settings);
        Map<String, String[]> diff = new LinkedHashMap<>();
        now.fieldNames().forEachRemaining(k -> {
            if (k.equals("max_rounds")) return; // may be raised to go on with a search
            JsonNode was = recorded.get(k);
            if (!now.get(k).equals(was)) {
                diff.put(OnsetJson.SETTING_KEYS.getOrDefault(k, k), new String[] {was == null ? "absent" : was.toString(),
                        now.get(k).toString()});
            }
        });
        if (diff.isEmpty()) return;
        throw new OutputFolderException((UnaryOperator<String> name) -> {
            List<String> parts = new ArrayList<>();
            diff.forEach((k, v) -> parts.add(name.apply(k) + " " + v[0] + " in the folder, " + v[1] + " now"));
            return "cannot resume: the onset search in " + out + " was started with different settings ("
                    + String.join("; ", parts) + "); resume with the settings in its run.json, or choose another "
                    + "output folder";
        });
    }

    /** The rows by their cells' {@link Cell#identity()}. */
    private static Map<Cell.Identity, CellRow> byKey(List<CellRow> rows) {
        Map<Cell.Identity, CellRow> m = new LinkedHashMap<>();
        for (CellRow r : rows) m.put(r.cell().identity(), r);
        return m;
    }

    private static List<CellRow> rowsOf(List<Cell> cells, List<CellRow> rows) {
        Map<Cell.Identity, CellRow> m = byKey(rows);
        List<CellRow> out = new ArrayList<>();
        for (Cell c : cells) out.add(m.get(c.identity()));
        return out;
    }
}
