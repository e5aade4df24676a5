package org.gdchaos.backend.java;

import org.gdchaos.backend.java.cpu.JavaTunables;
import org.gdchaos.backend.java.cpu.Parallel;

/**
 * Cuts a per-trajectory vector call (batch entries × n elements) into units of exactly
 * {@link JavaTunables#BLOCK_ELEMENTS} elements (the last of each entry shorter); unit u covers
 * entry {@code u / perEntry}. Partial sums per unit, combined in unit order, make reductions
 * independent of the thread count.
 */
final class VecBlocks {

    /** Work on elements [k0, k0 + len) of entry b; returns a partial result (or 0). */
    @FunctionalInterface
    interface Body {
        double run(int b, int k0, int len);
    }

    final int batch;
    final int n;
    /** Units per batch entry. */
    final int perEntry;

    VecBlocks(int batch, long n) {
        if (n > JavaTunables.MAX_BUFFER_LENGTH) throw new IllegalArgumentException("n=" + n + " exceeds a Java array");
        this.batch = batch;
        this.n = (int) n;
        this.perEntry = (int) ((n + JavaTunables.BLOCK_ELEMENTS - 1) / JavaTunables.BLOCK_ELEMENTS);
    }

    double[] run(Parallel parallel, Body body) {
        int units = Math.multiplyExact(batch, perEntry);
        double[] partial = new double[units];
        parallel.run(units, Math.min(n, JavaTunables.BLOCK_ELEMENTS), (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int b = u / perEntry;
                int k0 = (u % perEntry) * JavaTunables.BLOCK_ELEMENTS;
                partial[u] = body.run(b, k0, Math.min(JavaTunables.BLOCK_ELEMENTS, n - k0));
            }
        });
        return partial;
    }
}
