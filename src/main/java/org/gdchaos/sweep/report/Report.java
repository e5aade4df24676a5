package org.gdchaos.sweep.report;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.Csv;
import org.gdchaos.sweep.store.FolderLock;
import org.gdchaos.sweep.store.GridRows;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.SweepSpec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gdchaos.InputException;
import org.gdchaos.io.AtomicFiles;
import org.gdchaos.plot.Charts;
import org.gdchaos.plot.PlotOptions;

/**
 * The figures and {@code report.html} of an output folder: written at the end of every sweep and
 * merge, and rebuilt by {@code gdchaos report DIR} ({@link #rebuild}) from a finished, partial
 * (killed mid-way) or merged folder's {@code run.json}, {@code results.csv} and {@code curves.csv}
 * — no training, and those three files are only read.
 */
public final class Report {
    /** The page's file name. */
    public static final String FILE = "report.html";

    private Report() {
    }

    /** What {@link #rebuild} did: cells found and expected, files written, non-fatal problems. */
    public record Result(Path dir, int cells, int expected, List<Path> files, List<String> warnings) {
        public Result {
            files = List.copyOf(files);
            warnings = List.copyOf(warnings);
        }

        public boolean partial() {
            return cells < expected;
        }
    }

    /**
     * Writes the figures (formats of {@code options}) and {@code report.html} into {@code dir} from a
     * sweep's rows and summary; {@code summary.csv} must be written already. Returns the files written.
     */
    public static List<Path> write(Path dir, SweepSpec spec, JsonNode runJson, List<CellRow> rows,
                            List<SummaryCsv.Row> summary, PlotOptions options, List<String> notes) {
        return write(dir, spec, spec.cells(), runJson, rows, summary, options, notes);
    }

    /** {@link #write(Path, SweepSpec, JsonNode, List, List, PlotOptions, List)} for the cells {@code expected} (a shard's). */
    public static List<Path> write(Path dir, SweepSpec spec, List<Cell> expected, JsonNode runJson, List<CellRow> rows,
                            List<SummaryCsv.Row> summary, PlotOptions options, List<String> notes) {
        return write(dir, spec, expected, runJson, rows, summary, options, notes, List.of());
    }

    /**
     * The figures and report.html of a folder that a driver filled in several runs (the onset search):
     * {@code leading} figures first, then the sweep's; {@code notes} at the top of the page;
     * {@code expected} the cells the driver ran. summary.csv is rewritten from {@code rows}.
     */
    public static List<Path> write(Path dir, SweepSpec spec, List<Cell> expected, JsonNode runJson, List<CellRow> rows,
                                   PlotOptions options, List<String> notes, List<SweepPlots.Figure> leading) {
        List<SummaryCsv.Row> summary = SummaryCsv.summarize(rows, spec.training().optimizer());
        AtomicFiles.writeString(dir.resolve("summary.csv"), SummaryCsv.render(summary), OutputFolderException::new);
        return write(dir, spec, expected, runJson, rows, summary, options, notes, leading);
    }

    private static List<Path> write(Path dir, SweepSpec spec, List<Cell> expected, JsonNode runJson,
                                    List<CellRow> rows, List<SummaryCsv.Row> summary, PlotOptions options,
                                    List<String> notes, List<SweepPlots.Figure> leading) {
        List<SweepPlots.Figure> figures = new ArrayList<>(leading);
        figures.addAll(SweepPlots.figures(summary, rows, spec, dir, options));
        List<String> svgs = new ArrayList<>(); // drawn once: inlined in the page and written as the .svg files
        for (SweepPlots.Figure f : figures) svgs.add(Charts.svg(f.panels()));
        List<Path> files;
        try {
            files = new ArrayList<>(SweepPlots.save(figures, dir, options, svgs));
        } catch (java.io.UncheckedIOException e) { // a full disk, a read-only folder: the results stand
            throw new OutputFolderException(e.getMessage() + " (the results are complete; free space or fix the folder, "
                    + "then rebuild the figures with 'gdchaos report " + dir + "')");
        }
        Set<Cell.Identity> done = new HashSet<>();
        for (CellRow r : rows) done.add(r.cell().identity());
        List<String> missing = new ArrayList<>(); // readable keys, for the page
        for (Cell c : expected) if (!done.contains(c.identity())) missing.add(c.key());
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String page = ReportPage.render(new ReportPage.Content(name == null ? dir.toString() : name.toString(),
                runJson, spec, rows,
                expected.size(), missing, figures, svgs, read(dir.resolve("summary.csv")),
                completeLines(read(dir.resolve(ResultStore.RESULTS))), notes));
        files.add(AtomicFiles.writeString(dir.resolve(FILE), page, OutputFolderException::new));
        return files;
    }

