package org.gdchaos.backend.java;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.backend.java.cpu.Parallel;
import org.gdchaos.backend.java.gemm.JavaGemm;

import static org.gdchaos.backend.java.Operands.range;

/**
 * The pure-Java backend: buffers are heap arrays ({@link JavaBuffer}), GEMM is {@link JavaGemm}
 * (Vector API when available), the other primitives are plain loops in {@link ActivationKernelsF64},
 * {@link LossKernels}, {@link VectorMapsF64}, {@link VectorKernelsF64} and, for convolution and
 * pooling, {@link ConvKernelsF64} (the F64 classes are templates of f32 twins generated at build
 * time). This class checks the operands and picks the operations of the call's dtype,
 * {@link JavaOpsF64} or its generated f32 twin, which do the work. Convolution units are
 * (entry × sample × image row); each unit writes its own rows only. Semantics of every primitive:
 * see {@link Backend}.
 *
 * <p>Parallelism: every call is cut into fixed blocks of (batch entry × rows) or (batch entry ×
 * elements) — see {@link org.gdchaos.backend.java.cpu.JavaTunables} — run on a fork/join pool of {@code threads} workers.
 * Block boundaries do not depend on the thread count and per-block partial sums are combined
 * in block order, so results are bit-identical for any number of threads.
 *
 * <p>Options ({@link BackendOptions}, backend name {@code java}): {@code threads} (default: the
 * available processors) and {@code vectorBits} (see {@link VectorWidth}; 0 = scalar GEMM).
 * Calls run synchronously on the calling thread's behalf; like every backend, not thread-safe.
 */
public final class JavaBackend implements Backend {
    private final int threads;
    private final int vectorBits;
    private final ForkJoinPool pool;
    private final Parallel parallel;
    /** The primitives on each dtype's arrays, after this class's checks (a template and its twin). */
    private final JavaOps f64ops;
    private final JavaOps f32ops;
    private boolean closed;

    /** Creates a backend from options {@code threads} and {@code vectorBits}. */
    public JavaBackend(BackendOptions options) {
        Objects.requireNonNull(options, "options");
        this.threads = parseThreads(options.get("java", "threads", null));
        int requestedBits = VectorWidth.resolve(options.get("java", "vectorBits", null));
        this.pool = new ForkJoinPool(threads);
        this.parallel = new Parallel(pool, threads);
        JavaGemm gemm = new JavaGemm(pool, requestedBits);
        this.vectorBits = gemm.vectorBits(); // after the GEMM's clamp to what the platform supports
        this.f64ops = new JavaOpsF64(parallel, gemm, vectorBits > 0);
        this.f32ops = new JavaOpsF32(parallel, gemm, vectorBits > 0);
    }

    private static int parseThreads(String s) {
        if (s == null || s.isBlank()) return Runtime.getRuntime().availableProcessors();
        int t;
        try {
            t = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("java backend option threads='" + s + "' is not a number");
        }
        if (t < 1 || t > 4096) throw new IllegalArgumentException("java backend option threads=" + t + " must be in 1..4096");
        return t;
    }

    /** Worker threads used. */
    public int threads() {
        return threads;
    }

    /** Vector width the GEMM actually uses, in bits (0 = scalar). */
    public int vectorBits() {
        return vectorBits;
    }

