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

    /** Heavy ball: {@code m[k] = β·m[k] − lr·g[k]; w[k] += m[k]}. */
    static void momentum(double[] w, int wo, double[] g, int go, double[] m, int mo, double beta, double lr, int n) {
        for (int k = 0; k < n; k++) {
            double v = beta * m[mo + k] - lr * g[go + k];
            m[mo + k] = v;
            w[wo + k] += v;
        }
    }

    /** Nesterov: {@code m[k] = β·m[k] − lr·g[k]; w[k] += β·m[k] − lr·g[k]} (the new m). */
    static void nesterov(double[] w, int wo, double[] g, int go, double[] m, int mo, double beta, double lr, int n) {
        for (int k = 0; k < n; k++) {
            double step = lr * g[go + k];
            double v = beta * m[mo + k] - step;
            m[mo + k] = v;
            w[wo + k] += beta * v - step;
        }
    }

    /**
     * Adam: {@code m[k] = β1·m[k] + (1 − β1)·g[k]; s[k] = β2·s[k] + (1 − β2)·g[k]²;
     * w[k] −= lr·(c1·m[k])/(√(c2·s[k]) + ε)}.
     */
    static void adam(double[] w, int wo, double[] g, int go, double[] m, int mo, double[] s, int so, double b1,
                     double b2, double eps, double c1, double c2, double lr, int n) {
        double o1 = 1 - b1, o2 = 1 - b2;
        for (int k = 0; k < n; k++) {
            double gv = g[go + k];
            double mv = b1 * m[mo + k] + o1 * gv;
            double sv = b2 * s[so + k] + o2 * gv * gv;
            m[mo + k] = mv;
            s[so + k] = sv;
            w[wo + k] -= lr * (c1 * mv) / ((double) Math.sqrt(c2 * sv) + eps);
        }
    }

    /**
     * Adam's tangent step ({@link org.gdchaos.backend.Backend#adamTangent}) at the reference's
     * pre-update moments m, s and gradient g, with δg = hv: {@code m' = β1·m + (1 − β1)·g;
     * s' = β2·s + (1 − β2)·g²; r = √(c2·s'); d = r + ε; δm = β1·δm + (1 − β1)·δg;
     * δs = β2·δs + (1 − β2)·(2·g·δg); δr = c2·δs/(2r) (0 where r = 0); δw −= lr·(c1·(δm − m'·δr/d))/d}.
     */
    static void adamTangent(double[] dw, int wo, double[] dm, int mo, double[] ds, int so, double[] hv, int ho,
                            double[] g, int go, double[] m, int rmo, double[] s, int rso, double b1, double b2,
                            double eps, double c1, double c2, double lr, int n) {
        double o1 = 1 - b1, o2 = 1 - b2;
        for (int k = 0; k < n; k++) {
            double gv = g[go + k], dg = hv[ho + k];
            double mn = b1 * m[rmo + k] + o1 * gv;
            double sn = b2 * s[rso + k] + o2 * gv * gv;
            double r = (double) Math.sqrt(c2 * sn), d = r + eps;
            double dmv = b1 * dm[mo + k] + o1 * dg;
            double dsv = b2 * ds[so + k] + o2 * (2 * gv * dg);
            dm[mo + k] = dmv;
            ds[so + k] = dsv;
            double dr = r > 0 ? c2 * dsv / (2 * r) : 0;
            dw[wo + k] -= lr * (c1 * (dmv - mn * dr / d)) / d;
        }
    }

    /**
     * Adam's square-rooted preconditioner ({@link org.gdchaos.backend.Backend#adamPrecondition}):
     * {@code y[k] = x[k]·√(c1/(√(c2·s[k]) + ε))}; y may alias x.
     */
    static void adamPrecondition(double[] s, int so, double[] x, int xo, double[] y, int yo, double eps, double c1,
                                 double c2, int n) {
        for (int k = 0; k < n; k++) {
            double d = c1 / ((double) Math.sqrt(c2 * s[so + k]) + eps);
            y[yo + k] = x[xo + k] * (double) Math.sqrt(d);
        }
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
