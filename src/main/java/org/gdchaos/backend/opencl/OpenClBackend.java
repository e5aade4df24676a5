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
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.backend.kernels.Arg;
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
 * formula is the one documented on {@link Backend}; each kernel launch, its arguments and its
 * geometry come from the kernel table ({@link KernelCalls}, {@link org.gdchaos.backend.kernels.Kernel}).
 */
public final class OpenClBackend implements Backend {
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
        OpenClBuffer d = buffer(dst, null, "dst");
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
        OpenClBuffer s = buffer(src, null, "src");
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
        OpenClBuffer s = buffer(src, null, "src");
        OpenClBuffer d = buffer(dst, s.dtype(), "dst");
        checkRange(s.length(), srcOffset, n, "src buffer");
        checkRange(d.length(), dstOffset, n, "dst buffer");
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
        OpenClBuffer d = buffer(dst, null, "dst");
        checkRange(d.length(), offset, n, "dst buffer");
        if (n == 0) return;
        enqueue(KernelCalls.fill(d.dtype(), d.mem(), offset, n, value));
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(GemmShape s, View a, View b, View c) {
        DType t = dtypeOf(c, "C");
        check(a, t, s.batch(), s.sizeA(), "A");
        check(b, t, s.batch(), s.sizeB(), "B");
        check(c, t, s.batch(), s.sizeC(), "C");
        enqueue(KernelCalls.gemm(t, s, operand(a), operand(b), operand(c)));
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias) {
        Objects.requireNonNull(f, "activation");
        checkDims(batch, rows, cols);
        DType t = dtypeOf(z, "z");
        long count = (long) rows * cols;
        check(z, t, batch, count, "z");
        if (bias != null) check(bias, t, batch, cols, "bias");
        if (batch == 0 || count == 0) return;
        enqueue(KernelCalls.biasActivation(t, f, batch, rows, cols, operand(z), bias == null ? null : operand(bias)));
    }

    @Override
    public void activationBackward(Activation f, int batch, int rows, int cols, View h, View delta) {
        Objects.requireNonNull(f, "activation");
        checkDims(batch, rows, cols);
        DType t = dtypeOf(delta, "delta");
        long count = (long) rows * cols;
        check(h, t, batch, count, "h");
        check(delta, t, batch, count, "delta");
        if (batch == 0 || count == 0) return;
        enqueue(KernelCalls.activationBackward(t, f, batch, count, operand(h), operand(delta)));
    }

    @Override
    public void activationBackwardR(Activation f, int batch, int rows, int cols, View h, View e, View rz,
                                    View rdelta) {
        Objects.requireNonNull(f, "activation");
        checkDims(batch, rows, cols);
        DType t = dtypeOf(rdelta, "rdelta");
        long count = (long) rows * cols;
        check(h, t, batch, count, "h");
        check(e, t, batch, count, "e");
        check(rz, t, batch, count, "rz");
        check(rdelta, t, batch, count, "rdelta");
        if (batch == 0 || count == 0) return;
        enqueue(KernelCalls.activationBackwardR(t, f, batch, count, operand(h), operand(e), operand(rz),
                operand(rdelta)));
    }

