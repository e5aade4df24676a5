package org.gdchaos.backend.conformance;

import java.util.Objects;

/**
 * One array a case produced (usually a whole downloaded buffer) and how to judge it.
 *
 * <p>Error of element i against the oracle value r_i: {@code |c_i − r_i| / s_i} where s_i depends
 * on the {@link Mode}. The case passes when every error is ≤ {@code tolerance(dtype)·growth}.
 * Non-finite values must match exactly (NaN with NaN, +∞ with +∞), else the error is infinite.
 *
 * @param name      label used in reports, e.g. "C" or "lossSum"
 * @param values    the produced values
 * @param mode      how errors are scaled
 * @param magnitude for {@link Mode#MAGNITUDE}: per-element size of the terms that were summed
 *                  (e.g. {@code |alpha|·Σ|a||b| + |beta||c|}); null otherwise
 * @param growth    tolerance multiplier, e.g. √k for a sum of k terms (≥ 1)
 * @param expected  for hand-computed cases: the known answer; null for differential cases
 */
public record Output(String name, double[] values, Mode mode, double[] magnitude, double growth,
                     double[] expected) {

    /** How the error of an element is scaled. */
    public enum Mode {
        /** {@code s_i = |r_i|}: plain relative error (0 when both are exactly equal). */
        ELEMENTWISE,
        /** {@code s_i = max_j |r_j|}: normwise relative error over the whole array. */
        NORMWISE,
        /** {@code s_i = max(|r_i|, magnitude_i)}: relative to the size of the summed terms. */
        MAGNITUDE
    }

    public Output {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.MAGNITUDE && (magnitude == null || magnitude.length != values.length)) {
            throw new IllegalArgumentException(name + ": MAGNITUDE needs one magnitude per value");
        }
        if (!(growth >= 1)) throw new IllegalArgumentException(name + ": growth must be >= 1, got " + growth);
        if (expected != null && expected.length != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values but "
                    + expected.length + " expected");
        }
    }
}
