package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a running sweep puts what it finds ({@link org.gdchaos.sweep.run.SweepRunner#run()}): the output folder
 * ({@link ResultStore}: results.csv, curves.csv, summary.csv, run.json) or memory
 * ({@link ResultCollector}: rows and curves as Java objects, nothing written).
 *
 * <p>The runner calls, in this order: {@link #previousRun()} and {@link #resumed} once (what an earlier
 * run left), {@link #started} once, then for each finished device batch {@link #append} followed by
 * {@link #progressed}, then {@link #rows()} and {@link #finished} once. The run.json trees it hands over
 * ({@code runInfo}) are the runner's record of the run (status {@code running}, then {@code complete}); a
 * sink that keeps no folder ignores them.
 */
public interface ResultSink extends AutoCloseable {
    /** The output folder this sink writes, or empty when it writes nothing. */
    Optional<Path> folder();

    /** The run.json an earlier run left for this sweep to resume (null when not resuming or none). */
    default ObjectNode previousRun() {
        return null;
    }

    /**
     * Repairs what an earlier run left (torn writes, cells with lost curves) and returns the keys
     * ({@link Cell#identity()}) of its finished cells, which this run skips; empty for a new sink.
     */
    default Set<Cell.Identity> resumed(SweepSpec spec) {
        return Set.of();
    }

    /** Non-fatal problems of the sink itself (a file system without locks). */
    default List<String> warnings() {
        return List.of();
    }

    /** What {@link #resumed} repaired beyond cutting torn tails (cells it dropped to run again). */
    default List<String> repairs() {
        return List.of();
    }

    /** The sweep is planned and starts: {@code runInfo} has status {@code running}. */
    default void started(ObjectNode runInfo) {
    }

    /** A finished device batch: one outcome per cell, in the batch's cell order. */
    void append(List<CellOutcome> outcomes);

    /** After each {@link #append}: the run's record with the cells and time so far. */
    default void progressed(ObjectNode runInfo) {
    }

    /** Every row the sink holds, in the order they arrived (with a resumed folder: the earlier ones first). */
    List<CellRow> rows();

    /** The sweep ended: its per-learning-rate summary of {@link #rows()}, and run.json with status {@code complete}. */
    default void finished(List<SummaryCsv.Row> summary, ObjectNode runInfo) {
    }

    /** Releases what the sink holds (a folder's lock); the default holds nothing. */
    @Override
    default void close() {
    }

    /**
     * A sink that hands every event to {@code primary} and to {@code copy}, and answers every question
     * ({@link #folder}, {@link #rows}, what an earlier run left) from {@code primary}: a folder that is
     * written while the outcomes are also kept in memory.
     */
    static ResultSink both(ResultSink primary, ResultSink copy) {
        return new ResultSink() {
            @Override
            public Optional<Path> folder() {
                return primary.folder();
            }

            @Override
            public ObjectNode previousRun() {
                return primary.previousRun();
            }

            @Override
            public Set<Cell.Identity> resumed(SweepSpec spec) {
                return primary.resumed(spec);
            }

            @Override
            public List<String> warnings() {
                return primary.warnings();
            }

            @Override
            public List<String> repairs() {
                return primary.repairs();
            }

            @Override
            public void started(ObjectNode runInfo) {
                primary.started(runInfo);
                copy.started(runInfo);
            }

            @Override
            public void append(List<CellOutcome> outcomes) {
                primary.append(outcomes); // the folder first: a failed write fails the batch before memory holds it
                copy.append(outcomes);
            }

            @Override
            public void progressed(ObjectNode runInfo) {
                primary.progressed(runInfo);
                copy.progressed(runInfo);
            }

            @Override
            public List<CellRow> rows() {
                return primary.rows();
            }

            @Override
            public void finished(List<SummaryCsv.Row> summary, ObjectNode runInfo) {
                primary.finished(summary, runInfo);
                copy.finished(summary, runInfo);
            }

            @Override
            public void close() {
                try {
                    copy.close();
                } finally {
                    primary.close();
                }
            }
        };
    }
}
