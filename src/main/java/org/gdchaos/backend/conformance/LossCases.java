package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Loss;

/**
 * Loss cases: {@code lossGradient} for cross-entropy and MSE (shared one-hot targets, per-entry
 * soft targets, gradient in place over z, large logits that overflow without the max-shift, 1×1),
 * {@code lossHessianVector} (separate and aliased hv/v), and {@code countCorrect} with planted ties;
 * each also at 5000 rows (more than a work-group's 256, above the Java parallel threshold).
 *
 * <p>Gradients and Hessian-vector products are compared normwise; the accumulated loss
 * {@code lossSum[b] += scale·Σ_i ℓ_i} element by element with growth √rows (ℓ ≥ 0, and lossSum
 * starts in [0, 1)); counts exactly.
 */
final class LossCases {
    private LossCases() {
    }

    /** How the target rows are made. */
    private enum Targets {
        /** One-hot rows shared by every entry (stride 0), the usual data layout. */
        ONE_HOT_SHARED,
        /** Non-negative per-entry rows in [0, 1) whose sums differ from 1. */
        SOFT_PER_ENTRY,
        /** Values in [−1, 1) shared by every entry (regression targets). */
        REAL_SHARED
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        Loss ce = Loss.CROSS_ENTROPY;
        list.add(loss("loss/ce/64x10/batch5/one-hot-shared", ce, 5, 64, 10, Targets.ONE_HOT_SHARED, 1.0 / 64, 3, false));
        list.add(loss("loss/ce/64x10/batch5/in-place", ce, 5, 64, 10, Targets.ONE_HOT_SHARED, 1.0 / 64, 3, true));
        list.add(loss("loss/ce/17x7/batch3/soft-targets", ce, 3, 17, 7, Targets.SOFT_PER_ENTRY, 0.5, 3, false));
        list.add(loss("loss/ce/64x10/batch3/large-logits", ce, 3, 64, 10, Targets.ONE_HOT_SHARED, 1.0 / 64, 100, false));
        list.add(loss("loss/ce/1x1/batch1", ce, 1, 1, 1, Targets.ONE_HOT_SHARED, 1, 3, false));
        list.add(loss("loss/ce/1x3/batch1/in-place", ce, 1, 1, 3, Targets.SOFT_PER_ENTRY, 1, 3, true));
        Loss mse = Loss.MSE;
        list.add(loss("loss/mse/64x10/batch5/shared-targets", mse, 5, 64, 10, Targets.REAL_SHARED, 1.0 / 64, 2, false));
        list.add(loss("loss/mse/64x10/batch5/in-place", mse, 5, 64, 10, Targets.SOFT_PER_ENTRY, 0.25, 2, true));
        list.add(loss("loss/mse/1x1/batch1", mse, 1, 1, 1, Targets.REAL_SHARED, 1, 2, false));
        list.add(hessian("lossHV/ce/64x10/batch5/one-hot-shared", ce, 5, 64, 10, Targets.ONE_HOT_SHARED, false));
        list.add(hessian("lossHV/ce/17x7/batch3/soft-targets/aliased", ce, 3, 17, 7, Targets.SOFT_PER_ENTRY, true));
        list.add(hessian("lossHV/mse/64x10/batch5", mse, 5, 64, 10, Targets.REAL_SHARED, false));
        list.add(hessian("lossHV/mse/1x1/batch1/aliased", mse, 1, 1, 1, Targets.REAL_SHARED, true));
        list.add(count("count/64x10/batch5/ties", 5, 64, 10, Targets.ONE_HOT_SHARED));
        list.add(count("count/17x7/batch3/soft-targets", 3, 17, 7, Targets.SOFT_PER_ENTRY));
        list.add(count("count/1x1/batch1", 1, 1, 1, Targets.ONE_HOT_SHARED));
        // large: 5000 rows, far more than one work-group (GDC_WG = 256) so the kernels' row loops run,
        // and 2·5000·10 = 100,000 elements, above the Java backend's parallel threshold (65,536)
        list.add(loss("loss/ce/5000x10/batch2/one-hot-shared", ce, 2, 5000, 10, Targets.ONE_HOT_SHARED, 1.0 / 5000, 3,
                false));
        list.add(loss("loss/mse/5000x10/batch2/soft-targets", mse, 2, 5000, 10, Targets.SOFT_PER_ENTRY, 1.0 / 5000, 2,
                false));
        list.add(hessian("lossHV/ce/5000x10/batch2/one-hot-shared", ce, 2, 5000, 10, Targets.ONE_HOT_SHARED, false));
        list.add(count("count/5000x10/batch2/ties", 2, 5000, 10, Targets.ONE_HOT_SHARED));
        return list;
    }

