package org.gdchaos.backend.java;

/**
 * Row-wise loss kernels on heap arrays, f64 and f32: value + gradient, Hessian-vector product
 * and arg-max agreement over {@code rows} consecutive rows of {@code cols} elements.
 * Cross-entropy uses the max shift {@code m = max_j z_j}:
 * <pre>
 *   e_j = exp(z_j − m),  S = Σ_j e_j,  p_j = e_j / S,  s = Σ_j y_j
 *   ℓ = s·ln S − Σ_j y_j·(z_j − m)          (= −Σ_j y_j·log p_j)
 *   ∂ℓ/∂z_j = p_j·s − y_j
 * </pre>
 * MSE: {@code ℓ = ½Σ_j (z_j − y_j)²}, gradient {@code z − y}. Sums (S, s, ℓ) accumulate in
 * double for both types. The gradient may be written in place over z: every z_j is read
 * before its slot is written.
 *
 * <p>Unlike the element-wise kernels ({@link ActivationKernelsF64}, {@link VectorMapsF64}), the
 * f32 methods are not the f64 code with another element type: they widen to double at chosen
 * points and fold {@code s/S} into one float factor, so they are written out here rather than
 * generated (a change to one half must be made to the other by hand; the conformance suite
 * checks both against the reference backend).
 */
final class LossKernels {
    private LossKernels() {
    }

    // ------------------------------------------------------------------ f64

