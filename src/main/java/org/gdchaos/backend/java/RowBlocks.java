package org.gdchaos.backend.java;

import org.gdchaos.backend.java.cpu.JavaTunables;
import org.gdchaos.backend.java.cpu.Parallel;

/**
 * Cuts a (batch × rows × cols) element-wise call into units of (entry b, rows r0..r1), with
 * {@code max(1, BLOCK_ELEMENTS / cols)} rows per unit; unit u covers entry
 * {@code u / perEntry}. Boundaries depend only on the shape, so per-unit partial results
 * combined in unit order are independent of the thread count.
 */
final class RowBlocks {

    /** Work on rows [r0, r1) of entry b; returns a partial result (or 0). */
    @FunctionalInterface
    interface Body {
        double run(int b, int r0, int r1);
    }

    final int batch;
    final int rows;
    final int cols;
    final int blockRows;
    /** Units per batch entry. */
    final int perEntry;

    RowBlocks(int batch, int rows, int cols) {
        this.batch = batch;
        this.rows = rows;
        this.cols = cols;
        this.blockRows = Math.max(1, JavaTunables.BLOCK_ELEMENTS / Math.max(1, cols));
        this.perEntry = Math.max(1, (rows + blockRows - 1) / blockRows);
    }

    /** Runs body over every unit; returns the partials, {@code batch·perEntry} long (zeros for empty shapes). */
    double[] run(Parallel parallel, Body body) {
        int units = Math.multiplyExact(batch, perEntry);
        double[] partial = new double[units];
        if (rows == 0 || cols == 0) return partial;
        parallel.run(units, (long) blockRows * cols, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int b = u / perEntry;
                int r0 = (u % perEntry) * blockRows;
                partial[u] = body.run(b, r0, Math.min(rows, r0 + blockRows));
            }
        });
        return partial;
    }
}
