package org.gdchaos.backend.kernels;

import static org.gdchaos.backend.kernels.Arg.flag;
import static org.gdchaos.backend.kernels.Arg.i;
import static org.gdchaos.backend.kernels.Arg.off;
import static org.gdchaos.backend.kernels.Arg.real;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.kernels.Arg.Operand;

/**
 * The launch behind each {@link org.gdchaos.backend.Backend} primitive on the shared kernels,
 * for both device hosts: which {@link Kernel} entry, its arguments and the extent its
 * {@link Kernel.Geometry} is computed over. Pure (no device calls); the hosts validate their
 * views, skip empty calls and pass operands resolved to their own memory handles.
 * The formulas are the ones documented on {@link org.gdchaos.backend.Backend} and kernels/README.md.
 */
public final class KernelCalls {
    private KernelCalls() {
    }

    /**
     * {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}: kernel and geometry from
     * {@link GemmKernels#select} (by dtype and shape, never batch).
     */
    public static KernelCall gemm(DType t, GemmShape s, Operand a, Operand b, Operand c) {
        GemmKernels.Launch g = GemmKernels.select(t, s);
        return Kernel.named(g.kernel()).call(t, g.local(), g.groups(), i(s.batch()), i(s.m()), i(s.n()), i(s.k()),
                flag(s.transA()), flag(s.transB()), real(s.alpha()), real(s.beta()), a, b, c);
    }

    /** Element-wise over rows·cols; bias null → hasBias 0 with z passed in its place (never read). */
    public static KernelCall biasActivation(DType t, Activation f, int batch, int rows, int cols, Operand z,
                                            Operand bias) {
        return Kernel.BIAS_ACTIVATION.call(t, (long) rows * cols, batch, i(batch), i(rows), i(cols), i(f.code()), z,
                bias == null ? z : bias, flag(bias != null));
    }

    public static KernelCall activationBackward(DType t, Activation f, int batch, long n, Operand h, Operand delta) {
        return Kernel.ACTIVATION_BACKWARD.call(t, n, batch, i(batch), off(n), i(f.code()), h, delta);
    }

    public static KernelCall activationBackwardR(DType t, Activation f, int batch, long n, Operand h, Operand e,
                                                 Operand rz, Operand rdelta) {
        return Kernel.ACTIVATION_BACKWARD_R.call(t, n, batch, i(batch), off(n), i(f.code()), h, e, rz, rdelta);
    }

    /** Element-wise over rows (one work-item per row). */
    public static KernelCall lossHessianVector(DType t, Loss loss, int batch, int rows, int cols, Operand z,
                                               Operand y, Operand v, double scale, Operand hv) {
        return Kernel.LOSS_HESSIAN_VECTOR.call(t, rows, batch, i(batch), i(rows), i(cols), i(loss.code()), z, y, v,
                real(scale), hv);
    }

    public static KernelCall update(DType t, int batch, long n, Operand w, Operand g, Operand lr) {
        return Kernel.UPDATE.call(t, n, batch, i(batch), off(n), w, g, lr);
    }

    /** Optimizer {@code opt} at step {@code step}; s is read only by Adam (pass m otherwise). */
    public static KernelCall optimizerUpdate(DType t, Optimizer opt, long step, int batch, long n, Operand w,
                                             Operand g, Operand m, Operand s, Operand lr) {
        return Kernel.OPTIMIZER_UPDATE.call(t, n, batch, i(batch), off(n), i(opt.kind().code()), real(opt.beta1()),
                real(opt.beta2()), real(opt.epsilon()), real(opt.c1(step)), real(opt.c2(step)), w, g, m, s, lr);
    }

    /** Adam's tangent step at the reference's pre-update m, s, g. */
    public static KernelCall adamTangent(DType t, Optimizer opt, long step, int batch, long n, Operand dw,
                                         Operand dm, Operand ds, Operand hv, Operand g, Operand m, Operand s,
                                         Operand lr) {
        return Kernel.ADAM_TANGENT.call(t, n, batch, i(batch), off(n), real(opt.beta1()), real(opt.beta2()),
                real(opt.epsilon()), real(opt.c1(step)), real(opt.c2(step)), dw, dm, ds, hv, g, m, s, lr);
    }