    @Override
    public void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale, View grad,
                             View lossSum) {
        Objects.requireNonNull(loss, "loss");
        checkDims(batch, rows, cols);
        DType t = dtypeOf(z, "z");
        long count = (long) rows * cols;
        check(z, t, batch, count, "z");
        check(y, t, batch, count, "y");
        check(grad, t, batch, count, "grad");
        check(lossSum, t, batch, 1, "lossSum");
        if (batch == 0 || count == 0) return;
        enqueue(KernelCalls.lossGradient(t, loss, batch, rows, cols, operand(z), operand(y), scale, operand(grad),
                operand(lossSum)));
    }

    @Override
    public void lossHessianVector(Loss loss, int batch, int rows, int cols, View z, View y, View v, double scale,
                                  View hv) {
        Objects.requireNonNull(loss, "loss");
        checkDims(batch, rows, cols);
        DType t = dtypeOf(z, "z");
        long count = (long) rows * cols;
        check(z, t, batch, count, "z");
        check(y, t, batch, count, "y");
        check(v, t, batch, count, "v");
        check(hv, t, batch, count, "hv");
        if (batch == 0 || count == 0) return;
        enqueue(KernelCalls.lossHessianVector(t, loss, batch, rows, cols, operand(z), operand(y), operand(v), scale,
                operand(hv)));
    }

    @Override
    public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
        checkDims(batch, rows, cols);
        DType t = dtypeOf(z, "z");
        long count = (long) rows * cols;
        check(z, t, batch, count, "z");
        check(y, t, batch, count, "y");
        check(correct, t, batch, 1, "correct");
        if (batch == 0 || count == 0) return;
        enqueue(KernelCalls.countCorrect(t, batch, rows, cols, operand(z), operand(y), operand(correct)));
    }

    @Override
    public void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out) {
        checkDims(batch, rows, cols);
        DType t = dtypeOf(out, "out");
        check(x, t, batch, (long) rows * cols, "x");
        check(out, t, batch, cols, "out");
        if (batch == 0 || cols == 0) return;
        enqueue(KernelCalls.columnSums(t, batch, rows, cols, alpha, operand(x), beta, operand(out)));
    }

    // ---------------------------------------------------------------- per-trajectory vectors

    @Override
    public void update(int batch, long n, View w, View g, View lr) {
        checkVec(batch, n);
        DType t = dtypeOf(w, "w");
        check(w, t, batch, n, "w");
        check(g, t, batch, n, "g");
        check(lr, t, batch, 1, "lr");
        if (batch == 0 || n == 0) return;
        enqueue(KernelCalls.update(t, batch, n, operand(w), operand(g), operand(lr)));
    }

    @Override
    public void optimizerUpdate(Optimizer opt, long t, int batch, long n, View w, View g, View m, View s, View lr) {
        Checks.optimizerStep("optimizerUpdate", opt, t);
        checkVec(batch, n);
        DType dt = dtypeOf(w, "w");
        check(w, dt, batch, n, "w");
        check(g, dt, batch, n, "g");
        check(m, dt, batch, n, "m");
        boolean adam = opt.kind() == Optimizer.Kind.ADAM;
        if (adam) check(s, dt, batch, n, "s");
        check(lr, dt, batch, 1, "lr");
        if (batch == 0 || n == 0) return;
        enqueue(KernelCalls.optimizerUpdate(dt, opt, t, batch, n, operand(w), operand(g), operand(m),
                operand(adam ? s : m), operand(lr)));
    }

    @Override
    public void adamTangent(Optimizer opt, long t, int batch, long n, View dw, View dm, View ds, View hv, View g,
                            View m, View s, View lr) {
        Checks.optimizerStep("adamTangent", opt, t);
        checkVec(batch, n);
        DType dt = dtypeOf(dw, "dw");
        check(dw, dt, batch, n, "dw");
        check(dm, dt, batch, n, "dm");
        check(ds, dt, batch, n, "ds");
        check(hv, dt, batch, n, "hv");
        check(g, dt, batch, n, "g");
        check(m, dt, batch, n, "m");
        check(s, dt, batch, n, "s");
        check(lr, dt, batch, 1, "lr");
        if (batch == 0 || n == 0) return;
        enqueue(KernelCalls.adamTangent(dt, opt, t, batch, n, operand(dw), operand(dm), operand(ds), operand(hv),
                operand(g), operand(m), operand(s), operand(lr)));
    }

    @Override
    public void adamPrecondition(Optimizer opt, long t, int batch, long n, View s, View x, View y) {
        Checks.optimizerStep("adamPrecondition", opt, t);
        checkVec(batch, n);
        DType dt = dtypeOf(y, "y");
        check(s, dt, batch, n, "s");
        check(x, dt, batch, n, "x");
        check(y, dt, batch, n, "y");
        if (batch == 0 || n == 0) return;
        enqueue(KernelCalls.adamPrecondition(dt, opt, t, batch, n, operand(s), operand(x), operand(y)));
    }

    @Override
    public void axpby(int batch, long n, View alpha, View x, View beta, View y) {
        checkVec(batch, n);
        DType t = dtypeOf(y, "y");
        check(alpha, t, batch, 1, "alpha");
        check(x, t, batch, n, "x");
        check(beta, t, batch, 1, "beta");
        check(y, t, batch, n, "y");
        if (batch == 0 || n == 0) return;
        enqueue(KernelCalls.axpby(t, batch, n, operand(alpha), operand(x), operand(beta), operand(y)));
    }

    @Override
    public void scale(int batch, long n, View s, View y) {
        checkVec(batch, n);
        DType t = dtypeOf(y, "y");
        check(s, t, batch, 1, "s");
        check(y, t, batch, n, "y");
        if (batch == 0 || n == 0) return;
        enqueue(KernelCalls.scale(t, batch, n, operand(s), operand(y)));
    }

    @Override
    public void reduce(Reduction op, int batch, long n, View x, View y, View out) {
        Objects.requireNonNull(op, "reduction");
        checkVec(batch, n);
        DType t = dtypeOf(x, "x");
        check(x, t, batch, n, "x");
        if (op.binary()) {
            if (y == null) throw new IllegalArgumentException("reduction " + op + " needs y");
            check(y, t, batch, n, "y");
        }
        check(out, t, batch, 1, "out");
        if (batch == 0) return;
        enqueue(KernelCalls.reduce(t, op, batch, n, operand(x), op.binary() ? operand(y) : null, operand(out)));
    }

    @Override
    public void nonFinite(int batch, long n, View x, View flags) {
        checkVec(batch, n);
        DType t = dtypeOf(x, "x");
        check(x, t, batch, n, "x");
        check(flags, t, batch, 1, "flags");
        if (batch == 0 || n == 0) return;
        enqueue(KernelCalls.nonFinite(t, batch, n, operand(x), operand(flags)));
    }

    // ---------------------------------------------------------------- convolution and pooling

    @Override
    public void im2col(ConvShape s, int batch, View x, View cols) {
        Objects.requireNonNull(s, "shape");
        checkDims(batch, 1, 1);
        DType t = dtypeOf(cols, "cols");
        check(x, t, batch, s.inputSize(), "x");
        check(cols, t, batch, s.colsSize(), "cols");
        if (batch == 0) return;
        enqueue(KernelCalls.im2col(t, s, batch, operand(x), operand(cols)));
    }

    @Override
    public void col2im(ConvShape s, int batch, View cols, View dx) {
        Objects.requireNonNull(s, "shape");
        checkDims(batch, 1, 1);
        DType t = dtypeOf(dx, "dx");
        check(cols, t, batch, s.colsSize(), "cols");
        check(dx, t, batch, s.inputSize(), "dx");
        if (batch == 0) return;
        enqueue(KernelCalls.col2im(t, s, batch, operand(cols), operand(dx)));
    }

    @Override
    public void pool(PoolShape s, int batch, View x, View y) {
        Objects.requireNonNull(s, "shape");
        checkDims(batch, 1, 1);
        DType t = dtypeOf(y, "y");
        check(x, t, batch, s.inputSize(), "x");
        check(y, t, batch, s.outputSize(), "y");
        if (batch == 0) return;
        enqueue(KernelCalls.pool(t, s, batch, operand(x), operand(x), operand(y)));
    }

    @Override
    public void poolR(PoolShape s, int batch, View x, View rx, View ry) {
        Objects.requireNonNull(s, "shape");
        checkDims(batch, 1, 1);
        DType t = dtypeOf(ry, "ry");
        boolean max = s.op() == PoolShape.Pooling.MAX;
        if (max) check(x, t, batch, s.inputSize(), "x");
        check(rx, t, batch, s.inputSize(), "rx");
        check(ry, t, batch, s.outputSize(), "ry");
        if (batch == 0) return;
        enqueue(KernelCalls.pool(t, s, batch, operand(max ? x : rx), operand(rx), operand(ry))); // AVG never reads x
    }

    @Override
    public void poolBackward(PoolShape s, int batch, View x, View dy, View dx) {
        Objects.requireNonNull(s, "shape");
        checkDims(batch, 1, 1);
        DType t = dtypeOf(dx, "dx");
        boolean max = s.op() == PoolShape.Pooling.MAX;
        if (max) check(x, t, batch, s.inputSize(), "x");
        check(dy, t, batch, s.outputSize(), "dy");
        check(dx, t, batch, s.inputSize(), "dx");
        if (batch == 0) return;
        enqueue(KernelCalls.poolBackward(t, s, batch, operand(max ? x : dy), operand(dy), operand(dx))); // AVG never reads x
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

    // ---------------------------------------------------------------- geometry and checks

    /** Sets a checked launch's arguments in order and enqueues it ({@link OpenClPrograms#enqueue}). */
    private void enqueue(KernelCall c) {
        programs.enqueue(queue, c);
    }

    /** A view as the kernels' operand {@code (buffer, offset, stride)}; the view is already checked. */
    private static Arg.Operand operand(View v) {
        return new Arg.Operand(((OpenClBuffer) v.buffer()).mem(), v.offset(), v.stride());
    }

    private void checkOpen() {
        if (closed) throw Checks.closed(this);
    }

    private OpenClBuffer buffer(Buffer b, DType want, String name) {
        checkOpen();
        OpenClBuffer ob = Checks.live(this, OpenClBuffer.class, b, name);
        if (want != null && ob.dtype() != want) {
            throw new IllegalArgumentException(name + ": dtype " + ob.dtype().label() + ", expected " + want.label());
        }
        return ob;
    }

    private DType dtypeOf(View v, String name) {
        Objects.requireNonNull(v, name);
        return buffer(v.buffer(), null, name).dtype();
    }

    private void check(View v, DType t, int batch, long span, String name) {
        Objects.requireNonNull(v, name);
        buffer(v.buffer(), t, name);
        v.checkFits(batch, span, name);
    }

    private static void checkRange(long length, long offset, long n, String name) {
        Checks.range(offset, n, length, name);
    }

    private static void checkDims(int batch, int rows, int cols) {
        Checks.sizes(batch, rows, cols);
    }

    private static void checkVec(int batch, long n) {
        Checks.sizes(batch, n);
    }
}
