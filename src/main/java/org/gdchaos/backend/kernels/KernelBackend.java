package org.gdchaos.backend.kernels;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.backend.kernels.Arg.Operand;

/**
 * The primitives both device hosts (CUDA, OpenCL) launch from the kernel table, written once:
 * each checks its operands ({@link Checks}, after {@link #checkOpen}), returns when its sizes make
 * it empty, and launches the {@link KernelCalls} entry of the same name with every view resolved
 * by {@link #operand}. A host adds memory (allocate, upload, download, copy, fill) and its
 * launch ({@link #launch}); CUDA overrides {@link #gemm} for cuBLAS. An operand the kernel does
 * not read is passed as one it does (never read): poolR's and poolBackward's x for AVG, the
 * optimizer's s for non-Adam, reduce's y for unary reductions ({@link KernelCalls}).
 */
public abstract class KernelBackend implements Backend {

    /** @throws IllegalStateException when the backend was closed ({@link Checks#closed(Backend)}) */
    protected abstract void checkOpen();

    /** A checked view as the kernels' operand {@code (memory, offset, stride)} in this host's memory handle. */
    protected abstract Operand operand(View v);

    /** Queues a launch from the kernel table. */
    protected abstract void launch(KernelCall c);

    @Override
    public void gemm(GemmShape s, View a, View b, View c) {
        checkOpen();
        DType t = Checks.gemm(this, s, a, b, c);
        launch(KernelCalls.gemm(t, s, operand(a), operand(b), operand(c)));
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias) {
        checkOpen();
        DType t = Checks.biasActivation(this, f, batch, rows, cols, z, bias);
        if (batch == 0 || rows == 0 || cols == 0) return;
        launch(KernelCalls.biasActivation(t, f, batch, rows, cols, operand(z), bias == null ? null : operand(bias)));
    }

    @Override
    public void activationBackward(Activation f, int batch, int rows, int cols, View h, View delta) {
        checkOpen();
        DType t = Checks.activationBackward(this, f, batch, rows, cols, h, delta);
        if (batch == 0 || rows == 0 || cols == 0) return;
        launch(KernelCalls.activationBackward(t, f, batch, (long) rows * cols, operand(h), operand(delta)));
    }

    @Override
    public void activationBackwardR(Activation f, int batch, int rows, int cols, View h, View e, View rz,
                                    View rdelta) {
        checkOpen();
        DType t = Checks.activationBackwardR(this, f, batch, rows, cols, h, e, rz, rdelta);
        if (batch == 0 || rows == 0 || cols == 0) return;
        launch(KernelCalls.activationBackwardR(t, f, batch, (long) rows * cols, operand(h), operand(e), operand(rz),
                operand(rdelta)));
    }

