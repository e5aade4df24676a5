package org.gdchaos.sweep.merge;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.Csv;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.SpecDifference;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Reads the parts of a sharded sweep: the folders {@code OUT/shards/I-of-N/} written by
 * {@code gdchaos sweep --shard I/N --out OUT}. Only complete lines are read (a shard that is still
 * running or was killed may have a torn last line); parts are never modified.
 */
public final class ShardParts {
    /** Where {@code gdchaos slurm submit} records the spec of the sweep it submitted. */
    public static final String SUBMITTED_SPEC = "slurm/spec.json";

    private ShardParts() {
    }

    /**
     * One shard's folder.
     *
     * @param dir   the folder
     * @param shard the shard its name stands for
     * @param spec  the {@code spec} member of its run.json (null when the shard has not started)
     * @param info  its whole run.json (null when absent)
     */
    public record Part(Path dir, Shard shard, JsonNode spec, JsonNode info) {
        /** Complete lines of results.csv, header first (empty when there is no file). */
        public List<String> resultLines() {
            return completeLines(dir.resolve(ResultStore.RESULTS));
        }

        /** Complete lines of curves.csv, header first (empty when there is no file). */
        public List<String> curveLines() {
            return completeLines(dir.resolve(ResultStore.CURVES));
        }

        /**
         * The {@link Cell#identity() identities} of the cells with a complete row in results.csv
         * ({@code absentMomentum}: the sweep's optimizer's β, for files without a momentum column).
         */
        public Set<Cell.Identity> doneCells(double absentMomentum) {
            Set<Cell.Identity> cells = new LinkedHashSet<>();
            List<String> lines = resultLines();
            String[] header = lines.isEmpty() ? new String[0] : lines.get(0).split(",", -1);
            for (int i = 1; i < lines.size(); i++) cells.add(Csv.rowIdentity(header, lines.get(i), absentMomentum));
            return cells;
        }
    }

