package org.gdchaos.slurm;

import java.nio.file.Path;
import java.util.List;

/** The Slurm commands gdchaos uses. {@link CommandSlurm} runs the real ones; tests substitute a fake. */
public interface Slurm {
    /**
     * {@code sbatch --parsable OPTIONS SCRIPT}.
     *
     * @return the job id (the part of sbatch's answer before any {@code ;cluster})
     * @throws SlurmException when sbatch fails, with its message
     */
    String submit(List<String> options, Path script);

    /**
     * {@code scontrol -o show job ID}: one line per job record (an array job has one per started task
     * and one for its pending tasks).
     *
     * @return the lines, or an empty list when Slurm no longer knows the job (finished and purged)
     * @throws SlurmException when scontrol cannot be run or fails otherwise
     */
    List<String> showJob(String jobId);
}
