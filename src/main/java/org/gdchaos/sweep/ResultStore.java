package org.gdchaos.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Append-only, crash-safe storage of a sweep's per-cell outputs in {@code --out}:
 * {@code results.csv} (one row per cell) and {@code curves.csv} (one row per cell and step).
 * After each batch the curves and then the rows are appended and forced to disk, so a killed
 * sweep keeps every finished cell. On resume, a torn last line (no newline) is cut, curves of
 * cells without a results row are dropped, and the done cells are reported so only the
 * missing ones run.
 *
 * <p>One writer per folder: the store holds the folder's {@link FolderLock} from construction to
 * {@link #close()}, so a second gdchaos process writing the same folder fails at once (exit 4).
 */
public final class ResultStore implements AutoCloseable {
    public static final String RESULTS = "results.csv";
    public static final String CURVES = "curves.csv";

    private final Path dir;
    private final ResultsCsv format;
    private final FolderLock lock;

    /**
     * Opens (creating) the output folder.
     *
     * @throws OutputFolderException when the folder cannot be created or written, another process
     *                               holds its lock, or it already holds results and {@code resume}
     *                               is false
     */
    public ResultStore(Path dir, ResultsCsv format, boolean resume) {
        this.dir = dir;
        this.format = format;
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new OutputFolderException("cannot create output folder " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) throw new OutputFolderException("output folder " + dir + " is not writable");
        Path probe = dir.resolve(".gdchaos-write-test");
        try {
            Files.writeString(probe, "ok");
            Files.delete(probe);
        } catch (IOException e) {
            throw new OutputFolderException("output folder " + dir + " is not writable: " + e.getMessage());
        }
        lock = FolderLock.acquire(dir);
        if (!resume && Files.exists(results())) {
            lock.close();
            throw new OutputFolderException(dir + " already holds results.csv; use --resume to finish that sweep, "
                    + "or choose another --out");
        }
    }

    /** Non-fatal problems (a file system without locks). */
    public List<String> warnings() {
        return lock.warnings();
    }

    /** Releases the folder's lock. */
    @Override
    public void close() {
        lock.close();
    }

    public Path dir() {
        return dir;
    }

    public Path results() {
        return dir.resolve(RESULTS);
    }

    public Path curves() {
        return dir.resolve(CURVES);
    }

    /** Repairs torn writes and returns the keys ({@link Cell#key()}) of cells already on disk. */
    public Set<String> recover() {
        try {
            Set<String> done = new HashSet<>();
            if (!Files.exists(results())) {
                Files.deleteIfExists(curves());
                return done;
            }
            List<String> lines = completeLines(results());
            if (!lines.isEmpty() && !lines.get(0).equals(format.header())) {
                throw new IllegalArgumentException(results() + " has different columns than this sweep would write:\n  "
                        + lines.get(0) + "\n  " + format.header());
            }
            for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
                done.add(format.parse(l).cell().key());
            }
            rewrite(results(), lines);
            if (Files.exists(curves())) {
                List<String> cl = completeLines(curves());
                List<String> keep = new ArrayList<>();
                for (int i = 0; i < cl.size(); i++) {
                    String[] f = cl.get(i).split(",", 4);
                    if (i == 0 || (f.length >= 3 && done.contains(f[0] + "/" + f[2]))) keep.add(cl.get(i));
                }
                rewrite(curves(), keep);
            }
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read previous results in " + dir, e);
        }
    }

    private static List<String> completeLines(Path p) throws IOException {
        String s = Files.readString(p, StandardCharsets.UTF_8);
        int end = s.lastIndexOf('\n');
        String whole = end < 0 ? "" : s.substring(0, end);
        List<String> out = new ArrayList<>();
        if (!whole.isEmpty()) for (String l : whole.split("\n", -1)) out.add(l);
        return out;
    }

    private static void rewrite(Path p, List<String> lines) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Appends a finished batch: curves first, then the results rows; both forced to disk. */
    public void append(List<CellOutcome> outcomes) {
        if (outcomes.isEmpty()) return;
        try {
            List<String> names = new ArrayList<>(outcomes.get(0).curves().keySet());
            StringBuilder cv = new StringBuilder();
            if (!Files.exists(curves()) || Files.size(curves()) == 0) {
                cv.append("lr_index,lr,init,step,").append(String.join(",", names)).append('\n');
            }
            for (CellOutcome o : outcomes) {
                Cell c = o.row().cell();
                Map<String, double[]> m = o.curves();
                int steps = m.values().iterator().next().length;
                for (int s = 0; s < steps; s++) {
                    cv.append(c.lrIndex()).append(',').append(Csv.num(c.lr())).append(',').append(c.init())
                            .append(',').append(s);
                    for (String n : names) cv.append(',').append(Csv.num(m.get(n)[s]));
                    cv.append('\n');
                }
            }
            appendForced(curves(), cv.toString());
            StringBuilder rs = new StringBuilder();
            if (!Files.exists(results()) || Files.size(results()) == 0) rs.append(format.header()).append('\n');
            for (CellOutcome o : outcomes) rs.append(format.line(o.row())).append('\n');
            appendForced(results(), rs.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void appendForced(Path p, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    /** All rows on disk, in file order. */
    public List<CellRow> readRows() {
        try {
            if (!Files.exists(results())) return List.of();
            List<String> lines = completeLines(results());
            List<CellRow> rows = new ArrayList<>();
            for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) rows.add(format.parse(l));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
