package org.gdchaos.backend.cuda;

import org.gdchaos.backend.AbstractBuffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.DType;

/** A buffer in device memory owned by one {@link CudaBackend}. */
final class CudaBuffer extends AbstractBuffer {
    private CudaDriver.Memory memory;

    CudaBuffer(CudaBackend owner, DType dtype, long length, CudaDriver.Memory memory) {
        super(owner, dtype, length);
        this.memory = memory;
    }

    /** The device memory; throws when the buffer (or its backend) was closed. */
    CudaDriver.Memory memory() {
        if (memory == null) throw Checks.closed("buffer", this);
        return memory;
    }

    /** Drops the memory handle and returns it (null when already closed). */
    CudaDriver.Memory detach() {
        CudaDriver.Memory m = memory;
        memory = null;
        return m;
    }

    @Override
    protected void free() {
        ((CudaBackend) owner()).release(this);
    }
}
