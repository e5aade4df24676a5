package org.gdchaos.backend.java;

/**
 * Per-trajectory element-wise kernels on contiguous ranges of heap arrays: update, axpby, scale
 * and non-finite detection. Maps are plain loops (the JIT vectorises them); the non-finite check
 * sums {@code v − v} in four independent accumulators of the element type (NaN exactly when some
 * v is NaN or infinite).
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class VectorMapsF64 {
    private VectorMapsF64() {
    }

    /** {@code w[k] -= lr·g[k]}. */
    static void update(double[] w, int wo, double[] g, int go, double lr, int n) {
        for (int k = 0; k < n; k++) w[wo + k] -= lr * g[go + k];
    }

    /** {@code y[k] = alpha·x[k] + beta·y[k]}. */
    static void axpby(double alpha, double[] x, int xo, double beta, double[] y, int yo, int n) {
        for (int k = 0; k < n; k++) y[yo + k] = alpha * x[xo + k] + beta * y[yo + k];
    }

    /** {@code y[k] *= s}. */
    static void scale(double s, double[] y, int yo, int n) {
        for (int k = 0; k < n; k++) y[yo + k] *= s;
    }

    /** Whether any of x[xo .. xo+n) is NaN or infinite ({@code v − v} is NaN exactly then). */
    static boolean anyNonFinite(double[] x, int xo, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (int bound = n & ~3; k < bound; k += 4) {
            double a = x[xo + k], b = x[xo + k + 1], c = x[xo + k + 2], d = x[xo + k + 3];
            s0 += a - a; s1 += b - b; s2 += c - c; s3 += d - d;
        }
        for (; k < n; k++) s0 += x[xo + k] - x[xo + k];
        return !((s0 + s1) + (s2 + s3) == 0);
    }
}
