package org.gdchaos.onset;

import java.util.List;
import org.gdchaos.analysis.Stats;
import org.gdchaos.sweep.store.CellRow;

/**
 * One learning rate of a search, from its cells' rows: λ1 across initialisations, the verdict
 * against λ*, and the median steps to the accuracy threshold.
 *
 * <p>Verdict: with the finite λ1 of the cells that did not diverge, mean m and 95% Student-t
 * half-width h ({@link Stats#summarize}): CHAOTIC when at least half of the cells diverged or
 * m − h &gt; λ*; REGULAR when no cell diverged and m + h &lt; λ*; else UNDECIDED (also with fewer
 * than two finite values).
 *
 * <p>Median steps: over the cells, a cell that never reached the threshold counts as +∞ (so the
 * median is +∞ when at least half never did, as in summary.csv); NaN when the task has no accuracy.
 *
 * @param index       lattice index
 * @param lr          η
 * @param cells       cells (initialisations) measured
 * @param diverged    cells that diverged
 * @param lambda1     λ1 over the cells that did not diverge
 * @param verdict     the verdict
 * @param medianSteps median steps to the threshold (+∞: never; NaN: not applicable)
 */
public record PointResult(int index, double lr, int cells, int diverged, Stats.Summary lambda1, Verdict verdict,
                          double medianSteps) {

    static PointResult of(int index, double lr, List<CellRow> rows, double threshold) {
        int div = (int) rows.stream().filter(CellRow::diverged).count();
        Stats.Summary s = Stats.summarize(rows.stream().filter(r -> !r.diverged())
                .mapToDouble(r -> r.exponents().length == 0 ? Double.NaN : r.exponents()[0]).toArray());
        Verdict v;
        if (2 * div >= rows.size() && div > 0) {
            v = Verdict.CHAOTIC;
        } else if (s.n() >= 2 && s.ciLow() > threshold) {
            v = Verdict.CHAOTIC;
        } else if (s.n() >= 2 && div == 0 && s.ciHigh() < threshold) {
            v = Verdict.REGULAR;
        } else {
            v = Verdict.UNDECIDED;
        }
        return new PointResult(index, lr, rows.size(), div, s, v, org.gdchaos.sweep.store.SummaryCsv.medianSteps(rows));
    }

    /** Whether the point has a finite median (some initialisations reached the threshold). */
    boolean reached() {
        return Double.isFinite(medianSteps);
    }

    @Override
    public String toString() {
        return "η=" + lr + " " + verdict.label() + " λ1=" + lambda1.mean() + " [" + lambda1.ciLow() + ", "
                + lambda1.ciHigh() + "] n=" + cells + " steps=" + medianSteps + " diverged=" + diverged;
    }
}