    /** The parts under {@code out/shards}, sorted by shard count then index; empty when there are none. */
    public static List<Part> read(Path out) {
        Path root = out.resolve(Shard.SHARDS_DIR);
        List<Part> parts = new ArrayList<>();
        if (!Files.isDirectory(root)) return parts;
        try (Stream<Path> s = Files.list(root)) {
            for (Iterator<Path> it = s.iterator(); it.hasNext(); ) {
                Path d = it.next();
                Shard sh = Shard.fromFolderName(d.getFileName().toString());
                if (sh == null || !Files.isDirectory(d)) continue;
                JsonNode info = readRunJson(d.resolve(RunInfo.FILE));
                parts.add(new Part(d, sh, info == null ? null : info.get("spec"), info));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        parts.sort(Comparator.comparingInt((Part p) -> p.shard().count()).thenComparingInt(p -> p.shard().index()));
        return parts;
    }

    /** The spec recorded by {@code gdchaos slurm submit} in {@code out/slurm/spec.json}, or null. */
    public static JsonNode submittedSpec(Path out) {
        return readJson(out.resolve(SUBMITTED_SPEC));
    }

    /** Records the spec of a submitted sweep in {@code out/slurm/spec.json}. */
    public static void writeSubmittedSpec(Path out, SweepSpec spec) {
        Path f = out.resolve(SUBMITTED_SPEC);
        try {
            Files.createDirectories(f.getParent());
            org.gdchaos.io.AtomicFiles.writeString(f, RunInfo.JSON.writeValueAsString(RunInfo.specTree(spec)) + "\n");
        } catch (IOException e) {
            throw new OutputFolderException("cannot write " + f + ": " + e.getMessage());
        }
    }

    /**
     * Refuses to add shards of {@code spec} to an output folder whose existing parts (or earlier
     * submission) hold a different sweep, naming each setting that differs.
     *
     * @throws InputException naming the first part that differs and the settings that differ
     */
    public static void checkSameSweep(Path out, SweepSpec spec) {
        Function<UnaryOperator<String>, String> other = otherSweep(out, spec, false);
        if (other != null) throw new InputException(other);
    }

    /**
     * How the sweep submitted into {@code out} ({@link #SUBMITTED_SPEC}), or else that of the first shard
     * under {@code out/shards} that differs, differs from {@code spec}: a message's wording (the settings
     * named in the caller's words), or null when each is {@code spec}'s sweep. A shard without a spec has
     * not started and is skipped; one whose spec is not a JSON object is skipped with
     * {@code skipDamaged}, else refused by {@link SpecJson#read}.
     */
    private static Function<UnaryOperator<String>, String> otherSweep(Path out, SweepSpec spec, boolean skipDamaged) {
        JsonNode sub = submittedSpec(out);
        if (sub != null) {
            List<SpecDifference> diff = SpecJson.differences(SpecJson.read(sub), spec);
            if (!diff.isEmpty()) {
                return name -> out + " holds a sweep submitted with different settings ("
                        + SpecDifference.describe(diff, name, "in the folder", "now") + "); use another output folder";
            }
        }
        for (Part p : read(out)) {
            if (p.spec() == null || (skipDamaged && !p.spec().isObject())) continue;
            List<SpecDifference> diff = SpecJson.differences(SpecJson.read(p.spec()), spec);
            if (!diff.isEmpty()) {
                return name -> p.dir() + " holds shards of a sweep with different settings ("
                        + SpecDifference.describe(diff, name, "in the folder", "now") + "); use another output folder";
            }
        }
        return null;
    }

    /**
     * Refuses to write shards of {@code spec} into, or merge them into, an output folder {@code out}
     * whose own files hold another sweep, as a sweep refuses a folder that holds another sweep:
     * {@code out/run.json} recording a different spec (a finished single-process sweep, or an earlier
     * merge of other shards), a run.json that records no sweep beside results, or, with
     * {@code otherShards}, shard folders of a sweep with different settings. A run.json of the same
     * sweep (an earlier merge, or the same sweep run in one process) is accepted: merging again
     * writes the same files. Results left without a run.json (a merge killed before it wrote run.json)
     * are accepted too: the merge rewrites them.
     *
     * @throws OutputFolderException (exit 4) naming the folder and each setting that differs
     */
    public static void checkFolderHoldsNoOtherSweep(Path out, SweepSpec spec, boolean otherShards) {
        Path f = out.resolve(RunInfo.FILE);
        if (Files.exists(f)) {
            JsonNode info;
            try {
                info = RunInfo.read(f);
            } catch (IOException e) {
                throw new OutputFolderException("cannot read " + f + ": " + e.getMessage().lines().findFirst().orElse("")
                        + " (it may hold another sweep); choose another output folder, or move " + f + " away");
            } catch (InputException e) { // a newer format: its results are not replaced
                throw new OutputFolderException(out + " holds a sweep whose " + RunInfo.FILE + " cannot be read ("
                        + e.getMessage() + "); choose another output folder");
            }
            JsonNode recorded = info == null ? null : info.get("spec");
            boolean rows = Files.exists(out.resolve(ResultStore.RESULTS)) || Files.exists(out.resolve(ResultStore.CURVES));
            if (recorded == null || !recorded.isObject()) {
                if (rows) {
                    throw new OutputFolderException(out + " holds results and a " + RunInfo.FILE + " that records no "
                            + "sweep, so they may be another sweep's; choose another output folder, or move them away");
                }
            } else {
                SweepSpec was;
                try {
                    was = SpecJson.read(recorded);
                } catch (InputException e) {
                    throw new OutputFolderException(out + " holds a sweep whose " + RunInfo.FILE + " cannot be read ("
                            + e.getMessage() + "); choose another output folder");
                }
                List<SpecDifference> diff = SpecJson.differences(was, spec);
                if (!diff.isEmpty()) {
                    throw new OutputFolderException(name -> out + " holds another sweep ("
                            + SpecDifference.describe(diff, name, "in " + f, "now") + "); its results would be "
                            + "replaced: choose another output folder");
                }
            }
        }
        if (!otherShards) return;
        Function<UnaryOperator<String>, String> other = otherSweep(out, spec, true);
        if (other != null) throw new OutputFolderException(other);
    }

    static List<String> completeLines(Path p) {
        try {
            return Files.exists(p) ? Csv.completeLines(p) : new ArrayList<>();
        } catch (Csv.DamagedTextException e) { // a damaged part of the folder
            throw new OutputFolderException(e.getMessage() + "; delete that shard's folder and run the shard again");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * A shard's run.json in today's form ({@link RunInfo#read}; null when absent or empty).
     *
     * @throws InputException for a run.json of a newer gdchaos
     */
    private static JsonNode readRunJson(Path f) {
        try {
            return RunInfo.read(f);
        } catch (IOException e) {
            throw damaged(f, e);
        }
    }

    /** {@code out/slurm/spec.json} (a spec, upgraded when read by {@link SpecJson#read}); null when absent. */
    private static JsonNode readJson(Path f) {
        if (!Files.exists(f)) return null;
        try {
            return RunInfo.JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw damaged(f, e);
        }
    }

    private static OutputFolderException damaged(Path f, IOException e) {
        // one line: Jackson's message goes on with the source and a location
        String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        return new OutputFolderException("cannot read " + f + " (damaged: " + why + "); delete that shard's folder "
                + "and run the shard again");
    }
}
