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
 * @param weightDecay      the weight decay λ of the cell (0 without weight decay; docs/science.md#weight-decay)
 * @param momentum         the momentum coefficient β (Adam's β1) of the cell's optimizer (0 for GD; the
 *                         {@code --momentum} axis)
 * @param init             initialisation index
 * @param seed             the sweep seed (with {@code init} it fixes every random number of the cell)
 * @param exponents        λ1 … λK, per GD step (NaN when diverged, precision was lost, or not fitted)
 * @param exponentStdErrs  their standard errors (results.csv {@code lambda_k_stderr}; NaN where undefined)
 * @param fitR2            R² of the paper method's fit (NaN for the other methods)
 * @param fitPoints        points behind λ1 (fit window points, or counted renormalisation intervals)
 * @param fitFewPoints     λ1 is a number resting on fewer than 10 points
 * @param kaplanYorke      Kaplan–Yorke dimension (NaN for one exponent)
 * @param finalLoss        training loss of the reference trajectory after the last step
 * @param trainAccuracy    its training accuracy (NaN for single-output models)
 * @param testLoss         its test loss
 * @param testAccuracy     its test accuracy (NaN for single-output models)
 * @param stepsToThreshold first evaluated step with test accuracy ≥ the threshold; {@link #NEVER}
 *                         or {@link #NOT_APPLICABLE} (results.csv: NaN, with {@code reached} false)
 * @param diverged         whether any trajectory of the cell became non-finite
 * @param divergedStep     the first step at which one did (−1 if none; NaN in results.csv)
 * @param precisionLost    the perturbation fell below the rounding step of the weights (λ is NaN)
 * @param gradNorm         ‖∇L‖₂ of the full-batch training loss at the final weights
 * @param converged        not diverged and the gradient norm is at round-off level (a fixed point)
 * @param extras           further measurements by column name (sharpness, gradient flow, balance)
 * @param curves           per-step curves by name, index = step 0 … S ({@code loss}, {@code test_acc},
 *                         the method's distances or running exponents, …); empty unless requested
 */
public record SweepRow(int lrIndex, double lr, double weightDecay, double momentum, int init, long seed, double[] exponents, double[] exponentStdErrs,
                       double fitR2, int fitPoints, boolean fitFewPoints, double kaplanYorke,
                       double finalLoss, double trainAccuracy, double testLoss, double testAccuracy,
                       int stepsToThreshold, boolean diverged, int divergedStep, boolean precisionLost,
                       double gradNorm, boolean converged, Map<String, Double> extras, Map<String, double[]> curves) {
    /** {@link #stepsToThreshold}: the threshold was never reached. */
    public static final int NEVER = -1;
    /** {@link #stepsToThreshold}: accuracy is undefined for this model (one output). */
    public static final int NOT_APPLICABLE = -2;

    /** Copies the arrays and maps (a row is immutable). */
    public SweepRow {
        exponents = exponents.clone();
        exponentStdErrs = exponentStdErrs.clone();
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

    /** Their standard errors (a copy). */
    @Override
    public double[] exponentStdErrs() {
        return exponentStdErrs.clone();
    }

    /** Whether the accuracy threshold was reached (results.csv {@code reached}). */
    public boolean reached() {
        return stepsToThreshold >= 0;
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
