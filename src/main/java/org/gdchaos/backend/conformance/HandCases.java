package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;

/**
 * Cases whose answers were worked out by hand, independent of the reference implementation.
 * Constants such as tanh(0.5) = (e − 1)/(e + 1) = 0.46211715726000974 and ln(4/3) are literals,
 * not library calls. Inputs are small exact numbers (plus ln 3, rounded to the dtype).
 */
final class HandCases {
    private HandCases() {
    }

    static final double LN3 = 1.0986122886681098;
    static final double TANH_HALF = 0.46211715726000974;
    static final double TANH_MINUS_ONE = -0.7615941559557649;
    static final double LN_4_3 = 0.28768207245178085;
    static final double LN_16_3 = 1.6739764335716716;
    static final double NAN = Double.NaN;

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        list.add(new HandCase("hand/gemm/2x2/alpha2-beta1", fx -> {
            // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]; 2·that + [[1,1],[1,1]]
            Operand c = fx.values(1, 1, 1, 1);
            gemm(fx, new GemmShape(1, 2, 2, 2, false, false, 2, 1), fx.values(1, 2, 3, 4), fx.values(5, 6, 7, 8), c);
            fx.expect("C", c, 39, 45, 87, 101);
        }));
        list.add(new HandCase("hand/gemm/2x2/transposes-beta0-over-NaN", fx -> {
            Operand nt = fx.values(NAN, NAN, NAN, NAN), tn = fx.values(NAN, NAN, NAN, NAN);
            Operand tt = fx.values(NAN, NAN, NAN, NAN);
            Operand a = fx.values(1, 2, 3, 4), b = fx.values(5, 6, 7, 8);
            gemm(fx, new GemmShape(1, 2, 2, 2, false, true, 1, 0), a, b, nt);
            gemm(fx, new GemmShape(1, 2, 2, 2, true, false, 1, 0), a, b, tn);
            gemm(fx, new GemmShape(1, 2, 2, 2, true, true, 1, 0), a, b, tt);
            fx.expect("A·Bᵀ", nt, 17, 23, 39, 53);
            fx.expect("Aᵀ·B", tn, 26, 30, 38, 44);
            fx.expect("Aᵀ·Bᵀ", tt, 23, 31, 34, 46);
        }));
        list.add(new HandCase("hand/gemm/2x2/batch2-shared-A", fx -> {
            Operand a = fx.values(1, 2, 3, 4), b = fx.values(5, 6, 7, 8, 1, 0, 0, 1), c = fx.values(new double[8]);
            fx.backend().gemm(new GemmShape(2, 2, 2, 2, false, false, 1, 0), View.shared(a.buffer()),
                    View.of(b.buffer(), 4), View.of(c.buffer(), 4));
            fx.expect("C", c, 19, 22, 43, 50, 1, 2, 3, 4);
        }));
        list.add(new HandCase("hand/activation/forward", fx -> {
            Backend be = fx.backend();
            Operand t = fx.values(0.5, 0, -1);
            be.biasActivation(Activation.TANH, 1, 1, 3, t.view(), fx.values(0, 0.5, 0).view());
            Operand s = fx.values(0, LN3, -LN3);
            be.biasActivation(Activation.SIGMOID, 1, 1, 3, s.view(), null);
            Operand r = fx.values(-2, 1.5, 0);
            be.biasActivation(Activation.RELU, 1, 1, 3, r.view(), fx.values(0.5, 0.5, 0.5).view());
            Operand i = fx.values(1, 2);
            be.biasActivation(Activation.IDENTITY, 1, 1, 2, i.view(), fx.values(0.25, -3).view());
            fx.expect("tanh", t, TANH_HALF, TANH_HALF, TANH_MINUS_ONE);
            fx.expect("sigmoid", s, 0.5, 0.75, 0.25);
            fx.expect("relu", r, 0, 2, 0.5);
            fx.expect("identity", i, 1.25, -1);
        }));
        list.add(new HandCase("hand/activation/backward", fx -> {
            Backend be = fx.backend();
            Operand t = fx.values(2, 4), s = fx.values(1, 2), r = fx.values(3, 4), i = fx.values(3, -1);
            be.activationBackward(Activation.TANH, 1, 1, 2, fx.values(0.5, -0.5).view(), t.view());
            be.activationBackward(Activation.SIGMOID, 1, 2, 1, fx.values(0.25, 0.5).view(), s.view());
            be.activationBackward(Activation.RELU, 1, 1, 2, fx.values(0, 1.5).view(), r.view());
            be.activationBackward(Activation.IDENTITY, 1, 1, 2, fx.values(7, 8).view(), i.view());
            fx.expect("tanh: δ·(1 − h²)", t, 1.5, 3);
            fx.expect("sigmoid: δ·h(1 − h)", s, 0.1875, 0.5);
            fx.expect("relu: δ·[h > 0]", r, 0, 4);
            fx.expect("identity", i, 3, -1);
        }));
        list.add(new HandCase("hand/activation/backwardR", fx -> {
            Backend be = fx.backend();
            // tanh, h = 0.5: f' = 0.75, f'' = −0.75: 1·0.75 + 2·(−0.75)·3 = −3.75
            Operand t = fx.values(1);
            be.activationBackwardR(Activation.TANH, 1, 1, 1, fx.values(0.5).view(), fx.values(2).view(),
                    fx.values(3).view(), t.view());
            // sigmoid, h = 0.25: f' = 0.1875, f'' = 0.09375: 1·0.1875 + 2·0.09375·4 = 0.9375
            Operand s = fx.values(1);
            be.activationBackwardR(Activation.SIGMOID, 1, 1, 1, fx.values(0.25).view(), fx.values(2).view(),
                    fx.values(4).view(), s.view());
            // relu, h = 1.5: f' = 1, f'' = 0: 2
            Operand r = fx.values(2);
            be.activationBackwardR(Activation.RELU, 1, 1, 1, fx.values(1.5).view(), fx.values(5).view(),
                    fx.values(7).view(), r.view());
            fx.expect("tanh", t, -3.75);
            fx.expect("sigmoid", s, 0.9375);
            fx.expect("relu", r, 2);
        }));
        list.add(new HandCase("hand/loss/ce/one-hot", fx -> {
            // z = (0, ln 3): p = (1/4, 3/4); y = (0, 1): ℓ = ln(4/3), ∇ = p − y = (1/4, −1/4)
            Operand z = fx.values(0, LN3), grad = fx.values(9, 9), sum = fx.values(0);
            fx.backend().lossGradient(Loss.CROSS_ENTROPY, 1, 1, 2, z.view(), fx.values(0, 1).view(), 1,
                    grad.view(), sum.view());
            fx.expect("grad", grad, 0.25, -0.25);
            fx.expect("lossSum", sum, LN_4_3);
        }));
        list.add(new HandCase("hand/loss/ce/soft-in-place", fx -> {
            // y = (1, 1), Σy = 2: ℓ = −ln(1/4) − ln(3/4) = ln(16/3), ∇ = 2p − y = (−1/2, 1/2); sum starts at 1
            Operand z = fx.values(0, LN3), sum = fx.values(1);
            fx.backend().lossGradient(Loss.CROSS_ENTROPY, 1, 1, 2, z.view(), fx.values(1, 1).view(), 0.5,
                    z.view(), sum.view());
            fx.expect("grad", z, -0.25, 0.25);
            fx.expect("lossSum", sum, 1 + 0.5 * LN_16_3);
        }));
        list.add(new HandCase("hand/loss/mse/half-factor", fx -> {
            // z − y = (1, 2): ℓ = ½(1 + 4) = 2.5; scale 0.5: sum 1 + 1.25, grad (0.5, 1)
            Operand grad = fx.values(0, 0), sum = fx.values(1);
            fx.backend().lossGradient(Loss.MSE, 1, 1, 2, fx.values(1, 3).view(), fx.values(0, 1).view(), 0.5,
                    grad.view(), sum.view());
            fx.expect("grad", grad, 0.5, 1);
            fx.expect("lossSum", sum, 2.25);
        }));
        list.add(new HandCase("hand/loss/hessian-vector", fx -> {
            // CE: p = (1/4, 3/4), v = (1, 0): p⊙v − p(p·v) = (1/4, 0) − (1/16, 3/16) = (3/16, −3/16)
            Operand ce = fx.values(0, 0);
            fx.backend().lossHessianVector(Loss.CROSS_ENTROPY, 1, 1, 2, fx.values(0, LN3).view(),
                    fx.values(0, 1).view(), fx.values(1, 0).view(), 1, ce.view());
            Operand mse = fx.values(2, -4);
            fx.backend().lossHessianVector(Loss.MSE, 1, 1, 2, fx.values(5, 5).view(), fx.values(0, 0).view(),
                    mse.view(), 0.5, mse.view());
            fx.expect("ce", ce, 0.1875, -0.1875);
            fx.expect("mse (aliased)", mse, 1, -2);
        }));
        list.add(new HandCase("hand/reductions", fx -> {
            // x = (3, −4), y = (1, 2)
            double[] want = {7, 25, 8, 40, -5};
            Operand out = fx.values(new double[Reduction.values().length]);
            for (Reduction op : Reduction.values()) {
                fx.backend().reduce(op, 1, 2, fx.values(3, -4).view(), op.binary() ? fx.values(1, 2).view() : null,
                        out.view().shift(op.ordinal()));
            }
            fx.expect("L1, L2², L1 dist, L2² dist, dot", out, want);
        }));
        list.add(new HandCase("hand/count-correct/ties-first-max", fx -> {
            // argmax z: (1,3,3,0) → 1 [tie, first wins], (2,2,0,0) → 0, (0,0,0,0) → 0
            // argmax y: 1, 1, 0: rows 0 and 2 correct; correct starts at 5
            Operand z = fx.values(1, 3, 3, 0, 2, 2, 0, 0, 0, 0, 0, 0);
            Operand y = fx.values(0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0);
            Operand correct = fx.values(5);
            fx.backend().countCorrect(1, 3, 4, z.view(), y.view(), correct.view());
            fx.expect("correct", correct, 7);
        }));
        list.add(new HandCase("hand/column-sums", fx -> {
            Operand x = fx.values(1, 2, 3, 4, 5, 6);
            Operand a = fx.values(NAN, NAN), b = fx.values(1, -1);
            fx.backend().columnSums(1, 3, 2, 1, x.view(), 0, a.view());
            fx.backend().columnSums(1, 3, 2, 0.5, x.view(), 2, b.view());
            fx.expect("beta 0", a, 9, 12);
            fx.expect("0.5·sums + 2·out", b, 6.5, 4);
        }));
        list.add(new HandCase("hand/update-axpby-scale", fx -> {
            // entry 0: (1, 2) − 0.25·(4, −8) = (0, 4); entry 1: lr = 0 freezes it despite NaN in g
            Operand w = fx.values(1, 2, 5, 6), g = fx.values(4, -8, NAN, 1);
            fx.backend().update(2, 2, View.of(w.buffer(), 2), View.of(g.buffer(), 2),
                    View.of(fx.values(0.25, 0).buffer(), 1));
            Operand y = fx.values(10, 20);
            fx.backend().axpby(1, 2, fx.values(2).view(), fx.values(1, 2).view(), fx.values(3).view(), y.view());
            Operand s = fx.values(4, 6);
            fx.backend().scale(1, 2, fx.values(-0.5).view(), s.view());
            fx.expect("update", w, 0, 4, 5, 6);
            fx.expect("axpby", y, 32, 64);
            fx.expect("scale", s, -2, -3);
        }));
        list.add(new HandCase("hand/non-finite", fx -> {
            Operand x = fx.values(1, NAN, 1, 2, Double.POSITIVE_INFINITY, 0);
            Operand flags = fx.values(0, 0, 0);
            fx.backend().nonFinite(3, 2, View.of(x.buffer(), 2), View.of(flags.buffer(), 1));
            fx.expect("flags", flags, 1, 0, 1);
        }));
        list.add(new HandCase("hand/conv/im2col-same-k3", fx -> {
            // x = [[1,2],[3,4]] (1 sample, 1 channel), k = 3, SAME (pad 1): each output pixel's 3×3
            // patch, row-major, zeros outside; then col2im of those rows onto dx = 1 counts, for each
            // input pixel, the sum of its value over the 4 patches that contain it: 1 + 4·x
            ConvShape s = new ConvShape(1, 2, 2, 1, 3, ConvShape.Padding.SAME);
            Operand x = fx.values(1, 2, 3, 4), cols = fx.values(new double[36]), dx = fx.values(1, 1, 1, 1);
            fx.backend().im2col(s, 1, x.view(), cols.view());
            fx.backend().col2im(s, 1, cols.view(), dx.view());
            fx.expect("cols", cols,
                    0, 0, 0, 0, 1, 2, 0, 3, 4,
                    0, 0, 0, 1, 2, 0, 3, 4, 0,
                    0, 1, 2, 0, 3, 4, 0, 0, 0,
                    1, 2, 0, 3, 4, 0, 0, 0, 0);
            fx.expect("dx", dx, 5, 9, 13, 17);
        }));
        list.add(new HandCase("hand/conv/im2col-valid-2ch", fx -> {
            // 1×2×3 input, 2 channels (c0 = 1..6, c1 = 10·c0), k = 2, VALID: outputs (0,0), (0,1);
            // a row is (ky, kx, c) = (0,0,0), (0,0,1), (0,1,0), (0,1,1), (1,0,0), …
            ConvShape s = new ConvShape(1, 2, 3, 2, 2, ConvShape.Padding.VALID);
            Operand x = fx.values(1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60), cols = fx.values(new double[16]);
            fx.backend().im2col(s, 1, x.view(), cols.view());
            fx.expect("cols", cols, 1, 10, 2, 20, 4, 40, 5, 50, 2, 20, 3, 30, 5, 50, 6, 60);
        }));
        list.add(new HandCase("hand/pool/odd-3x5-ties", fx -> {
            // rows (1 3 2 2 9 | 4 0 2 1 9 | 7 7 7 7 7): windows [1 3;4 0] and [2 2;2 1]; the last
            // column and row belong to no window. max: 4 (position 2), 2 (tie: first, position 0);
            // avg: 2, 1.75
            double[] in = {1, 3, 2, 2, 9, 4, 0, 2, 1, 9, 7, 7, 7, 7, 7};
            double[] rx = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
            PoolShape max = new PoolShape(PoolShape.Pooling.MAX, 1, 3, 5, 1);
            PoolShape avg = new PoolShape(PoolShape.Pooling.AVG, 1, 3, 5, 1);
            Backend be = fx.backend();
            Operand x = fx.values(in), ym = fx.values(NAN, NAN), ya = fx.values(NAN, NAN);
            be.pool(max, 1, x.view(), ym.view());
            be.pool(avg, 1, x.view(), ya.view());
            Operand dxm = fx.values(new double[15]), dxa = fx.values(new double[15]);
            java.util.Arrays.fill(dxm.host(), NAN);
            java.util.Arrays.fill(dxa.host(), NAN);
            fx.sync(dxm);
            fx.sync(dxa);
            be.poolBackward(max, 1, x.view(), fx.values(10, 20).view(), dxm.view());
            be.poolBackward(avg, 1, null, fx.values(10, 20).view(), dxa.view());
            Operand rm = fx.values(NAN, NAN), ra = fx.values(NAN, NAN);
            be.poolR(max, 1, x.view(), fx.values(rx).view(), rm.view());
            be.poolR(avg, 1, null, fx.values(rx).view(), ra.view());
            fx.expect("max", ym, 4, 2);
            fx.expect("avg", ya, 2, 1.75);
            fx.expect("max backward", dxm, 0, 0, 20, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            fx.expect("avg backward", dxa, 2.5, 2.5, 5, 5, 0, 2.5, 2.5, 5, 5, 0, 0, 0, 0, 0, 0);
            fx.expect("max R (rx at argmax)", rm, 5, 2);
            fx.expect("avg R", ra, 3, 5);
        }));
        list.add(new HandCase("hand/pool/max-skips-later-NaN", fx -> {
            // rows (1 NaN 3 NaN | 0 2 NaN 1): a NaN is never "greater", so it wins only as the first
            // element: windows [1 NaN;0 2] → 2 (position 3) and [3 NaN;NaN 1] → 3 (position 0)
            PoolShape s = new PoolShape(PoolShape.Pooling.MAX, 1, 2, 4, 1);
            Operand x = fx.values(1, NAN, 3, NAN, 0, 2, NAN, 1);
            Operand y = fx.values(NAN, NAN), dx = fx.values(new double[8]), ry = fx.values(NAN, NAN);
            fx.backend().pool(s, 1, x.view(), y.view());
            fx.backend().poolBackward(s, 1, x.view(), fx.values(10, 20).view(), dx.view());
            fx.backend().poolR(s, 1, x.view(), fx.values(0, 1, 2, 3, 4, 5, 6, 7).view(), ry.view());
            fx.expect("y", y, 2, 3);
            fx.expect("dx", dx, 0, 0, 20, 0, 0, 10, 0, 0);
            fx.expect("ry", ry, 5, 2);
        }));
        list.add(new HandCase("hand/pool/2ch-2samples", fx -> {
            // 2 samples of 2×2, 2 channels: channel 1 is −channel 0; max picks per channel
            // sample 0: c0 = (1 4 3 2) → max 4, c1 = (−1 −4 −3 −2) → −1; sample 1: c0 = (5 5 5 5) tie →
            // first, c1 = (0 1 0 1) → 1 at position 1
            PoolShape s = new PoolShape(PoolShape.Pooling.MAX, 2, 2, 2, 2);
            Operand x = fx.values(1, -1, 4, -4, 3, -3, 2, -2, 5, 0, 5, 1, 5, 0, 5, 1);
            Operand y = fx.values(NAN, NAN, NAN, NAN), dx = fx.values(new double[16]);
            fx.backend().pool(s, 1, x.view(), y.view());
            fx.backend().poolBackward(s, 1, x.view(), fx.values(1, 2, 3, 4).view(), dx.view());
            fx.expect("y", y, 4, -1, 5, 1);
            fx.expect("dx", dx, 0, 2, 1, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 0, 0, 0);
        }));
        return list;
    }

    private static void gemm(Fixture fx, GemmShape s, Operand a, Operand b, Operand c) {
        fx.backend().gemm(s, a.view(), b.view(), c.view());
    }
}
