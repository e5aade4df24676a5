package org.gdchaos.slurm;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes the two batch scripts of a sharded sweep: the array script ({@code sweep.sbatch}: task I
 * runs {@code gdchaos sweep … --shard I/N --resume}) and the merge script ({@code merge.sbatch}:
 * {@code gdchaos merge OUT}). Both are plain, commented bash so users can read and adapt them;
 * they hold absolute paths only.
 */
public final class SbatchScripts {
    /** File names inside {@code OUT/slurm/}. */
    public static final String SWEEP = "sweep.sbatch";
    public static final String MERGE = "merge.sbatch";
    public static final String LOGS = "logs";

    private SbatchScripts() {
    }

    /**
     * What the scripts run.
     *
     * @param out          the sweep's output folder (absolute)
     * @param workDir      the tasks' working directory (absolute; relative paths in the options refer to it)
     * @param shards       number of shards N = array tasks
     * @param learningRates learning rates in the grid (for the comment)
     * @param inits        initialisations per learning rate (for the comment)
     * @param gdchaos      the command that starts gdchaos on a node (absolute paths)
     * @param sweepOptions the sweep's options, passed to every shard verbatim
     * @param version      gdchaos version (for the comment)
     */
    public record Job(Path out, Path workDir, int shards, int learningRates, int inits, List<String> gdchaos,
                      List<String> sweepOptions, String version) {
        public Job {
            if (!out.isAbsolute() || !workDir.isAbsolute()) throw new IllegalArgumentException("paths must be absolute");
            Shell.sbatchValue("output folder", out.toString());
            Shell.sbatchValue("working directory", workDir.toString());
            if (shards < 1) throw new IllegalArgumentException("--shards must be ≥ 1, got " + shards);
            if (gdchaos.isEmpty()) throw new IllegalArgumentException("empty gdchaos command");
            gdchaos = List.copyOf(gdchaos);
            sweepOptions = List.copyOf(sweepOptions);
        }

        public Path slurmDir() {
            return out.resolve("slurm");
        }
    }

