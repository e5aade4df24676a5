package org.gdchaos.backend.java;

import java.util.Objects;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;

/**
 * A Java-heap buffer: a zero-filled {@code double[]} (F64) or {@code float[]} (F32) owned by one
 * {@link JavaBackend}. Closing drops the array; any later use is an {@link IllegalStateException}.
 */
public final class JavaBuffer implements Buffer {
    private final JavaBackend owner;
    private final DType dtype;
    private final long length;
    private double[] f64;
    private float[] f32;
    private boolean closed;

    JavaBuffer(JavaBackend owner, DType dtype, long length) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        if (length > JavaTunables.MAX_BUFFER_LENGTH) {
            throw new IllegalArgumentException("Java backend buffers hold at most "
                    + JavaTunables.MAX_BUFFER_LENGTH + " elements (one Java array); requested "
                    + length + " " + dtype.label() + " elements: use a smaller batch or chunk");
        }
        this.length = length;
        if (dtype == DType.F64) f64 = new double[(int) length];
        else f32 = new float[(int) length];
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return length;
    }

    JavaBackend owner() {
        return owner;
    }

    boolean isClosed() {
        return closed;
    }

    /** The double array; the caller checked dtype and liveness. */
    double[] f64() {
        return f64;
    }

    /** The float array; the caller checked dtype and liveness. */
    float[] f32() {
        return f32;
    }

    @Override
    public void close() {
        closed = true;
        f64 = null;
        f32 = null;
    }

    @Override
    public String toString() {
        return "JavaBuffer[" + dtype.label() + " × " + length + (closed ? ", closed]" : "]");
    }
}