    /**
     * Rebuilds {@code summary.csv}, the figures and {@code report.html} of an output folder.
     *
     * @throws InputException        when {@code dir} is not a gdchaos output folder (no folder, no or
     *                               unreadable run.json, no results.csv, rows that do not parse)
     * @throws OutputFolderException when another gdchaos process is writing the folder, or a file
     *                               cannot be written
     */
    public static Result rebuild(Path dir, PlotOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is not a folder" + (Files.exists(dir) ? "" : " (it does not exist)")
                    + ": give the --out folder of a gdchaos sweep or merge");
        }
        Path info = dir.resolve(RunInfo.FILE);
        if (!Files.isRegularFile(info)) {
            throw new InputException(dir + " is not a gdchaos output folder: it has no " + RunInfo.FILE
                    + " (give the --out folder of a gdchaos sweep or merge)");
        }
        JsonNode run;
        try {
            run = RunInfo.read(info); // in today's form; a newer format is refused
        } catch (IOException e) {
            throw new InputException("cannot read " + info + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (run == null || !run.isObject() || !"gdchaos".equals(run.path("tool").asText()) || !run.has("spec")) {
            throw new InputException(info + " is not a gdchaos run.json (no \"tool\": \"gdchaos\" and \"spec\")");
        }
        SweepSpec spec = SpecJson.read(run.get("spec"));
        Path results = dir.resolve(ResultStore.RESULTS);
        if (!Files.isRegularFile(results)) {
            throw new InputException(dir + " has no " + ResultStore.RESULTS + ": the sweep has not written any cell "
                    + "yet (or this is a Slurm folder not merged yet: run 'gdchaos merge " + dir + "')");
        }
        List<String> warnings = new ArrayList<>();
        ResultsCsv format = ResultsCsv.of(spec);
        List<CellRow> rows = readRows(results, format, warnings);
        String invalid = GridRows.describe(results, rows, spec); // duplicated, contradictory or out-of-grid rows
        if (invalid != null) throw new OutputFolderException(invalid);
        try (FolderLock lock = FolderLock.acquire(dir)) { // no sweep or merge writes the folder meanwhile
            warnings.addAll(lock.warnings());
            List<SummaryCsv.Row> summary = SummaryCsv.summarize(rows, spec.training().optimizer());
            List<Path> files = new ArrayList<>();
            files.add(AtomicFiles.writeString(dir.resolve("summary.csv"), SummaryCsv.render(summary), OutputFolderException::new));
            List<String> notes = new ArrayList<>(warnings);
            List<Cell> expected = expectedCells(dir, spec);
            files.addAll(write(dir, spec, expected, run, rows, summary, options, notes));
            return new Result(dir, rows.size(), expected.size(), files, warnings);
        }
    }

    /**
     * The rows of a folder's results.csv for the settings {@code spec} (a torn last line is left out
     * with a warning; any other bad line is an {@link InputException}); empty when there is no file.
     */
    public static List<CellRow> folderRows(Path dir, SweepSpec spec, List<String> warnings) {
        Path results = dir.resolve(ResultStore.RESULTS);
        if (!Files.isRegularFile(results)) return List.of();
        return readRows(results, ResultsCsv.of(spec), warnings);
    }

    /** The cells a folder should hold: a shard folder ({@code …/shards/I-of-N}) its shard's, else the grid. */
    static List<Cell> expectedCells(Path dir, SweepSpec spec) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Shard shard = abs.getFileName() == null || parent == null || parent.getFileName() == null
                || !parent.getFileName().toString().equals(Shard.SHARDS_DIR) ? null
                : Shard.fromFolderName(abs.getFileName().toString());
        return shard == null ? spec.cells() : shard.cells(spec);
    }

    /**
     * The rows of results.csv: the header must be the one the settings give; a torn last line (a
     * sweep killed mid-write: no final newline) is skipped with a warning, any other bad line is an error.
     */
    static List<CellRow> readRows(Path results, ResultsCsv format, List<String> warnings) {
        String text = read(results);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        boolean torn = !text.isEmpty() && !text.endsWith("\n");
        if (!torn && !lines.isEmpty()) lines.remove(lines.size() - 1); // the empty string after the last newline
        if (lines.isEmpty() || lines.get(0).isEmpty()) return List.of();
        String header = lines.get(0); // rows are read by column name
        if (format.layout(header, ResultsCsv.REPORTABLE) == null) {
            throw new InputException(results + ": its header does not match the settings in run.json (expected '"
                    + format.header() + "', found '" + lines.get(0) + "')");
        }
        List<CellRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (torn && i == lines.size() - 1) {
                try {
                    rows.add(format.parse(header, lines.get(i)));
                } catch (RuntimeException e) {
                    warnings.add(results + ": the last line is incomplete (a sweep killed while writing it) and "
                            + "is left out");
                }
                continue;
            }
            rows.add(format.parseRow(header, results, i + 1, lines.get(i)));
        }
        return rows;
    }

    /** The text up to its last newline: a torn last line (a sweep killed mid-write) is not shown. */
    static String completeLines(String text) {
        if (text == null || text.isEmpty() || text.endsWith("\n")) return text;
        return text.substring(0, text.lastIndexOf('\n') + 1);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Csv.readUtf8(p) : null;
        } catch (Csv.DamagedTextException e) {
            throw new OutputFolderException(e.getMessage());
        } catch (IOException e) {
            throw new InputException("cannot read " + p + ": " + e.getMessage());
        }
    }

}
