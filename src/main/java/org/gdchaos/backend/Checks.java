package org.gdchaos.backend;

import java.util.Objects;

/**
 * The operand checks every {@link Backend} runs before it touches memory, so that all backends
 * reject a bad call with the same exception type and message (the rules are in {@link Backend}'s
 * class comment and enforced by the conformance suite's {@code error/} cases). Buffer operands go
 * through {@link #live}, which runs the null, ownership and closed checks on the
 * {@link AbstractBuffer} every backend's buffer extends.
 *
 * <p>Each primitive of {@link Backend} has one method here of the same name and parameters (less
 * the scalars nothing checks), preceded by the backend: it runs the size, null, ownership, closed,
 * dtype and fit checks of every operand that primitive reads or writes, and returns the dtype the
 * call runs in. A backend checks that it is open itself, first, then calls it and skips the call
 * when its sizes make it empty. An operand that may be null (see {@link Backend}) is checked only
 * when the call reads it.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * The optimizer and step of a fused optimizer call: {@code op} = "optimizerUpdate" takes any
     * non-GD optimizer, "adamTangent" and "adamPrecondition" take Adam; the step t ≥ 1.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static void optimizerStep(String op, Optimizer opt, long t) {
        if (op.equals("optimizerUpdate")) {
            if (opt.isGd()) throw new IllegalArgumentException("optimizerUpdate needs a non-GD optimizer (GD is update)");
        } else if (opt.kind() != Optimizer.Kind.ADAM) {
            throw new IllegalArgumentException(op + " needs Adam, got " + opt);
        }
        if (t < 1) throw new IllegalArgumentException("step t must be ≥ 1, got " + t);
    }

    /**
     * An element range {@code [offset, offset + n)} of a buffer or host array of {@code length}
     * elements.
     *
     * @throws IllegalArgumentException when the range is negative or does not fit
     */
    public static void range(long offset, long n, long length, String name) {
        if (offset < 0 || n < 0 || offset + n > length) {
            throw new IllegalArgumentException(name + ": range [" + offset + ", " + (offset + n) + ") outside length "
                    + length);
        }
    }

    /**
     * The buffers and ranges of {@link Backend#copy}, both buffers already {@link #live}: one dtype,
     * both ranges inside their buffers ({@link #range}).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        if (src.dtype() != dst.dtype()) {
            throw new IllegalArgumentException("copy between " + src.dtype().label() + " and " + dst.dtype().label()
                    + " buffers");
        }
        range(srcOffset, n, src.length(), "copy src");
        range(dstOffset, n, dst.length(), "copy dst");
    }

    /** @throws IllegalArgumentException when a size is negative (zero is a call that does nothing) */
    public static void sizes(int batch, long rows, long cols) {
        if (batch < 0 || rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative size: batch=" + batch + " rows=" + rows + " cols=" + cols);
        }
    }

    /** @throws IllegalArgumentException when a size is negative (zero is a call that does nothing) */
    public static void sizes(int batch, long n) {
        if (batch < 0 || n < 0) throw new IllegalArgumentException("negative size: batch=" + batch + " n=" + n);
    }

    /**
     * A buffer operand: {@code buffer} allocated by {@code backend} (so of its buffer class
     * {@code type}) and not closed; returns it as {@code type}. The backend checks that it is open
     * itself, first.
     *
     * @throws NullPointerException     when buffer is null (naming {@code name})
     * @throws IllegalArgumentException when another backend allocated it
     * @throws IllegalStateException    when it was closed ({@link #closed(String, Buffer)})
     */
    public static <B extends AbstractBuffer> B live(Backend backend, Class<B> type, Buffer buffer, String name) {
        AbstractBuffer ab = owned(backend, buffer, name);
        if (!type.isInstance(ab)) throw foreign(backend, buffer, name);
        return type.cast(ab);
    }

    /** The null, ownership and closed checks of {@link #live}, without the cast. */
    private static AbstractBuffer owned(Backend backend, Buffer buffer, String name) {
        Objects.requireNonNull(buffer, name);
        if (!(buffer instanceof AbstractBuffer ab) || ab.owner() != backend) throw foreign(backend, buffer, name);
        if (ab.isClosed()) throw closed(name, buffer);
        return ab;
    }

    private static IllegalArgumentException foreign(Backend backend, Buffer buffer, String name) {
        return new IllegalArgumentException(name + ": " + buffer + " was not allocated by this " + backend.name()
                + " backend");
    }

    /**
     * A view operand: not null, its buffer live and of {@code backend} ({@link #live}), of dtype
     * {@code want} (any when null), and {@code batch} entries of {@code span} elements fitting it
     * ({@link View#checkFits}); returns its buffer's dtype.
     *
     * @throws NullPointerException     when v is null (naming {@code name})
     * @throws IllegalArgumentException when the buffer is another backend's, of another dtype, or the view does not fit
     * @throws IllegalStateException    when the buffer was closed
     */
    public static DType view(Backend backend, View v, DType want, int batch, long span, String name) {
        Objects.requireNonNull(v, name);
        DType got = owned(backend, v.buffer(), name).dtype();
        if (want != null && got != want) {
            throw new IllegalArgumentException(name + ": dtype " + got.label() + " does not match " + want.label()
                    + " of the other operands (all buffers of one call must share a dtype)");
        }
        v.checkFits(batch, span, name);
        return got;
    }

    // ---------------------------------------------------------------- the operands of each primitive

    /** {@link Backend#gemm}: A, B, C of {@code sizeA/B/C()} elements per entry; C's dtype. */
    public static DType gemm(Backend be, GemmShape s, View a, View b, View c) {
        Objects.requireNonNull(s, "shape");
        DType t = view(be, c, null, s.batch(), s.sizeC(), "C");
        view(be, a, t, s.batch(), s.sizeA(), "A");
        view(be, b, t, s.batch(), s.sizeB(), "B");
        return t;
    }

    /** {@link Backend#biasActivation}: z of rows·cols, bias (when not null) of cols; z's dtype. */
    public static DType biasActivation(Backend be, Activation f, int batch, int rows, int cols, View z, View bias) {
        Objects.requireNonNull(f, "activation");
        sizes(batch, rows, cols);
        DType t = view(be, z, null, batch, (long) rows * cols, "z");
        if (bias != null) view(be, bias, t, batch, cols, "bias");
        return t;
    }

    /** {@link Backend#activationBackward}: h and delta of rows·cols; delta's dtype. */
    public static DType activationBackward(Backend be, Activation f, int batch, int rows, int cols, View h,
                                           View delta) {
        Objects.requireNonNull(f, "activation");
        sizes(batch, rows, cols);
        long span = (long) rows * cols;
        DType t = view(be, delta, null, batch, span, "delta");
        view(be, h, t, batch, span, "h");
        return t;
    }

    /** {@link Backend#activationBackwardR}: h, e, rz and rdelta of rows·cols; rdelta's dtype. */
    public static DType activationBackwardR(Backend be, Activation f, int batch, int rows, int cols, View h, View e,
                                            View rz, View rdelta) {
        Objects.requireNonNull(f, "activation");
        sizes(batch, rows, cols);
        long span = (long) rows * cols;
        DType t = view(be, rdelta, null, batch, span, "rdelta");
        view(be, h, t, batch, span, "h");
        view(be, e, t, batch, span, "e");
        view(be, rz, t, batch, span, "rz");
        return t;
    }

    /** {@link Backend#lossGradient}: z, y and grad of rows·cols, lossSum of 1; z's dtype. */
    public static DType lossGradient(Backend be, Loss loss, int batch, int rows, int cols, View z, View y, View grad,
                                     View lossSum) {
        Objects.requireNonNull(loss, "loss");
        DType t = outputsTargets(be, batch, rows, cols, z, y);
        view(be, grad, t, batch, (long) rows * cols, "grad");
        view(be, lossSum, t, batch, 1, "lossSum");
        return t;
    }

    /** {@link Backend#lossHessianVector}: z, y, v and hv of rows·cols (z and y also for MSE); z's dtype. */
    public static DType lossHessianVector(Backend be, Loss loss, int batch, int rows, int cols, View z, View y, View v,
                                          View hv) {
        Objects.requireNonNull(loss, "loss");
        DType t = outputsTargets(be, batch, rows, cols, z, y);
        view(be, v, t, batch, (long) rows * cols, "v");
        view(be, hv, t, batch, (long) rows * cols, "hv");
        return t;
    }

    /** {@link Backend#countCorrect}: z and y of rows·cols, correct of 1; z's dtype. */
    public static DType countCorrect(Backend be, int batch, int rows, int cols, View z, View y, View correct) {
        DType t = outputsTargets(be, batch, rows, cols, z, y);
        view(be, correct, t, batch, 1, "correct");
        return t;
    }

    /** The sizes of a per-row loss call and its outputs z and targets y of rows·cols; z's dtype. */
    private static DType outputsTargets(Backend be, int batch, int rows, int cols, View z, View y) {
        sizes(batch, rows, cols);
        DType t = view(be, z, null, batch, (long) rows * cols, "z");
        view(be, y, t, batch, (long) rows * cols, "y");
        return t;
    }

    /** {@link Backend#columnSums}: x of rows·cols, out of cols; out's dtype. */
    public static DType columnSums(Backend be, int batch, int rows, int cols, View x, View out) {
        sizes(batch, rows, cols);
        DType t = view(be, out, null, batch, cols, "out");
        view(be, x, t, batch, (long) rows * cols, "x");
        return t;
    }

    /** {@link Backend#im2col}: x of {@code inputSize()}, cols of {@code colsSize()}; cols' dtype. */
    public static DType im2col(Backend be, ConvShape s, int batch, View x, View cols) {
        Objects.requireNonNull(s, "shape");
        return map(be, batch, x, s.inputSize(), "x", cols, s.colsSize(), "cols");
    }

    /** {@link Backend#col2im}: cols of {@code colsSize()}, dx of {@code inputSize()}; dx's dtype. */
    public static DType col2im(Backend be, ConvShape s, int batch, View cols, View dx) {
        Objects.requireNonNull(s, "shape");
        return map(be, batch, cols, s.colsSize(), "cols", dx, s.inputSize(), "dx");
    }

    /** {@link Backend#pool}: x of {@code inputSize()}, y of {@code outputSize()}; y's dtype. */
    public static DType pool(Backend be, PoolShape s, int batch, View x, View y) {
        Objects.requireNonNull(s, "shape");
        return map(be, batch, x, s.inputSize(), "x", y, s.outputSize(), "y");
    }

    /** {@link Backend#poolBackward}: x (MAX only) and dx of {@code inputSize()}, dy of {@code outputSize()}; dx's dtype. */
    public static DType poolBackward(Backend be, PoolShape s, int batch, View x, View dy, View dx) {
        Objects.requireNonNull(s, "shape");
        DType t = map(be, batch, dy, s.outputSize(), "dy", dx, s.inputSize(), "dx");
        if (s.op() == PoolShape.Pooling.MAX) view(be, x, t, batch, s.inputSize(), "x");
        return t;
    }

    /** {@link Backend#poolR}: x (MAX only) and rx of {@code inputSize()}, ry of {@code outputSize()}; ry's dtype. */
    public static DType poolR(Backend be, PoolShape s, int batch, View x, View rx, View ry) {
        Objects.requireNonNull(s, "shape");
        DType t = map(be, batch, rx, s.inputSize(), "rx", ry, s.outputSize(), "ry");
        if (s.op() == PoolShape.Pooling.MAX) view(be, x, t, batch, s.inputSize(), "x");
        return t;
    }

    /** A convolution or pooling map of {@code batch} entries from {@code in} to {@code out}; out's dtype. */
    private static DType map(Backend be, int batch, View in, long inSpan, String inName, View out, long outSpan,
                             String outName) {
        sizes(batch, 0);
        DType t = view(be, out, null, batch, outSpan, outName);
        view(be, in, t, batch, inSpan, inName);
        return t;
    }

    /** {@link Backend#update}: w and g of n, lr of 1; w's dtype. */
    public static DType update(Backend be, int batch, long n, View w, View g, View lr) {
        sizes(batch, n);
        DType t = view(be, w, null, batch, n, "w");
        view(be, g, t, batch, n, "g");
        view(be, lr, t, batch, 1, "lr");
        return t;
    }

    /** {@link Backend#optimizerUpdate}: {@link #optimizerStep}; w, g, m and (ADAM) s of n, lr of 1; w's dtype. */
    public static DType optimizerUpdate(Backend be, Optimizer opt, long t, int batch, long n, View w, View g, View m,
                                        View s, View lr) {
        optimizerStep("optimizerUpdate", opt, t);
        DType dt = update(be, batch, n, w, g, lr);
        view(be, m, dt, batch, n, "m");
        if (opt.kind() == Optimizer.Kind.ADAM) view(be, s, dt, batch, n, "s");
        return dt;
    }

    /** {@link Backend#adamTangent}: {@link #optimizerStep}; dw, dm, ds, hv, g, m, s of n, lr of 1; dw's dtype. */
    public static DType adamTangent(Backend be, Optimizer opt, long t, int batch, long n, View dw, View dm, View ds,
                                    View hv, View g, View m, View s, View lr) {
        optimizerStep("adamTangent", opt, t);
        DType dt = update(be, batch, n, dw, hv, lr);
        view(be, dm, dt, batch, n, "dm");
        view(be, ds, dt, batch, n, "ds");
        view(be, g, dt, batch, n, "g");
        view(be, m, dt, batch, n, "m");
        view(be, s, dt, batch, n, "s");
        return dt;
    }

    /** {@link Backend#adamPrecondition}: {@link #optimizerStep}; s, x and y of n; y's dtype. */
    public static DType adamPrecondition(Backend be, Optimizer opt, long t, int batch, long n, View s, View x, View y) {
        optimizerStep("adamPrecondition", opt, t);
        sizes(batch, n);
        DType dt = view(be, y, null, batch, n, "y");
        view(be, x, dt, batch, n, "x");
        view(be, s, dt, batch, n, "s");
        return dt;
    }

    /** {@link Backend#axpby}: x and y of n, alpha and beta of 1; y's dtype. */
    public static DType axpby(Backend be, int batch, long n, View alpha, View x, View beta, View y) {
        DType t = scale(be, batch, n, alpha, y);
        view(be, x, t, batch, n, "x");
        view(be, beta, t, batch, 1, "beta");
        return t;
    }

    /** {@link Backend#scale}: y of n, s of 1; y's dtype. */
    public static DType scale(Backend be, int batch, long n, View s, View y) {
        sizes(batch, n);
        DType t = view(be, y, null, batch, n, "y");
        view(be, s, t, batch, 1, "s");
        return t;
    }

    /** {@link Backend#reduce}: x and (binary reductions, required) y of n, out of 1; out's dtype. */
    public static DType reduce(Backend be, Reduction op, int batch, long n, View x, View y, View out) {
        Objects.requireNonNull(op, "reduction");
        if (op.binary() && y == null) throw new IllegalArgumentException(op + " needs a second operand y");
        sizes(batch, n);
        DType t = view(be, out, null, batch, 1, "out");
        view(be, x, t, batch, n, "x");
        if (op.binary()) view(be, y, t, batch, n, "y");
        return t;
    }

    /** {@link Backend#nonFinite}: x of n, flags of 1; x's dtype. */
    public static DType nonFinite(Backend be, int batch, long n, View x, View flags) {
        sizes(batch, n);
        DType t = view(be, x, null, batch, n, "x");
        view(be, flags, t, batch, 1, "flags");
        return t;
    }

    /**
     * A buffer length as {@link Backend#allocate} takes it; returns it.
     *
     * @throws IllegalArgumentException when it is negative (zero is a valid, empty buffer)
     */
    public static long bufferLength(long length) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        return length;
    }

    /** The error for a buffer used after {@link Buffer#close()}: an {@link IllegalStateException}. */
    public static IllegalStateException closed(String name, Buffer buffer) {
        return new IllegalStateException(name + ": buffer is closed (" + buffer + ")");
    }

    /** The error for a backend used after {@link Backend#close()}: an {@link IllegalStateException}. */
    public static IllegalStateException closed(Backend backend) {
        return new IllegalStateException(backend.name() + " backend is closed");
    }
}
