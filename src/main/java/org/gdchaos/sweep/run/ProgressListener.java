package org.gdchaos.sweep.run;

/** Progress of a sweep, reported by the core; the CLI draws it. Callbacks must be quick. */
public interface ProgressListener {
    /** Before the first batch: the plan and how many cells were already done (resume). */
    default void planned(Plan plan, int cellsAlreadyDone) {
    }

    /** After every training step of a batch: trajectory-steps done so far in this run, and the total. */
    default void advanced(long trajectoryStepsDone, long trajectoryStepsTotal) {
    }

    /** After a batch's rows are safely on disk. */
    default void batchDone(int batchIndex, int batches, int cellsInBatch) {
    }

    ProgressListener NONE = new ProgressListener() {
    };
}
