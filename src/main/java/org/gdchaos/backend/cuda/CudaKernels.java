package org.gdchaos.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.cuda.KernelLaunch.Dim3;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.kernels.GemmKernels;
import org.gdchaos.backend.kernels.KernelSource;

/**
 * Launches of the shared kernels ({@code kernels/ops.cl}): name, geometry and arguments in the
 * exact order and C types of each kernel's signature. Pure: builds {@link KernelLaunch}
 * records only, so every op's geometry and packing is unit-tested without a GPU.
 *
 * <p>Geometry (kernels/README.md): element-wise kernels use blocks of {@link CudaTuning#BLOCK}
 * threads and a grid (⌈count/BLOCK⌉ capped at {@link CudaTuning#MAX_EW_BLOCKS},
 * min(batch, 65535)); GEMM ({@code gemm_tiled}) uses blocks ({@code GEMM_WG_X}, {@code GEMM_WG_Y}, 1) and a
 * grid (⌈n/GEMM_TN⌉, ⌈m/GEMM_TM⌉, min(batch, 65535)); per-entry reductions use one block of BLOCK threads per entry, grid
 * (1, min(batch, 65535)); column sums use 16×16 blocks, grid (⌈cols/16⌉, 1, min(batch, 65535)).
 * Kernels loop over entries and elements beyond the grid.
 */
final class CudaKernels {
    private CudaKernels() {
    }

    /** A batched operand resolved to device memory: entry b at element {@code offset + b·stride}. */
    record Operand(CudaDriver.Memory memory, long offset, long stride) {
        Operand {
            Objects.requireNonNull(memory, "memory");
        }
    }

    /** Argument list builder in kernel-parameter order. */
    private static final class Args {
        final DType dtype;
        final List<KernelArg> list = new ArrayList<>();

        Args(DType dtype) {
            this.dtype = dtype;
        }

        Args i32(int v) {
            list.add(KernelArg.i32(v));
            return this;
        }

        Args i64(long v) {
            list.add(KernelArg.i64(v));
            return this;
        }

        Args real(double v) {
            list.add(KernelArg.real(dtype, v));
            return this;
        }

        /** {@code GLOBAL REAL* X, OFF_T offX, OFF_T strideX}. */
        Args operand(Operand o) {
            list.add(KernelArg.ptr(o.memory()));
            list.add(KernelArg.i64(o.offset()));
            list.add(KernelArg.i64(o.stride()));
            return this;
        }
    }

    private static int gridY(int batch) {
        return Math.min(batch, CudaTuning.MAX_GRID_YZ);
    }

    /** Element-wise geometry for {@code count} elements per entry. */
    static Dim3 elementwiseGrid(long count, int batch) {
        long blocks = (count + CudaTuning.BLOCK - 1) / CudaTuning.BLOCK;
        int x = (int) Math.max(1, Math.min(blocks, CudaTuning.MAX_EW_BLOCKS));
        return Dim3.of(x, gridY(batch));
    }

    private static KernelLaunch elementwise(DType t, String name, long count, int batch, Args a) {
        return new KernelLaunch(t, name, elementwiseGrid(count, batch), Dim3.of(CudaTuning.BLOCK), 0, a.list);
    }

    private static KernelLaunch perEntry(DType t, String name, int batch, Args a) {
        return new KernelLaunch(t, name, Dim3.of(1, gridY(batch)), Dim3.of(CudaTuning.BLOCK), 0, a.list);
    }

    /**
     * {@code gemm_tiled(int batch, int m, int n, int k, int transA, int transB, REAL alpha,
     * REAL beta, A, B, C)}: {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}, row-major, A
     * stored m×k (k×m when transA), B k×n (n×k when transB), C m×n; beta = 0 never reads C;
     * stride 0 shares an operand across the batch. Kernel and geometry come from
     * {@link GemmKernels#select}, the one place both device backends take them from (grid =
     * groups, block = local here; global = groups × local on OpenCL).
     */
    static KernelLaunch gemm(DType t, GemmShape s, Operand a, Operand b, Operand c) {
        GemmKernels.Launch g = GemmKernels.select(t, s);
        Args args = new Args(t).i32(s.batch()).i32(s.m()).i32(s.n()).i32(s.k()).i32(s.transA() ? 1 : 0)
                .i32(s.transB() ? 1 : 0).real(s.alpha()).real(s.beta()).operand(a).operand(b).operand(c);
        return new KernelLaunch(t, g.kernel(), new Dim3(Math.toIntExact(g.groups()[0]),
                Math.toIntExact(g.groups()[1]), Math.toIntExact(g.groups()[2])),
                new Dim3(g.local()[0], g.local()[1], g.local()[2]), 0, args.list);
    }

