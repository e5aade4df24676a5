package org.gdchaos.backend.opencl;

import org.gdchaos.backend.AbstractBuffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.DType;
import org.jocl.cl_mem;

/** A device buffer of an {@link OpenClBackend}: one {@code cl_mem} of at least one element. */
final class OpenClBuffer extends AbstractBuffer {
    private cl_mem mem;

    OpenClBuffer(OpenClBackend owner, cl_mem mem, DType dtype, long length) {
        super(owner, dtype, length);
        this.mem = mem;
    }

    /** The memory object; throws if the buffer (or its backend) was closed. */
    cl_mem mem() {
        cl_mem m = mem;
        if (m == null) throw Checks.closed("buffer", this);
        return m;
    }

    /** Forgets the memory object and returns it (null when already closed); the owner releases it. */
    cl_mem detach() {
        cl_mem m = mem;
        mem = null;
        return m;
    }

    @Override
    protected void free() {
        ((OpenClBackend) owner()).release(this);
    }
}
