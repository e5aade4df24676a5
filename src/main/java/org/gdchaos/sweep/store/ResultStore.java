package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Append-only, crash-safe storage of a sweep's per-cell outputs in its output folder:
 * {@code results.csv} (one row per cell) and {@code curves.csv} (one row per cell and step).
 *
 * <p>Writes are whole or absent: after each batch its curves are appended in full (a short
 * {@link FileChannel#write} is continued until every byte is written) and forced to disk, and only
 * then are its results rows appended and forced. A results row on disk therefore always has all
 * its curve lines on disk. On resume ({@link #recover()}), a torn last line (no newline) is cut
 * from both files by rewriting them, curves of cells without a results row are dropped, and the
 * done cells are reported so only the missing ones run; nothing is ever appended to a torn tail.
 *
 * <p>What a folder may hold when a sweep starts:
 * <ul>
 *   <li>without {@code resume}: none of {@code results.csv}, {@code curves.csv}, {@code run.json}
 *       (exit 4 otherwise, with what to do);</li>
 *   <li>with {@code resume}: nothing, or a {@code run.json} with whatever the sweep it describes
 *       left; {@code results.csv} or {@code curves.csv} without {@code run.json} are refused,
 *       since nothing says which sweep wrote them.</li>
 * </ul>
 * A failed write (disk full, quota, I/O error) is an {@link OutputFolderException} (exit 4) whose
 * one line names the file, the cause and the fix (resuming after freeing space).
 *
 * <p>One writer per folder: the store holds the folder's {@link FolderLock} from construction to
 * {@link #close()}, so a second gdchaos process writing the same folder fails at once (exit 4).
 *
 * <p>As the {@link ResultSink} of a run it also writes {@code run.json} at the start, after each batch
 * and at the end, and {@code summary.csv} at the end; with {@code resume} it hands the runner the earlier
 * run's run.json and, after {@link #recover(int, SweepSpec) repairing} the files, its finished cells.
 */
public final class ResultStore implements ResultSink {
    public static final String RESULTS = "results.csv";
    public static final String CURVES = "curves.csv";
    public static final String SUMMARY = "summary.csv";

    /** Opens a file for appending; replaced in tests by channels that write short or fail. */
    interface Opener {
        FileChannel open(Path p) throws IOException;
    }

    static final Opener FILES = p -> FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);

    private final Path dir;
    private final ResultsCsv format;
    private final boolean resume;
    private final FolderLock lock;
    private final Opener opener;
    private final List<String> repairs = new ArrayList<>();

    /**
     * Opens (creating) the output folder.
     *
     * @throws OutputFolderException when the folder cannot be created or written, is a file, another
     *                               process holds its lock, it already holds a sweep and {@code resume}
     *                               is false, or it holds rows but no run.json and {@code resume} is true
     */
    public ResultStore(Path dir, ResultsCsv format, boolean resume) {
        this(dir, format, resume, FILES);
    }

    ResultStore(Path dir, ResultsCsv format, boolean resume, Opener opener) {
        this.dir = dir;
        this.format = format;
        this.resume = resume;
        this.opener = opener;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutputFolderException("the output folder " + dir + " is a file, not a folder; choose a folder (it is "
                    + "created if missing)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new OutputFolderException("cannot create output folder " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) throw new OutputFolderException("output folder " + dir + " is not writable");
        // the lock first: processes started together must not write and delete each other's probe file
        lock = FolderLock.acquire(dir);
        try {
            probeWritable(dir);
            String refusal = refusal(dir, resume);
            if (refusal != null) throw new OutputFolderException(refusal);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Name of the file written and deleted (under the folder's lock) to prove the folder is writable. */
    public static final String PROBE = ".gdchaos-write-test";

    /** Writes and deletes a probe file; called only while holding the folder's lock. */
    private static void probeWritable(Path dir) {
        Path probe = dir.resolve(PROBE);
        try {
            Files.writeString(probe, "ok");
            Files.delete(probe);
        } catch (IOException e) {
            throw new OutputFolderException("output folder " + dir + " is not writable: " + e.getMessage());
        }
    }

    /** Why a sweep may not start in {@code dir} (null: it may). */
    static String refusal(Path dir, boolean resume) {
        boolean info = Files.exists(dir.resolve(RunInfo.FILE));
        List<String> data = new ArrayList<>();
        for (String f : List.of(RESULTS, CURVES)) if (Files.exists(dir.resolve(f))) data.add(f);
        if (resume && info && !data.isEmpty() && !RunInfo.namesASweep(dir)) {
            // a run.json without a spec says nothing about which sweep wrote the rows: as if it were missing
            return dir + " holds " + String.join(" and ", data) + " but its " + RunInfo.FILE + " records no sweep "
                    + "(no spec), so the rows cannot be matched to a sweep and resuming cannot use them: delete "
                    + data.stream().map(f -> dir.resolve(f).toString()).collect(Collectors.joining(" and "))
                    + " and " + dir.resolve(RunInfo.FILE) + ", or choose an empty output folder";
        }
        if (!info && !data.isEmpty()) {
            return dir + " holds " + String.join(" and ", data) + " but no " + RunInfo.FILE + " (left by a sweep "
                    + "killed before it started properly, or by something else), so they cannot be matched to a "
                    + "sweep" + (resume ? " and resuming cannot use them" : "") + ": delete "
                    + data.stream().map(f -> dir.resolve(f).toString()).collect(Collectors.joining(" and "))
                    + ", or choose an empty output folder";
        }
        if (!resume && (info || !data.isEmpty())) {
            return heldSweep(dir);
        }
        return null;
    }

    /** Whether {@code dir} holds (part of) a sweep: a run.json, results.csv or curves.csv. */
    public static boolean holdsSweep(Path dir) {
        for (String f : List.of(RunInfo.FILE, RESULTS, CURVES)) if (Files.exists(dir.resolve(f))) return true;
        return false;
    }

    /** The run.json status of the sweep in {@code dir} ("complete", "running", …), or "" if unreadable. */
    static String status(Path dir) {
        try {
            JsonNode n = RunInfo.read(dir.resolve(RunInfo.FILE));
            return n == null ? "" : n.path("status").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The first free numbered sibling of {@code dir} for a new run: {@code DIR-2}, {@code DIR-3} … (one
     * that does not exist or is an empty folder).
     */
    public static Path nextFree(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "gdchaos-out" : abs.getFileName().toString();
        for (int k = 2; ; k++) {
            Path p = dir.resolveSibling(name + "-" + k);
            if (!Files.exists(p)) return p;
            try (var list = Files.list(p)) {
                if (Files.isDirectory(p) && list.findAny().isEmpty()) return p;
            } catch (IOException e) {
                // not a usable folder: try the next number
            }
        }
    }

    /**
     * What to type when {@code dir} already holds a sweep and this run is not a resume: {@code --resume}
     * to finish it, {@code --out NEW} or {@code --new} for a new run.
     */
    public static String heldSweep(Path dir) {
        String status = Files.exists(dir.resolve(RunInfo.FILE)) ? status(dir) : "";
        return dir + " already holds a sweep" + (status.isEmpty() ? "" : " (run.json status: " + status + ")")
                + ". For a new run, choose another folder with --out NEW_FOLDER, or add --new to write into the next "
                + "free numbered folder (" + nextFree(dir).getFileName() + "); to finish that sweep (its cells not run "
                + "yet), run the same command with --resume";
    }

    /** Non-fatal problems (a file system without locks). */
    @Override
    public List<String> warnings() {
        return lock.warnings();
    }

    /** What {@link #recover(int)} repaired beyond cutting torn tails (cells it dropped to run again). */
    @Override
    public List<String> repairs() {
        return List.copyOf(repairs);
    }

    /** Releases the folder's lock. */
    @Override
    public void close() {
        lock.close();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Optional<Path> folder() {
        return Optional.of(dir);
    }

    /** With {@code resume}: the folder's run.json ({@link RunInfo#previous}); null otherwise. */
    @Override
    public ObjectNode previousRun() {
        return resume ? RunInfo.previous(dir) : null;
    }

    /**
     * With {@code resume}: {@link #recover(int, SweepSpec)} with {@code spec}'s S + 1 curve lines per cell;
     * without, nothing (the folder held no sweep).
     */
    @Override
    public Set<Cell.Identity> resumed(SweepSpec spec) {
        return resume ? recover(spec.training().steps() + 1, spec) : Set.of();
    }

    /** Writes run.json (status running). */
    @Override
    public void started(ObjectNode runInfo) {
        RunInfo.write(dir, runInfo);
    }

    /** Rewrites run.json after a batch. */
    @Override
    public void progressed(ObjectNode runInfo) {
        RunInfo.write(dir, runInfo);
    }

    /** {@link #readRows()}: every row on disk, the earlier runs' included. */
    @Override
    public List<CellRow> rows() {
        return readRows();
    }

    /** Writes summary.csv, then run.json (status complete). */
    @Override
    public void finished(List<SummaryCsv.Row> summary, ObjectNode runInfo) {
        org.gdchaos.io.AtomicFiles.writeString(dir.resolve(SUMMARY), SummaryCsv.render(summary),
                why -> OutputFolderException.resumable(why + "; the cells are saved: free space or fix the folder, then "
                        + "resume the sweep"));
        RunInfo.write(dir, runInfo);
    }

    public Path results() {
        return dir.resolve(RESULTS);
    }

    public Path curves() {
        return dir.resolve(CURVES);
    }

    /** Repairs torn writes and returns the {@link Cell#identity() identities} of cells already on disk. */
    public Set<Cell.Identity> recover() {
        return recover(0);
    }

    /** The cell of a curves.csv line under its header, or null for a malformed (torn) line. */
    private Cell.Identity curveCell(String[] header, String line) {
        try {
            return Csv.rowIdentity(header, line, format.optimizer().beta1());
        } catch (IllegalArgumentException e) { // InputException: a torn or garbled line
            return null;
        }
    }

    /**
     * Repairs torn writes and returns the {@link Cell#identity() identities} of cells already on disk
     * (a curve line belongs to the row of equal values). With {@code curveLinesPerCell > 0}, a cell whose
     * row is on disk but whose curve lines are not exactly that many (lost or duplicated by an older
     * gdchaos, or edited by hand) is dropped, row and curves, so it runs again; {@link #repairs()} says
     * which.
     */
    public Set<Cell.Identity> recover(int curveLinesPerCell) {
        return recover(curveLinesPerCell, null);
    }

    /**
     * {@link #recover(int)}, first refusing rows that are not distinct cells of {@code spec}'s grid
     * ({@link GridRows}: duplicated, out of the grid, or with an {@code lr} that contradicts its
     * {@code lr_index}); null skips that check.
     *
     * @throws OutputFolderException naming the file, the lines and what is wrong with them
     */
    public Set<Cell.Identity> recover(int curveLinesPerCell, SweepSpec spec) {
        try {
            Set<Cell.Identity> done = new HashSet<>();
            Map<Cell.Identity, String> names = new HashMap<>(); // readable keys, for the message
            if (!Files.exists(results())) {
                Files.deleteIfExists(curves());
                return done;
            }
            List<String> lines = Csv.completeLines(results());
            if (!lines.isEmpty() && format.layout(lines.get(0), ResultsCsv.RESUMABLE) == null) {
                throw columnsDiffer(lines.get(0));
            }
            lines = upgradeFiles(lines);
            List<CellRow> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                CellRow r = format.parseRow(format.header(), results(), i + 1, lines.get(i));
                rows.add(r);
                done.add(r.cell().identity());
                names.put(r.cell().identity(), r.cell().key());
            }
            String invalid = spec == null ? null : GridRows.describe(results(), rows, spec);
            if (invalid != null) {
                throw new OutputFolderException("cannot resume: " + invalid + "; delete those lines (and their cells' "
                        + "lines in " + CURVES + ") to run those cells again, or choose another output folder");
            }
            List<String> cl = Files.exists(curves()) ? Csv.completeLines(curves()) : List.of();
            String[] curveHeader = cl.isEmpty() ? new String[0] : cl.get(0).split(",", -1);
            String[] resultHeader = format.header().split(",", -1);
            if (curveLinesPerCell > 0) {
                Map<Cell.Identity, Integer> count = new HashMap<>();
                for (int i = 1; i < cl.size(); i++) {
                    Cell.Identity k = curveCell(curveHeader, cl.get(i));
                    if (k != null) count.merge(k, 1, Integer::sum);
                }
                Set<Cell.Identity> bad = new HashSet<>();
                for (Cell.Identity k : done) if (count.getOrDefault(k, 0) != curveLinesPerCell) bad.add(k);
                if (!bad.isEmpty()) {
                    done.removeAll(bad);
                    List<String> kept = new ArrayList<>(lines.subList(0, Math.min(1, lines.size())));
                    for (int i = 1; i < lines.size(); i++) {
                        Cell.Identity k = Csv.rowIdentity(resultHeader, lines.get(i), format.optimizer().beta1());
                        if (!bad.contains(k)) kept.add(lines.get(i));
                    }
                    lines = kept;
                    Set<String> badNames = new TreeSet<>();
                    for (Cell.Identity k : bad) badNames.add(names.get(k));
                    repairs.add(bad.size() + " cell(s) in " + results() + " did not have exactly " + curveLinesPerCell
                            + " curve lines (lost or duplicated); they run again: " + String.join(" ", badNames));
                }
            }
            rewrite(results(), lines);
            if (Files.exists(curves())) {
                List<String> keep = new ArrayList<>();
                for (int i = 0; i < cl.size(); i++) {
                    Cell.Identity k = i == 0 ? null : curveCell(curveHeader, cl.get(i));
                    if (i == 0 || (k != null && done.contains(k))) keep.add(cl.get(i));
                }
                rewrite(curves(), keep);
            }
            return done;
        } catch (Csv.DamagedTextException e) {
            throw new OutputFolderException("cannot resume in " + dir + ": " + e.getMessage());
        } catch (IOException e) {
            throw new OutputFolderException("cannot repair the previous results in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * A folder of an earlier layout ({@link ResultsCsv#RESUMABLE}: before weight decay was an axis, or a
     * non-GD sweep's before the momentum axis; its spec, read from its upgraded run.json, equals this
     * sweep's) rewritten in today's form so that resuming completes it to equal a fresh run: the results
     * lines ({@link ResultsCsv#upgrade}) and curves.csv ({@link CurvesCsv#upgrade}). Files of today's
     * layout are left alone.
     *
     * @return the results lines in today's form
     */
    private List<String> upgradeFiles(List<String> lines) throws IOException {
        if (lines.isEmpty() || lines.get(0).equals(format.header())) return lines;
        List<String> out = format.upgrade(lines, results());
        if (Files.exists(curves())) {
            List<String> cl = Csv.completeLines(curves());
            List<String> up = CurvesCsv.upgrade(cl, format);
            if (!up.equals(cl)) rewrite(curves(), up);
        }
        rewrite(results(), out);
        return out;
    }

    /**
     * Resuming into a results.csv with other columns would mix two layouts in one file, and its rows
     * could not be rewritten to equal a fresh run (the previous version did not record standard
     * errors, fit points or precision loss), so it is refused, naming the difference and what to do.
     */
    private RuntimeException columnsDiffer(String header) {
        String what = format.differences(header);
        if (format.layout(header, ResultsCsv.MERGEABLE) == ResultsCsv.Layout.PREVIOUS_VERSION) {
            return new OutputFolderException(results() + " cannot be resumed: " + what + ". This version writes "
                    + "other columns and cannot complete those rows to equal a fresh run; run the sweep again into an "
                    + "empty folder (or move " + RESULTS + ", " + CURVES + " and " + RunInfo.FILE + " away). The old "
                    + "rows can still be read (gdchaos merge accepts shards written by it)");
        }
        return new InputException(results() + " has different columns than this sweep would write (" + what
                + "):\n  " + header + "\n  " + format.header());
    }

    private static void rewrite(Path p, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        org.gdchaos.io.AtomicFiles.writeString(p, sb.toString());
    }

    /**
     * Appends a finished batch: its curves (cell by cell, so at most one cell's text is held),
     * forced to disk, then its results rows, forced. A failure leaves rows only for cells whose
     * curves are whole on disk; the partial tail is cut by {@link #recover()} on resume.
     *
     * @throws OutputFolderException when a write fails (disk full, quota, I/O error)
     */
    @Override
    public void append(List<CellOutcome> outcomes) {
        if (outcomes.isEmpty()) return;
        Path curvesFile = curves();
        try {
            List<String> names = new ArrayList<>(outcomes.get(0).curves().keySet());
            boolean curvesHeader = !Files.exists(curvesFile) || Files.size(curvesFile) == 0;
            boolean resultsHeader = !Files.exists(results()) || Files.size(results()) == 0;
            try (FileChannel ch = opener.open(curvesFile)) {
                StringBuilder cv = new StringBuilder();
                if (curvesHeader) cv.append(CurvesCsv.keys(format)).append(',').append(String.join(",", names)).append('\n');
                String[] optimizerKeys = new String[outcomes.size()];
                if (format.optimizerColumns()) {
                    for (int i = 0; i < optimizerKeys.length; i++) {
                        Cell c = outcomes.get(i).row().cell();
                        optimizerKeys[i] = ResultsCsv.optimizerLabel(format.optimizer(), c) + "," + c.mIndex() + ","
                                + Csv.num(c.momentum());
                    }
                }
                int at = 0;
                for (CellOutcome o : outcomes) {
                    Cell c = o.row().cell();
                    Map<String, double[]> m = o.curves();
                    int steps = m.values().iterator().next().length;
                    String opt = optimizerKeys[at++];
                    for (int s = 0; s < steps; s++) {
                        cv.append(c.lrIndex()).append(',').append(Csv.num(c.lr())).append(',').append(c.wdIndex())
                                .append(',').append(Csv.num(c.weightDecay()));
                        if (opt != null) cv.append(',').append(opt);
                        cv.append(',').append(c.init()).append(',').append(s);
                        for (String n : names) cv.append(',').append(Csv.num(m.get(n)[s]));
                        cv.append('\n');
                    }
                    writeFully(ch, ByteBuffer.wrap(cv.toString().getBytes(StandardCharsets.UTF_8)));
                    cv.setLength(0);
                }
                ch.force(true); // the curves are on disk before the rows that commit these cells
            }
            StringBuilder rs = new StringBuilder();
            if (resultsHeader) rs.append(format.header()).append('\n');
            for (CellOutcome o : outcomes) rs.append(format.line(o.row())).append('\n');
            curvesFile = results();
            appendForced(results(), rs.toString());
        } catch (IOException e) {
            throw writeFailed(curvesFile, e);
        }
    }

    private void appendForced(Path p, String text) throws IOException {
        try (FileChannel ch = opener.open(p)) {
            writeFully(ch, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    /** Writes every remaining byte of {@code b}: {@link FileChannel#write} may write fewer than asked. */
    static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            // a blocking file channel writes at least one byte or throws; a channel that makes no
            // progress is an error, not a reason to spin
            if (ch.write(b) <= 0) throw new IOException("the file system accepted no bytes");
        }
    }

    /** A one-line error for a failed write: the file, the cause, and how to continue. */
    private OutputFolderException writeFailed(Path p, IOException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        return OutputFolderException.resumable("cannot write " + p + ": " + why + "; the cells of this batch are not "
                + "saved (the earlier ones are): free space or fix " + dir + ", then resume the sweep");
    }

    /** All rows on disk, in file order, read by the file's header (this version's or the previous one's). */
    public List<CellRow> readRows() {
        try {
            if (!Files.exists(results())) return List.of();
            List<String> lines = Csv.completeLines(results());
            List<CellRow> rows = new ArrayList<>();
            if (lines.isEmpty()) return rows;
            for (String l : lines.subList(1, lines.size())) rows.add(format.parse(lines.get(0), l));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
