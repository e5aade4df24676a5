package org.gdchaos.analysis;

/**
 * Ordinary least-squares straight line {@code y ≈ slope·t + intercept} over a set of points.
 *
 * <p>With window means {@code t̄, ȳ} and centred sums
 * {@code Stt = Σ(t−t̄)²}, {@code Sty = Σ(t−t̄)(y−ȳ)}, {@code Syy = Σ(y−ȳ)²}:
 * <pre>
 *   slope     = Sty / Stt
 *   intercept = ȳ − slope·t̄
 *   SSres     = max(0, Syy − Sty²/Stt)
 *   R²        = Sty² / (Stt·Syy)        (= 1 − SSres/Syy);   R² = 1 when Syy = 0 (constant y)
 *   se(slope) = sqrt( SSres / (n−2) / Stt )   for n ≥ 3, NaN for n = 2
 * </pre>
 * The centred sums are accumulated with Welford's one-pass update (see {@link Accumulator}),
 * which stays accurate when the points sit far from the origin (e.g. t = 190..200 and
 * ln d ≈ 7.8 with fluctuations of 1e-3), where the textbook {@code Σt² − (Σt)²/n} form loses
 * most of its digits.
 *
 * @param slope     least-squares slope (exactly 0 when y is constant)
 * @param intercept value of the line at t = 0
 * @param r2        coefficient of determination in [0, 1]
 * @param slopeStdErr standard error of the slope, {@code >= 0}, NaN when n = 2
 * @param n         number of points, at least 2
 */
public record LinearFit(double slope, double intercept, double r2, double slopeStdErr, int n) {

    public LinearFit {
        if (n < 2) {
            throw new IllegalArgumentException("a line needs at least 2 points, got " + n);
        }
        if (!Double.isFinite(slope) || !Double.isFinite(intercept)) {
            throw new IllegalArgumentException("slope and intercept must be finite: " + slope + ", " + intercept);
        }
        if (!(r2 >= 0.0 && r2 <= 1.0)) {
            throw new IllegalArgumentException("R² must be in [0, 1], got " + r2);
        }
        if (n >= 3 && !(slopeStdErr >= 0.0)) {
            throw new IllegalArgumentException("slope standard error must be >= 0, got " + slopeStdErr);
        }
    }

    /** The fitted value {@code slope·t + intercept}. */
    public double at(double t) {
        return slope * t + intercept;
    }

    /** Fits all points; see {@link #fit(double[], double[], int, int)}. */
    public static LinearFit fit(double[] t, double[] y) {
        if (t.length != y.length) {
            throw new IllegalArgumentException("t and y differ in length: " + t.length + " vs " + y.length);
        }
        return fit(t, y, 0, t.length);
    }

    /**
     * Fits the points {@code from ≤ i < toExclusive}.
     *
     * @throws IllegalArgumentException when fewer than 2 points, a value is not finite, or all t
     *                                  are equal (the slope is undefined)
     */
    public static LinearFit fit(double[] t, double[] y, int from, int toExclusive) {
        if (t.length != y.length) {
            throw new IllegalArgumentException("t and y differ in length: " + t.length + " vs " + y.length);
        }
        if (from < 0 || toExclusive > t.length || toExclusive - from < 2) {
            throw new IllegalArgumentException("bad window [" + from + ", " + toExclusive + ") of " + t.length + " points");
        }
        Accumulator acc = new Accumulator();
        for (int i = from; i < toExclusive; i++) {
            acc.add(t[i], y[i]);
        }
        return acc.result();
    }

    /**
     * Streaming least-squares accumulator (Welford): after adding point {@code (t, y)} as the
     * n-th point, {@code δt = t − t̄_old}, {@code t̄ += δt/n}, {@code ȳ += δy/n},
     * {@code Stt += δt·(t − t̄_new)}, {@code Sty += δt·(y − ȳ_new)}, {@code Syy += δy·(y − ȳ_new)}.
     * Adding points one by one and reading {@link #result()} after each gives every window
     * that starts at a fixed point in O(1) per window.
     */
    public static final class Accumulator {
        private int n;
        private double meanT;
        private double meanY;
        private double stt;
        private double sty;
        private double syy;
        private double minY = Double.POSITIVE_INFINITY;
        private double maxY = Double.NEGATIVE_INFINITY;

        /** Adds one point; both coordinates must be finite. */
        public void add(double t, double y) {
            if (!Double.isFinite(t) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("non-finite point (" + t + ", " + y + ")");
            }
            n++;
            double dt = t - meanT;
            double dy = y - meanY;
            meanT += dt / n;
            meanY += dy / n;
            stt += dt * (t - meanT);
            sty += dt * (y - meanY);
            syy += dy * (y - meanY);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }

        /** Number of points added so far. */
        public int count() {
            return n;
        }

        /** The fit of all points added so far. */
        public LinearFit result() {
            if (n < 2) {
                throw new IllegalStateException("a line needs at least 2 points, have " + n);
            }
            if (!(stt > 0.0)) {
                throw new IllegalArgumentException("all t values are equal: the slope is undefined");
            }
            if (minY == maxY) {
                // exactly constant y: the flat line fits perfectly
                return new LinearFit(0.0, minY, 1.0, n >= 3 ? 0.0 : Double.NaN, n);
            }
            double slope = sty / stt;
            double intercept = meanY - slope * meanT;
            double ssRes = Math.max(0.0, syy - sty * sty / stt);
            double r2 = syy > 0.0 ? Math.min(1.0, Math.max(0.0, sty * sty / (stt * syy))) : 1.0;
            double se = n >= 3 ? Math.sqrt(ssRes / (n - 2) / stt) : Double.NaN;
            return new LinearFit(slope, intercept, r2, se, n);
        }
    }
}
