package org.gdchaos.hessian;

/** Host oracles of the two-layer scalar linear network (docs/science.md#linear-network): w = (a, b), m = aᵀb, L = ½(m − Φ)². */
final class LinearNet {
    private LinearNet() {
    }

    static double m(double[] w) {
        int d = w.length / 2;
        double s = 0;
        for (int i = 0; i < d; i++) s += w[i] * w[d + i];
        return s;
    }

    /** λ = ‖a‖² + ‖b‖². */
    static double lambda(double[] w) {
        double s = 0;
        for (double x : w) s += x * x;
        return s;
    }

    /** Q = ‖a‖² − ‖b‖². */
    static double q(double[] w) {
        int d = w.length / 2;
        double s = 0;
        for (int i = 0; i < d; i++) s += w[i] * w[i] - w[d + i] * w[d + i];
        return s;
    }

    /** P = λ² − 4m². */
    static double p(double[] w) {
        double l = lambda(w), m = m(w);
        return l * l - 4 * m * m;
    }

    /** Random start (a, b) ~ N(0, std²). */
    static double[] start(int d, double std, long seed) {
        return Fixtures.gaussian(2 * d, std, seed);
    }

    /** A global minimum: random a, b rescaled so that aᵀb = Φ. */
    static double[] minimum(int d, double phi, long seed) {
        double[] w = start(d, 1, seed);
        double s = phi / m(w);
        for (int i = d; i < 2 * d; i++) w[i] *= s;
        return w;
    }
}
