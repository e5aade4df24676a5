package org.gdchaos.sweep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code results.csv}: a cell's exponents, fit, training metrics and flags.
 *
 * @param cell             the cell
 * @param exponents        λ1 … λK (NaN when diverged or not fitted)
 * @param fitR2            R² of the paper fit (NaN otherwise)
 * @param fitStart         first step of the fit window (−1 if none)
 * @param fitEnd           last step of the fit window (−1 if none)
 * @param kaplanYorke      Kaplan–Yorke dimension (NaN for one exponent)
 * @param finalLoss        training loss of the reference after the last step
 * @param trainAcc         training accuracy of the reference after the last step
 * @param testLoss         test loss of the reference after the last step
 * @param testAcc          test accuracy of the reference after the last step
 * @param stepsToThreshold first evaluated step with test accuracy ≥ threshold, −1 = never
 * @param diverged         whether any trajectory of the cell became non-finite
 * @param divergedStep     first step at which one did (−1 if none)
 * @param extras           further named columns (sharpness, gradient flow, balance), in order
 */
public record CellRow(Cell cell, double[] exponents, double fitR2, int fitStart, int fitEnd, double kaplanYorke,
                      double finalLoss, double trainAcc, double testLoss, double testAcc, int stepsToThreshold,
                      boolean diverged, int divergedStep, Map<String, Double> extras) {
    public CellRow {
        exponents = exponents.clone();
        extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    @Override
    public double[] exponents() {
        return exponents.clone();
    }

    public double lambda1() {
        return exponents[0];
    }
}
