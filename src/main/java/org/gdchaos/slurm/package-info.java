/**
 * Running a sweep as a Slurm job array: sbatch script generation ({@link org.gdchaos.slurm.SbatchScripts}),
 * submission and status through the Slurm commands ({@link org.gdchaos.slurm.Slurm},
 * {@link org.gdchaos.slurm.CommandSlurm}), the record of submitted jobs ({@link org.gdchaos.slurm.JobLog})
 * and the per-shard status ({@link org.gdchaos.slurm.SweepStatus}). Orchestrated by
 * {@link org.gdchaos.slurm.Submitter}.
 */
package org.gdchaos.slurm;
