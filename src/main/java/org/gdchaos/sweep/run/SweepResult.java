package org.gdchaos.sweep.run;

import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.SummaryCsv;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished sweep found (and wrote, with an output folder).
 *
 * @param dir            output folder, or null when the run wrote nothing (its sink was in memory)
 * @param rows           every results row its sink holds (on disk: including cells from earlier runs when resumed)
 * @param summary        per-learning-rate summary
 * @param cellsRun       cells computed by this run
 * @param cellsSkipped   cells found done on disk (resume)
 * @param seconds        wall time of this run
 * @param trajectorySteps trajectory-steps computed by this run
 * @param plots          plot files written
 */
public record SweepResult(Path dir, List<CellRow> rows, List<SummaryCsv.Row> summary, int cellsRun,
                          int cellsSkipped, double seconds, long trajectorySteps, List<Path> plots) {
    public double trajectoryStepsPerSecond() {
        return seconds > 0 ? trajectorySteps / seconds : Double.NaN;
    }
}
