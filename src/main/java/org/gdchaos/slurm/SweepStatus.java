package org.gdchaos.slurm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.merge.ShardParts;
import org.gdchaos.sweep.SweepSpec;

/**
 * Where each shard of a sweep stands. The files decide what is done (a shard is {@code DONE} when its
 * folder holds a row for each of its cells); Slurm says what is still {@code PENDING} or
 * {@code RUNNING} (the latest array task that ran the shard); everything else is {@code MISSING}
 * (never submitted, or its task failed, was cancelled, timed out or was forgotten by Slurm) and is
 * what a resubmission runs.
 */
public final class SweepStatus {
    /** Where a shard stands. */
    public enum Kind { DONE, RUNNING, PENDING, MISSING }

    /**
     * One shard.
     *
     * @param shard the shard
     * @param cells its cells
     * @param done  of them finished (rows on disk)
     * @param job   the latest Slurm task that ran it ({@code ARRAY_INDEX}), or null
     * @param slurm that task's state as Slurm reports it, or null when unknown
     * @param kind  the verdict
     */
    public record ShardState(Shard shard, int cells, int done, String job, JobStates.TaskState slurm, Kind kind) {
    }

    private final Path out;
    private final int shards;
    private final List<ShardState> states;
    private final JobLog.Entry mergeJob;
    private final JobStates.TaskState mergeState;

    private SweepStatus(Path out, int shards, List<ShardState> states, JobLog.Entry mergeJob,
                        JobStates.TaskState mergeState) {
        this.out = out;
        this.shards = shards;
        this.states = List.copyOf(states);
        this.mergeJob = mergeJob;
        this.mergeState = mergeState;
    }

    /**
     * Collects the status of the sweep in {@code out} with {@code shards} shards.
     *
     * @param slurm null to skip asking Slurm (then nothing counts as running)
     */
    public static SweepStatus of(Path out, SweepSpec spec, int shards, List<JobLog.Entry> jobs, Slurm slurm) {
        Map<String, Map<Integer, JobStates.TaskState>> byJob = new HashMap<>();
        Map<Integer, ShardState> found = new HashMap<>();
        Map<String, ShardParts.Part> parts = new HashMap<>();
        for (ShardParts.Part p : ShardParts.read(out)) parts.put(p.shard().folderName(), p);
        List<ShardState> states = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            Shard sh = new Shard(i, shards);
            Set<Cell.Identity> want = new HashSet<>();
            for (Cell c : sh.cells(spec)) want.add(c.identity());
            ShardParts.Part part = parts.get(sh.folderName());
            int done = 0;
            if (part != null) {
                for (Cell.Identity k : part.doneCells(spec.training().optimizer().beta1())) if (want.contains(k)) done++;
            }
            String job = null;
            JobStates.TaskState ts = null;
            for (JobLog.Entry e : jobs) {
                if (e.kind() != JobLog.Kind.ARRAY || e.shards() != shards || !e.indices().contains(i)) continue;
                job = e.jobId() + "_" + i;
                ts = null;
                if (slurm != null) {
                    Map<Integer, JobStates.TaskState> m = byJob.computeIfAbsent(e.jobId(),
                            id -> JobStates.parse(slurm.showJob(id)));
                    ts = m.get(i);
                }
            }
            Kind kind = done == want.size() ? Kind.DONE
                    : ts != null && ts.active() ? (ts.state().equals("PENDING") ? Kind.PENDING : Kind.RUNNING)
                    : Kind.MISSING;
            states.add(new ShardState(sh, want.size(), done, job, ts, kind));
        }
        JobLog.Entry merge = null;
        for (JobLog.Entry e : jobs) if (e.kind() == JobLog.Kind.MERGE) merge = e;
        JobStates.TaskState ms = null;
        if (merge != null && slurm != null) ms = JobStates.parse(slurm.showJob(merge.jobId())).get(-1);
        return new SweepStatus(out, shards, states, merge, ms);
    }

    public List<ShardState> shards() {
        return states;
    }

    /** Shards of the given kind. */
    public SortedSet<Integer> indices(Kind kind) {
        SortedSet<Integer> s = new TreeSet<>();
        for (ShardState st : states) if (st.kind() == kind) s.add(st.shard().index());
        return s;
    }

    /** Array jobs that still have pending or running tasks. */
    public SortedSet<String> activeArrayJobs() {
        SortedSet<String> s = new TreeSet<>();
        for (ShardState st : states) {
            if (st.kind() == Kind.RUNNING || st.kind() == Kind.PENDING) s.add(st.job().substring(0, st.job().indexOf('_')));
        }
        return s;
    }

    public boolean complete() {
        return indices(Kind.DONE).size() == shards;
    }

    /** A table for people. */
    public String render() {
        StringBuilder b = new StringBuilder();
        int cells = states.stream().mapToInt(ShardState::cells).sum();
        int done = states.stream().mapToInt(ShardState::done).sum();
        b.append(String.format(Locale.ROOT, "sweep %s: %d/%d cells done in %d shard(s)%n", out, done, cells, shards));
        b.append(String.format(Locale.ROOT, "%-9s %6s %6s  %-8s %s%n", "shard", "cells", "done", "state", "slurm task"));
        for (ShardState s : states) {
            b.append(String.format(Locale.ROOT, "%-9s %6d %6d  %-8s %s%n", s.shard(), s.cells(), s.done(),
                    s.kind().name().toLowerCase(Locale.ROOT),
                    s.job() == null ? "-" : s.job() + " " + (s.slurm() == null ? "(unknown to Slurm)" : s.slurm())));
        }
        if (mergeJob != null) {
            b.append("merge job ").append(mergeJob.jobId()).append(": ")
                    .append(mergeState == null ? "unknown to Slurm" : mergeState.toString()).append('\n');
        }
        Path merged = out.resolve("results.csv");
        if (Files.exists(merged)) {
            int rows = Math.max(0, lineCount(merged) - 1);
            b.append("merged results: ").append(merged).append(" (").append(rows).append('/').append(cells)
                    .append(" cells)\n");
        } else {
            b.append("merged results: none yet (gdchaos merge ").append(out).append(")\n");
        }
        b.append(String.format(Locale.ROOT, "%d done, %d running, %d pending, %d missing", indices(Kind.DONE).size(),
                indices(Kind.RUNNING).size(), indices(Kind.PENDING).size(), indices(Kind.MISSING).size()));
        if (!indices(Kind.MISSING).isEmpty()) {
            b.append(" (shards ").append(ArrayIndices.format(indices(Kind.MISSING)))
                    .append("; rerun them with: gdchaos slurm resubmit ").append(out).append(')');
        }
        b.append('\n');
        return b.toString();
    }

    private static int lineCount(Path p) {
        try (var lines = Files.lines(p)) {
            return (int) lines.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
