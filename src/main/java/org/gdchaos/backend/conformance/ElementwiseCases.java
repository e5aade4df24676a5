package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gdchaos.backend.Activation;

/**
 * Element-wise cases for every {@link Activation}: bias + activation forward (per-entry bias,
 * shared bias, no bias), backward {@code delta *= f'(h)} and the R-operator backward
 * {@code rdelta = rdelta·f'(h) + e·f''(h)·rz}; and column sums
 * {@code out[j] = alpha·Σ_i x[i][j] + beta·out[j]} (per-entry and shared x, beta = 0 over NaN).
 *
 * <p>Every family has a large case (2000×64, batch 3) that takes the backends' parallel paths.
 *
 * <p>Forward outputs are compared element by element (f is well conditioned on z ∈ [−3, 3]);
 * backward outputs normwise, because {@code 1 − h²} and sums of products cancel; column sums
 * relative to {@code |alpha|·Σ_i|x_ij| + |beta||out_j|} with growth max(1, log2 rows).
 */
final class ElementwiseCases {
    private ElementwiseCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        for (Activation f : Activation.values()) {
            String a = f.name().toLowerCase(Locale.ROOT);
            list.add(forward("act/" + a + "/forward/37x53/batch5/bias", f, 5, 37, 53, Layout.spaced(2, 3), false));
            list.add(forward("act/" + a + "/forward/3x37/batch5/shared-bias", f, 5, 3, 37, Layout.shared(1), false));
            list.add(forward("act/" + a + "/forward/1x1/batch1/no-bias", f, 1, 1, 1, null, false));
            list.add(forward("act/" + a + "/forward/5x7/batch3/no-bias", f, 3, 5, 7, null, false));
            list.add(forward("act/" + a + "/forward/1x1/batch1/bias", f, 1, 1, 1, Layout.PACKED, true));
            list.add(backward("act/" + a + "/backward/37x53/batch5", f, 5, 37, 53));
            list.add(backward("act/" + a + "/backward/1x1/batch1", f, 1, 1, 1));
            list.add(backwardR("act/" + a + "/backwardR/37x53/batch5", f, 5, 37, 53));
            list.add(backwardR("act/" + a + "/backwardR/1x3/batch1", f, 1, 1, 3));
            // large: 3·2000·64 = 384,000 elements, above the Java backend's parallel threshold
            // (JavaTunables.PARALLEL_MIN_ELEMENTS = 65,536) and many work-groups on a device
            list.add(forward("act/" + a + "/forward/2000x64/batch3/bias", f, 3, 2000, 64, Layout.spaced(2, 3), false));
            list.add(backward("act/" + a + "/backward/2000x64/batch3", f, 3, 2000, 64));
            list.add(backwardR("act/" + a + "/backwardR/2000x64/batch3", f, 3, 2000, 64));
        }
        list.add(columnSums("colsum/37x53/batch5", 5, 37, 53, 0.5, 0.25, Layout.spaced(3, 4), false));
        list.add(columnSums("colsum/37x53/batch5/shared-x", 5, 37, 53, 1, 1, Layout.shared(2), false));
        list.add(columnSums("colsum/29x13/batch3/beta0-NaN-in-out", 3, 29, 13, -2, 0, Layout.spaced(1, 1), true));
        list.add(columnSums("colsum/1x1/batch1", 1, 1, 1, 1, 0, Layout.PACKED, false));
        list.add(columnSums("colsum/1000x64/batch3/chunk", 3, 1000, 64, 1.0 / 1000, 1, Layout.PACKED, false));
        return list;
    }

    /** Bias + activation in place on z ∈ [−3, 3); {@code biasLayout} null = no bias. */
    private static ConformanceCase forward(String name, Activation f, int batch, int rows, int cols,
                                           Layout biasLayout, boolean packedZ) {
        return new DifferentialCase(name, fx -> {
            Operand z = fx.uniform(batch, (long) rows * cols, packedZ ? Layout.PACKED : Layout.spaced(4, 5), -3, 3);
            Operand bias = biasLayout == null ? null : fx.uniform(batch, cols, biasLayout, -1, 1);
            fx.backend().biasActivation(f, batch, rows, cols, z.view(), bias == null ? null : bias.view());
            fx.outputElementwise("z", z, 1);
            if (bias != null) fx.outputElementwise("bias", bias, 1);
        });
    }

    /** Stored outputs h = f(z) for z ∈ [−3, 3): the values a forward pass leaves behind. */
    private static Operand outputs(Fixture fx, Activation f, int batch, long span) {
        Operand h = fx.uniform(batch, span, Layout.spaced(1, 2), -3, 3);
        for (int i = 0; i < h.host().length; i++) h.host()[i] = f.apply(h.host()[i]);
        fx.sync(h);
        return h;
    }

    private static ConformanceCase backward(String name, Activation f, int batch, int rows, int cols) {
        return new DifferentialCase(name, fx -> {
            long span = (long) rows * cols;
            Operand h = outputs(fx, f, batch, span);
            Operand delta = fx.uniform(batch, span, Layout.spaced(3, 1));
            fx.backend().activationBackward(f, batch, rows, cols, h.view(), delta.view());
            fx.outputNormwise("delta", delta, 1);
            fx.outputElementwise("h", h, 1);
        });
    }

    private static ConformanceCase backwardR(String name, Activation f, int batch, int rows, int cols) {
        return new DifferentialCase(name, fx -> {
            long span = (long) rows * cols;
            Operand h = outputs(fx, f, batch, span);
            Operand e = fx.uniform(batch, span, Layout.spaced(2, 0));
            Operand rz = fx.uniform(batch, span, Layout.spaced(0, 3));
            Operand rdelta = fx.uniform(batch, span, Layout.spaced(5, 1));
            fx.backend().activationBackwardR(f, batch, rows, cols, h.view(), e.view(), rz.view(), rdelta.view());
            fx.outputNormwise("rdelta", rdelta, 1);
            fx.outputElementwise("e", e, 1);
            fx.outputElementwise("rz", rz, 1);
        });
    }

    private static ConformanceCase columnSums(String name, int batch, int rows, int cols, double alpha,
                                              double beta, Layout xLayout, boolean nanOut) {
        return new DifferentialCase(name, fx -> {
            Operand x = fx.uniform(batch, (long) rows * cols, xLayout);
            Operand out = fx.uniform(batch, cols, Layout.spaced(2, 3));
            if (nanOut) {
                for (int b = 0; b < batch; b++) for (int j = 0; j < cols; j++) out.set(b, j, Double.NaN);
                fx.sync(out);
            }
            fx.backend().columnSums(batch, rows, cols, alpha, x.view(), beta, out.view());
            fx.outputMagnitude("out", out, () -> {
                double[] mag = Fixture.absHost(out);
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < cols; j++) {
                        double sum = 0;
                        for (int i = 0; i < rows; i++) sum += Math.abs(x.get(b, (long) i * cols + j));
                        int oi = out.index(b, j);
                        mag[oi] = Math.abs(alpha) * sum + (beta == 0 ? 0 : Math.abs(beta * out.host()[oi]));
                    }
                }
                return mag;
            }, Fixture.log2Growth(rows));
        });
    }
}
