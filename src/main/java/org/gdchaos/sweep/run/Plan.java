package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;

import java.util.List;

/**
 * How a sweep's cells are packed into device batches.
 *
 * @param batches       cells per batch, in execution order
 * @param chunkRows     sample rows per forward/backward pass
 * @param bytesPerBatch estimated device memory of the largest batch
 * @param description   one human-readable line saying how and why the cells were split
 */
public record Plan(List<List<Cell>> batches, int chunkRows, long bytesPerBatch, String description) {
    public Plan {
        batches = batches.stream().map(List::copyOf).toList();
    }

    public int cellCount() {
        return batches.stream().mapToInt(List::size).sum();
    }
}
