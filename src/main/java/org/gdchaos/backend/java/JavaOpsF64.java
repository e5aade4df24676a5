package org.gdchaos.backend.java;

import java.util.Arrays;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.backend.java.cpu.JavaTunables;
import org.gdchaos.backend.java.cpu.Parallel;
import org.gdchaos.backend.java.gemm.JavaGemm;

import static org.gdchaos.backend.java.Operands.f64;
import static org.gdchaos.backend.java.Operands.off;
import static org.gdchaos.backend.java.Operands.stride;

/**
 * The float64 operations of {@link JavaBackend} (see {@link JavaOps}): operands fetched as
 * arrays of the element type, work cut into {@link RowBlocks}/{@link VecBlocks} units on the
 * backend's {@link Parallel}, kernels of {@link ActivationKernelsF64}, {@link VectorMapsF64},
 * {@link LossKernels}, {@link VectorKernelsF64} and {@link JavaGemm}. Host values (the interface's
 * 64-bit side) carry the host marker of {@code PrecisionTwins} and stay 64-bit in the twin.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class JavaOpsF64 extends JavaOps {

    JavaOpsF64(Parallel parallel, JavaGemm gemm, boolean vector) {
        super(parallel, gemm, vector);
    }

    @Override
    void upload(/*host*/double[] src, int srcOffset, JavaBuffer dst, int dstOffset, int n) {
        double[] a = dst.f64();
        for (int i = 0; i < n; i++) a[dstOffset + i] = (double) src[srcOffset + i];
    }

    @Override
    void download(JavaBuffer src, int srcOffset, /*host*/double[] dst, int dstOffset, int n) {
        double[] a = src.f64();
        for (int i = 0; i < n; i++) dst[dstOffset + i] = a[srcOffset + i];
    }

    @Override
    void copy(JavaBuffer src, int srcOffset, JavaBuffer dst, int dstOffset, int n) {
        System.arraycopy(src.f64(), srcOffset, dst.f64(), dstOffset, n);
    }

    @Override
    void fill(JavaBuffer dst, int from, int to, /*host*/double value) {
        Arrays.fill(dst.f64(), from, to, (double) value);
    }

    @Override
    void gemm(GemmShape s, View a, View b, View c) {
        int n = s.batch();
        gemm.gemm(s, f64(a), off(a), stride(a, n), f64(b), off(b), stride(b, n), f64(c), off(c), stride(c, n));
    }

    @Override
    void biasActivation(Activation f, RowBlocks rb, View z, View bias) {
        int cols = rb.cols;
        double[] za = f64(z), ba = bias == null ? null : f64(bias);
        rb.run(parallel, (bt, r0, r1) -> {
            int zo = off(z, bt) + r0 * cols;
            if (ba != null) ActivationKernelsF64.addBias(za, zo, ba, off(bias, bt), r1 - r0, cols);
            ActivationKernelsF64.apply(f, za, zo, (r1 - r0) * cols, vector);
            return 0;
        });
    }

    @Override
    void activationBackward(Activation f, RowBlocks rb, View h, View delta) {
        int cols = rb.cols;
        double[] ha = f64(h), da = f64(delta);
        rb.run(parallel, (bt, r0, r1) -> {
            ActivationKernelsF64.backward(f, ha, off(h, bt) + r0 * cols, da, off(delta, bt) + r0 * cols, (r1 - r0) * cols);
            return 0;
        });
    }

    @Override
    void activationBackwardR(Activation f, RowBlocks rb, View h, View e, View rz, View rdelta) {
        int cols = rb.cols;
        double[] ha = f64(h), ea = f64(e), ra = f64(rz), da = f64(rdelta);
        rb.run(parallel, (bt, r0, r1) -> {
            int d = r0 * cols;
            ActivationKernelsF64.backwardR(f, ha, off(h, bt) + d, ea, off(e, bt) + d, ra, off(rz, bt) + d,
                    da, off(rdelta, bt) + d, (r1 - r0) * cols);
            return 0;
        });
    }

    @Override
    /*host*/double[] lossGradient(Loss loss, RowBlocks rb, View z, View y, /*host*/double scale, View grad) {
        int cols = rb.cols;
        boolean ce = loss == Loss.CROSS_ENTROPY;
        double[] za = f64(z), ya = f64(y), ga = f64(grad);
        return rb.run(parallel, (bt, r0, r1) -> {
            int d = r0 * cols;
            return ce ? LossKernels.crossEntropy(za, off(z, bt) + d, ya, off(y, bt) + d, scale, ga, off(grad, bt) + d, r1 - r0, cols)
                    : LossKernels.mse(za, off(z, bt) + d, ya, off(y, bt) + d, scale, ga, off(grad, bt) + d, (r1 - r0) * cols);
        });
    }

    @Override
    void lossHessianVector(Loss loss, RowBlocks rb, View z, View y, View v, /*host*/double scale, View hv) {
        int cols = rb.cols;
        double[] va = f64(v), ha = f64(hv);
        double[] za = loss == Loss.MSE ? null : f64(z), ya = loss == Loss.MSE ? null : f64(y);
        rb.run(parallel, (bt, r0, r1) -> {
            int d = r0 * cols;
            if (za == null) {
                int vo = off(v, bt) + d, ho = off(hv, bt) + d, cnt = (r1 - r0) * cols;
                double s = (double) scale;
                for (int i = 0; i < cnt; i++) ha[ho + i] = s * va[vo + i];
            } else {
                LossKernels.crossEntropyHv(za, off(z, bt) + d, ya, off(y, bt) + d, va, off(v, bt) + d, scale,
                        ha, off(hv, bt) + d, r1 - r0, cols);
            }
            return 0;
        });
    }

    @Override
    /*host*/double[] countCorrect(RowBlocks rb, View z, View y) {
        int cols = rb.cols;
        double[] za = f64(z), ya = f64(y);
        return rb.run(parallel, (bt, r0, r1) ->
                LossKernels.countCorrect(za, off(z, bt) + r0 * cols, ya, off(y, bt) + r0 * cols, r1 - r0, cols));
    }

    @Override
    void columnSums(int batch, int rows, int cols, /*host*/double alpha, View x, /*host*/double beta, View out) {
        int blocksPerEntry = (cols + JavaTunables.COLUMN_BLOCK - 1) / JavaTunables.COLUMN_BLOCK;
        int units = Math.multiplyExact(batch, blocksPerEntry);
        long work = (long) rows * Math.min(cols, JavaTunables.COLUMN_BLOCK);
        double[] xa = f64(x), oa = f64(out);
        parallel.run(units, work, (u0, u1) -> {
            /*host*/double[] acc = new /*host*/double[Math.min(cols, JavaTunables.COLUMN_BLOCK)];
            for (int u = u0; u < u1; u++) {
                int bt = u / blocksPerEntry;
                int j0 = (u % blocksPerEntry) * JavaTunables.COLUMN_BLOCK;
                int j1 = Math.min(cols, j0 + JavaTunables.COLUMN_BLOCK);
                int oo = off(out, bt) + j0;
                VectorKernelsF64.columnSums(xa, off(x, bt), rows, cols, j0, j1, acc);
                for (int j = 0; j < j1 - j0; j++) {
                    oa[oo + j] = (double) (beta == 0 ? alpha * acc[j] : alpha * acc[j] + beta * oa[oo + j]);
                }
            }
        });
    }

    @Override
    void update(VecBlocks vb, View w, View g, View lr) {
        double[] wa = f64(w), ga = f64(g), la = f64(lr);
        vb.run(parallel, (bt, k0, len) -> {
            double rate = la[off(lr, bt)];
            if (rate != 0) VectorMapsF64.update(wa, off(w, bt) + k0, ga, off(g, bt) + k0, rate, len);
            return 0;
        });
    }

    @Override
    void optimizerUpdate(VecBlocks vb, int kind, /*host*/double beta1, /*host*/double beta2, /*host*/double eps,
                         /*host*/double c1, /*host*/double c2, View w, View g, View m, View s, View lr) {
        double[] wa = f64(w), ga = f64(g), ma = f64(m), sa = f64(s), la = f64(lr);
        double b1 = (double) beta1, b2 = (double) beta2, e = (double) eps, k1 = (double) c1, k2 = (double) c2;
        vb.run(parallel, (bt, k0, len) -> {
            double rate = la[off(lr, bt)];
            if (rate == 0) return 0;
            int wo = off(w, bt) + k0, go = off(g, bt) + k0, mo = off(m, bt) + k0;
            switch (kind) {
                case 0 -> VectorMapsF64.momentum(wa, wo, ga, go, ma, mo, b1, rate, len);
                case 1 -> VectorMapsF64.nesterov(wa, wo, ga, go, ma, mo, b1, rate, len);
                case 2 -> VectorMapsF64.adam(wa, wo, ga, go, ma, mo, sa, off(s, bt) + k0, b1, b2, e, k1, k2, rate, len);
                default -> throw new IllegalArgumentException("optimizer code " + kind);
            }
            return 0;
        });
    }

    @Override
    void adamTangent(VecBlocks vb, /*host*/double beta1, /*host*/double beta2, /*host*/double eps, /*host*/double c1,
                     /*host*/double c2, View dw, View dm, View ds, View hv, View g, View m, View s, View lr) {
        double[] wa = f64(dw), dma = f64(dm), dsa = f64(ds), ha = f64(hv), ga = f64(g), ma = f64(m), sa = f64(s);
        double[] la = f64(lr);
        double b1 = (double) beta1, b2 = (double) beta2, e = (double) eps, k1 = (double) c1, k2 = (double) c2;
        vb.run(parallel, (bt, k0, len) -> {
            double rate = la[off(lr, bt)];
            if (rate == 0) return 0;
            VectorMapsF64.adamTangent(wa, off(dw, bt) + k0, dma, off(dm, bt) + k0, dsa, off(ds, bt) + k0, ha,
                    off(hv, bt) + k0, ga, off(g, bt) + k0, ma, off(m, bt) + k0, sa, off(s, bt) + k0, b1, b2, e, k1,
                    k2, rate, len);
            return 0;
        });
    }

    @Override
    void adamPrecondition(VecBlocks vb, /*host*/double eps, /*host*/double c1, /*host*/double c2, View s, View x,
                          View y) {
        double[] sa = f64(s), xa = f64(x), ya = f64(y);
        double e = (double) eps, k1 = (double) c1, k2 = (double) c2;
        vb.run(parallel, (bt, k0, len) -> {
            VectorMapsF64.adamPrecondition(sa, off(s, bt) + k0, xa, off(x, bt) + k0, ya, off(y, bt) + k0, e, k1, k2,
                    len);
            return 0;
        });
    }

    @Override
    void axpby(VecBlocks vb, View alpha, View x, View beta, View y) {
        double[] xa = f64(x), ya = f64(y), aa = f64(alpha), ba = f64(beta);
        vb.run(parallel, (bt, k0, len) -> {
            VectorMapsF64.axpby(aa[off(alpha, bt)], xa, off(x, bt) + k0, ba[off(beta, bt)], ya, off(y, bt) + k0, len);
            return 0;
        });
    }

    @Override
    void scale(VecBlocks vb, View s, View y) {
        double[] ya = f64(y), sa = f64(s);
        vb.run(parallel, (bt, k0, len) -> {
            VectorMapsF64.scale(sa[off(s, bt)], ya, off(y, bt) + k0, len);
            return 0;
        });
    }

    @Override
    /*host*/double[] reduce(Reduction op, VecBlocks vb, View x, View y) {
        double[] xa = f64(x), ya = y == null ? null : f64(y);
        return vb.run(parallel, (bt, k0, len) ->
                VectorKernelsF64.reduce(op, xa, off(x, bt) + k0, ya, ya == null ? 0 : off(y, bt) + k0, len));
    }

    @Override
    /*host*/double[] nonFinite(VecBlocks vb, View x) {
        double[] xa = f64(x);
        return vb.run(parallel, (bt, k0, len) -> VectorMapsF64.anyNonFinite(xa, off(x, bt) + k0, len) ? 1 : 0);
    }

    @Override
    void store(View v, int b, /*host*/double value) {
        f64(v)[off(v, b)] = (double) value;
    }

    @Override
    void addPerEntry(View v, int batch, /*host*/double[] partial, int perEntry, /*host*/double scale) {
        double[] a = f64(v);
        for (int b = 0; b < batch; b++) {
            /*host*/double sum = 0;
            for (int i = b * perEntry, end = i + perEntry; i < end; i++) sum += partial[i];
            int o = off(v, b);
            a[o] = (double) (a[o] + scale * sum);
        }
    }

    @Override
    void im2col(ConvShape s, int batch, View x, View cols) {
        double[] xa = f64(x), ca = f64(cols);
        rows(batch, s.n(), s.outH(), (long) s.outW() * s.patch(),
                (bt, smp, oy) -> ConvKernelsF64.im2colRow(xa, off(x, bt), ca, off(cols, bt), s, smp, oy));
    }

    @Override
    void col2im(ConvShape s, int batch, View cols, View dx) {
        double[] ca = f64(cols), da = f64(dx);
        rows(batch, s.n(), 1, (long) s.outH() * s.outW() * s.patch(),
                (bt, smp, r) -> ConvKernelsF64.col2imSample(ca, off(cols, bt), da, off(dx, bt), s, smp));
    }

    @Override
    void pool(PoolShape s, int batch, View x, View y) {
        double[] xa = f64(x), ya = f64(y);
        rows(batch, s.n(), s.outH(), 4L * s.outW() * s.c(),
                (bt, smp, oy) -> ConvKernelsF64.poolRow(s, xa, off(x, bt), xa, off(x, bt), ya, off(y, bt), smp, oy));
    }

    @Override
    void poolBackward(PoolShape s, int batch, View xv, View dy, View dx) {
        double[] xa = f64(xv), ga = f64(dy), da = f64(dx);
        rows(batch, s.n(), s.outH(), 2L * s.w() * s.c(), (bt, smp, oy) ->
                ConvKernelsF64.poolBackwardRows(s, xa, off(xv, bt), ga, off(dy, bt), da, off(dx, bt), smp, oy));
    }

    @Override
    void poolR(PoolShape s, int batch, View xv, View rx, View ry) {
        double[] xa = f64(xv), ra = f64(rx), ya = f64(ry);
        rows(batch, s.n(), s.outH(), 4L * s.outW() * s.c(),
                (bt, smp, oy) -> ConvKernelsF64.poolRow(s, xa, off(xv, bt), ra, off(rx, bt), ya, off(ry, bt), smp, oy));
    }
}
