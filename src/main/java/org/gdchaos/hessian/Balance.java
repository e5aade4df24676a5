package org.gdchaos.hessian;

import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;

/**
 * Balance measures of two-layer networks (W_1: d×n_in, W_2: n_out×d), per trajectory:
 * <ul>
 *   <li>imbalance {@code ‖W_1·W_1ᵀ − W_2ᵀ·W_2‖_F} (a d×d matrix; conserved by gradient flow for
 *       linear and ReLU networks without biases);</li>
 *   <li>{@code Q = ‖W_1‖_F² − ‖W_2‖_F²} (its trace; for the scalar linear network
 *       {@code Q = ‖a‖² − ‖b‖²}, docs/science.md#o2).</li>
 * </ul>
 * Biases are not included. Computed with two batched GEMMs and reductions on the device.
 */
public final class Balance implements AutoCloseable {
    private final Backend backend;
    private final ModelSpec spec;
    private final ParameterLayout layout;
    private final int capacity;
    private final Buffer m;
    private final Buffer out;

    public Balance(Backend backend, DType dtype, ModelSpec spec, int capacity) {
        if (!spec.isMlp() || spec.layers() != 2) {
            throw new IllegalArgumentException("balance measures need a two-layer network, got " + spec);
        }
        this.backend = backend;
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
        this.capacity = capacity;
        int d = spec.width(1);
        try (Allocations a = new Allocations()) { // a failed allocation releases the earlier one
            m = a.add(backend.allocate(dtype, (long) capacity * d * d));
            out = a.add(backend.allocate(dtype, capacity));
            a.keep();
        }
    }

    /** {@code ‖W_1W_1ᵀ − W_2ᵀW_2‖_F} for trajectories 0..count−1 of {@code params} (stride P). */
    public double[] imbalance(View params, int count) {
        check(count);
        int in = spec.width(0), d = spec.width(1), o = spec.width(2);
        View mm = View.of(m, (long) d * d);
        View w1 = params.shift(layout.weightOffset(1));
        View w2 = params.shift(layout.weightOffset(2));
        backend.gemm(new GemmShape(count, d, d, in, false, true, 1, 0), w1, w1, mm);
        backend.gemm(new GemmShape(count, d, d, o, true, false, -1, 1), w2, w2, mm);
        backend.reduce(Reduction.SUM_SQ, count, (long) d * d, mm, null, View.of(out, 1));
        double[] r = download(count);
        for (int i = 0; i < count; i++) r[i] = Math.sqrt(r[i]);
        return r;
    }

    /** {@code Q = ‖W_1‖_F² − ‖W_2‖_F²} for trajectories 0..count−1. */
    public double[] q(View params, int count) {
        check(count);
        backend.reduce(Reduction.SUM_SQ, count, layout.weightCount(1), params.shift(layout.weightOffset(1)), null,
                View.of(out, 1));
        double[] a = download(count);
        backend.reduce(Reduction.SUM_SQ, count, layout.weightCount(2), params.shift(layout.weightOffset(2)), null,
                View.of(out, 1));
        double[] b = download(count);
        for (int i = 0; i < count; i++) a[i] -= b[i];
        return a;
    }

    private double[] download(int count) {
        double[] r = new double[count];
        backend.download(out, 0, r, 0, count);
        return r;
    }

    private void check(int count) {
        if (count < 1 || count > capacity) throw new IllegalArgumentException("count " + count + " of " + capacity);
    }

    @Override
    public void close() {
        m.close();
        out.close();
    }
}
