package org.gdchaos.backend.reference;

import org.gdchaos.backend.AbstractBuffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.DType;

/**
 * Host buffer of the {@link ReferenceBackend}: a {@code double[]} for both dtypes. An F32 buffer
 * rounds every value written to it to the nearest float ({@link #set}), so its contents are always
 * exactly representable in float32 — the same values a float device buffer would hold.
 */
final class ReferenceBuffer extends AbstractBuffer {
    private double[] data;

    ReferenceBuffer(ReferenceBackend owner, DType dtype, int length) {
        super(owner, dtype, length);
        this.data = new double[length];
    }

    /** Element i. */
    double get(long i) {
        return live()[checkedIndex(i)];
    }

    /** Stores {@code value} at i, rounded to float for F32 buffers. */
    void set(long i, double value) {
        live()[checkedIndex(i)] = dtype() == DType.F32 ? (double) (float) value : value;
    }

    /** {@code value} rounded to this buffer's dtype (a scalar argument as a kernel receives it). */
    double round(double value) {
        return dtype() == DType.F32 ? (double) (float) value : value;
    }

    private int checkedIndex(long i) {
        double[] d = live();
        if (i < 0 || i >= d.length) {
            throw new IndexOutOfBoundsException("element " + i + " outside buffer of length " + d.length);
        }
        return (int) i;
    }

    private double[] live() {
        if (data == null) throw Checks.closed("buffer", this);
        return data;
    }

    @Override
    protected void free() {
        data = null;
    }
}
