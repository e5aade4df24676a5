package org.gdchaos.backend.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueCopyBuffer;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseMemObject;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.backend.kernels.Arg;
import org.gdchaos.backend.kernels.KernelBackend;
import org.gdchaos.backend.kernels.KernelCall;
import org.gdchaos.backend.kernels.KernelCalls;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * {@link Backend} on OpenCL through JOCL: one context and one in-order queue on one device,
 * the shared kernels of {@code kernels/ops.cl} compiled at run time (once per dtype), explicit
 * blocking uploads/downloads (double ↔ float conversion on the host for f32). Every op's
 * formula is the one documented on {@link Backend}; the primitives are {@link KernelBackend}'s
 * (operand checks, then each launch, its arguments and its geometry from the kernel table,
 * {@link KernelCalls}, {@link org.gdchaos.backend.kernels.Kernel}); this class adds memory and the
 * enqueue.
 */
public final class OpenClBackend extends KernelBackend {
    private final OpenClDevices.Device device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final OpenClPrograms programs;
    private final Set<OpenClBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    /**
     * Opens a context and queue on {@code device}.
     *
     * @param defines extra kernel {@code #define}s (tunables), usually empty
     */
    OpenClBackend(OpenClDevices.Device device, List<String> defines) {
        CL.setExceptionsEnabled(true);
        this.device = device;
        cl_device_id[] ids = {device.id()};
        this.context = clCreateContext(null, 1, ids, null, null, null);
        cl_command_queue q;
        try {
            q = clCreateCommandQueue(context, device.id(), 0, null);
        } catch (RuntimeException e) {
            clReleaseContext(context);
            throw e;
        }
        this.queue = q;
        this.programs = new OpenClPrograms(context, device.id(), device.fp64(), defines);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        return device.describe();
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.F32 || device.fp64();
    }

