package org.gdchaos.api;

/**
 * Progress of a running sweep, called on the thread that runs it; callbacks must be quick.
 * A lambda receives the step counts:
 * <pre>{@code
 * sweep.on(backend).progress((done, total) -> System.err.printf("\r%3.0f%%", 100.0 * done / total)).run();
 * }</pre>
 */
@FunctionalInterface
public interface SweepProgress {
    /**
     * After every training step of a device batch: trajectory-steps done so far in this run and the
     * total this run will do (cells to run × trajectories per cell × steps).
     */
    void advanced(long trajectoryStepsDone, long trajectoryStepsTotal);

    /** Before the first batch: cells to run, cells found done (resume) and device batches planned. */
    default void planned(int cellsToRun, int cellsAlreadyDone, int batches) {
    }

    /** After a batch of cells has finished (and, when writing, is on disk). */
    default void batchDone(int batchIndex, int batches, int cellsInBatch) {
    }

    /** Reports nothing. */
    SweepProgress NONE = (done, total) -> { };
}
