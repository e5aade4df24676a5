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
 */
public record CellResult(double[] exponents, double fitR2, int fitStart, int fitEnd, double kaplanYorke,
                         Map<String, double[]> curves) {
    public CellResult {
        exponents = exponents.clone();
        curves = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(curves));
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
        double[] result = java.util.Arrays.stream(lam).boxed()
                .sorted(java.util.Comparator.reverseOrder()).mapToDouble(Double::doubleValue).toArray();
        boolean finite = java.util.Arrays.stream(result).allMatch(Double::isFinite); // none yet, or collapsed
        double ky = k > 1 && !diverged && finite ? org.gdchaos.analysis.Spectrum.kaplanYorke(result) : Double.NaN;
        return new CellResult(result, Double.NaN, -1, -1, ky, curves);
    }

    public double lambda1() {
        return exponents.length == 0 ? Double.NaN : exponents[0];
    }
}