    /** The array script: one task per shard. */
    public static String sweep(Job job, SlurmSettings s) {
        int n = job.shards();
        int cells = job.learningRates() * job.inits();
        Path logs = job.slurmDir().resolve(LOGS);
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/bash\n");
        b.append("# gdchaos sweep as a Slurm job array, written by 'gdchaos slurm submit' (gdchaos ")
                .append(job.version()).append(").\n");
        b.append("#\n");
        b.append("# The grid of ").append(job.learningRates()).append(" learning rate(s) x ").append(job.inits())
                .append(" initialisation(s) = ").append(cells).append(" cell(s) is split into ").append(n)
                .append(" shard(s):\n");
        b.append("# cell k (k = ((lr_index*weight_decays + wd_index)*momenta + momentum_index)*inits + init) belongs to shard k mod ").append(n)
                .append(". Array task I runs shard I and writes\n");
        b.append("# ").append(job.out()).append("/shards/I-of-").append(n)
                .append("/ (results.csv, curves.csv, run.json). A cell's numbers depend\n");
        b.append("# only on the cell (its seeds), never on the sharding, so the merged result equals a\n");
        b.append("# single-process sweep. Tasks run with --resume: a task killed and run again continues\n");
        b.append("# where it stopped, without recomputing or duplicating finished cells.\n");
        b.append("#\n");
        b.append("#   all shards:            sbatch ").append(job.slurmDir().resolve(SWEEP)).append('\n');
        b.append("#   only shards 2 and 5:   sbatch --array=2,5 ").append(job.slurmDir().resolve(SWEEP)).append('\n');
        b.append("#   failed/missing shards: gdchaos slurm resubmit ").append(job.out()).append('\n');
        b.append("#   progress:              gdchaos slurm status ").append(job.out()).append('\n');
        b.append("#   combine the shards:    gdchaos merge ").append(job.out())
                .append("   (also submitted as a dependent job)\n");
        b.append("#\n");
        b.append("#SBATCH --job-name=").append(s.jobName()).append('\n');
        b.append("#SBATCH --array=0-").append(n - 1).append("\n");
        b.append("#SBATCH --ntasks=1\n");
        b.append("#SBATCH --cpus-per-task=").append(s.cpusPerTask()).append('\n');
        if (s.gpusPerTask() > 0) b.append("#SBATCH --gpus-per-task=").append(s.gpusPerTask()).append('\n');
        common(b, s);
        b.append("#SBATCH --chdir=").append(job.workDir()).append('\n');
        b.append("#SBATCH --output=").append(logs).append("/shard-%a.out\n");
        b.append("#\n");
        b.append("# --array: one task per shard (SLURM_ARRAY_TASK_ID = shard index I).\n");
        b.append("# --cpus-per-task: threads of the java backend (results do not depend on the thread count).\n");
        if (s.gpusPerTask() > 0) {
            b.append("# --gpus-per-task: Slurm gives each task its own GPU(s) and sets CUDA_VISIBLE_DEVICES\n");
            b.append("#   to them; CUDA numbers the visible devices from 0, so the CUDA backend's default\n");
            b.append("#   device 0 is this task's GPU. (Some clusters want --gres=gpu:1 instead: edit above.)\n");
        }
        b.append("# --chdir: relative paths in the sweep options are relative to this folder.\n");
        b.append("# --output: one log per shard (%a = shard index).\n");
        b.append('\n');
        b.append("set -euo pipefail\n\n");
        b.append("OUT=").append(Shell.quote(job.out().toString())).append('\n');
        b.append("SHARDS=").append(n).append("\n\n");
        b.append("# How gdchaos starts on a node (recorded at submission; edit if java lives elsewhere there).\n");
        b.append("GDCHAOS=(").append(Shell.join(job.gdchaos())).append(")\n\n");
        b.append("# The sweep's options, as given to 'gdchaos slurm submit'; every shard runs the same sweep.\n");
        b.append("SWEEP_OPTIONS=(").append(Shell.join(job.sweepOptions())).append(")\n\n");
        b.append("SHARD=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it needs SLURM_ARRAY_TASK_ID}\n\n");
        jsig(b);
        b.append("# The java backend uses as many threads as Slurm gave this task CPUs.\n");
        b.append("if [[ -n \"${SLURM_CPUS_PER_TASK:-}\" ]]; then\n");
        b.append("    export JAVA_TOOL_OPTIONS=\"-Dgdchaos.java.threads=$SLURM_CPUS_PER_TASK ${JAVA_TOOL_OPTIONS:-}\"\n");
        b.append("fi\n\n");
        b.append("echo \"gdchaos shard $SHARD/$SHARDS: job ${SLURM_ARRAY_JOB_ID:-?}_$SHARD on $(hostname),\" \\\n");
        b.append("     \"CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-none}, $(date -Is)\"\n");
        quietJvm(b);
        b.append("exec \"${GDCHAOS[@]}\" sweep \"${SWEEP_OPTIONS[@]}\" --out \"$OUT\" --shard \"$SHARD/$SHARDS\" "
                + "--resume")
                .append(FILTER).append('\n');
        return b.toString();
    }

    /** The redirection of the exec line: stderr through a filter that drops exactly the incubator line. */
    static final String FILTER = " \\\n    2> >(trap '' INT TERM; exec grep -v -x -F --line-buffered "
            + "-e \"$INCUBATOR_WARNING\" >&2)";

    /**
     * The incubator-warning block (as in the {@code gdchaos} launcher): the JVM prints
     * {@value Launcher#INCUBATOR_WARNING} to stderr at boot whenever the Vector API module is resolved,
     * and no JDK option turns it off; the exec line sends stderr through a filter ({@link #FILTER})
     * that drops exactly that line and passes every other one (it ignores SIGINT/SIGTERM, so the
     * JVM's last words still pass when the job is cancelled). {@code exec} keeps the exit code.
     */
    static void quietJvm(StringBuilder b) {
        b.append("# The JVM prints this line to stderr at boot (no JDK option turns it off): the filter on the\n");
        b.append("# exec line drops exactly this line and passes every other; exec keeps the exit code.\n");
        b.append("INCUBATOR_WARNING=").append(Shell.quote(Launcher.INCUBATOR_WARNING)).append("\n");
    }

