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

    public double lambda1() {
        return exponents.length == 0 ? Double.NaN : exponents[0];
    }
}
