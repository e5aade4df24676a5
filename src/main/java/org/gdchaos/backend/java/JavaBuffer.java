package org.gdchaos.backend.java;

import org.gdchaos.backend.AbstractBuffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.java.cpu.JavaTunables;

/**
 * A Java-heap buffer: a zero-filled {@code double[]} (F64) or {@code float[]} (F32) owned by one
 * {@link JavaBackend}. Closing drops the array; any later use is an {@link IllegalStateException}.
 */
public final class JavaBuffer extends AbstractBuffer {
    private double[] f64;
    private float[] f32;

    JavaBuffer(JavaBackend owner, DType dtype, long length) {
        super(owner, dtype, length);
        if (length > JavaTunables.MAX_BUFFER_LENGTH) {
            throw new IllegalArgumentException("Java backend buffers hold at most "
                    + JavaTunables.MAX_BUFFER_LENGTH + " elements (one Java array); requested "
                    + length + " " + dtype.label() + " elements: use a smaller batch or chunk");
        }
        if (dtype == DType.F64) f64 = new double[(int) length];
        else f32 = new float[(int) length];
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
    protected void free() {
        f64 = null;
        f32 = null;
    }
}
