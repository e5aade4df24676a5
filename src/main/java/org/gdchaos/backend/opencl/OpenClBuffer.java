package org.gdchaos.backend.opencl;

import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.jocl.cl_mem;

/** A device buffer of an {@link OpenClBackend}: one {@code cl_mem} of at least one element. */
final class OpenClBuffer implements Buffer {
    private final OpenClBackend owner;
    private final DType dtype;
    private final long length;
    private cl_mem mem;

    OpenClBuffer(OpenClBackend owner, cl_mem mem, DType dtype, long length) {
        this.owner = owner;
        this.mem = mem;
        this.dtype = dtype;
        this.length = length;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return length;
    }

    OpenClBackend owner() {
        return owner;
    }

    /** The memory object; throws if the buffer was closed. */
    cl_mem mem() {
        cl_mem m = mem;
        if (m == null) throw new IllegalStateException("OpenCL buffer used after close");
        return m;
    }

    boolean isOpen() {
        return mem != null;
    }

    /** Forgets the memory object and returns it (null when already closed); the owner releases it. */
    cl_mem detach() {
        cl_mem m = mem;
        mem = null;
        return m;
    }

    @Override
    public void close() {
        owner.release(this);
    }

    @Override
    public String toString() {
        return "OpenClBuffer[" + dtype.label() + " × " + length + (mem == null ? ", closed]" : "]");
    }
}
