package org.gdchaos.slurm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.gdchaos.sweep.SweepSpec;

/**
 * Submits a sharded sweep: writes {@code OUT/slurm/sweep.sbatch} and {@code merge.sbatch}, submits
 * the array (one task per shard) and the merge job that depends on it
 * ({@code --dependency=afterok:ARRAY --kill-on-invalid-dep=yes}), and records both in
 * {@link JobLog}. Resubmission reruns only the shards that are neither done nor pending/running.
 */
public final class Submitter {
    private final Slurm slurm;

    public Submitter(Slurm slurm) {
        this.slurm = slurm;
    }

    /**
     * What was submitted.
     *
     * @param arrayJob    the array job id (null for a dry run or when nothing needed resubmitting)
     * @param mergeJob    the merge job id (null when none was submitted)
     * @param shards      the array indices submitted
     * @param mergeDependency the merge job's {@code --dependency} value (null when none)
     */
    public record Submitted(String arrayJob, String mergeJob, SortedSet<Integer> shards, String mergeDependency) {
    }

    /** Writes the two scripts into {@code OUT/slurm/} (and its {@code logs/} folder). */
    public static void writeScripts(SbatchScripts.Job job, SlurmSettings s) {
        Path dir = job.slurmDir();
        try {
            Files.createDirectories(dir.resolve(SbatchScripts.LOGS));
            write(dir.resolve(SbatchScripts.SWEEP), SbatchScripts.sweep(job, s));
            write(dir.resolve(SbatchScripts.MERGE), SbatchScripts.merge(job, s));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch scripts in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path p, String text) throws IOException {
        org.gdchaos.io.AtomicFiles.write(p, tmp -> {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: sbatch does not need the executable bit
            }
        });
    }

    /** Writes the scripts and submits all N shards, then (if {@code merge}) the dependent merge job. */
    public Submitted submit(SbatchScripts.Job job, SlurmSettings s, boolean merge) {
        writeScripts(job, s);
        JobLog log = new JobLog(job.slurmDir());
        SortedSet<Integer> all = new TreeSet<>();
        for (int i = 0; i < job.shards(); i++) all.add(i);
        String id = slurm.submit(List.of(), job.slurmDir().resolve(SbatchScripts.SWEEP));
        log.append(new JobLog.Entry(JobLog.Kind.ARRAY, id, ArrayIndices.format(all), job.shards(), now()));
        if (!merge) return new Submitted(id, null, all, null);
        String dep = "afterok:" + id;
        String mid = submitMerge(job.slurmDir(), dep);
        log.append(new JobLog.Entry(JobLog.Kind.MERGE, mid, "-", job.shards(), now()));
        return new Submitted(id, mid, all, dep);
    }

    /**
     * Resubmits the shards of the sweep in {@code out} that are {@link SweepStatus.Kind#MISSING}, with the
     * script written at submission (so they run exactly the same sweep), and a new merge job that
     * waits for them (afterok) and for any still-active earlier array (afterany).
     *
     * @return what was submitted; {@code arrayJob} is null when no shard needed it
     * @throws IllegalArgumentException when {@code out} holds no submission
     */
    public Submitted resubmit(Path out, SweepSpec spec, boolean merge) {
        Path dir = out.resolve("slurm");
        JobLog log = new JobLog(dir);
        JobLog.Entry last = log.lastArray();
        Path script = dir.resolve(SbatchScripts.SWEEP);
        if (last == null || !Files.exists(script)) {
            throw new IllegalArgumentException("no Slurm submission recorded in " + dir
                    + " (expected " + JobLog.FILE + " and " + SbatchScripts.SWEEP + "); use 'gdchaos slurm submit'");
        }
        SweepStatus st = SweepStatus.of(out, spec, last.shards(), log.read(), slurm);
        SortedSet<Integer> missing = st.indices(SweepStatus.Kind.MISSING);
        if (missing.isEmpty()) return new Submitted(null, null, missing, null);
        String id = slurm.submit(List.of("--array=" + ArrayIndices.format(missing)), script);
        log.append(new JobLog.Entry(JobLog.Kind.ARRAY, id, ArrayIndices.format(missing), last.shards(), now()));
        if (!merge) return new Submitted(id, null, missing, null);
        List<String> deps = new ArrayList<>();
        deps.add("afterok:" + id);
        for (String old : st.activeArrayJobs()) deps.add("afterany:" + old);
        String dep = String.join(",", deps);
        String mid = submitMerge(dir, dep);
        log.append(new JobLog.Entry(JobLog.Kind.MERGE, mid, "-", last.shards(), now()));
        return new Submitted(id, mid, missing, dep);
    }

    private String submitMerge(Path slurmDir, String dependency) {
        return slurm.submit(List.of("--dependency=" + dependency, "--kill-on-invalid-dep=yes"),
                slurmDir.resolve(SbatchScripts.MERGE));
    }

    private static String now() {
        return OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
