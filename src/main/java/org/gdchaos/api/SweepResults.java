package org.gdchaos.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A finished sweep, in memory.
 *
 * @param rows            every cell, learning rate major ((lr 0, init 0), (lr 0, init 1), …); with
 *                        {@code resume}, also the cells an earlier run left in the folder
 * @param summary         one entry per learning rate, in grid order
 * @param folder          where the usual files were written ({@code results.csv}, {@code curves.csv},
 *                        {@code summary.csv}, {@code run.json}, plots), or empty when the run wrote none
 * @param cellsRun        cells computed by this run
 * @param seconds         wall time of this run
 * @param trajectorySteps trajectory-steps computed by this run
 * @param warnings        non-fatal problems met (e.g. a plot that could not be drawn)
 */
public record SweepResults(List<SweepRow> rows, List<LearningRateSummary> summary, Optional<Path> folder,
                           int cellsRun, double seconds, long trajectorySteps, List<String> warnings) {
    /** Copies the lists (the results are immutable). */
    public SweepResults {
        rows = List.copyOf(rows);
        summary = List.copyOf(summary);
        warnings = List.copyOf(warnings);
    }

    /** The row of cell ({@code lrIndex}, {@code init}) of a sweep without weight decay (or its first λ). */
    public SweepRow row(int lrIndex, int init) {
        for (SweepRow r : rows) {
            if (r.lrIndex() == lrIndex && r.init() == init) return r;
        }
        throw new IllegalArgumentException("no cell (lr index " + lrIndex + ", init " + init + ") in these results");
    }

    /** The row of cell ({@code lrIndex}, weight decay {@code weightDecay}, {@code init}). */
    public SweepRow row(int lrIndex, double weightDecay, int init) {
        for (SweepRow r : rows) {
            if (r.lrIndex() == lrIndex && r.weightDecay() == weightDecay && r.init() == init) return r;
        }
        throw new IllegalArgumentException("no cell (lr index " + lrIndex + ", weight decay " + weightDecay
                + ", init " + init + ") in these results");
    }

    /** The row of cell ({@code lrIndex}, weight decay {@code weightDecay}, momentum {@code momentum}, {@code init}). */
    public SweepRow row(int lrIndex, double weightDecay, double momentum, int init) {
        for (SweepRow r : rows) {
            if (r.lrIndex() == lrIndex && r.weightDecay() == weightDecay && r.momentum() == momentum && r.init() == init) {
                return r;
            }
        }
        throw new IllegalArgumentException("no cell (lr index " + lrIndex + ", weight decay " + weightDecay
                + ", momentum " + momentum + ", init " + init + ") in these results");
    }
}
