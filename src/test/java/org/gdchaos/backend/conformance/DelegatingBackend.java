package org.gdchaos.backend.conformance;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;

/** Forwards every call to another backend; tests override single methods to plant bugs (public for the CLI tests). */
public class DelegatingBackend implements Backend {
    protected final Backend inner;

    public DelegatingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override public String name() { return "mutant"; }
    @Override public String device() { return inner.device(); }
    @Override public boolean supports(DType dtype) { return inner.supports(dtype); }
    @Override public long memoryBytes() { return inner.memoryBytes(); }
    @Override public Buffer allocate(DType dtype, long length) { return inner.allocate(dtype, length); }

    @Override
    public void upload(double[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        inner.upload(src, srcOffset, dst, dstOffset, n);
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int n) {
        inner.download(src, srcOffset, dst, dstOffset, n);
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        inner.copy(src, srcOffset, dst, dstOffset, n);
    }

    @Override public void fill(Buffer dst, long offset, long n, double value) { inner.fill(dst, offset, n, value); }
    @Override public void gemm(GemmShape shape, View a, View b, View c) { inner.gemm(shape, a, b, c); }

    @Override
    public void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias) {
        inner.biasActivation(f, batch, rows, cols, z, bias);
    }

    @Override
    public void activationBackward(Activation f, int batch, int rows, int cols, View h, View delta) {
        inner.activationBackward(f, batch, rows, cols, h, delta);
    }

    @Override
    public void activationBackwardR(Activation f, int batch, int rows, int cols, View h, View e, View rz,
                                    View rdelta) {
        inner.activationBackwardR(f, batch, rows, cols, h, e, rz, rdelta);
    }

    @Override
    public void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale, View grad,
                             View lossSum) {
        inner.lossGradient(loss, batch, rows, cols, z, y, scale, grad, lossSum);
    }

    @Override
    public void lossHessianVector(Loss loss, int batch, int rows, int cols, View z, View y, View v, double scale,
                                  View hv) {
        inner.lossHessianVector(loss, batch, rows, cols, z, y, v, scale, hv);
    }

    @Override
    public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
        inner.countCorrect(batch, rows, cols, z, y, correct);
    }

    @Override
    public void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out) {
        inner.columnSums(batch, rows, cols, alpha, x, beta, out);
    }

    @Override public void update(int batch, long n, View w, View g, View lr) { inner.update(batch, n, w, g, lr); }

    @Override
    public void optimizerUpdate(Optimizer opt, long t, int batch, long n, View w, View g, View m, View s, View lr) {
        inner.optimizerUpdate(opt, t, batch, n, w, g, m, s, lr);
    }

    @Override
    public void adamTangent(Optimizer opt, long t, int batch, long n, View dw, View dm, View ds, View hv, View g,
                            View m, View s, View lr) {
        inner.adamTangent(opt, t, batch, n, dw, dm, ds, hv, g, m, s, lr);
    }

    @Override
    public void adamPrecondition(Optimizer opt, long t, int batch, long n, View s, View x, View y) {
        inner.adamPrecondition(opt, t, batch, n, s, x, y);
    }

    @Override
    public void axpby(int batch, long n, View alpha, View x, View beta, View y) {
        inner.axpby(batch, n, alpha, x, beta, y);
    }

    @Override public void scale(int batch, long n, View s, View y) { inner.scale(batch, n, s, y); }

    @Override
    public void reduce(Reduction op, int batch, long n, View x, View y, View out) {
        inner.reduce(op, batch, n, x, y, out);
    }

    @Override public void nonFinite(int batch, long n, View x, View flags) { inner.nonFinite(batch, n, x, flags); }
    @Override public void close() { inner.close(); }

    @Override public void im2col(ConvShape s, int batch, View x, View cols) { inner.im2col(s, batch, x, cols); }
    @Override public void col2im(ConvShape s, int batch, View cols, View dx) { inner.col2im(s, batch, cols, dx); }
    @Override public void pool(PoolShape s, int batch, View x, View y) { inner.pool(s, batch, x, y); }

    @Override
    public void poolBackward(PoolShape s, int batch, View x, View dy, View dx) {
        inner.poolBackward(s, batch, x, dy, dx);
    }

    @Override public void poolR(PoolShape s, int batch, View x, View rx, View ry) { inner.poolR(s, batch, x, rx, ry); }
}
