package org.gdchaos.backend;

import java.util.Objects;

/**
 * A batched view into a buffer: batch entry {@code b} starts at element
 * {@code offset + b·stride}. A stride of 0 means "the same data for every batch entry"
 * (used for the input data that all trajectories share).
 *
 * @param buffer the buffer
 * @param offset element offset of batch entry 0
 * @param stride element distance between consecutive batch entries (0 = shared)
 */
public record View(Buffer buffer, long offset, long stride) {
    public View {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0) throw new IllegalArgumentException("negative offset " + offset);
        if (stride < 0) throw new IllegalArgumentException("negative stride " + stride);
    }

    /** The whole buffer, shared by every batch entry (stride 0). */
    public static View shared(Buffer buffer) {
        return new View(buffer, 0, 0);
    }

    /** Batch entry b at {@code b·stride}. */
    public static View of(Buffer buffer, long stride) {
        return new View(buffer, 0, stride);
    }

    /** Same buffer and stride, offset moved by {@code delta} elements. */
    public View shift(long delta) {
        return new View(buffer, offset + delta, stride);
    }

    /** Element offset of batch entry {@code b}. */
    public long at(int b) {
        return offset + b * stride;
    }

    /**
     * Checks that {@code batch} entries of {@code span} elements each fit in the buffer.
     *
     * @throws IllegalArgumentException if the last entry ends past the buffer
     */
    public void checkFits(int batch, long span, String name) {
        if (batch <= 0 || span <= 0) return;
        long end = offset + (long) (batch - 1) * stride + span;
        if (end > buffer.length()) {
            throw new IllegalArgumentException(name + ": view (offset " + offset + ", stride " + stride
                    + ", " + batch + " entries of " + span + ") ends at " + end
                    + " past buffer length " + buffer.length());
        }
    }
}
