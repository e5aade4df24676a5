package org.gdchaos.analysis;

import java.util.Objects;

/**
 * The exponent fitted from a divergence curve {@code ln⟨d(t)⟩} by {@link GrowthFit}.
 *
 * <p>A fit ({@link #isFit()}) has a finite {@code lambda} (the least-squares slope of
 * {@code ln d} against {@code t} over the window, natural log per unit of t) and the window
 * {@code [start, end]} (inclusive indices, {@code points = end − start + 1}). "No fit" has
 * {@code lambda = NaN}, {@code r2 = NaN}, {@code start = end = −1}, {@code points = 0} and the
 * reason in {@code note}.
 *
 * @param lambda           fitted exponent, or NaN for no fit
 * @param intercept        fitted {@code ln d} at t = 0 (NaN for no fit)
 * @param r2               R² of the window fit in [0, 1] (NaN for no fit)
 * @param start            first index of the window (−1 for no fit)
 * @param end              last index of the window, inclusive (−1 for no fit)
 * @param tStart           t at {@code start} (NaN for no fit)
 * @param tEnd             t at {@code end} (NaN for no fit)
 * @param method           the window rule used
 * @param points           points in the window
 * @param validPoints      points before the first non-finite {@code ln d} (the part considered)
 * @param ignoredPoints    points from the first non-finite value on (ignored: divergence)
 * @param growthPhaseFound for {@link GrowthFit.Method#GROWTH_PHASE}: whether a growth phase was
 *                         detected (false: the whole valid curve was fitted); false for MAX_R2
 * @param note             human-readable remarks (empty when there is nothing to say), never null
 */
public record GrowthFitResult(double lambda, double intercept, double r2, int start, int end,
                              double tStart, double tEnd, GrowthFit.Method method, int points,
                              int validPoints, int ignoredPoints, boolean growthPhaseFound, String note) {

    public GrowthFitResult {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(note, "note");
        if (validPoints < 0 || ignoredPoints < 0) {
            throw new IllegalArgumentException("point counts must be >= 0");
        }
        if (Double.isNaN(lambda)) {
            if (start != -1 || end != -1 || points != 0 || note.isEmpty()) {
                throw new IllegalArgumentException("a no-fit result has window -1..-1, 0 points and a reason");
            }
        } else {
            if (!Double.isFinite(lambda) || !Double.isFinite(intercept)) {
                throw new IllegalArgumentException("lambda and intercept must be finite or NaN: " + lambda);
            }
            if (start < 0 || end < start || end >= validPoints || points != end - start + 1 || points < 2) {
                throw new IllegalArgumentException("bad window [" + start + ", " + end + "] with " + points
                    + " points of " + validPoints);
            }
            if (!(r2 >= 0.0 && r2 <= 1.0)) {
                throw new IllegalArgumentException("R² must be in [0, 1], got " + r2);
            }
            if (!(tStart < tEnd)) {
                throw new IllegalArgumentException("window times must increase: " + tStart + " .. " + tEnd);
            }
        }
    }

    /** A result saying that nothing could be fitted, and why. */
    public static GrowthFitResult noFit(GrowthFit.Method method, int validPoints, int ignoredPoints, String reason) {
        return new GrowthFitResult(Double.NaN, Double.NaN, Double.NaN, -1, -1, Double.NaN, Double.NaN,
            method, 0, validPoints, ignoredPoints, false, reason);
    }

    /** Whether an exponent was fitted (false: see {@link #note()}). */
    public boolean isFit() {
        return !Double.isNaN(lambda);
    }

    /** Whether this is a fit with {@code R² ≥ threshold} (the predecessor kept fits with R² &gt; 0.9). */
    public boolean accepted(double threshold) {
        return isFit() && r2 >= threshold;
    }
}