    /** "Java 17.0.15 (Vector API 256-bit, 2 threads)" or "Java 17.0.15 (scalar, 2 threads)". */
    static String describe(int vectorBits, int threads) {
        return "Java " + System.getProperty("java.version") + " (" + VectorWidth.describe(vectorBits) + ", "
                + threads + (threads == 1 ? " thread)" : " threads)");
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String device() {
        return describe(vectorBits, threads);
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.F32 || dtype == DType.F64;
    }

    /** {@code Runtime.maxMemory − (totalMemory − freeMemory)}: heap still available. */
    @Override
    public long memoryBytes() {
        Runtime rt = Runtime.getRuntime();
        return Math.max(0L, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
    }

    // ================================================================== memory

    @Override
    public Buffer allocate(DType dtype, long length) {
        open();
        Objects.requireNonNull(dtype, "dtype");
        return new JavaBuffer(this, dtype, length);
    }

    @Override
    public void upload(double[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        Objects.requireNonNull(src, "src");
        JavaBuffer d = live(dst, "dst");
        Checks.range(srcOffset, n, src.length, "upload src array");
        range(d, dstOffset, n, "upload dst");
        ops(d.dtype()).upload(src, srcOffset, d, (int) dstOffset, n);
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int n) {
        Objects.requireNonNull(dst, "dst");
        JavaBuffer s = live(src, "src");
        Checks.range(dstOffset, n, dst.length, "download dst array");
        range(s, srcOffset, n, "download src");
        ops(s.dtype()).download(s, (int) srcOffset, dst, dstOffset, n);
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        JavaBuffer s = live(src, "src");
        JavaBuffer d = live(dst, "dst");
        Checks.copy(s, srcOffset, d, dstOffset, n);
        ops(s.dtype()).copy(s, (int) srcOffset, d, (int) dstOffset, (int) n);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, double value) {
        JavaBuffer d = live(dst, "dst");
        range(d, offset, n, "fill");
        ops(d.dtype()).fill(d, (int) offset, (int) (offset + n), value);
    }

    // ================================================================== GEMM

    @Override
    public void gemm(GemmShape s, View a, View b, View c) {
        open();
        ops(Checks.gemm(this, s, a, b, c)).gemm(s, a, b, c);
    }

    // ================================================================== element-wise

    @Override
    public void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias) {
        open();
        DType t = Checks.biasActivation(this, f, batch, rows, cols, z, bias);
        ops(t).biasActivation(f, new RowBlocks(batch, rows, cols), z, bias);
    }

    @Override
    public void activationBackward(Activation f, int batch, int rows, int cols, View h, View delta) {
        open();
        DType t = Checks.activationBackward(this, f, batch, rows, cols, h, delta);
        ops(t).activationBackward(f, new RowBlocks(batch, rows, cols), h, delta);
    }

    @Override
    public void activationBackwardR(Activation f, int batch, int rows, int cols, View h, View e, View rz,
                                    View rdelta) {
        open();
        DType t = Checks.activationBackwardR(this, f, batch, rows, cols, h, e, rz, rdelta);
        ops(t).activationBackwardR(f, new RowBlocks(batch, rows, cols), h, e, rz, rdelta);
    }

    @Override
    public void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale,
                             View grad, View lossSum) {
        open();
        JavaOps ops = ops(Checks.lossGradient(this, loss, batch, rows, cols, z, y, grad, lossSum));
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        double[] partial = ops.lossGradient(loss, rb, z, y, scale, grad);
        ops.addPerEntry(lossSum, batch, partial, rb.perEntry, scale);
    }

    @Override
    public void lossHessianVector(Loss loss, int batch, int rows, int cols, View z, View y, View v, double scale,
                                  View hv) {
        open();
        DType t = Checks.lossHessianVector(this, loss, batch, rows, cols, z, y, v, hv);
        ops(t).lossHessianVector(loss, new RowBlocks(batch, rows, cols), z, y, v, scale, hv);
    }

    @Override
    public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
        open();
        JavaOps ops = ops(Checks.countCorrect(this, batch, rows, cols, z, y, correct));
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        ops.addPerEntry(correct, batch, ops.countCorrect(rb, z, y), rb.perEntry, 1.0);
    }

