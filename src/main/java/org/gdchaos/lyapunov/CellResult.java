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

    /** Curve names of a K-exponent spectrum: {@code lambda_1_running … lambda_K_running}. */
    public static java.util.List<String> spectrumCurveNames(int k) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 1; i <= k; i++) names.add("lambda_" + i + "_running");
        return names;
    }

    /**
     * Result of a K-exponent spectrum from its running estimates {@code running[i][step]} (NaN where
     * not measured): the last estimate of each exponent, sorted descending, with the Kaplan–Yorke
     * dimension; NaN exponents when the cell diverged.
     */
    public static CellResult ofSpectrum(double[][] running, boolean diverged) {
        int k = running.length;
        double[] lam = new double[k];
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            double last = Double.NaN;
            for (double v : running[i]) if (!Double.isNaN(v)) last = v;
            lam[i] = diverged ? Double.NaN : last;
            curves.put("lambda_" + (i + 1) + "_running", running[i].clone());
        }
        double[] sorted = java.util.Arrays.stream(lam).boxed()
                .sorted(java.util.Comparator.reverseOrder()).mapToDouble(Double::doubleValue).toArray();
        double ky = k > 1 && !diverged ? org.gdchaos.analysis.Spectrum.kaplanYorke(sorted) : Double.NaN;
        return new CellResult(sorted, Double.NaN, -1, -1, ky, curves);
    }

    public double lambda1() {
        return exponents.length == 0 ? Double.NaN : exponents[0];
    }
}
