package org.gdchaos.hessian;

import java.util.Arrays;

/**
 * Eigenvalues of a real symmetric tridiagonal matrix T (diagonal d_0..d_{n−1}, off-diagonal
 * o_0..o_{n−2}) with the <em>last components</em> of its unit eigenvectors, by the implicit QL
 * algorithm with Wilkinson shifts (EISPACK tql2 / JAMA), accumulating only the last row of the
 * eigenvector matrix (O(n²) instead of O(n³)). For Lanczos, the residual of Ritz pair i is
 * {@code ‖H·y_i − θ_i·y_i‖ = |β_n·s_{n−1,i}|}.
 */
public final class Tridiagonal {
    /** Safety cap on QL iterations per eigenvalue. */
    static final int MAX_SWEEPS = 60;

    private Tridiagonal() {
    }

    /**
     * @return {@code [0]} eigenvalues sorted descending, {@code [1]} the matching last
     *         components of the unit eigenvectors; NaN everywhere if an input is not finite or
     *         the iteration fails to converge
     */
    public static double[][] eigen(double[] diag, double[] off, int n) {
        double[] d = Arrays.copyOf(diag, n);
        double[] e = new double[n];
        for (int i = 0; i + 1 < n; i++) e[i] = off[i];
        double[] z = new double[n];
        z[n - 1] = 1;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(d[i]) || !Double.isFinite(e[i])) return nan(n);
        }
        double f = 0, tst1 = 0, eps = 0x1p-52;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > MAX_SWEEPS) return nan(n);
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.hypot(p, 1.0);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = c, c3 = c, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        double zh = z[i + 1];
                        z[i + 1] = s * z[i] + c * zh;
                        z[i] = c * z[i] - s * zh;
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(d[b], d[a]));
        double[][] out = new double[2][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = d[idx[i]];
            out[1][i] = z[idx[i]];
        }
        return out;
    }

    private static double[][] nan(int n) {
        double[][] out = new double[2][n];
        Arrays.fill(out[0], Double.NaN);
        Arrays.fill(out[1], Double.NaN);
        return out;
    }
}
