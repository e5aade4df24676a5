package org.gdchaos.analysis;

/**
 * Which renormalisation intervals enter a Lyapunov estimate, and how many steps they cover — the
 * one rule shared by {@link RunningExponent}, {@link Spectrum} and the device trackers.
 *
 * <p>The vectors are set to size δ0 (or orthonormalised) at the start step {@code s_0} and again at
 * every renormalisation step {@code s_j}. The interval {@code (s_{j−1}, s_j]} counts when it starts
 * at or after the transient, {@code s_{j−1} ≥ transientSteps}, so no transient step enters the sum
 * even when the transient is not a multiple of the renormalisation period; the estimate is
 * <pre>
 *   λ ≈ Σ_counted ln(growth over the interval) / Σ_counted (s_j − s_{j−1})
 * </pre>
 * i.e. the denominator is {@link #countedSteps()}, the steps the counted intervals cover.
 */
public final class RenormIntervals {
    private final long transientSteps;
    private long lastStep;
    private long countedSteps;
    private int counted;

    /**
     * @param transientSteps steps discarded at the start (≥ 0)
     * @param startStep      step at which the vectors were first set (≥ 0)
     */
    public RenormIntervals(long transientSteps, long startStep) {
        if (transientSteps < 0 || startStep < 0) {
            throw new IllegalArgumentException("transient and start step must be >= 0");
        }
        this.transientSteps = transientSteps;
        this.lastStep = startStep;
    }

    /**
     * Ends the interval at the renormalisation at {@code step}: returns whether it counts (then its
     * length is added to {@link #countedSteps()}); the next interval starts at {@code step}.
     *
     * @throws IllegalArgumentException when {@code step} does not exceed the previous renormalisation
     */
    public boolean close(long step) {
        checkStep(step);
        boolean counts = lastStep >= transientSteps;
        if (counts) {
            countedSteps += step - lastStep;
            counted++;
        }
        lastStep = step;
        return counts;
    }

    /** @throws IllegalArgumentException when {@code step} does not exceed the previous renormalisation */
    public void checkStep(long step) {
        if (step <= lastStep) {
            throw new IllegalArgumentException("renormalisation steps must increase: " + step + " after " + lastStep);
        }
    }

    /** Steps covered by the counted intervals (the denominator of the estimate). */
    public long countedSteps() {
        return countedSteps;
    }

    /** Number of counted intervals. */
    public int countedIntervals() {
        return counted;
    }

    /** Step of the last renormalisation (the start step before the first). */
    public long lastStep() {
        return lastStep;
    }
}
