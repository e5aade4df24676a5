package org.gdchaos.backend.conformance;

/**
 * Largest errors of one produced array against its oracle (see {@link Output} for the metric).
 *
 * @param output    the output's name
 * @param maxAbs    {@code max_i |c_i − r_i|} (∞ when non-finite values differ)
 * @param maxRel    the largest scaled error {@code max_i |c_i − r_i| / s_i}
 * @param tolerance the bound maxRel must not exceed
 * @param worst     index of the element with the largest scaled error (−1 when all are equal)
 * @param got       the produced value at {@code worst}
 * @param want      the oracle value at {@code worst}
 */
public record ErrorStats(String output, double maxAbs, double maxRel, double tolerance, int worst,
                         double got, double want) {

    /** Whether maxRel is within tolerance. */
    public boolean passed() {
        return maxRel <= tolerance;
    }

    /** maxRel / tolerance, the number that ranks outputs by how close they are to failing. */
    public double ratio() {
        return maxRel / tolerance;
    }

    /**
     * Measures {@code got} against the oracle {@code want}.
     *
     * @param spec      mode, magnitude and growth of the output
     * @param got       produced values
     * @param want      oracle values (same length)
     * @param baseTol   per-dtype tolerance, multiplied by {@code spec.growth()}
     */
    public static ErrorStats measure(Output spec, double[] got, double[] want, double baseTol) {
        double tol = baseTol * spec.growth();
        if (got.length != want.length) {
            return new ErrorStats(spec.name(), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, tol,
                    -1, got.length, want.length);
        }
        double norm = 0;
        for (double w : want) if (Double.isFinite(w)) norm = Math.max(norm, Math.abs(w));
        double maxAbs = 0, maxRel = 0;
        int worst = -1;
        for (int i = 0; i < got.length; i++) {
            double abs, rel;
            if (Double.compare(got[i], want[i]) == 0 || got[i] == want[i]) {
                continue; // identical (NaN = NaN, ∞ = ∞, 0.0 = -0.0): error 0
            } else if (!Double.isFinite(got[i]) || !Double.isFinite(want[i])) {
                abs = Double.POSITIVE_INFINITY;
                rel = Double.POSITIVE_INFINITY;
            } else {
                abs = Math.abs(got[i] - want[i]);
                double s;
                switch (spec.mode()) {
                    case ELEMENTWISE: s = Math.abs(want[i]); break;
                    case NORMWISE: s = norm; break;
                    default: s = Math.max(Math.abs(want[i]), spec.magnitude()[i]); break;
                }
                rel = s > 0 ? abs / s : Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, abs);
            if (worst < 0 || rel > maxRel) {
                maxRel = rel;
                worst = i;
            }
        }
        return worst < 0 ? new ErrorStats(spec.name(), 0, 0, tol, -1, 0, 0)
                : new ErrorStats(spec.name(), maxAbs, maxRel, tol, worst, got[worst], want[worst]);
    }
}