    @Override
    public void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale, View grad,
                             View lossSum) {
        checkOpen();
        DType t = Checks.lossGradient(this, loss, batch, rows, cols, z, y, grad, lossSum);
        if (batch == 0 || rows == 0 || cols == 0) return;
        launch(KernelCalls.lossGradient(t, loss, batch, rows, cols, operand(z), operand(y), scale, operand(grad),
                operand(lossSum)));
    }

    @Override
    public void lossHessianVector(Loss loss, int batch, int rows, int cols, View z, View y, View v, double scale,
                                  View hv) {
        checkOpen();
        DType t = Checks.lossHessianVector(this, loss, batch, rows, cols, z, y, v, hv);
        if (batch == 0 || rows == 0 || cols == 0) return;
        launch(KernelCalls.lossHessianVector(t, loss, batch, rows, cols, operand(z), operand(y), operand(v), scale,
                operand(hv)));
    }

    @Override
    public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
        checkOpen();
        DType t = Checks.countCorrect(this, batch, rows, cols, z, y, correct);
        if (batch == 0 || rows == 0 || cols == 0) return;
        launch(KernelCalls.countCorrect(t, batch, rows, cols, operand(z), operand(y), operand(correct)));
    }

    @Override
    public void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out) {
        checkOpen();
        DType t = Checks.columnSums(this, batch, rows, cols, x, out);
        if (batch == 0 || cols == 0) return;                      // rows == 0 still writes beta·out
        launch(KernelCalls.columnSums(t, batch, rows, cols, alpha, operand(x), beta, operand(out)));
    }

    // ---------------------------------------------------------------- convolution and pooling

    @Override
    public void im2col(ConvShape s, int batch, View x, View cols) {
        checkOpen();
        DType t = Checks.im2col(this, s, batch, x, cols);
        if (batch == 0) return;
        launch(KernelCalls.im2col(t, s, batch, operand(x), operand(cols)));
    }

    @Override
    public void col2im(ConvShape s, int batch, View cols, View dx) {
        checkOpen();
        DType t = Checks.col2im(this, s, batch, cols, dx);
        if (batch == 0) return;
        launch(KernelCalls.col2im(t, s, batch, operand(cols), operand(dx)));
    }

    @Override
    public void pool(PoolShape s, int batch, View x, View y) {
        checkOpen();
        DType t = Checks.pool(this, s, batch, x, y);
        if (batch == 0) return;
        Operand ox = operand(x);
        launch(KernelCalls.pool(t, s, batch, ox, ox, operand(y)));
    }

    @Override
    public void poolBackward(PoolShape s, int batch, View x, View dy, View dx) {
        checkOpen();
        DType t = Checks.poolBackward(this, s, batch, x, dy, dx);
        if (batch == 0) return;
        Operand ody = operand(dy);
        launch(KernelCalls.poolBackward(t, s, batch, selection(s, x, ody), ody, operand(dx)));
    }

    @Override
    public void poolR(PoolShape s, int batch, View x, View rx, View ry) {
        checkOpen();
        DType t = Checks.poolR(this, s, batch, x, rx, ry);
        if (batch == 0) return;
        Operand orx = operand(rx);
        launch(KernelCalls.pool(t, s, batch, selection(s, x, orx), orx, operand(ry)));
    }

    /** The operand MAX pooling selects on, x; for AVG, which never reads it, {@code unread} in its place. */
    private Operand selection(PoolShape s, View x, Operand unread) {
        return s.op() == PoolShape.Pooling.MAX ? operand(x) : unread;
    }

    // ---------------------------------------------------------------- per-trajectory vectors

    @Override
    public void update(int batch, long n, View w, View g, View lr) {
        checkOpen();
        DType t = Checks.update(this, batch, n, w, g, lr);
        if (batch == 0 || n == 0) return;
        launch(KernelCalls.update(t, batch, n, operand(w), operand(g), operand(lr)));
    }

    @Override
    public void optimizerUpdate(Optimizer opt, long t, int batch, long n, View w, View g, View m, View s, View lr) {
        checkOpen();
        DType dt = Checks.optimizerUpdate(this, opt, t, batch, n, w, g, m, s, lr);
        if (batch == 0 || n == 0) return;
        Operand om = operand(m);
        Operand os = opt.kind() == Optimizer.Kind.ADAM ? operand(s) : om; // only Adam reads s
        launch(KernelCalls.optimizerUpdate(dt, opt, t, batch, n, operand(w), operand(g), om, os, operand(lr)));
    }

    @Override
    public void adamTangent(Optimizer opt, long t, int batch, long n, View dw, View dm, View ds, View hv, View g,
                            View m, View s, View lr) {
        checkOpen();
        DType dt = Checks.adamTangent(this, opt, t, batch, n, dw, dm, ds, hv, g, m, s, lr);
        if (batch == 0 || n == 0) return;
        launch(KernelCalls.adamTangent(dt, opt, t, batch, n, operand(dw), operand(dm), operand(ds), operand(hv),
                operand(g), operand(m), operand(s), operand(lr)));
    }

    @Override
    public void adamPrecondition(Optimizer opt, long t, int batch, long n, View s, View x, View y) {
        checkOpen();
        DType dt = Checks.adamPrecondition(this, opt, t, batch, n, s, x, y);
        if (batch == 0 || n == 0) return;
        launch(KernelCalls.adamPrecondition(dt, opt, t, batch, n, operand(s), operand(x), operand(y)));
    }

    @Override
    public void axpby(int batch, long n, View alpha, View x, View beta, View y) {
        checkOpen();
        DType t = Checks.axpby(this, batch, n, alpha, x, beta, y);
        if (batch == 0 || n == 0) return;
        launch(KernelCalls.axpby(t, batch, n, operand(alpha), operand(x), operand(beta), operand(y)));
    }

    @Override
    public void scale(int batch, long n, View s, View y) {
        checkOpen();
        DType t = Checks.scale(this, batch, n, s, y);
        if (batch == 0 || n == 0) return;
        launch(KernelCalls.scale(t, batch, n, operand(s), operand(y)));
    }

    @Override
    public void reduce(Reduction op, int batch, long n, View x, View y, View out) {
        checkOpen();
        DType t = Checks.reduce(this, op, batch, n, x, y, out);
        if (batch == 0) return;                                   // n == 0 still writes out[b] = 0
        launch(KernelCalls.reduce(t, op, batch, n, operand(x), op.binary() ? operand(y) : null, operand(out)));
    }

    @Override
    public void nonFinite(int batch, long n, View x, View flags) {
        checkOpen();
        DType t = Checks.nonFinite(this, batch, n, x, flags);
        if (batch == 0 || n == 0) return;
        launch(KernelCalls.nonFinite(t, batch, n, operand(x), operand(flags)));
    }
}
