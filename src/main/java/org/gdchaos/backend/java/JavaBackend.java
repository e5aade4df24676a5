package org.gdchaos.backend.java;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;

import static org.gdchaos.backend.java.Operands.addPerEntry;
import static org.gdchaos.backend.java.Operands.dims;
import static org.gdchaos.backend.java.Operands.f32;
import static org.gdchaos.backend.java.Operands.f64;
import static org.gdchaos.backend.java.Operands.off;
import static org.gdchaos.backend.java.Operands.range;
import static org.gdchaos.backend.java.Operands.sameType;
import static org.gdchaos.backend.java.Operands.store;
import static org.gdchaos.backend.java.Operands.stride;

/**
 * The pure-Java backend: buffers are heap arrays ({@link JavaBuffer}), GEMM is {@link JavaGemm}
 * (Vector API when available), the other primitives are plain loops in {@link ActivationKernelsF64},
 * {@link LossKernels}, {@link VectorMapsF64}, {@link VectorKernels} and, for convolution and pooling,
 * {@link ConvKernelsF64} (the F64 classes are templates of f32 twins generated at build time).
 * Convolution units are (entry × sample × image row); each unit writes its own rows only.
 * Semantics of every primitive: see {@link Backend}.
 *
 * <p>Parallelism: every call is cut into fixed blocks of (batch entry × rows) or (batch entry ×
 * elements) — see {@link JavaTunables} — run on a fork/join pool of {@code threads} workers.
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
    private final JavaGemm gemm;
    private boolean closed;

    /** Creates a backend from options {@code threads} and {@code vectorBits}. */
    public JavaBackend(BackendOptions options) {
        Objects.requireNonNull(options, "options");
        this.threads = parseThreads(options.get("java", "threads", null));
        int requestedBits = VectorWidth.resolve(options.get("java", "vectorBits", null));
        this.pool = new ForkJoinPool(threads);
        this.parallel = new Parallel(pool, threads);
        this.gemm = new JavaGemm(pool, requestedBits);
        this.vectorBits = gemm.vectorBits(); // after the GEMM's clamp to what the platform supports
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
        if (srcOffset < 0 || n < 0 || (long) srcOffset + n > src.length) {
            throw new IllegalArgumentException("upload: source range [" + srcOffset + ", " + ((long) srcOffset + n)
                    + ") outside array of length " + src.length);
        }
        range(d, dstOffset, n, "upload dst");
        int o = (int) dstOffset;
        if (d.dtype() == DType.F64) {
            System.arraycopy(src, srcOffset, d.f64(), o, n);
        } else {
            float[] a = d.f32();
            for (int i = 0; i < n; i++) a[o + i] = (float) src[srcOffset + i];
        }
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int n) {
        Objects.requireNonNull(dst, "dst");
        JavaBuffer s = live(src, "src");
        if (dstOffset < 0 || n < 0 || (long) dstOffset + n > dst.length) {
            throw new IllegalArgumentException("download: destination range [" + dstOffset + ", "
                    + ((long) dstOffset + n) + ") outside array of length " + dst.length);
        }
        range(s, srcOffset, n, "download src");
        int o = (int) srcOffset;
        if (s.dtype() == DType.F64) {
            System.arraycopy(s.f64(), o, dst, dstOffset, n);
        } else {
            float[] a = s.f32();
            for (int i = 0; i < n; i++) dst[dstOffset + i] = a[o + i];
        }
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        JavaBuffer s = live(src, "src");
        JavaBuffer d = live(dst, "dst");
        sameType(s.dtype(), d.dtype(), "copy dst");
        range(s, srcOffset, n, "copy src");
        range(d, dstOffset, n, "copy dst");
        if (s.dtype() == DType.F64) System.arraycopy(s.f64(), (int) srcOffset, d.f64(), (int) dstOffset, (int) n);
        else System.arraycopy(s.f32(), (int) srcOffset, d.f32(), (int) dstOffset, (int) n);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, double value) {
        JavaBuffer d = live(dst, "dst");
        range(d, offset, n, "fill");
        int from = (int) offset, to = (int) (offset + n);
        if (d.dtype() == DType.F64) Arrays.fill(d.f64(), from, to, value);
        else Arrays.fill(d.f32(), from, to, (float) value);
    }

    // ================================================================== GEMM

    @Override
    public void gemm(GemmShape s, View a, View b, View c) {
        Objects.requireNonNull(s, "shape");
        int n = s.batch();
        DType t = check(c, null, n, s.sizeC(), "c");
        check(a, t, n, s.sizeA(), "a");
        check(b, t, n, s.sizeB(), "b");
        if (t == DType.F64) {
            gemm.gemm(s, f64(a), off(a), stride(a, n), f64(b), off(b), stride(b, n), f64(c), off(c), stride(c, n));
        } else {
            gemm.gemm(s, f32(a), off(a), stride(a, n), f32(b), off(b), stride(b, n), f32(c), off(c), stride(c, n));
        }
    }

    // ================================================================== element-wise

    @Override
    public void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias) {
        Objects.requireNonNull(f, "activation");
        dims(batch, rows, cols);
        DType t = check(z, null, batch, (long) rows * cols, "z");
        if (bias != null) check(bias, t, batch, cols, "bias");
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        if (t == DType.F64) {
            double[] za = f64(z), ba = bias == null ? null : f64(bias);
            rb.run(parallel, (bt, r0, r1) -> {
                int zo = off(z, bt) + r0 * cols;
                if (ba != null) ActivationKernelsF64.addBias(za, zo, ba, off(bias, bt), r1 - r0, cols);
                ActivationKernelsF64.apply(f, za, zo, (r1 - r0) * cols, vectorBits > 0);
                return 0;
            });
        } else {
            float[] za = f32(z), ba = bias == null ? null : f32(bias);
            rb.run(parallel, (bt, r0, r1) -> {
                int zo = off(z, bt) + r0 * cols;
                if (ba != null) ActivationKernelsF32.addBias(za, zo, ba, off(bias, bt), r1 - r0, cols);
                ActivationKernelsF32.apply(f, za, zo, (r1 - r0) * cols, vectorBits > 0);
                return 0;
            });
        }
    }

    @Override
    public void activationBackward(Activation f, int batch, int rows, int cols, View h, View delta) {
        Objects.requireNonNull(f, "activation");
        dims(batch, rows, cols);
        long span = (long) rows * cols;
        DType t = check(delta, null, batch, span, "delta");
        check(h, t, batch, span, "h");
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        if (t == DType.F64) {
            double[] ha = f64(h), da = f64(delta);
            rb.run(parallel, (bt, r0, r1) -> {
                ActivationKernelsF64.backward(f, ha, off(h, bt) + r0 * cols, da, off(delta, bt) + r0 * cols, (r1 - r0) * cols);
                return 0;
            });
        } else {
            float[] ha = f32(h), da = f32(delta);
            rb.run(parallel, (bt, r0, r1) -> {
                ActivationKernelsF32.backward(f, ha, off(h, bt) + r0 * cols, da, off(delta, bt) + r0 * cols, (r1 - r0) * cols);
                return 0;
            });
        }
    }

    @Override
    public void activationBackwardR(Activation f, int batch, int rows, int cols, View h, View e, View rz,
                                    View rdelta) {
        Objects.requireNonNull(f, "activation");
        dims(batch, rows, cols);
        long span = (long) rows * cols;
        DType t = check(rdelta, null, batch, span, "rdelta");
        check(h, t, batch, span, "h");
        check(e, t, batch, span, "e");
        check(rz, t, batch, span, "rz");
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        if (t == DType.F64) {
            double[] ha = f64(h), ea = f64(e), ra = f64(rz), da = f64(rdelta);
            rb.run(parallel, (bt, r0, r1) -> {
                int d = r0 * cols;
                ActivationKernelsF64.backwardR(f, ha, off(h, bt) + d, ea, off(e, bt) + d, ra, off(rz, bt) + d,
                        da, off(rdelta, bt) + d, (r1 - r0) * cols);
                return 0;
            });
        } else {
            float[] ha = f32(h), ea = f32(e), ra = f32(rz), da = f32(rdelta);
            rb.run(parallel, (bt, r0, r1) -> {
                int d = r0 * cols;
                ActivationKernelsF32.backwardR(f, ha, off(h, bt) + d, ea, off(e, bt) + d, ra, off(rz, bt) + d,
                        da, off(rdelta, bt) + d, (r1 - r0) * cols);
                return 0;
            });
        }
    }

    @Override
    public void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale,
                             View grad, View lossSum) {
        Objects.requireNonNull(loss, "loss");
        dims(batch, rows, cols);
        long span = (long) rows * cols;
        DType t = check(z, null, batch, span, "z");
        check(y, t, batch, span, "y");
        check(grad, t, batch, span, "grad");
        check(lossSum, t, batch, 1, "lossSum");
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        boolean ce = loss == Loss.CROSS_ENTROPY;
        double[] partial;
        if (t == DType.F64) {
            double[] za = f64(z), ya = f64(y), ga = f64(grad);
            partial = rb.run(parallel, (bt, r0, r1) -> {
                int d = r0 * cols;
                return ce ? LossKernels.crossEntropy(za, off(z, bt) + d, ya, off(y, bt) + d, scale, ga, off(grad, bt) + d, r1 - r0, cols)
                        : LossKernels.mse(za, off(z, bt) + d, ya, off(y, bt) + d, scale, ga, off(grad, bt) + d, (r1 - r0) * cols);
            });
        } else {
            float[] za = f32(z), ya = f32(y), ga = f32(grad);
            partial = rb.run(parallel, (bt, r0, r1) -> {
                int d = r0 * cols;
                return ce ? LossKernels.crossEntropy(za, off(z, bt) + d, ya, off(y, bt) + d, scale, ga, off(grad, bt) + d, r1 - r0, cols)
                        : LossKernels.mse(za, off(z, bt) + d, ya, off(y, bt) + d, scale, ga, off(grad, bt) + d, (r1 - r0) * cols);
            });
        }
        addPerEntry(lossSum, batch, partial, rb.perEntry, scale);
    }

    @Override
    public void lossHessianVector(Loss loss, int batch, int rows, int cols, View z, View y, View v, double scale,
                                  View hv) {
        Objects.requireNonNull(loss, "loss");
        dims(batch, rows, cols);
        long span = (long) rows * cols;
        DType t = check(hv, null, batch, span, "hv");
        check(v, t, batch, span, "v");
        if (loss == Loss.CROSS_ENTROPY) {
            check(z, t, batch, span, "z");
            check(y, t, batch, span, "y");
        }
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        if (t == DType.F64) {
            double[] va = f64(v), ha = f64(hv);
            double[] za = loss == Loss.MSE ? null : f64(z), ya = loss == Loss.MSE ? null : f64(y);
            rb.run(parallel, (bt, r0, r1) -> {
                int d = r0 * cols;
                if (za == null) {
                    int vo = off(v, bt) + d, ho = off(hv, bt) + d, cnt = (r1 - r0) * cols;
                    for (int i = 0; i < cnt; i++) ha[ho + i] = scale * va[vo + i];
                } else {
                    LossKernels.crossEntropyHv(za, off(z, bt) + d, ya, off(y, bt) + d, va, off(v, bt) + d, scale,
                            ha, off(hv, bt) + d, r1 - r0, cols);
                }
                return 0;
            });
        } else {
            float[] va = f32(v), ha = f32(hv);
            float[] za = loss == Loss.MSE ? null : f32(z), ya = loss == Loss.MSE ? null : f32(y);
            rb.run(parallel, (bt, r0, r1) -> {
                int d = r0 * cols;
                if (za == null) {
                    int vo = off(v, bt) + d, ho = off(hv, bt) + d, cnt = (r1 - r0) * cols;
                    float s = (float) scale;
                    for (int i = 0; i < cnt; i++) ha[ho + i] = s * va[vo + i];
                } else {
                    LossKernels.crossEntropyHv(za, off(z, bt) + d, ya, off(y, bt) + d, va, off(v, bt) + d, scale,
                            ha, off(hv, bt) + d, r1 - r0, cols);
                }
                return 0;
            });
        }
    }

    @Override
    public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
        dims(batch, rows, cols);
        long span = (long) rows * cols;
        DType t = check(z, null, batch, span, "z");
        check(y, t, batch, span, "y");
        check(correct, t, batch, 1, "correct");
        RowBlocks rb = new RowBlocks(batch, rows, cols);
        double[] partial;
        if (t == DType.F64) {
            double[] za = f64(z), ya = f64(y);
            partial = rb.run(parallel, (bt, r0, r1) ->
                    LossKernels.countCorrect(za, off(z, bt) + r0 * cols, ya, off(y, bt) + r0 * cols, r1 - r0, cols));
        } else {
            float[] za = f32(z), ya = f32(y);
            partial = rb.run(parallel, (bt, r0, r1) ->
                    LossKernels.countCorrect(za, off(z, bt) + r0 * cols, ya, off(y, bt) + r0 * cols, r1 - r0, cols));
        }
        addPerEntry(correct, batch, partial, rb.perEntry, 1.0);
    }

    @Override
    public void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out) {
        dims(batch, rows, cols);
        DType t = check(out, null, batch, cols, "out");
        check(x, t, batch, (long) rows * cols, "x");
        if (batch == 0 || cols == 0) return;
        int blocksPerEntry = (cols + JavaTunables.COLUMN_BLOCK - 1) / JavaTunables.COLUMN_BLOCK;
        int units = Math.multiplyExact(batch, blocksPerEntry);
        long work = (long) rows * Math.min(cols, JavaTunables.COLUMN_BLOCK);
        boolean f64 = t == DType.F64;
        double[] xd = f64 ? f64(x) : null, od = f64 ? f64(out) : null;
        float[] xf = f64 ? null : f32(x), of = f64 ? null : f32(out);
        parallel.run(units, work, (u0, u1) -> {
            double[] acc = new double[Math.min(cols, JavaTunables.COLUMN_BLOCK)];
            for (int u = u0; u < u1; u++) {
                int bt = u / blocksPerEntry;
                int j0 = (u % blocksPerEntry) * JavaTunables.COLUMN_BLOCK;
                int j1 = Math.min(cols, j0 + JavaTunables.COLUMN_BLOCK);
                int oo = off(out, bt) + j0;
                if (f64) {
                    VectorKernels.columnSums(xd, off(x, bt), rows, cols, j0, j1, acc);
                    for (int j = 0; j < j1 - j0; j++) od[oo + j] = beta == 0 ? alpha * acc[j] : alpha * acc[j] + beta * od[oo + j];
                } else {
                    VectorKernels.columnSums(xf, off(x, bt), rows, cols, j0, j1, acc);
                    for (int j = 0; j < j1 - j0; j++) {
                        of[oo + j] = (float) (beta == 0 ? alpha * acc[j] : alpha * acc[j] + beta * of[oo + j]);
                    }
                }
            }
        });
    }

    // ================================================================== convolution and pooling

    /** Units of (entry, sample, row): entry bt's rows are units [bt·n·rows, (bt+1)·n·rows). */
    private interface RowUnit {
        void run(int bt, int smp, int row);
    }

    private void rows(int batch, int n, int rowsPerSample, long elementsPerRow, RowUnit body) {
        int perEntry = Math.multiplyExact(n, rowsPerSample);
        parallel.run(Math.multiplyExact(batch, perEntry), elementsPerRow, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int bt = u / perEntry, r = u % perEntry;
                body.run(bt, r / rowsPerSample, r % rowsPerSample);
            }
        });
    }

    private static void nonNegative(int batch) {
        if (batch < 0) throw new IllegalArgumentException("negative batch " + batch);
    }

    @Override
    public void im2col(ConvShape s, int batch, View x, View cols) {
        Objects.requireNonNull(s, "shape");
        nonNegative(batch);
        DType t = check(cols, null, batch, s.colsSize(), "cols");
        check(x, t, batch, s.inputSize(), "x");
        long perRow = (long) s.outW() * s.patch();
        if (t == DType.F64) {
            double[] xa = f64(x), ca = f64(cols);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) -> ConvKernelsF64.im2colRow(xa, off(x, bt), ca, off(cols, bt), s, smp, oy));
        } else {
            float[] xa = f32(x), ca = f32(cols);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) -> ConvKernelsF32.im2colRow(xa, off(x, bt), ca, off(cols, bt), s, smp, oy));
        }
    }

    @Override
    public void col2im(ConvShape s, int batch, View cols, View dx) {
        Objects.requireNonNull(s, "shape");
        nonNegative(batch);
        DType t = check(dx, null, batch, s.inputSize(), "dx");
        check(cols, t, batch, s.colsSize(), "cols");
        long perRow = (long) s.w() * s.patch();
        if (t == DType.F64) {
            double[] ca = f64(cols), da = f64(dx);
            rows(batch, s.n(), s.h(), perRow, (bt, smp, iy) -> ConvKernelsF64.col2imRow(ca, off(cols, bt), da, off(dx, bt), s, smp, iy));
        } else {
            float[] ca = f32(cols), da = f32(dx);
            rows(batch, s.n(), s.h(), perRow, (bt, smp, iy) -> ConvKernelsF32.col2imRow(ca, off(cols, bt), da, off(dx, bt), s, smp, iy));
        }
    }

    @Override
    public void pool(PoolShape s, int batch, View x, View y) {
        Objects.requireNonNull(s, "shape");
        nonNegative(batch);
        DType t = check(y, null, batch, s.outputSize(), "y");
        check(x, t, batch, s.inputSize(), "x");
        long perRow = 4L * s.outW() * s.c();
        if (t == DType.F64) {
            double[] xa = f64(x), ya = f64(y);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) -> ConvKernelsF64.poolRow(s, xa, off(x, bt), xa, off(x, bt), ya, off(y, bt), smp, oy));
        } else {
            float[] xa = f32(x), ya = f32(y);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) -> ConvKernelsF32.poolRow(s, xa, off(x, bt), xa, off(x, bt), ya, off(y, bt), smp, oy));
        }
    }

    @Override
    public void poolBackward(PoolShape s, int batch, View x, View dy, View dx) {
        Objects.requireNonNull(s, "shape");
        nonNegative(batch);
        DType t = check(dx, null, batch, s.inputSize(), "dx");
        check(dy, t, batch, s.outputSize(), "dy");
        boolean max = s.op() == PoolShape.Pooling.MAX;
        View xv = max ? x : dx; // AVG never reads x
        if (max) check(x, t, batch, s.inputSize(), "x");
        long perRow = 2L * s.w() * s.c();
        if (t == DType.F64) {
            double[] xa = f64(xv), ga = f64(dy), da = f64(dx);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) ->
                    ConvKernelsF64.poolBackwardRows(s, xa, off(xv, bt), ga, off(dy, bt), da, off(dx, bt), smp, oy));
        } else {
            float[] xa = f32(xv), ga = f32(dy), da = f32(dx);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) ->
                    ConvKernelsF32.poolBackwardRows(s, xa, off(xv, bt), ga, off(dy, bt), da, off(dx, bt), smp, oy));
        }
    }

    @Override
    public void poolR(PoolShape s, int batch, View x, View rx, View ry) {
        Objects.requireNonNull(s, "shape");
        nonNegative(batch);
        DType t = check(ry, null, batch, s.outputSize(), "ry");
        check(rx, t, batch, s.inputSize(), "rx");
        boolean max = s.op() == PoolShape.Pooling.MAX;
        View xv = max ? x : rx; // AVG never reads x
        if (max) check(x, t, batch, s.inputSize(), "x");
        long perRow = 4L * s.outW() * s.c();
        if (t == DType.F64) {
            double[] xa = f64(xv), ra = f64(rx), ya = f64(ry);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) -> ConvKernelsF64.poolRow(s, xa, off(xv, bt), ra, off(rx, bt), ya, off(ry, bt), smp, oy));
        } else {
            float[] xa = f32(xv), ra = f32(rx), ya = f32(ry);
            rows(batch, s.n(), s.outH(), perRow, (bt, smp, oy) -> ConvKernelsF32.poolRow(s, xa, off(xv, bt), ra, off(rx, bt), ya, off(ry, bt), smp, oy));
        }
    }

    // ================================================================== per-trajectory vectors

    /**
     * {@inheritDoc} An entry with {@code lr[b] == 0} is skipped entirely (a frozen trajectory
     * stays bit-identical even when its g holds NaN), as in the reference backend.
     */
    @Override
    public void update(int batch, long n, View w, View g, View lr) {
        VecBlocks vb = vecOp(batch, n, w, "w", g, "g", lr, "lr", null, null);
        if (vb == null) return;
        if (w.buffer().dtype() == DType.F64) {
            double[] wa = f64(w), ga = f64(g), la = f64(lr);
            vb.run(parallel, (bt, k0, len) -> {
                double rate = la[off(lr, bt)];
                if (rate != 0) VectorMapsF64.update(wa, off(w, bt) + k0, ga, off(g, bt) + k0, rate, len);
                return 0;
            });
        } else {
            float[] wa = f32(w), ga = f32(g), la = f32(lr);
            vb.run(parallel, (bt, k0, len) -> {
                float rate = la[off(lr, bt)];
                if (rate != 0) VectorMapsF32.update(wa, off(w, bt) + k0, ga, off(g, bt) + k0, rate, len);
                return 0;
            });
        }
    }

    @Override
    public void axpby(int batch, long n, View alpha, View x, View beta, View y) {
        VecBlocks vb = vecOp(batch, n, y, "y", x, "x", alpha, "alpha", beta, "beta");
        if (vb == null) return;
        if (y.buffer().dtype() == DType.F64) {
            double[] xa = f64(x), ya = f64(y), aa = f64(alpha), ba = f64(beta);
            vb.run(parallel, (bt, k0, len) -> {
                VectorMapsF64.axpby(aa[off(alpha, bt)], xa, off(x, bt) + k0, ba[off(beta, bt)], ya, off(y, bt) + k0, len);
                return 0;
            });
        } else {
            float[] xa = f32(x), ya = f32(y), aa = f32(alpha), ba = f32(beta);
            vb.run(parallel, (bt, k0, len) -> {
                VectorMapsF32.axpby(aa[off(alpha, bt)], xa, off(x, bt) + k0, ba[off(beta, bt)], ya, off(y, bt) + k0, len);
                return 0;
            });
        }
    }

    @Override
    public void scale(int batch, long n, View s, View y) {
        VecBlocks vb = vecOp(batch, n, y, "y", null, null, s, "s", null, null);
        if (vb == null) return;
        if (y.buffer().dtype() == DType.F64) {
            double[] ya = f64(y), sa = f64(s);
            vb.run(parallel, (bt, k0, len) -> {
                VectorMapsF64.scale(sa[off(s, bt)], ya, off(y, bt) + k0, len);
                return 0;
            });
        } else {
            float[] ya = f32(y), sa = f32(s);
            vb.run(parallel, (bt, k0, len) -> {
                VectorMapsF32.scale(sa[off(s, bt)], ya, off(y, bt) + k0, len);
                return 0;
            });
        }
    }

    @Override
    public void reduce(Reduction op, int batch, long n, View x, View y, View out) {
        Objects.requireNonNull(op, "reduction");
        if (op.binary() && y == null) throw new IllegalArgumentException(op + " needs a second operand y");
        View yv = op.binary() ? y : null;
        VecBlocks vb = vecOp(batch, n, x, "x", yv, yv == null ? null : "y", out, "out", null, null);
        if (vb == null) { // empty sum
            for (int bt = 0; bt < batch; bt++) store(out, bt, 0.0);
            return;
        }
        double[] partial;
        if (x.buffer().dtype() == DType.F64) {
            double[] xa = f64(x), ya = yv == null ? null : f64(yv);
            partial = vb.run(parallel, (bt, k0, len) ->
                    VectorKernels.reduce(op, xa, off(x, bt) + k0, ya, ya == null ? 0 : off(yv, bt) + k0, len));
        } else {
            float[] xa = f32(x), ya = yv == null ? null : f32(yv);
            partial = vb.run(parallel, (bt, k0, len) ->
                    VectorKernels.reduce(op, xa, off(x, bt) + k0, ya, ya == null ? 0 : off(yv, bt) + k0, len));
        }
        for (int bt = 0; bt < batch; bt++) {
            double sum = 0;
            for (int i = bt * vb.perEntry, end = i + vb.perEntry; i < end; i++) sum += partial[i];
            store(out, bt, sum);
        }
    }

    @Override
    public void nonFinite(int batch, long n, View x, View flags) {
        VecBlocks vb = vecOp(batch, n, x, "x", null, null, flags, "flags", null, null);
        if (vb == null) return;
        double[] partial;
        if (x.buffer().dtype() == DType.F64) {
            double[] xa = f64(x);
            partial = vb.run(parallel, (bt, k0, len) -> VectorMapsF64.anyNonFinite(xa, off(x, bt) + k0, len) ? 1 : 0);
        } else {
            float[] xa = f32(x);
            partial = vb.run(parallel, (bt, k0, len) -> VectorMapsF32.anyNonFinite(xa, off(x, bt) + k0, len) ? 1 : 0);
        }
        for (int bt = 0; bt < batch; bt++) {
            for (int i = bt * vb.perEntry, end = i + vb.perEntry; i < end; i++) {
                if (partial[i] != 0) {
                    store(flags, bt, 1.0);
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

    private void open() {
        if (closed) throw new IllegalStateException("Java backend is closed");
    }

    private JavaBuffer live(Buffer buffer, String name) {
        open();
        Objects.requireNonNull(buffer, name);
        if (!(buffer instanceof JavaBuffer) || ((JavaBuffer) buffer).owner() != this) {
            throw new IllegalArgumentException(name + ": " + buffer + " was not allocated by this Java backend");
        }
        JavaBuffer b = (JavaBuffer) buffer;
        if (b.isClosed()) throw new IllegalStateException(name + ": buffer is closed (" + b + ")");
        return b;
    }

    /** Checks ownership, liveness, dtype ({@code want}, or any if null) and fit; returns the dtype. */
    private DType check(View v, DType want, int batch, long span, String name) {
        Objects.requireNonNull(v, name);
        JavaBuffer b = live(v.buffer(), name);
        if (want != null) sameType(want, b.dtype(), name);
        v.checkFits(batch, span, name);
        return b.dtype();
    }

    /** Validates a per-trajectory vector op; null when there is nothing to do. */
    private VecBlocks vecOp(int batch, long n, View main, String mainName, View other, String otherName,
                            View scalar1, String scalar1Name, View scalar2, String scalar2Name) {
        if (batch < 0 || n < 0) throw new IllegalArgumentException("negative size: batch=" + batch + " n=" + n);
        DType t = check(main, null, batch, n, mainName);
        if (otherName != null) check(other, t, batch, n, otherName);
        check(scalar1, t, batch, 1, scalar1Name);
        if (scalar2Name != null) check(scalar2, t, batch, 1, scalar2Name);
        return batch == 0 || n == 0 ? null : new VecBlocks(batch, n);
    }

}
