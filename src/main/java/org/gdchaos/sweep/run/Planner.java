package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;

import org.gdchaos.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.train.BatchedNetwork;
import org.gdchaos.train.NetworkOps;
import org.gdchaos.train.Tunables;

/**
 * Packs cells into device batches that fit in memory. A trajectory needs
 * {@code (2·P + chunk·(Σ_l w_l + 2·max_l w_l))·bytes} (parameters, gradients, activations and
 * deltas of one chunk); the data sets are resident once. A method or measurement may need more
 * ({@link ExtraMemory}): elements per cell (tangent vectors and their Hessian workspace) and a
 * fixed reservation per batch (the sharpness meter). A batch holds as many whole cells (R
 * trajectories each, plus the per-cell extra) as fit in {@link #MEMORY_FRACTION} of the
 * backend's memory after the data and the reservation, capped by {@code --max-batch}.
 */
public final class Planner {
    /** Fraction of the reported device memory a batch may plan for. */
    public static final double MEMORY_FRACTION = 0.7;

    private Planner() {
    }

    /**
     * What to plan, by name: {@code Planner.Request.builder(cells, model).trajectoriesPerCell(R)
     * .rowsPerStep(N).dataElements(E).elementBytes(8).memoryBytes(M).build()}.
     *
     * @param cells               cells to run
     * @param trajectoriesPerCell trajectories per cell R (the reference and its replicas, or the tangent cell's one)
     * @param model               network
     * @param rowsPerStep         samples per step (N or the minibatch size)
     * @param dataElements        elements of the resident data (train + test, inputs + targets)
     * @param elementBytes        4 or 8
     * @param memoryBytes         device memory available
     * @param maxTrajectories     at most this many trajectories per batch (0 = no cap)
     * @param extra               the method's and the measurements' extra memory ({@link ExtraMemory#NONE} if none)
     */
    public record Request(List<Cell> cells, int trajectoriesPerCell, ModelSpec model, int rowsPerStep,
                          long dataElements, int elementBytes, long memoryBytes, int maxTrajectories,
                          ExtraMemory extra) {
        public Request {
            java.util.Objects.requireNonNull(cells, "cells");
            java.util.Objects.requireNonNull(model, "model");
            if (extra == null) extra = ExtraMemory.NONE;
            if (trajectoriesPerCell < 1) {
                throw new IllegalArgumentException("trajectoriesPerCell " + trajectoriesPerCell);
            }
            if (rowsPerStep < 1) throw new IllegalArgumentException("rowsPerStep " + rowsPerStep);
            if (elementBytes != 4 && elementBytes != 8) {
                throw new IllegalArgumentException("elementBytes " + elementBytes);
            }
            if (dataElements < 0 || memoryBytes < 0 || maxTrajectories < 0) {
                throw new IllegalArgumentException("negative size: data " + dataElements + ", memory " + memoryBytes
                        + ", max trajectories " + maxTrajectories);
            }
            cells = List.copyOf(cells);
        }

        /**
         * A builder for {@code cells} of {@code model}; set the rest by name (defaults: 1 trajectory
         * per cell, no cap, no extra memory).
         */
        public static Builder builder(List<Cell> cells, ModelSpec model) {
            return new Builder(cells, model);
        }

        /** Named construction of a {@link Request}. */
        public static final class Builder {
            private final List<Cell> cells;
            private final ModelSpec model;
            private int trajectoriesPerCell = 1;
            private int rowsPerStep;
            private long dataElements;
            private int elementBytes;
            private long memoryBytes;
            private int maxTrajectories;
            private ExtraMemory extra = ExtraMemory.NONE;

            private Builder(List<Cell> cells, ModelSpec model) {
                this.cells = cells;
                this.model = model;
            }

            /** Trajectories per cell R. */
            public Builder trajectoriesPerCell(int v) { trajectoriesPerCell = v; return this; }

            /** Samples per step (N or the minibatch size). */
            public Builder rowsPerStep(int v) { rowsPerStep = v; return this; }

            /** Elements of the resident data (train + test, inputs + targets). */
            public Builder dataElements(long v) { dataElements = v; return this; }

            /** Bytes per element: 4 (f32) or 8 (f64). */
            public Builder elementBytes(int v) { elementBytes = v; return this; }

            /** Device memory available. */
            public Builder memoryBytes(long v) { memoryBytes = v; return this; }

            /** At most this many trajectories per batch (0 = no cap). */
            public Builder maxTrajectories(int v) { maxTrajectories = v; return this; }

            /** The method's and the measurements' extra memory. */
            public Builder extra(ExtraMemory v) { extra = v; return this; }

            public Request build() {
                return new Request(cells, trajectoriesPerCell, model, rowsPerStep, dataElements, elementBytes,
                        memoryBytes, maxTrajectories, extra);
            }
        }
    }