    /** {@code bias_activation}; bias null → hasBias 0 with z passed in its place. */
    static KernelLaunch biasActivation(DType t, Activation f, int batch, int rows, int cols, Operand z, Operand bias) {
        Args a = new Args(t).i32(batch).i32(rows).i32(cols).i32(f.code()).operand(z)
                .operand(bias == null ? new Operand(z.memory(), 0, 0) : bias).i32(bias == null ? 0 : 1);
        return elementwise(t, "bias_activation", (long) rows * cols, batch, a);
    }

    static KernelLaunch activationBackward(DType t, Activation f, int batch, long n, Operand h, Operand delta) {
        Args a = new Args(t).i32(batch).i64(n).i32(f.code()).operand(h).operand(delta);
        return elementwise(t, "activation_backward", n, batch, a);
    }

    static KernelLaunch activationBackwardR(DType t, Activation f, int batch, long n, Operand h, Operand e,
                                           Operand rz, Operand rdelta) {
        Args a = new Args(t).i32(batch).i64(n).i32(f.code()).operand(h).operand(e).operand(rz).operand(rdelta);
        return elementwise(t, "activation_backward_r", n, batch, a);
    }

    static KernelLaunch lossHessianVector(DType t, Loss loss, int batch, int rows, int cols, Operand z, Operand y,
                                          Operand v, double scale, Operand hv) {
        Args a = new Args(t).i32(batch).i32(rows).i32(cols).i32(loss.code()).operand(z).operand(y).operand(v)
                .real(scale).operand(hv);
        return elementwise(t, "loss_hessian_vector", rows, batch, a);
    }

    static KernelLaunch update(DType t, int batch, long n, Operand w, Operand g, Operand lr) {
        Args a = new Args(t).i32(batch).i64(n).operand(w).operand(g).operand(lr);
        return elementwise(t, "update", n, batch, a);
    }

    /** {@code optimizer_update}: s = m unless Adam. */
    static KernelLaunch optimizerUpdate(DType t, Optimizer opt, long step, int batch, long n, Operand w, Operand g,
                                        Operand m, Operand s, Operand lr) {
        Args a = new Args(t).i32(batch).i64(n).i32(opt.kind().code()).real(opt.beta1()).real(opt.beta2())
                .real(opt.epsilon()).real(opt.c1(step)).real(opt.c2(step)).operand(w).operand(g).operand(m).operand(s)
                .operand(lr);
        return elementwise(t, "optimizer_update", n, batch, a);
    }

    /** {@code adam_tangent}: Adam's tangent step at the reference's pre-update m, s, g. */
    static KernelLaunch adamTangent(DType t, Optimizer opt, long step, int batch, long n, Operand dw, Operand dm,
                                    Operand ds, Operand hv, Operand g, Operand m, Operand s, Operand lr) {
        Args a = new Args(t).i32(batch).i64(n).real(opt.beta1()).real(opt.beta2()).real(opt.epsilon())
                .real(opt.c1(step)).real(opt.c2(step)).operand(dw).operand(dm).operand(ds).operand(hv).operand(g)
                .operand(m).operand(s).operand(lr);
        return elementwise(t, "adam_tangent", n, batch, a);
    }

    /** {@code adam_precondition}: y = x·√(c1/(√(c2·s) + ε)), Adam's square-rooted preconditioner at step t. */
    static KernelLaunch adamPrecondition(DType t, Optimizer opt, long step, int batch, long n, Operand s, Operand x,
                                         Operand y) {
        Args a = new Args(t).i32(batch).i64(n).real(opt.epsilon()).real(opt.c1(step)).real(opt.c2(step)).operand(s)
                .operand(x).operand(y);
        return elementwise(t, "adam_precondition", n, batch, a);
    }

    static KernelLaunch axpby(DType t, int batch, long n, Operand alpha, Operand x, Operand beta, Operand y) {
        Args a = new Args(t).i32(batch).i64(n).operand(alpha).operand(x).operand(beta).operand(y);
        return elementwise(t, "axpby", n, batch, a);
    }

    static KernelLaunch scale(DType t, int batch, long n, Operand s, Operand y) {
        Args a = new Args(t).i32(batch).i64(n).operand(s).operand(y);
        return elementwise(t, "scale", n, batch, a);
    }

