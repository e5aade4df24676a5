package org.gdchaos.lyapunov;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lyapunov outcome of one cell.
 *
 * @param exponents   λ1 … λK (sorted descending; NaN when the cell diverged or no fit)
 * @param fitR2       R² of the paper fit (NaN for other methods)
 * @param fitStart    first step of the fit window (−1 if none)
 * @param fitEnd      last step of the fit window (−1 if none)
 * @param kaplanYorke Kaplan–Yorke dimension of the spectrum (NaN for a single exponent)
 * @param curves      per-step curves by column name (index = step, NaN where not measured)
 * @param stdErrs     standard errors of the exponents, in the same order (NaN where undefined)
 * @param fitPoints   points behind λ1: the fit window's points, or the counted renormalisation
 *                    intervals (0 when none)
 * @param precisionLost the perturbation fell below the rounding step of the weights while the cell
 *                    stayed finite (docs/science.md#precision-lost); the exponents are NaN then
 */
public record CellResult(double[] exponents, double fitR2, int fitStart, int fitEnd, double kaplanYorke,
                         Map<String, double[]> curves, double[] stdErrs, int fitPoints, boolean precisionLost) {
    public CellResult {
        exponents = exponents.clone();
        stdErrs = stdErrs.clone();
        if (stdErrs.length != exponents.length) {
            throw new IllegalArgumentException(stdErrs.length + " standard errors for " + exponents.length + " exponents");
        }
        curves = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(curves));
    }

    /** A result without standard errors, fit points or precision loss. */
    public CellResult(double[] exponents, double fitR2, int fitStart, int fitEnd, double kaplanYorke,
                      Map<String, double[]> curves) {
        this(exponents, fitR2, fitStart, fitEnd, kaplanYorke, curves, nans(exponents.length), 0, false);
    }

    static double[] nans(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    @Override
    public double[] stdErrs() {
        return stdErrs.clone();
    }

    @Override
    public double[] exponents() {
        return exponents.clone();
    }

    /**
     * Curve names of a K-exponent spectrum: {@code lambda_1_running … lambda_K_running}, the running
     * estimates sorted descending at each step (see {@link #ofSpectrum}).
     */
    public static java.util.List<String> spectrumCurveNames(int k) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 1; i <= k; i++) names.add("lambda_" + i + "_running");
        return names;
    }

    /**
     * Result of a K-exponent spectrum from its running estimates {@code running[i][step]} in
     * Gram–Schmidt order (NaN where not measured): the curves {@code lambda_i_running} hold, at
     * every step, the estimates sorted descending (NaN last), so curve i follows the i-th largest
     * exponent like the result column {@code lambda_i}; the exponents are the last estimates,
     * sorted descending, with the Kaplan–Yorke dimension (NaN unless all are finite); NaN exponents
     * when the cell diverged.
     */
    public static CellResult ofSpectrum(double[][] running, boolean diverged) {
        return ofSpectrum(running, nans(running.length), 0, diverged, false);
    }

    /**
     * {@link #ofSpectrum(double[][], boolean)} with the standard errors of the exponents (in
     * Gram–Schmidt order, permuted with them into descending order), the counted intervals, and
     * whether precision was lost (then the exponents and the Kaplan–Yorke dimension are NaN; not
     * reported for a diverged cell).
     */
    public static CellResult ofSpectrum(double[][] running, double[] stdErrs, int points, boolean diverged,
                                        boolean precisionLost) {
        int k = running.length;
        int steps = k == 0 ? 0 : running[0].length;
        double[][] sorted = new double[k][steps];
        double[] column = new double[k];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < k; i++) column[i] = running[i][s];
            java.util.Arrays.sort(column); // ascending, NaN last
            int finite = 0;
            while (finite < k && !Double.isNaN(column[finite])) finite++;
            for (int i = 0; i < finite; i++) sorted[i][s] = column[finite - 1 - i];
            for (int i = finite; i < k; i++) sorted[i][s] = Double.NaN;
        }
        double[] lam = new double[k];
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            double last = Double.NaN;
            for (double v : running[i]) if (!Double.isNaN(v)) last = v;
            lam[i] = diverged ? Double.NaN : last;
            curves.put("lambda_" + (i + 1) + "_running", sorted[i]);
        }
        boolean lost = precisionLost && !diverged;
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(lam[y], lam[x])); // descending (NaN first)
        double[] result = new double[k];
        double[] se = new double[k];
        for (int i = 0; i < k; i++) {
            result[i] = lost ? Double.NaN : lam[order[i]];
            se[i] = lost || Double.isNaN(result[i]) ? Double.NaN : stdErrs[order[i]];
        }
        boolean finite = java.util.Arrays.stream(result).allMatch(Double::isFinite); // none yet
        double ky = k > 1 && !diverged && finite ? org.gdchaos.analysis.Spectrum.kaplanYorke(result) : Double.NaN;
        return new CellResult(result, Double.NaN, -1, -1, ky, curves, se, points, lost);
    }

    public double lambda1() {
        return exponents.length == 0 ? Double.NaN : exponents[0];
    }
}