    @Override
    public long memoryBytes() {
        return device.globalMemory();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Buffer allocate(DType dtype, long length) {
        checkOpen();
        Objects.requireNonNull(dtype, "dtype");
        requireSupported(dtype);
        long bytes = Math.max(1, Checks.bufferLength(length)) * dtype.bytes();
        if (bytes > device.maxAllocation()) {
            throw new IllegalArgumentException("OpenCL buffer of " + length + " " + dtype.label() + " (" + bytes
                    + " bytes) exceeds the device's largest allocation of " + device.maxAllocation() + " bytes");
        }
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        try {
            Pointer zero = dtype == DType.F64 ? Pointer.to(new double[1]) : Pointer.to(new float[1]);
            clEnqueueFillBuffer(queue, mem, zero, dtype.bytes(), 0, bytes, 0, null, null);
        } catch (RuntimeException e) {
            clReleaseMemObject(mem);
            throw e;
        }
        OpenClBuffer b = new OpenClBuffer(this, mem, dtype, length);
        buffers.add(b);
        return b;
    }

    private void requireSupported(DType dtype) {
        if (!supports(dtype)) {
            throw new UnsupportedOperationException("OpenCL device '" + device.name() + "' has no double precision"
                    + " (cl_khr_fp64): use f32, another OpenCL device (gdchaos.opencl.device) or the java backend for f64");
        }
    }

    /** Releases one buffer (idempotent); called by {@link OpenClBuffer#close()}. */
    void release(OpenClBuffer b) {
        cl_mem m = b.detach();
        if (m == null) return;
        buffers.remove(b);
        if (!closed) clReleaseMemObject(m);
    }

    @Override
    public void upload(double[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        OpenClBuffer d = buffer(dst, "dst");
        checkRange(src.length, srcOffset, n, "src array");
        checkRange(d.length(), dstOffset, n, "dst buffer");
        if (n == 0) return;
        long bytes = (long) n * d.dtype().bytes();
        long at = dstOffset * d.dtype().bytes();
        if (d.dtype() == DType.F64) {
            clEnqueueWriteBuffer(queue, d.mem(), CL_TRUE, at, bytes, Pointer.to(src).withByteOffset(8L * srcOffset),
                    0, null, null);
        } else {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) f[i] = (float) src[srcOffset + i];
            clEnqueueWriteBuffer(queue, d.mem(), CL_TRUE, at, bytes, Pointer.to(f), 0, null, null);
        }
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int n) {
        OpenClBuffer s = buffer(src, "src");
        checkRange(s.length(), srcOffset, n, "src buffer");
        checkRange(dst.length, dstOffset, n, "dst array");
        if (n == 0) {
            clFinish(queue);
            return;
        }
        long bytes = (long) n * s.dtype().bytes();
        long at = srcOffset * s.dtype().bytes();
        if (s.dtype() == DType.F64) {
            clEnqueueReadBuffer(queue, s.mem(), CL_TRUE, at, bytes, Pointer.to(dst).withByteOffset(8L * dstOffset),
                    0, null, null);
        } else {
            float[] f = new float[n];
            clEnqueueReadBuffer(queue, s.mem(), CL_TRUE, at, bytes, Pointer.to(f), 0, null, null);
            for (int i = 0; i < n; i++) dst[dstOffset + i] = f[i];
        }
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        OpenClBuffer s = buffer(src, "src");
        OpenClBuffer d = buffer(dst, "dst");
        Checks.copy(s, srcOffset, d, dstOffset, n);
        if (n == 0 || (s == d && srcOffset == dstOffset)) return;
        int eb = s.dtype().bytes();
        long bytes = n * eb;
        boolean overlap = s == d && srcOffset < dstOffset + n && dstOffset < srcOffset + n;
        if (!overlap) {
            clEnqueueCopyBuffer(queue, s.mem(), d.mem(), srcOffset * eb, dstOffset * eb, bytes, 0, null, null);
            return;
        }
        // OpenCL forbids overlapping copies within one buffer: go through a temporary.
        cl_mem tmp = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        try {
            clEnqueueCopyBuffer(queue, s.mem(), tmp, srcOffset * eb, 0, bytes, 0, null, null);
            clEnqueueCopyBuffer(queue, tmp, d.mem(), 0, dstOffset * eb, bytes, 0, null, null);
            clFinish(queue);
        } finally {
            clReleaseMemObject(tmp);
        }
    }

    @Override
    public void fill(Buffer dst, long offset, long n, double value) {
        OpenClBuffer d = buffer(dst, "dst");
        checkRange(d.length(), offset, n, "dst buffer");
        if (n == 0) return;
        launch(KernelCalls.fill(d.dtype(), d.mem(), offset, n, value));
    }

    /** Waits until every enqueued command has finished (for timing). */
    public void finish() {
        checkOpen();
        clFinish(queue);
    }

    @Override
    public void close() {
        if (closed) return;
        try {
            clFinish(queue);
        } finally {
            for (OpenClBuffer b : buffers.toArray(new OpenClBuffer[0])) {
                cl_mem m = b.detach();
                if (m != null) clReleaseMemObject(m);
            }
            buffers.clear();
            programs.close();
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            closed = true;
        }
    }

    /** Number of live (unreleased) buffers; for tests. */
    int liveBuffers() {
        return buffers.size();
    }

    /** The compiled programs; for tests. */
    OpenClPrograms programs() {
        return programs;
    }

    // ---------------------------------------------------------------- launches and checks

    /** Sets a checked launch's arguments in order and enqueues it ({@link OpenClPrograms#enqueue}). */
    @Override
    protected void launch(KernelCall c) {
        programs.enqueue(queue, c);
    }

    /** A view as the kernels' operand {@code (buffer, offset, stride)}; the view is already checked. */
    @Override
    protected Arg.Operand operand(View v) {
        return new Arg.Operand(((OpenClBuffer) v.buffer()).mem(), v.offset(), v.stride());
    }

    @Override
    protected void checkOpen() {
        if (closed) throw Checks.closed(this);
    }

    private OpenClBuffer buffer(Buffer b, String name) {
        checkOpen();
        return Checks.live(this, OpenClBuffer.class, b, name);
    }

    private static void checkRange(long length, long offset, long n, String name) {
        Checks.range(offset, n, length, name);
    }
}
