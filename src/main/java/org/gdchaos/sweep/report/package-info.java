/**
 * What a reader sees: the figures ({@link org.gdchaos.sweep.report.SweepPlots}) and the
 * self-contained report.html ({@link org.gdchaos.sweep.report.ReportPage}), written from a folder's
 * files or a finished run's rows ({@link org.gdchaos.sweep.report.Report}).
 */
package org.gdchaos.sweep.report;
