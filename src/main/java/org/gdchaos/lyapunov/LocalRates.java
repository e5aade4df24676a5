package org.gdchaos.lyapunov;

/**
 * The per-interval local exponents of a renormalising tracker, per cell and exponent, for the
 * standard error of their mean. With equal counted intervals (every τ steps) the estimate
 * {@code λ = Σ_j ln g_j / (m·τ)} is the mean of the local exponents {@code ℓ_j = ln g_j / τ} over the
 * m counted intervals, and its standard error is reported as
 * <pre>
 *   se(λ) = s_ℓ / √m,   s_ℓ² = Σ_j (ℓ_j − λ)² / (m − 1)      (NaN for m &lt; 2)
 * </pre>
 * (Welford's update). Successive intervals of a trajectory are correlated, so this is the spread
 * of the local exponents around their mean, not a confidence statement; the spread over
 * initialisations in {@code summary.csv} is the interval to quote (docs/science.md#uncertainty).
 */
final class LocalRates {
    private final double[][] mean;
    private final double[][] m2;
    private final int[][] count;

    LocalRates(int cells, int k) {
        mean = new double[cells][k];
        m2 = new double[cells][k];
        count = new int[cells][k];
    }

    /** Adds the local exponent of one counted interval (non-finite values are not added). */
    void add(int cell, int i, double rate) {
        if (!Double.isFinite(rate)) return;
        int n = ++count[cell][i];
        double d = rate - mean[cell][i];
        mean[cell][i] += d / n;
        m2[cell][i] += d * (rate - mean[cell][i]);
    }

    /** {@code s/√m} of exponent i of a cell (NaN for fewer than 2 intervals). */
    double stdErr(int cell, int i) {
        int n = count[cell][i];
        return n < 2 ? Double.NaN : Math.sqrt(m2[cell][i] / (n - 1) / n);
    }

    /** Standard errors of all exponents of a cell, in tracker (Gram–Schmidt) order. */
    double[] stdErrs(int cell) {
        double[] s = new double[mean[cell].length];
        for (int i = 0; i < s.length; i++) s[i] = stdErr(cell, i);
        return s;
    }

    /** Counted intervals of exponent 0 of a cell. */
    int count(int cell) {
        return count[cell].length == 0 ? 0 : count[cell][0];
    }
}
