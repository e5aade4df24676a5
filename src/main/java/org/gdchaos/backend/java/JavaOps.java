package org.gdchaos.backend.java;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.backend.java.cpu.Parallel;
import org.gdchaos.backend.java.gemm.JavaGemm;

/**
 * The element-type half of {@link JavaBackend}: every primitive on the heap arrays of one dtype,
 * after the backend has checked the operands (ownership, liveness, one dtype per call, fit).
 * {@link JavaBackend} picks the instance of a call's dtype once per call ({@link #of}); the two
 * instances are {@link JavaOpsF64} and its generated f32 twin, so both precisions have one source.
 * Values on the host side of the interface (uploads, downloads, scalars, partial sums) are
 * 64-bit whatever the element type. Semantics of every primitive: see
 * {@link org.gdchaos.backend.Backend}.
 */
abstract class JavaOps {
    final Parallel parallel;
    final JavaGemm gemm;
    /** Use the Vector API where it pays (same bits as the scalar loops). */
    final boolean vector;

    JavaOps(Parallel parallel, JavaGemm gemm, boolean vector) {
        this.parallel = parallel;
        this.gemm = gemm;
        this.vector = vector;
    }

    /** The operations of {@code dtype}: {@code f64} for {@link DType#F64}, else {@code f32}. */
    static JavaOps of(DType dtype, JavaOps f64, JavaOps f32) {
        return dtype == DType.F64 ? f64 : f32;
    }

    /** {@code dst[dstOffset + i] = src[srcOffset + i]} (rounded to the element type), i &lt; n. */
    abstract void upload(double[] src, int srcOffset, JavaBuffer dst, int dstOffset, int n);

    /** {@code dst[dstOffset + i] = src[srcOffset + i]}, i &lt; n. */
    abstract void download(JavaBuffer src, int srcOffset, double[] dst, int dstOffset, int n);

    abstract void copy(JavaBuffer src, int srcOffset, JavaBuffer dst, int dstOffset, int n);

    /** {@code dst[from .. to) = value} (rounded to the element type). */
    abstract void fill(JavaBuffer dst, int from, int to, double value);

    abstract void gemm(GemmShape s, View a, View b, View c);

    abstract void biasActivation(Activation f, RowBlocks rb, View z, View bias);

    abstract void activationBackward(Activation f, RowBlocks rb, View h, View delta);

    abstract void activationBackwardR(Activation f, RowBlocks rb, View h, View e, View rz, View rdelta);

    /** Writes grad; returns the per-block partial loss sums {@code Σ ℓ}, unscaled (see {@link LossKernels}). */
    abstract double[] lossGradient(Loss loss, RowBlocks rb, View z, View y, double scale, View grad);

    abstract void lossHessianVector(Loss loss, RowBlocks rb, View z, View y, View v, double scale, View hv);

    /** Returns the per-block counts of correct rows. */
    abstract double[] countCorrect(RowBlocks rb, View z, View y);

    abstract void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out);

    abstract void update(VecBlocks vb, View w, View g, View lr);

    /** {@link org.gdchaos.backend.Backend#optimizerUpdate}; kind is the kernel code, s = m unless Adam. */
    abstract void optimizerUpdate(VecBlocks vb, int kind, double beta1, double beta2, double eps, double c1, double c2,
                                  View w, View g, View m, View s, View lr);

    /** {@link org.gdchaos.backend.Backend#adamTangent}: blocks of dw; dm, ds, hv, g, m, s alike. */
    abstract void adamTangent(VecBlocks vb, double beta1, double beta2, double eps, double c1, double c2, View dw,
                              View dm, View ds, View hv, View g, View m, View s, View lr);

    /** {@link org.gdchaos.backend.Backend#adamPrecondition}: blocks of y; s, x alike. */
    abstract void adamPrecondition(VecBlocks vb, double eps, double c1, double c2, View s, View x, View y);

    abstract void axpby(VecBlocks vb, View alpha, View x, View beta, View y);

    abstract void scale(VecBlocks vb, View s, View y);

    /** Returns the per-block partial sums of {@code op}. */
    abstract double[] reduce(Reduction op, VecBlocks vb, View x, View y);

    /** Returns per block 1 when the block holds a NaN or infinity, else 0. */
    abstract double[] nonFinite(VecBlocks vb, View x);

    /** {@code v[b] = value} (rounded to the element type). */
    abstract void store(View v, int b, double value);

    /** {@code v[b] += scale·Σ partial[b·perEntry ..]} in block order, for b &lt; batch. */
    abstract void addPerEntry(View v, int batch, double[] partial, int perEntry, double scale);

    // ---------------------------------------------------------------- convolution and pooling

    /** The work on one image row of one sample of one entry. */
    interface RowUnit {
        void run(int bt, int smp, int row);
    }

    /**
     * Runs {@code body} over units of (entry, sample, row) on the backend's {@link Parallel}:
     * entry bt's rows are units [bt·n·rows, (bt+1)·n·rows); each unit writes its own rows only, so
     * results do not depend on the thread count.
     */
    final void rows(int batch, int n, int rowsPerSample, long elementsPerRow, RowUnit body) {
        int perEntry = Math.multiplyExact(n, rowsPerSample);
        parallel.run(Math.multiplyExact(batch, perEntry), elementsPerRow, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int bt = u / perEntry, r = u % perEntry;
                body.run(bt, r / rowsPerSample, r % rowsPerSample);
            }
        });
    }

    abstract void im2col(ConvShape s, int batch, View x, View cols);

    abstract void col2im(ConvShape s, int batch, View cols, View dx);

    abstract void pool(PoolShape s, int batch, View x, View y);

    /** {@code xv}: the pooled input for MAX; any operand of the dtype for AVG (never read). */
    abstract void poolBackward(PoolShape s, int batch, View xv, View dy, View dx);

    /** {@code xv}: the primal input for MAX; any operand of the dtype for AVG (never read). */
    abstract void poolR(PoolShape s, int batch, View xv, View rx, View ry);
}
