package org.gdchaos.slurm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The jobs submitted for a sweep, in {@code OUT/slurm/jobs.tsv} (one tab-separated line per sbatch:
 * kind, job id, array indices, shards, submission time), oldest first. Status and resubmission read it.
 */
public final class JobLog {
    public static final String FILE = "jobs.tsv";
    private static final String HEADER = "# kind\tjob_id\tarray\tshards\tsubmitted";
    private final Path file;

    /** One submission. */
    public record Entry(Kind kind, String jobId, String array, int shards, String submitted) {
        public Entry {
            if (!jobId.matches("\\d+")) throw new IllegalArgumentException("bad job id '" + jobId + "'");
            if (shards < 1) throw new IllegalArgumentException("shards must be ≥ 1");
            if (array == null || array.isBlank()) array = "-";
        }

        /** Array indices (shards) this array job ran; empty for a merge job. */
        public SortedSet<Integer> indices() {
            return kind == Kind.ARRAY ? ArrayIndices.parse(array) : new TreeSet<>();
        }
    }

    /** What a job does. */
    public enum Kind { ARRAY, MERGE }

    public JobLog(Path slurmDir) {
        this.file = slurmDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Appends a submission (and the header for a new file). */
    public void append(Entry e) {
        String line = e.kind().name().toLowerCase(java.util.Locale.ROOT) + "\t" + e.jobId() + "\t" + e.array() + "\t"
                + e.shards() + "\t" + e.submitted() + "\n";
        try {
            Files.createDirectories(file.getParent());
            String text = Files.exists(file) ? line : HEADER + "\n" + line;
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** All submissions, oldest first; empty when none were recorded. */
    public List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        try {
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (l.isBlank() || l.startsWith("#")) continue;
                String[] f = l.split("\t");
                if (f.length < 5) throw new IllegalArgumentException("malformed line in " + file + ": " + l);
                Kind k = Kind.valueOf(f[0].toUpperCase(java.util.Locale.ROOT));
                out.add(new Entry(k, f[1], f[2], Integer.parseInt(f[3]), f[4]));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    /** The most recent array submission, or null. */
    public Entry lastArray() {
        Entry last = null;
        for (Entry e : read()) if (e.kind() == Kind.ARRAY) last = e;
        return last;
    }
}
