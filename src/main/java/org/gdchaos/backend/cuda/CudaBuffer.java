package org.gdchaos.backend.cuda;

import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;

/** A buffer in device memory owned by one {@link CudaBackend}. */
final class CudaBuffer implements Buffer {
    private final CudaBackend owner;
    private final DType dtype;
    private final long length;
    private CudaDriver.Memory memory;

    CudaBuffer(CudaBackend owner, DType dtype, long length, CudaDriver.Memory memory) {
        this.owner = owner;
        this.dtype = dtype;
        this.length = length;
        this.memory = memory;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return length;
    }

    CudaBackend owner() {
        return owner;
    }

    boolean isClosed() {
        return memory == null;
    }

    /** The device memory; throws when the buffer was closed. */
    CudaDriver.Memory memory() {
        if (memory == null) throw new IllegalStateException("CUDA buffer is closed");
        return memory;
    }

    /** Drops the memory handle and returns it (null when already closed). */
    CudaDriver.Memory detach() {
        CudaDriver.Memory m = memory;
        memory = null;
        return m;
    }

    @Override
    public void close() {
        owner.release(this);
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + dtype.label() + " × " + length + (memory == null ? ", closed]" : "]");
    }
}