    /** Target rows of the given kind (offset 3 guards; shared ones use stride 0). */
    private static Operand targets(Fixture fx, Targets kind, int batch, int rows, int cols) {
        long span = (long) rows * cols;
        switch (kind) {
            case SOFT_PER_ENTRY:
                return fx.uniform(batch, span, Layout.spaced(3, 2), 0, 1);
            case REAL_SHARED:
                return fx.uniform(batch, span, Layout.shared(3), -1, 1);
            default:
                Operand y = fx.uniform(batch, span, Layout.shared(3), 0, 1);
                for (int i = 0; i < rows; i++) {
                    int hot = fx.rng().nextInt(cols);
                    for (int j = 0; j < cols; j++) y.set(0, (long) i * cols + j, j == hot ? 1 : 0);
                }
                fx.sync(y);
                return y;
        }
    }

    private static ConformanceCase loss(String name, Loss loss, int batch, int rows, int cols, Targets kind,
                                        double scale, double zRange, boolean inPlace) {
        return new DifferentialCase(name, fx -> {
            long span = (long) rows * cols;
            Operand z = fx.uniform(batch, span, Layout.spaced(2, 5), -zRange, zRange);
            Operand y = targets(fx, kind, batch, rows, cols);
            Operand grad = inPlace ? z : fx.uniform(batch, span, Layout.spaced(1, 1));
            Operand lossSum = fx.uniform(batch, 1, Layout.spaced(1, 2), 0, 1);
            fx.backend().lossGradient(loss, batch, rows, cols, z.view(), y.view(), scale, grad.view(),
                    lossSum.view());
            fx.outputNormwise("grad", grad, 1);
            fx.outputElementwise("lossSum", lossSum, Math.sqrt(rows));
            if (!inPlace) fx.outputElementwise("z", z, 1);
            fx.outputElementwise("y", y, 1);
        });
    }

    private static ConformanceCase hessian(String name, Loss loss, int batch, int rows, int cols, Targets kind,
                                           boolean aliased) {
        return new DifferentialCase(name, fx -> {
            long span = (long) rows * cols;
            Operand z = fx.uniform(batch, span, Layout.spaced(2, 5), -3, 3);
            Operand y = targets(fx, kind, batch, rows, cols);
            Operand v = fx.uniform(batch, span, Layout.spaced(4, 1));
            Operand hv = aliased ? v : fx.uniform(batch, span, Layout.spaced(0, 3));
            fx.backend().lossHessianVector(loss, batch, rows, cols, z.view(), y.view(), v.view(), 0.75, hv.view());
            fx.outputNormwise("hv", hv, 1);
            if (!aliased) fx.outputElementwise("v", v, 1);
            fx.outputElementwise("z", z, 1);
        });
    }

    /** Logits are small integers, so rows often hold tied maxima: the first one must win. */
    private static ConformanceCase count(String name, int batch, int rows, int cols, Targets kind) {
        return new DifferentialCase(name, fx -> {
            long span = (long) rows * cols;
            Operand z = fx.uniform(batch, span, Layout.spaced(1, 3));
            for (int i = 0; i < z.host().length; i++) z.host()[i] = fx.rng().nextInt(4);
            fx.sync(z);
            Operand y = targets(fx, kind, batch, rows, cols);
            Operand correct = fx.uniform(batch, 1, Layout.spaced(2, 1));
            for (int i = 0; i < correct.host().length; i++) correct.host()[i] = fx.rng().nextInt(20);
            fx.sync(correct);
            fx.backend().countCorrect(batch, rows, cols, z.view(), y.view(), correct.view());
            fx.outputElementwise("correct", correct, 1);
        });
    }
}
