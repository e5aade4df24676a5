package org.gdchaos.analysis;

/**
 * Modified Gram–Schmidt orthonormalisation with one full reorthogonalisation pass
 * ("twice is enough"), on k host vectors of equal length n.
 *
 * <p>For j = 0..k−1, with {@code v = a_j}:
 * <pre>
 *   repeat 2 times:  for i = 0..j−1:  c = q_i·v;  v ← v − c·q_i;  R_ij += c
 *   R_jj = ‖v‖₂;   q_j = v / R_jj
 * </pre>
 * so {@code a_j = Σ_{i<j} R_ij q_i + R_jj q_j} ({@code A = Q·R}, R upper triangular with
 * {@code R_jj ≥ 0}). The second pass removes what rounding left after the first, keeping Q
 * orthonormal to machine precision even when the vectors are nearly parallel — the normal case
 * for replica differences after many chaotic steps. The diagonal {@code ln R_jj} is what the
 * Lyapunov-spectrum method accumulates ({@link Spectrum}).
 *
 * <p>A vector that is (numerically) in the span of the previous ones — exactly zero after the
 * projections — gets {@code R_jj = 0} and {@code q_j = 0} (no exception: the same convention
 * as the device-side version, which cannot throw). This is the reference the device-side
 * implementation is validated against.
 */
public final class GramSchmidt {

    /**
     * The factorisation {@code A = Q·R}.
     *
     * @param q     k orthonormal vectors (rows), each of length n; a zero row where {@code R_jj = 0}
     * @param r     the k×k upper-triangular R (row i, column j), {@code r[j][j] = rDiag[j]}
     * @param rDiag {@code R_jj ≥ 0}
     */
    public record Result(double[][] q, double[][] r, double[] rDiag) {
        public Result {
            if (q.length != rDiag.length || r.length != rDiag.length) {
                throw new IllegalArgumentException("Q, R and diag(R) must have k rows");
            }
            for (double d : rDiag) {
                if (!(d >= 0.0)) {
                    throw new IllegalArgumentException("R diagonal must be >= 0, got " + d);
                }
            }
        }

        /** {@code ln R_jj} for every j (−∞ where R_jj = 0). */
        public double[] logDiag() {
            double[] l = new double[rDiag.length];
            for (int j = 0; j < l.length; j++) {
                l[j] = Math.log(rDiag[j]);
            }
            return l;
        }
    }

    private GramSchmidt() {
    }

    /**
     * Orthonormalises the rows of {@code vectors} (not modified).
     *
     * @throws IllegalArgumentException when there are no vectors, lengths differ, or a value is not finite
     */
    public static Result orthonormalise(double[][] vectors) {
        int k = vectors.length;
        if (k == 0) {
            throw new IllegalArgumentException("need at least one vector");
        }
        int n = vectors[0].length;
        if (n == 0) {
            throw new IllegalArgumentException("vectors must not be empty");
        }
        double[][] q = new double[k][];
        double[][] r = new double[k][k];
        double[] diag = new double[k];
        for (int j = 0; j < k; j++) {
            if (vectors[j].length != n) {
                throw new IllegalArgumentException("vector " + j + " has length " + vectors[j].length + ", expected " + n);
            }
            double[] v = vectors[j].clone();
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("vector " + j + " has a non-finite entry");
                }
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double c = dot(q[i], v);
                    axpy(-c, q[i], v);
                    r[i][j] += c;
                }
            }
            double norm = norm2(v);
            diag[j] = norm;
            r[j][j] = norm;
            if (norm > 0.0) {
                double inv = 1.0 / norm;
                for (int e = 0; e < n; e++) {
                    v[e] *= inv;
                }
            } else {
                java.util.Arrays.fill(v, 0.0);
            }
            q[j] = v;
        }
        return new Result(q, r, diag);
    }

    /** {@code Σ a_e·b_e}. */
    static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int e = 0; e < a.length; e++) {
            s += a[e] * b[e];
        }
        return s;
    }

    /** {@code y ← y + alpha·x}. */
    static void axpy(double alpha, double[] x, double[] y) {
        for (int e = 0; e < x.length; e++) {
            y[e] += alpha * x[e];
        }
    }

    /** Euclidean norm, scaled to avoid overflow and underflow: {@code ‖v‖ = m·sqrt(Σ (v_e/m)²)}, m = max|v_e|. */
    static double norm2(double[] v) {
        double m = 0.0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        if (m == 0.0) {
            return 0.0;
        }
        double s = 0.0;
        for (double x : v) {
            double y = x / m;
            s += y * y;
        }
        return m * Math.sqrt(s);
    }
}
