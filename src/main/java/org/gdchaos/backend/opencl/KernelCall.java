package org.gdchaos.backend.opencl;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Sets a kernel's arguments in order and enqueues it. REAL scalars are converted to the
 * kernel's element type; offsets are {@code long} (OFF_T). Views expand to
 * {@code (buffer, offset, stride)}, the operand convention of {@code kernels/ops.cl}.
 */
final class KernelCall {
    private final cl_kernel kernel;
    private final DType dtype;
    private final String name;
    private int index;

    KernelCall(cl_kernel kernel, DType dtype, String name) {
        this.kernel = kernel;
        this.dtype = dtype;
        this.name = name;
    }

    KernelCall i(int v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_int, Pointer.to(new int[] {v}));
        return this;
    }

    KernelCall flag(boolean v) {
        return i(v ? 1 : 0);
    }

    KernelCall l(long v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_long, Pointer.to(new long[] {v}));
        return this;
    }

    /** A REAL scalar. */
    KernelCall r(double v) {
        if (dtype == DType.F64) {
            clSetKernelArg(kernel, index++, Sizeof.cl_double, Pointer.to(new double[] {v}));
        } else {
            clSetKernelArg(kernel, index++, Sizeof.cl_float, Pointer.to(new float[] {(float) v}));
        }
        return this;
    }

    KernelCall mem(cl_mem m) {
        clSetKernelArg(kernel, index++, Sizeof.cl_mem, Pointer.to(m));
        return this;
    }

    /** (buffer, offset, stride) of a view. */
    KernelCall view(View v) {
        return mem(((OpenClBuffer) v.buffer()).mem()).l(v.offset()).l(v.stride());
    }

    /** Enqueues with the given global and local sizes (same length, 1 to 3 dimensions). */
    void launch(cl_command_queue queue, long[] global, long[] local) {
        try {
            clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        } catch (RuntimeException e) {
            throw new IllegalStateException("OpenCL kernel " + name + " (" + dtype.label() + ") failed to launch: "
                    + e.getMessage(), e);
        }
    }
}
