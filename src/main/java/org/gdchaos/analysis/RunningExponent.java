package org.gdchaos.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benettin accumulation of the maximum Lyapunov exponent from host scalars.
 *
 * <p>The replica starts at distance δ0 from the reference at step {@code s_0} (the start step).
 * At each renormalisation step {@code s_j} the caller measures the distance {@code d_j} (before
 * pulling the replica back to {@code ref + δ0·(rep − ref)/d_j}) and calls {@link #add}. The
 * interval {@code (s_{j−1}, s_j]} counts when it lies after the transient,
 * {@code s_{j−1} ≥ transientSteps} ({@link RenormIntervals}); then
 * <pre>
 *   λ₁ ≈ Σ_counted ln(d_j/δ0) / Σ_counted (s_j − s_{j−1})
 * </pre>
 * (natural log per step). After every counted renormalisation the running estimate is
 * appended to {@link #history()} — its convergence is what users look at first.
 *
 * <p>A distance that is not finite (diverged) or is 0 (the replica collapsed onto the reference:
 * contraction below what δ0 and the dtype resolve) ends the accumulation: {@link #estimate()}
 * is NaN from then on, {@link #failure()} says why, the history before it is kept, and later
 * calls are ignored.
 */
public final class RunningExponent {

    /** One point of the convergence history: the estimate after the renormalisation at {@code step}. */
    public record Point(long step, double lambda) {
        public Point {
            if (step < 0 || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("bad history point: step " + step + ", lambda " + lambda);
            }
        }
    }

    private final double lnDelta0;
    private final RenormIntervals intervals;
    private final List<Point> history = new ArrayList<>();
    private double sumLog;
    private int renormalisations;
    private String failure;

    /**
     * @param delta0         the renormalised distance δ0 &gt; 0
     * @param transientSteps steps discarded at the start (≥ 0)
     * @param startStep      the step at which the replica was placed at distance δ0 (≥ 0)
     */
    public RunningExponent(double delta0, long transientSteps, long startStep) {
        if (!(delta0 > 0.0) || Double.isInfinite(delta0)) {
            throw new IllegalArgumentException("delta0 must be finite and > 0, got " + delta0);
        }
        this.intervals = new RenormIntervals(transientSteps, startStep);
        this.lnDelta0 = Math.log(delta0);
    }

    /** Starts at step 0. */
    public RunningExponent(double delta0, long transientSteps) {
        this(delta0, transientSteps, 0);
    }

    /**
     * Records the distance {@code d} measured at renormalisation step {@code step}.
     *
     * @throws IllegalArgumentException when {@code step} does not exceed the previous step
     */
    public void add(long step, double d) {
        if (failure != null) {
            return;
        }
        checkStep(step);
        if (!(d > 0.0) || Double.isInfinite(d)) {
            failure = (d == 0.0 ? "replica collapsed onto the reference (d = 0)" : "distance is not finite (" + d + ")")
                + " at step " + step;
            return;
        }
        accept(step, Math.log(d) - lnDelta0);
    }

    /** Records {@code ln(d/δ0)} directly (as computed on a device); non-finite values fail as in {@link #add}. */
    public void addLogRatio(long step, double lnRatio) {
        if (failure != null) {
            return;
        }
        checkStep(step);
        if (!Double.isFinite(lnRatio)) {
            failure = "ln(d/δ0) is not finite (" + lnRatio + ") at step " + step;
            return;
        }
        accept(step, lnRatio);
    }

    private void checkStep(long step) {
        intervals.checkStep(step);
    }

    private void accept(long step, double lnRatio) {
        renormalisations++;
        if (intervals.close(step)) {
            sumLog += lnRatio;
            history.add(new Point(step, sumLog / intervals.countedSteps()));
        }
    }

    /** The current estimate of λ₁; NaN before the first counted interval or after a failure. */
    public double estimate() {
        return failure != null || intervals.countedSteps() == 0 ? Double.NaN : sumLog / intervals.countedSteps();
    }

    /** Steps in counted intervals (the denominator). */
    public long countedSteps() {
        return intervals.countedSteps();
    }

    /** Renormalisations that entered the sum. */
    public int countedRenormalisations() {
        return intervals.countedIntervals();
    }

    /** All accepted renormalisations, transient included. */
    public int renormalisations() {
        return renormalisations;
    }

    /** The running estimate after every counted renormalisation (unmodifiable). */
    public List<Point> history() {
        return Collections.unmodifiableList(history);
    }

    /** Why the accumulation stopped, or null while it is healthy. */
    public String failure() {
        return failure;
    }
}