    @Override
    public void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out) {
        open();
        DType t = Checks.columnSums(this, batch, rows, cols, x, out);
        if (batch == 0 || cols == 0) return;
        ops(t).columnSums(batch, rows, cols, alpha, x, beta, out);
    }

    // ================================================================== convolution and pooling

    @Override
    public void im2col(ConvShape s, int batch, View x, View cols) {
        open();
        ops(Checks.im2col(this, s, batch, x, cols)).im2col(s, batch, x, cols);
    }

    @Override
    public void col2im(ConvShape s, int batch, View cols, View dx) {
        open();
        ops(Checks.col2im(this, s, batch, cols, dx)).col2im(s, batch, cols, dx);
    }

    @Override
    public void pool(PoolShape s, int batch, View x, View y) {
        open();
        ops(Checks.pool(this, s, batch, x, y)).pool(s, batch, x, y);
    }

    @Override
    public void poolBackward(PoolShape s, int batch, View x, View dy, View dx) {
        open();
        DType t = Checks.poolBackward(this, s, batch, x, dy, dx);
        ops(t).poolBackward(s, batch, s.op() == PoolShape.Pooling.MAX ? x : dx, dy, dx); // AVG never reads x
    }

    @Override
    public void poolR(PoolShape s, int batch, View x, View rx, View ry) {
        open();
        DType t = Checks.poolR(this, s, batch, x, rx, ry);
        ops(t).poolR(s, batch, s.op() == PoolShape.Pooling.MAX ? x : rx, rx, ry); // AVG never reads x
    }

    // ================================================================== per-trajectory vectors

    /**
     * {@inheritDoc} An entry with {@code lr[b] == 0} is skipped entirely (a frozen trajectory
     * stays bit-identical even when its g holds NaN), as in the reference backend.
     */
    @Override
    public void update(int batch, long n, View w, View g, View lr) {
        open();
        DType t = Checks.update(this, batch, n, w, g, lr);
        if (batch == 0 || n == 0) return;
        ops(t).update(new VecBlocks(batch, n), w, g, lr);
    }

    /**
     * {@inheritDoc} An entry with {@code lr[b] == 0} is skipped entirely, as in {@link #update}.
     * One fused pass over each block of w, g, m (and s).
     */
    @Override
    public void optimizerUpdate(Optimizer opt, long t, int batch, long n, View w, View g, View m, View s, View lr) {
        open();
        DType dt = Checks.optimizerUpdate(this, opt, t, batch, n, w, g, m, s, lr);
        if (batch == 0 || n == 0) return;
        View sv = opt.kind() == Optimizer.Kind.ADAM ? s : m; // only Adam reads s
        ops(dt).optimizerUpdate(new VecBlocks(batch, n), opt.kind().code(), opt.beta1(), opt.beta2(), opt.epsilon(),
                opt.c1(t), opt.c2(t), w, g, m, sv, lr);
    }

    /**
     * {@inheritDoc} An entry with {@code lr[b] == 0} is skipped entirely, as in {@link #update}.
     * One fused pass over each block of the seven vectors.
     */
    @Override
    public void adamTangent(Optimizer opt, long t, int batch, long n, View dw, View dm, View ds, View hv, View g,
                            View m, View s, View lr) {
        open();
        DType dt = Checks.adamTangent(this, opt, t, batch, n, dw, dm, ds, hv, g, m, s, lr);
        if (batch == 0 || n == 0) return;
        ops(dt).adamTangent(new VecBlocks(batch, n), opt.beta1(), opt.beta2(), opt.epsilon(), opt.c1(t), opt.c2(t),
                dw, dm, ds, hv, g, m, s, lr);
    }

    @Override
    public void adamPrecondition(Optimizer opt, long t, int batch, long n, View s, View x, View y) {
        open();
        DType dt = Checks.adamPrecondition(this, opt, t, batch, n, s, x, y);
        if (batch == 0 || n == 0) return;
        ops(dt).adamPrecondition(new VecBlocks(batch, n), opt.epsilon(), opt.c1(t), opt.c2(t), s, x, y);
    }

    @Override
    public void axpby(int batch, long n, View alpha, View x, View beta, View y) {
        open();
        DType t = Checks.axpby(this, batch, n, alpha, x, beta, y);
        if (batch == 0 || n == 0) return;
        ops(t).axpby(new VecBlocks(batch, n), alpha, x, beta, y);
    }

    @Override
    public void scale(int batch, long n, View s, View y) {
        open();
        DType t = Checks.scale(this, batch, n, s, y);
        if (batch == 0 || n == 0) return;
        ops(t).scale(new VecBlocks(batch, n), s, y);
    }

    @Override
    public void reduce(Reduction op, int batch, long n, View x, View y, View out) {
        open();
        JavaOps ops = ops(Checks.reduce(this, op, batch, n, x, y, out));
        if (batch == 0) return;
        if (n == 0) { // empty sum
            for (int bt = 0; bt < batch; bt++) ops.store(out, bt, 0.0);
            return;
        }
        VecBlocks vb = new VecBlocks(batch, n);
        double[] partial = ops.reduce(op, vb, x, op.binary() ? y : null);
        for (int bt = 0; bt < batch; bt++) {
            double sum = 0;
            for (int i = bt * vb.perEntry, end = i + vb.perEntry; i < end; i++) sum += partial[i];
            ops.store(out, bt, sum);
        }
    }

    @Override
    public void nonFinite(int batch, long n, View x, View flags) {
        open();
        JavaOps ops = ops(Checks.nonFinite(this, batch, n, x, flags));
        if (batch == 0 || n == 0) return;
        VecBlocks vb = new VecBlocks(batch, n);
        double[] partial = ops.nonFinite(vb, x);
        for (int bt = 0; bt < batch; bt++) {
            for (int i = bt * vb.perEntry, end = i + vb.perEntry; i < end; i++) {
                if (partial[i] != 0) {
                    ops.store(flags, bt, 1.0);
                    break;
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pool.shutdown();
    }

    // ================================================================== validation helpers

    /** The operations on arrays of {@code dtype} (its operands already checked). */
    private JavaOps ops(DType dtype) {
        return JavaOps.of(dtype, f64ops, f32ops);
    }

    private void open() {
        if (closed) throw Checks.closed(this);
    }

    private JavaBuffer live(Buffer buffer, String name) {
        open();
        return Checks.live(this, JavaBuffer.class, buffer, name);
    }
}
