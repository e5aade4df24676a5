package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.ConvShape.Padding;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.PoolShape.Pooling;

/**
 * Convolution and pooling cases: {@code im2col}, {@code col2im}, {@code pool},
 * {@code poolBackward}, {@code poolR} on NHWC tensors of odd and even sizes, one and several
 * channels, VALID and SAME padding, k = 1, 3, 5, per-entry and shared (stride 0) inputs, batch 1
 * and several, non-zero view offsets with guarded gaps, and a large case for the parallel paths.
 *
 * <p>Judging: im2col, max pooling (forward, backward, R) and average-pooling backward are copies
 * or exact scalings, compared element by element; col2im sums up to k² terms onto dx and average
 * pooling sums four, so both are compared normwise (relative to the array's largest value) with
 * growth k resp. 2. Max-pooling cases also run on inputs drawn from the integers −3..2, where ties
 * are common, so every backend must send the gradient to the same (first) maximum.
 */
final class ConvCases {
    private ConvCases() {
    }

    /** Convolution shapes: name fragment and shape. */
    private static final ConvShape[] CONV = {
        new ConvShape(1, 1, 1, 1, 1, Padding.VALID),
        new ConvShape(2, 7, 5, 1, 3, Padding.SAME),
        new ConvShape(3, 6, 9, 3, 3, Padding.VALID),
        new ConvShape(2, 9, 7, 2, 5, Padding.SAME),
        new ConvShape(1, 8, 8, 4, 1, Padding.VALID),
        new ConvShape(2, 5, 5, 3, 5, Padding.VALID),
        new ConvShape(1, 3, 4, 2, 5, Padding.SAME),   // kernel larger than the input: mostly padding
    };

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        for (ConvShape s : CONV) {
            String n = name(s);
            list.add(im2col("conv/im2col/" + n + "/batch3", s, 3, Layout.spaced(2, 3)));
            list.add(col2im("conv/col2im/" + n + "/batch3", s, 3));
        }
        ConvShape mnist = new ConvShape(1, 28, 28, 1, 5, Padding.SAME);
        list.add(im2col("conv/im2col/" + name(mnist) + "/batch1/shared-x", mnist, 1, Layout.shared(1)));
        list.add(im2col("conv/im2col/" + name(CONV[3]) + "/batch4/shared-x", CONV[3], 4, Layout.shared(2)));
        list.add(im2col("conv/im2col/" + name(CONV[0]) + "/batch1/packed", CONV[0], 1, Layout.PACKED));
        // large: 3·16·26·26·27 = 876,096 cols elements, above the Java parallel threshold
        ConvShape big = new ConvShape(16, 28, 28, 3, 3, Padding.VALID);
        list.add(im2col("conv/im2col/" + name(big) + "/batch3", big, 3, Layout.spaced(1, 1)));
        list.add(col2im("conv/col2im/" + name(big) + "/batch3", big, 3));

