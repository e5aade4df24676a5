package org.gdchaos.cli;

import org.gdchaos.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.gdchaos.slurm.CommandSlurm;
import org.gdchaos.slurm.Slurm;
import org.gdchaos.sweep.merge.ShardParts;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gdchaos slurm}: run a sweep as a Slurm job array (submit, status, resubmit). */
@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {"Run a sweep on a Slurm cluster: one array task per shard, then a dependent merge job.",
            "The output folder must be on a file system all nodes share."},
        subcommands = {SlurmSubmitCommand.class, SlurmStatusCommand.class, SlurmResubmitCommand.class})
public final class SlurmCommand implements Runnable {
    /** Exit code when a Slurm command (sbatch, scontrol) fails. */
    public static final int SLURM_FAILED = ExitCodes.SLURM_FAILED;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Slurm slurm(Path bin) {
        return new CommandSlurm(bin);
    }

    /** The spec of the sweep in {@code out}: recorded at submission, else that of its first started shard. */
    static SweepSpec recordedSpec(Path out) {
        JsonNode tree = ShardParts.submittedSpec(out);
        if (tree == null) {
            for (ShardParts.Part p : ShardParts.read(out)) {
                if (p.spec() != null) {
                    tree = p.spec();
                    break;
                }
            }
        }
        if (tree == null) {
            throw new InputException("no sharded sweep in " + out + " (neither " + ShardParts.SUBMITTED_SPEC
                    + " nor shards/I-of-N/run.json)");
        }
        return SpecJson.read(tree);
    }
}
