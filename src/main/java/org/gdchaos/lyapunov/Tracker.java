package org.gdchaos.lyapunov;

import java.util.List;

/**
 * Measures Lyapunov exponents of a batch of cells while a trainer advances them. The caller
 * sets every cell's reference parameters (member 0, see {@link CellLayout}), then calls
 * {@link #start}, then in every training step {@link #beforeUpdate} between the gradient and the
 * update and {@link #afterStep} after the update, reads the results, and
 * finally closes the tracker (try-with-resources): {@link #close} releases every device buffer
 * the tracker allocated (never the ensemble's, which the caller owns).
 */
public interface Tracker extends AutoCloseable {
    /**
     * Places members 1..R−1 of every cell around its reference (from the cell's perturbation
     * stream) and records the state at step 0.
     *
     * @param seed       sweep seed
     * @param initIndex  initialisation index of each cell (for the perturbation streams)
     */
    void start(long seed, int[] initIndex);

    /**
     * Runs during training step {@code step} (1, 2, …) between the trainer's gradient and its
     * update ({@link org.gdchaos.train.Trainer#computeGradient}, then this, then
     * {@link org.gdchaos.train.Trainer#applyUpdate}, then {@link #afterStep}): the parameters are
     * still those of step − 1 and diverged trajectories are already frozen. For trackers that
     * need the pre-update point ({@link TangentTracker}); by default nothing.
     */
    default void beforeUpdate(int step) {
    }

    /** Measures (and, for renormalising methods, resets the replicas) after {@code step} steps. */
    void afterStep(int step);

    /** Names of the per-step curves this tracker records. */
    List<String> curveNames();

    /** Result of cell c; {@code diverged} cells get NaN exponents. */
    CellResult result(int c, boolean diverged);

    /**
     * Releases the device buffers this tracker allocated; {@link #result} stays usable (results
     * live on the host), {@link #start} and {@link #afterStep} do not. Throws no checked exception.
     */
    @Override
    void close();
}