        PoolShape[] pools = {
            new PoolShape(Pooling.MAX, 1, 2, 2, 1),
            new PoolShape(Pooling.MAX, 2, 6, 8, 1),
            new PoolShape(Pooling.MAX, 3, 7, 5, 3),
            new PoolShape(Pooling.MAX, 2, 9, 9, 2),
            new PoolShape(Pooling.MAX, 1, 3, 2, 4),
        };
        for (PoolShape m : pools) {
            for (Pooling op : Pooling.values()) {
                PoolShape s = new PoolShape(op, m.n(), m.h(), m.w(), m.c());
                String n = name(s);
                list.add(pool("pool/" + n + "/forward/batch3", s, 3, Layout.spaced(1, 2), false));
                list.add(poolBackward("pool/" + n + "/backward/batch3", s, 3, false));
                list.add(poolR("pool/" + n + "/R/batch3", s, 3, false));
                if (op == Pooling.MAX) {
                    list.add(pool("pool/" + n + "/forward/batch3/ties", s, 3, Layout.spaced(1, 2), true));
                    list.add(poolBackward("pool/" + n + "/backward/batch3/ties", s, 3, true));
                    list.add(poolR("pool/" + n + "/R/batch3/ties", s, 3, true));
                }
            }
        }
        for (Pooling op : Pooling.values()) {
            PoolShape s = new PoolShape(op, 4, 7, 9, 2);
            list.add(pool("pool/" + name(s) + "/forward/batch5/shared-x", s, 5, Layout.shared(3), false));
            // large: 3·32·27·27·4 = 279,936 input elements per call
            PoolShape big2 = new PoolShape(op, 32, 27, 27, 4);
            list.add(pool("pool/" + name(big2) + "/forward/batch3", big2, 3, Layout.spaced(2, 1), false));
            list.add(poolBackward("pool/" + name(big2) + "/backward/batch3", big2, 3, false));
            list.add(poolR("pool/" + name(big2) + "/R/batch3", big2, 3, false));
        }
        return list;
    }

    static String name(ConvShape s) {
        return String.format(Locale.ROOT, "n%d-%dx%dx%d/k%d-%s", s.n(), s.h(), s.w(), s.cin(), s.k(),
                s.padding().name().toLowerCase(Locale.ROOT));
    }

    static String name(PoolShape s) {
        return String.format(Locale.ROOT, "%s/n%d-%dx%dx%d", s.op().name().toLowerCase(Locale.ROOT), s.n(), s.h(),
                s.w(), s.c());
    }

    private static ConformanceCase im2col(String name, ConvShape s, int batch, Layout xLayout) {
        return new DifferentialCase(name, fx -> {
            Operand x = fx.uniform(batch, s.inputSize(), xLayout);
            Operand cols = fx.uniform(batch, s.colsSize(), Layout.spaced(3, 2)); // old contents must vanish
            fx.backend().im2col(s, batch, x.view(), cols.view());
            fx.outputElementwise("cols", cols, 1);
            fx.outputElementwise("x", x, 1);
        });
    }

    private static ConformanceCase col2im(String name, ConvShape s, int batch) {
        return new DifferentialCase(name, fx -> {
            Operand cols = fx.uniform(batch, s.colsSize(), Layout.spaced(1, 2));
            Operand dx = fx.uniform(batch, s.inputSize(), Layout.spaced(2, 3)); // accumulates onto dx
            fx.backend().col2im(s, batch, cols.view(), dx.view());
            fx.outputNormwise("dx", dx, s.k());
            fx.outputElementwise("cols", cols, 1);
        });
    }

    /** Input of a pooling case: uniform on [−1, 1), or integers −2..2 (many ties) when {@code ties}. */
    private static Operand input(Fixture fx, int batch, long span, Layout layout, boolean ties) {
        Operand x = fx.uniform(batch, span, layout);
        if (ties) {
            double[] h = x.host();
            for (int i = 0; i < h.length; i++) h[i] = Math.floor(h[i] * 2.5);
            fx.sync(x);
        }
        return x;
    }

    private static ConformanceCase pool(String name, PoolShape s, int batch, Layout xLayout, boolean ties) {
        return new DifferentialCase(name, fx -> {
            Operand x = input(fx, batch, s.inputSize(), xLayout, ties);
            Operand y = fx.uniform(batch, s.outputSize(), Layout.spaced(2, 1));
            fx.backend().pool(s, batch, x.view(), y.view());
            if (s.op() == Pooling.AVG) fx.outputNormwise("y", y, 2);
            else fx.outputElementwise("y", y, 1);
            fx.outputElementwise("x", x, 1);
        });
    }

    private static ConformanceCase poolBackward(String name, PoolShape s, int batch, boolean ties) {
        return new DifferentialCase(name, fx -> {
            Operand x = input(fx, batch, s.inputSize(), Layout.spaced(1, 1), ties);
            Operand dy = fx.uniform(batch, s.outputSize(), Layout.spaced(3, 2));
            Operand dx = fx.uniform(batch, s.inputSize(), Layout.spaced(2, 2)); // overwritten, guards kept
            fx.backend().poolBackward(s, batch, s.op() == Pooling.MAX ? x.view() : null, dy.view(), dx.view());
            fx.outputElementwise("dx", dx, 1);
            fx.outputElementwise("dy", dy, 1);
        });
    }

    private static ConformanceCase poolR(String name, PoolShape s, int batch, boolean ties) {
        return new DifferentialCase(name, fx -> {
            Operand x = input(fx, batch, s.inputSize(), Layout.spaced(2, 1), ties);
            Operand rx = fx.uniform(batch, s.inputSize(), Layout.spaced(1, 3));
            Operand ry = fx.uniform(batch, s.outputSize(), Layout.spaced(1, 1));
            fx.backend().poolR(s, batch, s.op() == Pooling.MAX ? x.view() : null, rx.view(), ry.view());
            if (s.op() == Pooling.AVG) fx.outputNormwise("ry", ry, 2);
            else fx.outputElementwise("ry", ry, 1);
        });
    }
}
