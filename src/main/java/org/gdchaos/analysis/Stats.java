package org.gdchaos.analysis;

import java.util.Arrays;

/**
 * Summary statistics over replicate values (e.g. λ₁ over initialisations of one learning rate).
 *
 * <p>{@link #summarize} ignores non-finite inputs (NaN, ±∞: diverged or unfitted cells) and
 * reports how many it ignored. Over the {@code n} remaining values {@code x_i}:
 * <pre>
 *   mean   x̄ = (1/n) Σ x_i
 *   sd     s = sqrt( Σ (x_i − x̄)² / (n − 1) )                (sample standard deviation, n ≥ 2)
 *   95% CI     x̄ ± t_{0.975, n−1} · s / √n                   (Student t, {@link StudentT})
 *   median     middle order statistic, mean of the two middle ones when n is even
 * </pre>
 * With n = 0 everything is NaN; with n = 1 the mean and median are the value and sd/CI are NaN.
 */
public final class Stats {

    private Stats() {
    }

    /**
     * The summary of a sample.
     *
     * @param n       values used (finite)
     * @param ignored non-finite values ignored
     * @param mean    arithmetic mean (NaN if n = 0)
     * @param sd      sample standard deviation with n − 1 (NaN if n &lt; 2)
     * @param ciLow   lower end of the 95% confidence interval of the mean (NaN if n &lt; 2)
     * @param ciHigh  upper end of the 95% confidence interval of the mean (NaN if n &lt; 2)
     * @param median  median of the used values (NaN if n = 0)
     * @param min     smallest used value (NaN if n = 0)
     * @param max     largest used value (NaN if n = 0)
     */
    public record Summary(int n, int ignored, double mean, double sd, double ciLow, double ciHigh,
                          double median, double min, double max) {
        public Summary {
            if (n < 0 || ignored < 0) {
                throw new IllegalArgumentException("counts must be >= 0: n=" + n + ", ignored=" + ignored);
            }
            if (n == 0 && !(Double.isNaN(mean) && Double.isNaN(median))) {
                throw new IllegalArgumentException("an empty sample has no mean or median");
            }
            if (n >= 1 && !(Double.isFinite(mean) && Double.isFinite(median) && min <= median && median <= max)) {
                throw new IllegalArgumentException("inconsistent summary: mean=" + mean + ", median=" + median
                    + ", min=" + min + ", max=" + max);
            }
            if (n >= 2 && !(sd >= 0.0 && ciLow <= mean && mean <= ciHigh)) {
                throw new IllegalArgumentException("inconsistent spread: sd=" + sd + ", ci=[" + ciLow + ", " + ciHigh + "]");
            }
        }

        /** Half-width of the 95% interval, {@code t_{0.975,n−1}·s/√n} (NaN if n &lt; 2). */
        public double ciHalfWidth() {
            return 0.5 * (ciHigh - ciLow);
        }
    }

    /** Summarises the finite values of {@code values}; see the class comment for the formulas. */
    public static Summary summarize(double[] values) {
        double[] x = Arrays.stream(values).filter(Double::isFinite).toArray();
        int n = x.length;
        int ignored = values.length - n;
        if (n == 0) {
            return new Summary(0, ignored, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = meanOf(x);
        Arrays.sort(x);
        double median = sortedMedian(x);
        if (n == 1) {
            return new Summary(1, ignored, mean, Double.NaN, Double.NaN, Double.NaN, median, x[0], x[0]);
        }
        double ss = 0.0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = StudentT.critical95(n - 1) * sd / Math.sqrt(n);
        return new Summary(n, ignored, mean, sd, mean - half, mean + half, median, x[0], x[n - 1]);
    }

    /** Mean of the finite values (NaN if there are none). */
    public static double mean(double[] values) {
        double[] x = Arrays.stream(values).filter(Double::isFinite).toArray();
        return x.length == 0 ? Double.NaN : meanOf(x);
    }

    /** Sample standard deviation (n − 1) of the finite values (NaN if fewer than 2). */
    public static double sampleSd(double[] values) {
        return summarize(values).sd();
    }

    /**
     * Median ignoring NaN only: infinities take part in the ordering, so a "never reached"
     * coded as {@code +∞} counts as larger than every finite value (the median of
     * {10, 20, +∞} is 20). Returns NaN if no non-NaN values remain (or the middle pair is −∞, +∞),
     * and may return ±∞.
     */
    public static double median(double[] values) {
        double[] x = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (x.length == 0) {
            return Double.NaN;
        }
        int m = x.length / 2;
        if (x.length % 2 == 1) {
            return x[m];
        }
        // 0.5a + 0.5b: no overflow for huge finite values; (−∞, +∞) gives NaN, (x, +∞) gives +∞
        return 0.5 * x[m - 1] + 0.5 * x[m];
    }

    /** Number of NaN values (what {@link #median} ignores). */
    public static int countNaN(double[] values) {
        int c = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                c++;
            }
        }
        return c;
    }

    private static double meanOf(double[] x) {
        // two-pass mean: correct the first estimate by the mean residual
        double s = 0.0;
        for (double v : x) {
            s += v;
        }
        double m = s / x.length;
        double r = 0.0;
        for (double v : x) {
            r += v - m;
        }
        return m + r / x.length;
    }

    private static double sortedMedian(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : 0.5 * sorted[m - 1] + 0.5 * sorted[m];
    }
}
