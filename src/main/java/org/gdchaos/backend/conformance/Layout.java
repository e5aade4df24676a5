package org.gdchaos.backend.conformance;

/**
 * Where the batch entries of one operand sit in its buffer: entry b starts at
 * {@code offset + b·stride} with {@code stride = span + gap}, or stride 0 when {@code shared}.
 * Every buffer also ends with {@code gap} guard elements, and the guards (the leading offset, the
 * gaps, the tail) hold random values that a correct backend never touches — the suite downloads
 * whole buffers, so a write outside a view shows up as an error.
 *
 * @param offset elements before entry 0 (a non-zero view offset)
 * @param gap    unused elements between consecutive entries and after the last one
 * @param shared whether every batch entry reads the same elements (stride 0)
 */
public record Layout(long offset, long gap, boolean shared) {
    /** Entries back to back from element 0. */
    public static final Layout PACKED = new Layout(0, 0, false);

    public Layout {
        if (offset < 0 || gap < 0) throw new IllegalArgumentException("offset and gap must be >= 0");
    }

    /** Entries {@code gap} elements apart after {@code offset} leading guard elements. */
    public static Layout spaced(long offset, long gap) {
        return new Layout(offset, gap, false);
    }

    /** One entry shared by all (stride 0) after {@code offset} guard elements. */
    public static Layout shared(long offset) {
        return new Layout(offset, 3, true);
    }

    /** Element distance between consecutive entries of {@code span} elements. */
    public long stride(long span) {
        return shared ? 0 : span + gap;
    }

    /** Buffer length holding {@code batch} entries of {@code span} elements, guards included. */
    public long length(int batch, long span) {
        long entries = shared ? span : (batch - 1) * stride(span) + span;
        return offset + entries + gap;
    }
}