    /** y = x·√(c1/(√(c2·s) + ε)), Adam's square-rooted preconditioner at step {@code step}. */
    public static KernelCall adamPrecondition(DType t, Optimizer opt, long step, int batch, long n, Operand s,
                                              Operand x, Operand y) {
        return Kernel.ADAM_PRECONDITION.call(t, n, batch, i(batch), off(n), real(opt.epsilon()), real(opt.c1(step)),
                real(opt.c2(step)), s, x, y);
    }

    public static KernelCall axpby(DType t, int batch, long n, Operand alpha, Operand x, Operand beta, Operand y) {
        return Kernel.AXPBY.call(t, n, batch, i(batch), off(n), alpha, x, beta, y);
    }

    public static KernelCall scale(DType t, int batch, long n, Operand s, Operand y) {
        return Kernel.SCALE.call(t, n, batch, i(batch), off(n), s, y);
    }

    /** {@code dst[offset + e] = value} for e &lt; n, one entry ({@code dst} is the device memory). */
    public static KernelCall fill(DType t, Object dst, long offset, long n, double value) {
        return Kernel.FILL.call(t, n, 1, off(n), real(value), Arg.pointer(dst), off(offset));
    }

    public static KernelCall lossGradient(DType t, Loss loss, int batch, int rows, int cols, Operand z, Operand y,
                                          double scale, Operand grad, Operand lossSum) {
        return Kernel.LOSS_GRADIENT.call(t, 0, batch, i(batch), i(rows), i(cols), i(loss.code()), z, y, real(scale),
                grad, lossSum);
    }

    public static KernelCall countCorrect(DType t, int batch, int rows, int cols, Operand z, Operand y,
                                          Operand correct) {
        return Kernel.COUNT_CORRECT.call(t, 0, batch, i(batch), i(rows), i(cols), z, y, correct);
    }

    /** y null (unary reductions) → x passed in its place (never read). */
    public static KernelCall reduce(DType t, Reduction op, int batch, long n, Operand x, Operand y, Operand out) {
        return Kernel.REDUCE.call(t, 0, batch, i(batch), off(n), i(op.code()), x, y == null ? x : y, out);
    }

    public static KernelCall nonFinite(DType t, int batch, long n, Operand x, Operand flags) {
        return Kernel.NON_FINITE.call(t, 0, batch, i(batch), off(n), x, flags);
    }

    public static KernelCall columnSums(DType t, int batch, int rows, int cols, double alpha, Operand x,
                                        double beta, Operand out) {
        return Kernel.COLUMN_SUMS.call(t, cols, batch, i(batch), i(rows), i(cols), real(alpha), x, real(beta), out);
    }

    /** Element-wise over {@code colsSize()} (see {@link org.gdchaos.backend.Backend#im2col}). */
    public static KernelCall im2col(DType t, ConvShape s, int batch, Operand x, Operand cols) {
        return Kernel.IM2COL.call(t, s.colsSize(), batch, i(batch), i(s.n()), i(s.h()), i(s.w()), i(s.cin()),
                i(s.k()), i(s.pad()), x, cols);
    }

    /** Element-wise over {@code inputSize()}. */
    public static KernelCall col2im(DType t, ConvShape s, int batch, Operand cols, Operand dx) {
        return Kernel.COL2IM.call(t, s.inputSize(), batch, i(batch), i(s.n()), i(s.h()), i(s.w()), i(s.cin()),
                i(s.k()), i(s.pad()), cols, dx);
    }

    /**
     * Element-wise over {@code outputSize()}: the forward pass passes sel = v = x, the R-operator
     * sel = x, v = rx (AVG never reads sel).
     */
    public static KernelCall pool(DType t, PoolShape s, int batch, Operand sel, Operand v, Operand y) {
        return Kernel.POOL.call(t, s.outputSize(), batch, i(batch), i(s.op().code()), i(s.n()), i(s.h()), i(s.w()),
                i(s.c()), sel, v, y);
    }

    /** Element-wise over {@code inputSize()} (AVG never reads x). */
    public static KernelCall poolBackward(DType t, PoolShape s, int batch, Operand x, Operand dy, Operand dx) {
        return Kernel.POOL_BACKWARD.call(t, s.inputSize(), batch, i(batch), i(s.op().code()), i(s.n()), i(s.h()),
                i(s.w()), i(s.c()), x, dy, dx);
    }
}
