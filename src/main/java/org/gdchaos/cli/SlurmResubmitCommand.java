package org.gdchaos.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gdchaos slurm resubmit DIR}: the same as {@code gdchaos slurm submit --resubmit DIR}. */
@Command(name = "resubmit", mixinStandardHelpOptions = true,
        description = {"Resubmit only the failed or missing shards of the sweep in DIR (same script, --resume: "
                + "finished cells are kept), and a new merge job that waits for them."})
public final class SlurmResubmitCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the sweep's --out folder")
    Path dir;
    @Option(names = "--no-merge", description = "do not submit a merge job")
    boolean noMerge;
    @Option(names = "--parsable", description = "print only the new array job id (nothing when no shard was missing)")
    boolean parsable;
    @Option(names = "--slurm-bin", paramLabel = "DIR", description = "folder holding sbatch and scontrol (default: PATH)")
    Path slurmBin;

    @Override
    public Integer call() {
        return SlurmSubmitCommand.resubmit(spec.commandLine().getOut(), spec.commandLine().getErr(), dir, !noMerge,
                parsable, slurmBin);
    }
}
