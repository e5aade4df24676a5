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
 * @param trainAcc         training accuracy of the reference after the last step (NaN when undefined:
 *                         single-output models)
 * @param testLoss         test loss of the reference after the last step
 * @param testAcc          test accuracy of the reference after the last step (NaN when undefined)
 * @param stepsToThreshold first evaluated step with test accuracy ≥ threshold, {@link #NEVER} or
 *                         {@link #NOT_APPLICABLE}
 * @param diverged         whether any trajectory of the cell became non-finite
 * @param divergedStep     first step at which one did (−1 if none)
 * @param gradNorm         {@code ‖∇L‖₂} of the reference's full-batch training loss at its final
 *                         weights (NaN when diverged)
 * @param converged        not diverged and {@code gradNorm ≤ }{@link #convergenceTolerance}: the
 *                         final iterate is (numerically) a fixed point of GD — not a periodic orbit,
 *                         a chaotic attractor or a run still on its way
 * @param extras           further named columns (sharpness, gradient flow, balance), in order
 */
public record CellRow(Cell cell, double[] exponents, double fitR2, int fitStart, int fitEnd, double kaplanYorke,
                      double finalLoss, double trainAcc, double testLoss, double testAcc, int stepsToThreshold,
                      boolean diverged, int divergedStep, double gradNorm, boolean converged,
                      Map<String, Double> extras) {
    /** {@code stepsToThreshold}: the test accuracy never reached the threshold ({@code never} in CSV). */
    public static final int NEVER = -1;
    /** {@code stepsToThreshold}: accuracy is undefined for this model (one output; {@code n/a} in CSV). */
    public static final int NOT_APPLICABLE = -2;

    /**
     * The gradient-norm tolerance of {@code converged}: {@code √u} of the dtype (u = unit round-off),
     * ≈ 1.05e-8 in f64 and ≈ 2.4e-4 in f32 — the customary floor below which a gradient is
     * round-off: near a minimum the loss is flat to O(‖∇L‖²), so ‖∇L‖ ≈ √u means L is resolved to
     * about u.
     */
    public static double convergenceTolerance(org.gdchaos.backend.DType dtype) {
        return Math.sqrt(dtype.epsilon());
    }

    /** The {@code converged} flag: not diverged and a finite gradient norm within the tolerance. */
    public static boolean converged(boolean diverged, double gradNorm, org.gdchaos.backend.DType dtype) {
        return !diverged && gradNorm <= convergenceTolerance(dtype);
    }

    public CellRow {
        if (stepsToThreshold < NOT_APPLICABLE) {
            throw new IllegalArgumentException("stepsToThreshold must be ≥ 0, NEVER or NOT_APPLICABLE, got "
                    + stepsToThreshold);
        }
        exponents = exponents.clone();
        extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    @Override
    public double[] exponents() {
        return exponents.clone();
    }

    /** Whether the threshold was reached (false for {@link #NEVER} and {@link #NOT_APPLICABLE}). */
    public boolean reachedThreshold() {
        return stepsToThreshold >= 0;
    }

    public double lambda1() {
        return exponents[0];
    }
}
