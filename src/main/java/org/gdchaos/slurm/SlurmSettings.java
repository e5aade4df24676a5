package org.gdchaos.slurm;

import org.gdchaos.InputException;
import java.util.List;

/**
 * Resources and placement of the array tasks, as {@code #SBATCH} options.
 *
 * @param jobName     job name of the array ({@code --job-name}); the merge job gets {@code jobName-merge}
 * @param partition   {@code --partition}, or null for the cluster default
 * @param time        {@code --time} limit per task (e.g. {@code 01:00:00}), or null for the partition default
 * @param account     {@code --account}, or null
 * @param cpusPerTask {@code --cpus-per-task} (≥ 1): the java backend's threads
 * @param gpusPerTask {@code --gpus-per-task} (0 = none); Slurm exposes them through {@code CUDA_VISIBLE_DEVICES}
 * @param mem         {@code --mem} per task (e.g. {@code 8G}), or null
 * @param extra       further sbatch options, each one word such as {@code --qos=long} or {@code --gres=gpu:a100:1}
 */
public record SlurmSettings(String jobName, String partition, String time, String account, int cpusPerTask,
                            int gpusPerTask, String mem, List<String> extra) {
    public SlurmSettings {
        if (jobName == null || jobName.isBlank()) jobName = "gdchaos";
        Shell.sbatchValue("--job-name", jobName);
        if (partition != null) Shell.sbatchValue("--partition", partition);
        if (time != null) Shell.sbatchValue("--time", time);
        if (account != null) Shell.sbatchValue("--account", account);
        if (mem != null) Shell.sbatchValue("--mem", mem);
        if (cpusPerTask < 1) throw new InputException("--cpus-per-task must be ≥ 1, got " + cpusPerTask);
        if (gpusPerTask < 0) throw new InputException("--gpus-per-task must be ≥ 0, got " + gpusPerTask);
        extra = extra == null ? List.of() : List.copyOf(extra);
        for (String e : extra) {
            Shell.sbatchValue("--sbatch", e);
            if (!e.startsWith("-")) throw new InputException("--sbatch takes an sbatch option such as "
                    + "--qos=long, got '" + e + "'");
        }
    }

    /** One CPU, no GPU, cluster defaults. */
    public static SlurmSettings defaults() {
        return new SlurmSettings("gdchaos", null, null, null, 1, 0, null, List.of());
    }
}
