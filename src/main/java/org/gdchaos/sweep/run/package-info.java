/**
 * Running a sweep: the memory plan and its calibration ({@link org.gdchaos.sweep.run.Planner},
 * {@link org.gdchaos.sweep.run.Calibration}), batches of cells advanced in lockstep
 * ({@link org.gdchaos.sweep.run.BatchRunner}) and the whole run with resume and progress
 * ({@link org.gdchaos.sweep.run.SweepRunner}). Writes through {@code sweep.store}, draws through
 * {@code sweep.report}.
 */
package org.gdchaos.sweep.run;
