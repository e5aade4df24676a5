package org.gdchaos.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cell of a finished sweep (one line of {@code results.csv}), and its per-step curves when they
 * were requested ({@link SweepRun#curves(boolean)}).
 *
 * @param lrIndex          index in the learning-rate grid
 * @param lr               the learning rate η
 * @param init             initialisation index
 * @param exponents        λ1 … λK, per GD step (NaN when diverged or not fitted)
 * @param fitR2            R² of the paper method's fit (NaN for the other methods)
 * @param kaplanYorke      Kaplan–Yorke dimension (NaN for one exponent)
 * @param finalLoss        training loss of the reference trajectory after the last step
 * @param trainAccuracy    its training accuracy (NaN for single-output models)
 * @param testLoss         its test loss
 * @param testAccuracy     its test accuracy (NaN for single-output models)
 * @param stepsToThreshold first evaluated step with test accuracy ≥ the threshold; {@link #NEVER}
 *                         or {@link #NOT_APPLICABLE}
 * @param diverged         whether any trajectory of the cell became non-finite
 * @param divergedStep     the first step at which one did (−1 if none)
 * @param gradNorm         ‖∇L‖₂ of the full-batch training loss at the final weights
 * @param converged        not diverged and the gradient norm is at round-off level (a fixed point)
 * @param extras           further measurements by column name (sharpness, gradient flow, balance)
 * @param curves           per-step curves by name, index = step 0 … S ({@code loss}, {@code test_acc},
 *                         the method's distances or running exponents, …); empty unless requested
 */
public record SweepRow(int lrIndex, double lr, int init, double[] exponents, double fitR2, double kaplanYorke,
                       double finalLoss, double trainAccuracy, double testLoss, double testAccuracy,
                       int stepsToThreshold, boolean diverged, int divergedStep, double gradNorm, boolean converged,
                       Map<String, Double> extras, Map<String, double[]> curves) {
    /** {@link #stepsToThreshold}: the threshold was never reached. */
    public static final int NEVER = -1;
    /** {@link #stepsToThreshold}: accuracy is undefined for this model (one output). */
    public static final int NOT_APPLICABLE = -2;

    /** Copies the arrays and maps (a row is immutable). */
    public SweepRow {
        exponents = exponents.clone();
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        Map<String, double[]> c = new LinkedHashMap<>();
        curves.forEach((k, v) -> c.put(k, v.clone()));
        curves = Collections.unmodifiableMap(c);
    }

    /** λ1 … λK (a copy). */
    @Override
    public double[] exponents() {
        return exponents.clone();
    }

    /** The largest exponent λ1. */
    public double lambda1() {
        return exponents[0];
    }

    /** The curve {@code name} (a copy), e.g. {@code curve("loss")}. */
    public double[] curve(String name) {
        double[] c = curves.get(name);
        if (c == null) {
            throw new IllegalArgumentException(curves.isEmpty() ? "no curves: run the sweep with curves(true)"
                    : "no curve '" + name + "'; this sweep has " + String.join(", ", curves.keySet()));
        }
        return c.clone();
    }
}