    /** Writes {@code g = scale·∂ℓ/∂z} for each row and returns {@code Σ_rows ℓ} (unscaled). */
    static double crossEntropy(double[] z, int zo, double[] y, int yo, double scale, double[] g, int go,
                               int rows, int cols) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * cols, yr = yo + r * cols, gr = go + r * cols;
            double m = z[zr];
            for (int j = 1; j < cols; j++) if (z[zr + j] > m) m = z[zr + j];
            double se = 0, yz = 0, sy = 0;
            for (int j = 0; j < cols; j++) {
                double zj = z[zr + j], yj = y[yr + j];
                double e = Math.exp(zj - m);
                se += e;
                yz += yj * (zj - m);
                sy += yj;
                g[gr + j] = e; // z[zr + j] already read (g may alias z)
            }
            loss += sy * Math.log(se) - yz;
            double inv = 1.0 / se;
            for (int j = 0; j < cols; j++) g[gr + j] = scale * (g[gr + j] * inv * sy - y[yr + j]);
        }
        return loss;
    }

    /** Writes {@code g = scale·(z − y)} and returns {@code Σ_rows ½Σ_j (z_j − y_j)²}. */
    static double mse(double[] z, int zo, double[] y, int yo, double scale, double[] g, int go, int count) {
        double s0 = 0, s1 = 0;
        int i = 0;
        for (int bound = count & ~1; i < bound; i += 2) {
            double d0 = z[zo + i] - y[yo + i];
            double d1 = z[zo + i + 1] - y[yo + i + 1];
            s0 += d0 * d0;
            s1 += d1 * d1;
            g[go + i] = scale * d0;
            g[go + i + 1] = scale * d1;
        }
        for (; i < count; i++) {
            double d = z[zo + i] - y[yo + i];
            s0 += d * d;
            g[go + i] = scale * d;
        }
        return 0.5 * (s0 + s1);
    }

    /** Cross-entropy {@code hv = scale·s·(p ⊙ v − p·(p·v))} per row; hv may alias v. */
    static void crossEntropyHv(double[] z, int zo, double[] y, int yo, double[] v, int vo, double scale,
                               double[] hv, int ho, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * cols, yr = yo + r * cols, vr = vo + r * cols, hr = ho + r * cols;
            double m = z[zr];
            for (int j = 1; j < cols; j++) if (z[zr + j] > m) m = z[zr + j];
            double se = 0, sy = 0, ev = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp(z[zr + j] - m);
                se += e;
                sy += y[yr + j];
                ev += e * v[vr + j];
            }
            double inv = 1.0 / se;
            double pv = ev * inv;
            double c = scale * sy;
            for (int j = 0; j < cols; j++) {
                double p = Math.exp(z[zr + j] - m) * inv;
                hv[hr + j] = c * (p * v[vr + j] - p * pv);
            }
        }
    }

    /** Number of rows whose first arg-max of z equals the first arg-max of y. */
    static int countCorrect(double[] z, int zo, double[] y, int yo, int rows, int cols) {
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * cols, yr = yo + r * cols;
            int az = 0, ay = 0;
            double bz = z[zr], by = y[yr];
            for (int j = 1; j < cols; j++) {
                if (z[zr + j] > bz) { bz = z[zr + j]; az = j; }
                if (y[yr + j] > by) { by = y[yr + j]; ay = j; }
            }
            if (az == ay) correct++;
        }
        return correct;
    }

    // ------------------------------------------------------------------ f32

    static double crossEntropy(float[] z, int zo, float[] y, int yo, double scale, float[] g, int go,
                               int rows, int cols) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * cols, yr = yo + r * cols, gr = go + r * cols;
            float m = z[zr];
            for (int j = 1; j < cols; j++) if (z[zr + j] > m) m = z[zr + j];
            double se = 0, yz = 0, sy = 0;
            for (int j = 0; j < cols; j++) {
                float zj = z[zr + j], yj = y[yr + j];
                float e = (float) Math.exp(zj - m);
                se += e;
                yz += yj * (double) (zj - m);
                sy += yj;
                g[gr + j] = e;
            }
            loss += sy * Math.log(se) - yz;
            float k = (float) (sy / se);
            float sc = (float) scale;
            for (int j = 0; j < cols; j++) g[gr + j] = sc * (g[gr + j] * k - y[yr + j]);
        }
        return loss;
    }

    static double mse(float[] z, int zo, float[] y, int yo, double scale, float[] g, int go, int count) {
        double s0 = 0, s1 = 0;
        float sc = (float) scale;
        int i = 0;
        for (int bound = count & ~1; i < bound; i += 2) {
            float d0 = z[zo + i] - y[yo + i];
            float d1 = z[zo + i + 1] - y[yo + i + 1];
            s0 += (double) d0 * d0;
            s1 += (double) d1 * d1;
            g[go + i] = sc * d0;
            g[go + i + 1] = sc * d1;
        }
        for (; i < count; i++) {
            float d = z[zo + i] - y[yo + i];
            s0 += (double) d * d;
            g[go + i] = sc * d;
        }
        return 0.5 * (s0 + s1);
    }

    static void crossEntropyHv(float[] z, int zo, float[] y, int yo, float[] v, int vo, double scale,
                               float[] hv, int ho, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * cols, yr = yo + r * cols, vr = vo + r * cols, hr = ho + r * cols;
            float m = z[zr];
            for (int j = 1; j < cols; j++) if (z[zr + j] > m) m = z[zr + j];
            double se = 0, sy = 0, ev = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(z[zr + j] - m);
                se += e;
                sy += y[yr + j];
                ev += (double) e * v[vr + j];
            }
            double inv = 1.0 / se;
            float pv = (float) (ev * inv);
            float c = (float) (scale * sy);
            float finv = (float) inv;
            for (int j = 0; j < cols; j++) {
                float p = (float) Math.exp(z[zr + j] - m) * finv;
                hv[hr + j] = c * (p * v[vr + j] - p * pv);
            }
        }
    }

    static int countCorrect(float[] z, int zo, float[] y, int yo, int rows, int cols) {
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * cols, yr = yo + r * cols;
            int az = 0, ay = 0;
            float bz = z[zr], by = y[yr];
            for (int j = 1; j < cols; j++) {
                if (z[zr + j] > bz) { bz = z[zr + j]; az = j; }
                if (y[yr + j] > by) { by = y[yr + j]; ay = j; }
            }
            if (az == ay) correct++;
        }
        return correct;
    }
}