    /**
     * Packs {@code r}'s cells into batches.
     *
     * @throws IllegalArgumentException when not even one cell fits, or the cap is below one cell
     */
    public static Plan plan(Request r) {
        List<Cell> cells = r.cells();
        int perCell = r.trajectoriesPerCell();
        ModelSpec model = r.model();
        int rowsPerStep = r.rowsPerStep();
        long dataElements = r.dataElements();
        int elementBytes = r.elementBytes();
        long memoryBytes = r.memoryBytes();
        int maxTrajectories = r.maxTrajectories();
        ExtraMemory extra = r.extra();
        if (maxTrajectories > 0 && maxTrajectories < perCell) {
            throw new InputException("maxBatch", "a batch of at most " + maxTrajectories
                    + " trajectories is smaller than one cell ("
                    + perCell + " trajectories: the reference and its replicas must share a batch)");
        }
        long p = new ParameterLayout(model).size();
        long fixedBytes = extra.fixedElements() * elementBytes;
        double usable = MEMORY_FRACTION * memoryBytes - (double) dataElements * elementBytes - fixedBytes;
        int chunk = Math.min(rowsPerStep, Tunables.MAX_CHUNK_ROWS);
        long perTraj = perTrajectoryBytes(model, p, chunk, elementBytes);
        long cellExtra = extra.perCellElements().applyAsLong(chunk) * elementBytes;
        int lowerings = 1 + extra.sharedLowerings(); // the training's, and the tangent method's
        long shared = NetworkOps.sharedElements(model, chunk) * lowerings * elementBytes;
        while (usable - shared < (double) perCell * perTraj + cellExtra && chunk > Tunables.MIN_CHUNK_ROWS) {
            chunk = Math.max(Tunables.MIN_CHUNK_ROWS, chunk / 2);
            perTraj = perTrajectoryBytes(model, p, chunk, elementBytes);
            cellExtra = extra.perCellElements().applyAsLong(chunk) * elementBytes;
            shared = NetworkOps.sharedElements(model, chunk) * lowerings * elementBytes;
        }
        usable -= shared;
        double perCellBytes = (double) perCell * perTraj + cellExtra;
        if (usable < perCellBytes) {
            throw new InputException(String.format(Locale.ROOT,
                    "out-of-memory plan: one cell (%d trajectories of %d parameters%s) needs %s plus %s of data%s, "
                            + "but the backend has %s. Use fewer replicas/exponents, a smaller model or data "
                            + "subset (fewer training samples), f32, or a larger heap/device.",
                    perCell, p, cellExtra > 0 ? ", with " + extra.perCellWhat() : "", human((long) perCellBytes),
                    human(dataElements * elementBytes),
                    (fixedBytes > 0 ? " and " + human(fixedBytes) + " for " + extra.fixedWhat() : "")
                            + (shared > 0 ? " and " + human(shared) + " for the first convolution's lowered input" : ""),
                    human(memoryBytes)));
        }
        int cellsPerBatch = (int) Math.max(1, Math.min(Integer.MAX_VALUE / Math.max(1, perCell),
                (long) (usable / perCellBytes)));
        if (maxTrajectories > 0) cellsPerBatch = Math.min(cellsPerBatch, maxTrajectories / perCell);
        cellsPerBatch = Math.min(cellsPerBatch, Math.max(1, cells.size()));
        List<List<Cell>> batches = new ArrayList<>();
        for (int i = 0; i < cells.size(); i += cellsPerBatch) {
            batches.add(cells.subList(i, Math.min(cells.size(), i + cellsPerBatch)));
        }
        long bytes = (long) cellsPerBatch * ((long) perCell * perTraj + cellExtra) + fixedBytes + shared;
        String why = maxTrajectories > 0 && cellsPerBatch == maxTrajectories / perCell ? "batch limit " + maxTrajectories
                : "memory " + human((long) (MEMORY_FRACTION * memoryBytes)) + " usable";
        String desc = String.format(Locale.ROOT,
                "%d cells × %d trajectories = %d trajectories in %d batch%s of ≤ %d cells (%s; %s per trajectory, "
                        + "%schunk %d rows)", cells.size(), perCell, (long) cells.size() * perCell, batches.size(),
                batches.size() == 1 ? "" : "es", cellsPerBatch, why, human(perTraj),
                (cellExtra > 0 ? human(cellExtra) + " per cell for " + extra.perCellWhat() + ", " : "")
                        + (fixedBytes > 0 ? human(fixedBytes) + " for " + extra.fixedWhat() + ", " : "")
                        + (shared > 0 ? human(shared) + " for the first convolution's lowered input, " : ""), chunk);
        return new Plan(batches, chunk, bytes, desc);
    }

    /**
     * Bytes of one trajectory: parameters and gradient, its share of the training workspace and 8
     * scalars. The first convolution's lowering of the shared data is allocated once per batch, not per
     * trajectory ({@link NetworkOps#sharedElements}); the plan counts it once.
     */
    static long perTrajectoryBytes(ModelSpec model, long p, int chunk, int elementBytes) {
        long own = BatchedNetwork.workspaceElements(model, 1, chunk) - NetworkOps.sharedElements(model, chunk);
        return (2 * p + own + 8) * elementBytes;
    }

    /** Bytes in binary units: 512 B, 1.5 KiB, 2.0 GiB. */
    public static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
