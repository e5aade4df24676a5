package org.gdchaos.cli;

import org.gdchaos.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gdchaos.slurm.ArrayIndices;
import org.gdchaos.slurm.Launcher;
import org.gdchaos.slurm.SbatchScripts;
import org.gdchaos.slurm.SlurmException;
import org.gdchaos.slurm.SlurmSettings;
import org.gdchaos.slurm.Submitter;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.merge.ShardParts;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gdchaos slurm submit --shards N --out DIR [slurm options] [sweep options]}: writes
 * {@code DIR/slurm/sweep.sbatch} (one array task per shard) and {@code merge.sbatch}, submits both
 * (the merge after every shard succeeded) and prints the array job id.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit a sweep as a Slurm job array: task I runs 'gdchaos sweep [sweep options] --shard I/N "
                + "--resume --out DIR'; a merge job (--dependency=afterok, --kill-on-invalid-dep=yes) then "
                + "writes DIR/results.csv, summary.csv and the plots.",
            "Any option not listed here is a sweep option (see 'gdchaos sweep --help'); they may also follow '--'.",
            "Prints the array job id. Scripts and logs go to DIR/slurm/; DIR must be on a shared file system."})
public final class SlurmSubmitCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--shards", paramLabel = "N", description = "number of shards = array tasks")
    Integer shards;
    @Option(names = "--out", paramLabel = "DIR", description = "output folder (shared by all nodes)")
    Path out;
    @Option(names = "--gpus-per-task", paramLabel = "G", description = "GPUs per shard (default 0); each task "
            + "sees its own through CUDA_VISIBLE_DEVICES")
    int gpusPerTask;
    @Option(names = "--cpus-per-task", paramLabel = "C", description = "CPUs per shard (default 1): java backend threads")
    int cpusPerTask = 1;
    @Option(names = "--partition", paramLabel = "P", description = "Slurm partition")
    String partition;
    @Option(names = "--time", paramLabel = "T", description = "time limit per shard, e.g. 02:00:00")
    String time;
    @Option(names = "--account", paramLabel = "A", description = "Slurm account")
    String account;
    @Option(names = "--mem", paramLabel = "M", description = "memory per shard, e.g. 16G")
    String mem;
    @Option(names = "--job-name", paramLabel = "NAME", description = "job name (default gdchaos)")
    String jobName;
    @Option(names = "--sbatch", paramLabel = "OPTION", description = "extra sbatch option, e.g. --sbatch=--qos=long "
            + "(repeatable)")
    List<String> sbatch = new ArrayList<>();
    @Option(names = "--gdchaos", paramLabel = "COMMAND", description = "how nodes start gdchaos, absolute paths "
            + "(default: this java with a copy of this jar in DIR/slurm/)")
    String gdchaos;
    @Option(names = "--no-merge", description = "do not submit the dependent merge job")
    boolean noMerge;
    @Option(names = "--dry-run", description = "write the scripts but do not submit")
    boolean dryRun;
    @Option(names = "--parsable", description = "print only the array job id")
    boolean parsable;
    @Option(names = "--resubmit", paramLabel = "DIR", description = "instead: resubmit the failed or missing shards "
            + "of the sweep in DIR")
    Path resubmit;
    @Option(names = "--slurm-bin", paramLabel = "DIR", description = "folder holding sbatch and scontrol (default: PATH)")
    Path slurmBin;

    @CommandLine.Unmatched
    List<String> sweepOptions = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (resubmit != null) {
            if (shards != null || out != null || !sweepOptions.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--resubmit DIR reuses the submitted script: give no --shards, --out or sweep options");
            }
            return resubmit(o, err, resubmit, !noMerge, parsable, slurmBin);
        }
        if (shards == null || out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--shards N and --out DIR are required");
        }
        List<String> opts = sweepOptions();
        SweepSpec s = parseSweep(opts);
        int cells = s.cells().size();
        if (shards < 1 || shards > cells) {
            throw new InputException("--shards must be between 1 and the number of cells (" + cells
                    + " = " + s.training().learningRateCount() + " learning rates × " + s.training().inits()
                    + " inits), got " + shards);
        }
        SweepRunner.loadData(s);
        Path dir = out.toAbsolutePath().normalize();
        ShardParts.checkSameSweep(dir, s);
        SlurmSettings settings = new SlurmSettings(jobName, partition, time, account, cpusPerTask, gpusPerTask, mem,
                sbatch);
        ShardParts.writeSubmittedSpec(dir, s);
        List<String> cmd = Launcher.forSubmission(gdchaos, dir.resolve("slurm"));
        SbatchScripts.Job job = new SbatchScripts.Job(dir, Path.of("").toAbsolutePath(), shards,
                s.training().learningRateCount(), s.training().inits(), cmd, opts, RunInfo.version());
        Path scripts = job.slurmDir();
        if (dryRun) {
            Submitter.writeScripts(job, settings);
            o.println("wrote " + scripts.resolve(SbatchScripts.SWEEP) + " (" + shards + " array tasks) and "
                    + scripts.resolve(SbatchScripts.MERGE) + "; not submitted (--dry-run)");
            o.println("submit with: sbatch " + scripts.resolve(SbatchScripts.SWEEP));
            o.flush();
            return ExitCodes.OK;
        }
        try {
            Submitter.Submitted r = new Submitter(SlurmCommand.slurm(slurmBin)).submit(job, settings, !noMerge);
            if (parsable) {
                o.println(r.arrayJob());
            } else {
                o.println("wrote " + scripts.resolve(SbatchScripts.SWEEP) + " and " + SbatchScripts.MERGE);
                o.println("submitted array job " + r.arrayJob() + ": " + shards + " shard(s) of " + cells
                        + " cells (tasks " + ArrayIndices.format(r.shards()) + ")");
                if (r.mergeJob() != null) {
                    o.println("submitted merge job " + r.mergeJob() + " (--dependency=" + r.mergeDependency()
                            + " --kill-on-invalid-dep=yes)");
                }
                o.println("follow with: gdchaos slurm status " + dir);
            }
            o.flush();
            return ExitCodes.OK;
        } catch (SlurmException e) {
            err.println("gdchaos: error: " + e.getMessage());
            err.flush();
            return SlurmCommand.SLURM_FAILED;
        }
    }

    /** The sweep options, checked for those the array script sets itself. */
    private List<String> sweepOptions() {
        List<String> opts = new ArrayList<>(sweepOptions);
        if (!opts.isEmpty() && opts.get(0).equals("--")) opts.remove(0);
        for (String a : opts) {
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.equals("--shard") || name.equals("--resume") || name.equals("--out")) {
                throw new CommandLine.ParameterException(spec.commandLine(), name + " is set by the array script for "
                        + "each shard; do not pass it to 'slurm submit' (give --out before any '--')");
            }
        }
        return opts;
    }

    /** Parses and validates the sweep options exactly as 'gdchaos sweep' would. */
    private SweepSpec parseSweep(List<String> opts) {
        SweepCommand sweep = new SweepCommand();
        CommandLine cl = new CommandLine(sweep);
        try {
            cl.parseArgs(opts.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "sweep options: " + e.getMessage(), e,
                    null, null);
        }
        SweepSpec s = sweep.buildSpec();
        PrintWriter err = spec.commandLine().getErr();
        for (String w : sweep.ignoredOptions(s.lyapunov().method())) err.println("gdchaos: warning: " + w);
        err.flush();
        return s;
    }

    static int resubmit(PrintWriter o, PrintWriter err, Path dirArg, boolean merge, boolean parsable, Path slurmBin) {
        Path dir = dirArg.toAbsolutePath().normalize();
        SweepSpec s = SlurmCommand.recordedSpec(dir);
        try {
            Submitter.Submitted r = new Submitter(SlurmCommand.slurm(slurmBin)).resubmit(dir, s, merge);
            if (r.arrayJob() == null) {
                if (!parsable) o.println("nothing to resubmit: every shard of " + dir + " is done, pending or running");
            } else if (parsable) {
                o.println(r.arrayJob());
            } else {
                o.println("resubmitted shard(s) " + ArrayIndices.format(r.shards()) + " as array job " + r.arrayJob());
                if (r.mergeJob() != null) {
                    o.println("submitted merge job " + r.mergeJob() + " (--dependency=" + r.mergeDependency()
                            + " --kill-on-invalid-dep=yes)");
                }
            }
            o.flush();
            return ExitCodes.OK;
        } catch (SlurmException e) {
            err.println("gdchaos: error: " + e.getMessage());
            err.flush();
            return SlurmCommand.SLURM_FAILED;
        }
    }
}