    /**
     * The signal-chaining block (as in the {@code gdchaos} launcher): when the command starts a
     * {@code java} directly, preload that JDK's {@code lib/libjsig.so}, keeping any LD_PRELOAD, so
     * native OpenCL/CUDA libraries cannot replace the JVM's signal handlers (a rare segfault without
     * an hs_err file otherwise). The launcher script does the same itself.
     */
    static void jsig(StringBuilder b) {
        b.append("# Preload the JVM's signal-chaining library (libjsig.so of the java that runs) so native\n");
        b.append("# OpenCL/CUDA libraries cannot replace the JVM's signal handlers (see the gdchaos launcher).\n");
        b.append("if [[ \"$(basename \"${GDCHAOS[0]}\")\" == java ]]; then\n");
        b.append("    JSIG=\"$(dirname \"$(dirname \"$(readlink -f \"${GDCHAOS[0]}\")\")\")/lib/libjsig.so\"\n");
        b.append("    if [[ -f \"$JSIG\" && \":${LD_PRELOAD:-}:\" != *\":$JSIG:\"* ]]; then\n");
        b.append("        export LD_PRELOAD=\"$JSIG${LD_PRELOAD:+:$LD_PRELOAD}\"\n");
        b.append("    fi\n");
        b.append("fi\n\n");
    }

    /**
     * The merge script. {@code gdchaos slurm submit} submits it with
     * {@code --dependency=afterok:ARRAY --kill-on-invalid-dep=yes}, so it runs once every shard
     * succeeded and is cancelled (instead of pending forever) when one fails.
     */
    public static String merge(Job job, SlurmSettings s) {
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/bash\n");
        b.append("# Merge step of the gdchaos sweep in ").append(job.out()).append(", written by\n");
        b.append("# 'gdchaos slurm submit' (gdchaos ").append(job.version()).append(").\n");
        b.append("# Combines ").append(job.out()).append("/shards/*/ into results.csv, summary.csv, curves.csv,\n");
        b.append("# run.json and the plots in ").append(job.out()).append(". Submitted with\n");
        b.append("# --dependency=afterok:<array job> --kill-on-invalid-dep=yes: it runs after every shard\n");
        b.append("# succeeded and is cancelled if one fails. By hand: gdchaos merge ").append(job.out()).append('\n');
        b.append("#\n");
        b.append("#SBATCH --job-name=").append(s.jobName()).append("-merge\n");
        b.append("#SBATCH --ntasks=1\n");
        b.append("#SBATCH --cpus-per-task=1\n");
        common(b, s);
        b.append("#SBATCH --chdir=").append(job.workDir()).append('\n');
        b.append("#SBATCH --output=").append(job.slurmDir().resolve(LOGS)).append("/merge-%j.out\n\n");
        b.append("set -euo pipefail\n\n");
        b.append("GDCHAOS=(").append(Shell.join(job.gdchaos())).append(")\n\n");
        jsig(b);
        quietJvm(b);
        b.append("exec \"${GDCHAOS[@]}\" merge ").append(Shell.quote(job.out().toString())).append(FILTER).append('\n');
        return b.toString();
    }

    private static void common(StringBuilder b, SlurmSettings s) {
        if (s.partition() != null) b.append("#SBATCH --partition=").append(s.partition()).append('\n');
        if (s.time() != null) b.append("#SBATCH --time=").append(s.time()).append('\n');
        if (s.account() != null) b.append("#SBATCH --account=").append(s.account()).append('\n');
        if (s.mem() != null) b.append("#SBATCH --mem=").append(s.mem()).append('\n');
        for (String e : s.extra()) b.append("#SBATCH ").append(e).append('\n');
    }
}
