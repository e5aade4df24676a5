package org.gdchaos.cli;

import org.gdchaos.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gdchaos.slurm.JobLog;
import org.gdchaos.slurm.SlurmException;
import org.gdchaos.slurm.SweepStatus;
import org.gdchaos.sweep.merge.ShardParts;
import org.gdchaos.sweep.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gdchaos slurm status DIR}: which shards are done, running, pending or missing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"List the shards of the sweep in DIR as done (all cells on disk), running or pending "
                + "(per Slurm), or missing (failed, cancelled, never run: what 'slurm resubmit' reruns).",
            "Exit code 0 when every shard is done, " + SlurmStatusCommand.NOT_DONE + " otherwise."})
public final class SlurmStatusCommand implements Callable<Integer> {
    /** Exit code when some shard is not done yet. */
    public static final int NOT_DONE = ExitCodes.NOT_DONE;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the sweep's --out folder")
    Path dir;
    @Option(names = "--shards", description = "number of shards (default: from the last submission, else from "
            + "the shard folders)")
    Integer shards;
    @Option(names = "--slurm-bin", paramLabel = "DIR", description = "folder holding scontrol (default: PATH)")
    Path slurmBin;
    @Option(names = "--no-slurm", description = "only look at the files; do not ask Slurm")
    boolean noSlurm;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Path out = dir.toAbsolutePath().normalize();
        SweepSpec s = SlurmCommand.recordedSpec(out);
        JobLog log = new JobLog(out.resolve("slurm"));
        List<JobLog.Entry> jobs = log.read();
        int n = shards != null ? shards : shardCount(out, log);
        try {
            SweepStatus st = SweepStatus.of(out, s, n, jobs, noSlurm || jobs.isEmpty() ? null : SlurmCommand.slurm(slurmBin));
            o.print(st.render());
            o.flush();
            return st.complete() ? ExitCodes.OK : NOT_DONE;
        } catch (SlurmException e) {
            spec.commandLine().getErr().println("gdchaos: error: " + e.getMessage()
                    + " (use --no-slurm to see the files only)");
            return SlurmCommand.SLURM_FAILED;
        }
    }

    private static int shardCount(Path out, JobLog log) {
        JobLog.Entry last = log.lastArray();
        if (last != null) return last.shards();
        int n = 0;
        for (ShardParts.Part p : ShardParts.read(out)) n = Math.max(n, p.shard().count());
        if (n == 0) throw new InputException("no shards in " + out + "; pass --shards N");
        return n;
    }
}
