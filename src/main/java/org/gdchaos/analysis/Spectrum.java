package org.gdchaos.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Accumulates k Lyapunov exponents from the QR (Gram–Schmidt) renormalisations of k
 * difference (or tangent) vectors, and computes the Kaplan–Yorke dimension.
 *
 * <p>At renormalisation step {@code s_j} the caller orthonormalises the k vectors, which were
 * set to {@code δ0·Q} at the previous renormalisation ({@link GramSchmidt}), and passes the
 * diagonal {@code R_ii}. Intervals {@code (s_{j−1}, s_j]} with {@code s_{j−1} ≥ transientSteps}
 * count ({@link RenormIntervals}):
 * <pre>
 *   λ_i ≈ Σ_counted ln(R_ii/δ0) / Σ_counted (s_j − s_{j−1})      i = 1..k, in QR order
 * </pre>
 * For tangent vectors (Jacobian products, no finite size) use δ0 = 1. {@link #sortedExponents()}
 * sorts them in descending order; the history keeps the sorted estimate after every counted
 * renormalisation. A zero or non-finite {@code R_ii} (diverged, or vectors collapsed) ends the
 * accumulation as in {@link RunningExponent}.
 */
public final class Spectrum {

    /** The sorted (descending) exponents after the renormalisation at {@code step}. */
    public record Point(long step, double[] exponents) {
        public Point {
            if (step < 0 || exponents.length == 0) {
                throw new IllegalArgumentException("bad history point at step " + step);
            }
            exponents = exponents.clone();
        }

        @Override
        public double[] exponents() {
            return exponents.clone();
        }
    }

    private final int k;
    private final double lnDelta0;
    private final RenormIntervals intervals;
    private final double[] sumLog;
    private final List<Point> history = new ArrayList<>();
    private String failure;

    /**
     * @param k              number of exponents (≥ 1)
     * @param delta0         the renormalised size δ0 &gt; 0 (1 for tangent vectors)
     * @param transientSteps steps discarded at the start (≥ 0)
     * @param startStep      step at which the vectors were set to δ0·Q (≥ 0)
     */
    public Spectrum(int k, double delta0, long transientSteps, long startStep) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (!(delta0 > 0.0) || Double.isInfinite(delta0)) {
            throw new IllegalArgumentException("delta0 must be finite and > 0, got " + delta0);
        }
        this.intervals = new RenormIntervals(transientSteps, startStep);
        this.k = k;
        this.lnDelta0 = Math.log(delta0);
        this.sumLog = new double[k];
    }

    /** Starts at step 0. */
    public Spectrum(int k, double delta0, long transientSteps) {
        this(k, delta0, transientSteps, 0);
    }

    /**
     * Records the diagonal of R from the renormalisation at {@code step}.
     *
     * @throws IllegalArgumentException when the length is not k or the step does not increase
     */
    public void add(long step, double[] rDiag) {
        if (rDiag.length != k) {
            throw new IllegalArgumentException("expected " + k + " diagonal entries, got " + rDiag.length);
        }
        if (failure != null) {
            return;
        }
        intervals.checkStep(step);
        for (int i = 0; i < k; i++) {
            double r = Math.abs(rDiag[i]);
            if (!(r > 0.0) || Double.isInfinite(r)) {
                failure = "R[" + i + "][" + i + "] = " + rDiag[i] + " at step " + step
                    + (r == 0.0 ? " (vectors collapsed)" : " (diverged)");
                return;
            }
        }
        if (intervals.close(step)) {
            for (int i = 0; i < k; i++) {
                sumLog[i] += Math.log(Math.abs(rDiag[i])) - lnDelta0;
            }
            history.add(new Point(step, sortedExponents()));
        }
    }

    /** The exponents in QR order; NaN before the first counted interval or after a failure. */
    public double[] exponents() {
        double[] l = new double[k];
        for (int i = 0; i < k; i++) {
            l[i] = failure != null || intervals.countedSteps() == 0 ? Double.NaN : sumLog[i] / intervals.countedSteps();
        }
        return l;
    }

    /** The exponents sorted in descending order (NaN entries if there is no estimate). */
    public double[] sortedExponents() {
        double[] l = exponents();
        Arrays.sort(l);
        for (int i = 0, j = k - 1; i < j; i++, j--) {
            double tmp = l[i];
            l[i] = l[j];
            l[j] = tmp;
        }
        return l;
    }

    /** The Kaplan–Yorke dimension of the current estimate (NaN if there is none). */
    public double kaplanYorke() {
        double[] l = sortedExponents();
        return Double.isNaN(l[0]) ? Double.NaN : kaplanYorke(l);
    }

    /** Steps in counted intervals. */
    public long countedSteps() {
        return intervals.countedSteps();
    }

    /** The sorted estimate after every counted renormalisation (unmodifiable). */
    public List<Point> history() {
        return Collections.unmodifiableList(history);
    }

    /** Why the accumulation stopped, or null while it is healthy. */
    public String failure() {
        return failure;
    }

    /**
     * Kaplan–Yorke (Lyapunov) dimension of exponents sorted in descending order:
     * <pre>
     *   S_j = Σ_{i=1..j} λ_i,   j = the largest index with S_j ≥ 0
     *   D_KY = j + S_j / |λ_{j+1}|     (0 when λ_1 &lt; 0;  k when S_k ≥ 0)
     * </pre>
     * When {@code S_k ≥ 0} the true dimension may exceed k (more exponents needed); k is a
     * lower bound.
     *
     * @throws IllegalArgumentException when empty, not finite, or not sorted descending
     */
    public static double kaplanYorke(double[] sortedDescending) {
        int k = sortedDescending.length;
        if (k == 0) {
            throw new IllegalArgumentException("no exponents");
        }
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(sortedDescending[i])) {
                throw new IllegalArgumentException("exponent " + i + " is not finite: " + sortedDescending[i]);
            }
            if (i > 0 && sortedDescending[i] > sortedDescending[i - 1]) {
                throw new IllegalArgumentException("exponents must be sorted in descending order");
            }
        }
        double s = 0.0;
        for (int j = 0; j < k; j++) {
            double next = s + sortedDescending[j];
            if (next < 0.0) {
                return j + s / Math.abs(sortedDescending[j]);
            }
            s = next;
        }
        return k;
    }
}