    /** {@code fill(OFF_T n, REAL value, GLOBAL REAL* dst, OFF_T off)}. */
    static KernelLaunch fill(DType t, CudaDriver.Memory dst, long offset, long n, double value) {
        Args a = new Args(t).i64(n).real(value);
        a.list.add(KernelArg.ptr(dst));
        a.i64(offset);
        return elementwise(t, "fill", n, 1, a);
    }

    static KernelLaunch lossGradient(DType t, Loss loss, int batch, int rows, int cols, Operand z, Operand y,
                                     double scale, Operand grad, Operand lossSum) {
        Args a = new Args(t).i32(batch).i32(rows).i32(cols).i32(loss.code()).operand(z).operand(y).real(scale)
                .operand(grad).operand(lossSum);
        return perEntry(t, "loss_gradient", batch, a);
    }

    static KernelLaunch countCorrect(DType t, int batch, int rows, int cols, Operand z, Operand y, Operand correct) {
        Args a = new Args(t).i32(batch).i32(rows).i32(cols).operand(z).operand(y).operand(correct);
        return perEntry(t, "count_correct", batch, a);
    }

    /** {@code reduce}; y null (unary reductions) → x passed in its place. */
    static KernelLaunch reduce(DType t, Reduction op, int batch, long n, Operand x, Operand y, Operand out) {
        Args a = new Args(t).i32(batch).i64(n).i32(op.code()).operand(x).operand(y == null ? x : y).operand(out);
        return perEntry(t, "reduce", batch, a);
    }

    static KernelLaunch nonFinite(DType t, int batch, long n, Operand x, Operand flags) {
        Args a = new Args(t).i32(batch).i64(n).operand(x).operand(flags);
        return perEntry(t, "non_finite", batch, a);
    }

    static KernelLaunch columnSums(DType t, int batch, int rows, int cols, double alpha, Operand x, double beta,
                                   Operand out) {
        Args a = new Args(t).i32(batch).i32(rows).i32(cols).real(alpha).operand(x).real(beta).operand(out);
        int gx = (cols + KernelSource.COLSUM_WG_X - 1) / KernelSource.COLSUM_WG_X;
        return new KernelLaunch(t, "column_sums", new Dim3(gx, 1, gridY(batch)),
                Dim3.of(KernelSource.COLSUM_WG_X, KernelSource.COLSUM_WG_Y), 0, a.list);
    }

    /**
     * {@code im2col(int batch, int n, int h, int w, int cin, int k, int pad, x, cols)}, EW over
     * {@code colsSize()} elements per entry (see {@link org.gdchaos.backend.Backend#im2col}).
     */
    static KernelLaunch im2col(DType t, ConvShape s, int batch, Operand x, Operand cols) {
        Args a = conv(t, s, batch).operand(x).operand(cols);
        return elementwise(t, "im2col", s.colsSize(), batch, a);
    }

    /** {@code col2im(int batch, int n, int h, int w, int cin, int k, int pad, cols, dx)}, EW over {@code inputSize()}. */
    static KernelLaunch col2im(DType t, ConvShape s, int batch, Operand cols, Operand dx) {
        Args a = conv(t, s, batch).operand(cols).operand(dx);
        return elementwise(t, "col2im", s.inputSize(), batch, a);
    }

    private static Args conv(DType t, ConvShape s, int batch) {
        return new Args(t).i32(batch).i32(s.n()).i32(s.h()).i32(s.w()).i32(s.cin()).i32(s.k()).i32(s.pad());
    }

    /**
     * {@code pool(int batch, int op, int n, int h, int w, int c, sel, v, y)}, EW over
     * {@code outputSize()}: forward passes sel = v = x, the R-operator sel = x, v = rx.
     */
    static KernelLaunch pool(DType t, PoolShape s, int batch, Operand sel, Operand v, Operand y) {
        Args a = pooling(t, s, batch).operand(sel).operand(v).operand(y);
        return elementwise(t, "pool", s.outputSize(), batch, a);
    }

    /** {@code pool_backward(int batch, int op, int n, int h, int w, int c, x, dy, dx)}, EW over {@code inputSize()}. */
    static KernelLaunch poolBackward(DType t, PoolShape s, int batch, Operand x, Operand dy, Operand dx) {
        Args a = pooling(t, s, batch).operand(x).operand(dy).operand(dx);
        return elementwise(t, "pool_backward", s.inputSize(), batch, a);
    }

    private static Args pooling(DType t, PoolShape s, int batch) {
        return new Args(t).i32(batch).i32(s.op().code()).i32(s.n()).i32(s.h()).i32(s.w()).i32(s.c());
    }
}
