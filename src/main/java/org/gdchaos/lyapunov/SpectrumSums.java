package org.gdchaos.lyapunov;

import java.util.Arrays;
import java.util.List;
import org.gdchaos.analysis.RenormIntervals;

/**
 * The running exponents of a K-exponent tracker of C cells ({@link SpectrumTracker} with finite
 * replicas, {@link TangentTracker} with tangent vectors): at each renormalisation step s whose
 * interval counts ({@link RenormIntervals}), per cell and vector i,
 * <pre>
 *   S_i += ln(R_ii⁽¹⁾·R_ii⁽²⁾ / δ0),     λ_i(s) = S_i / n
 * </pre>
 * with R⁽¹⁾, R⁽²⁾ the norms of the two Gram–Schmidt passes, δ0 the renormalised size (1 for
 * tangent vectors) and n the steps the counted intervals cover; λ_i(s) is NaN at the other steps.
 * Curves and results are {@link CellResult#ofSpectrum}'s (docs/science.md#gram-schmidt). Each
 * counted interval's local exponent {@code ln(R_ii⁽¹⁾·R_ii⁽²⁾/δ0)/τ} also goes to
 * {@link LocalRates} (the exponents' standard errors), and a growth factor of 0 or ∞ from a finite
 * cell (a vector that under- or overflowed) marks the cell's precision as lost; trackers add their
 * own precision checks through {@link #markLost}.
 */
final class SpectrumSums {
    private final int k;
    private final double[][] sumLog;    // [cell][i]
    private final double[][][] running; // [cell][i][step]
    private final RenormIntervals intervals;
    private final LocalRates local;
    private final boolean[] lost;
    private final int renormEvery;

    /**
     * Sums of {@code cells} cells × {@code k} exponents over {@code steps} steps, after
     * {@code transientSteps}, renormalised every {@code renormEvery} steps.
     */
    SpectrumSums(int cells, int k, int steps, int transientSteps, int renormEvery) {
        this.k = k;
        sumLog = new double[cells][k];
        running = new double[cells][k][steps + 1];
        for (double[][] a : running) for (double[] b : a) Arrays.fill(b, Double.NaN);
        intervals = new RenormIntervals(transientSteps, 0);
        local = new LocalRates(cells, k);
        lost = new boolean[cells];
        this.renormEvery = renormEvery;
    }

    /** Marks the precision of {@code cell} as lost (its exponents are reported as NaN). */
    void markLost(int cell) {
        lost[cell] = true;
    }

    /**
     * Ends the interval at the renormalisation at {@code step}; when it counts, adds
     * {@code ln(first[i][c]·second[i][c]/d0)} to every cell's sums and records the running
     * estimates at {@code step}.
     *
     * @param first  norms [i][cell] of the first Gram–Schmidt pass
     * @param second norms [i][cell] of the second pass
     */
    void renormalised(int step, double[][] first, double[][] second, double d0) {
        if (!intervals.close(step)) return;
        for (int c = 0; c < sumLog.length; c++) {
            for (int i = 0; i < k; i++) {
                double g = first[i][c] * second[i][c];
                if (!(g > 0) || !Double.isFinite(g)) lost[c] = true;
                double rate = Math.log(g / d0);
                sumLog[c][i] += rate;
                running[c][i][step] = sumLog[c][i] / intervals.countedSteps();
                local.add(c, i, rate / renormEvery);
            }
        }
    }

    /** {@link CellResult#spectrumCurveNames}. */
    List<String> curveNames() {
        return CellResult.spectrumCurveNames(k);
    }

    /** The result of {@code cell} ({@link CellResult#ofSpectrum}). */
    CellResult result(int cell, boolean diverged) {
        return CellResult.ofSpectrum(running[cell], local.stdErrs(cell), local.count(cell), diverged, lost[cell]);
    }
}
