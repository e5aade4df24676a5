package org.gdchaos.hessian;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.WeightDecayTerm;

/**
 * Full-batch gradients and exact Hessian-vector products of an MLP ({@link ModelSpec}) for up
 * to T trajectories at <em>arbitrary</em> parameters (any {@code [T × P]} view with stride P),
 * as batched backend calls over sample chunks, like {@code BatchedMlp}. The loss is the mean
 * over the data set's N rows, {@code L(w) = (1/N)·Σ_i ℓ(f(x_i; w), y_i)}, plus the weight-decay
 * penalty when one is set ({@link #setWeightDecay}).
 *
 * <p><b>Forward and backward</b> (per trajectory, rows of a chunk; layer l = 1..L, {@code h_0 = X}):
 * <pre>
 *   z_l = h_{l−1}·W_lᵀ + b_l,     h_l = f_l(z_l)         (f_L = identity)
 *   g_L = (1/N)·∂ℓ/∂z_L,          e_{l−1} = g_l·W_l,     g_{l−1} = e_{l−1} ⊙ f'_{l−1}
 *   ∇W_l = Σ_chunks g_lᵀ·h_{l−1}, ∇b_l = Σ_rows g_l
 * </pre>
 * <p><b>Hessian-vector product</b> {@code H·v} by Pearlmutter's R-operator
 * ({@code R{x} = d/dε x(w + ε v)|₀}), direction v = (V_l, c_l) in the parameter layout:
 * <pre>
 *   R z_l = R h_{l−1}·W_lᵀ + h_{l−1}·V_lᵀ + c_l,  R h_0 = 0,  R h_l = f'_l ⊙ R z_l
 *   R g_L = (1/N)·∇²_z ℓ · R z_L                                 (backend lossHessianVector)
 *   R e_{l−1} = R g_l·W_l + g_l·V_l
 *   R g_{l−1} = R e_{l−1} ⊙ f'_{l−1} + e_{l−1} ⊙ f''_{l−1} ⊙ R z_{l−1}   (activationBackwardR)
 *   (H v)_{W_l} = Σ_chunks (R g_lᵀ·h_{l−1} + g_lᵀ·R h_{l−1}),  (H v)_{b_l} = Σ_rows R g_l
 * </pre>
 * The forward pass and the ordinary backward pass are done once per chunk and shared by all K
 * vectors of a call. Workspace: {@code T·chunk·(3·Σ_l w_l + 2·Σ_{l<L} w_l + 2·max_l w_l) + T} elements
 * ({@link #workspaceElements}).
 *
 * <p>Vector sets: a call with K vectors takes views {@code v} and {@code out} of vector 0
 * (trajectory t at {@code offset + t·P}); vector i of trajectory t is at
 * {@code offset + (i·T + t)·P}, T = {@link #trajectories()} (so a {@code [K·T × P]} buffer).
 */
public final class SecondOrderMlp implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final ModelSpec spec;
    private final ParameterLayout layout;
    private final int t;
    private final int chunk;
    private final long p;
    private final int maxW;
    private final Buffer[] h;   // h_l, l = 1..L
    private final Buffer[] g;   // g_l
    private final Buffer[] e;   // e_l, l = 1..L−1 (gradient w.r.t. h_l)
    private final Buffer[] rz;  // R z_l
    private final Buffer[] rh;  // R h_l, l = 1..L−1
    private final Buffer ra;
    private final Buffer rb;
    private final Buffer lossSum;
    /** Allocated by the first {@link #setWeightDecay} with a non-zero λ. */
    private WeightDecayTerm decay;

    /**
     * @param trajectories T, the largest batch of one call
     * @param chunk        rows per pass
     */
    public SecondOrderMlp(Backend backend, DType dtype, ModelSpec spec, int trajectories, int chunk) {
        if (trajectories < 1) throw new IllegalArgumentException("trajectories must be ≥ 1");
        if (chunk < 1) throw new IllegalArgumentException("chunk must be ≥ 1");
        this.backend = backend;
        this.dtype = dtype;
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
        this.t = trajectories;
        this.chunk = chunk;
        this.p = layout.size();
        int layers = spec.layers();
        h = new Buffer[layers + 1];
        g = new Buffer[layers + 1];
        e = new Buffer[layers + 1];
        rz = new Buffer[layers + 1];
        rh = new Buffer[layers + 1];
        int mw = 1;
        for (int l = 1; l <= layers; l++) mw = Math.max(mw, spec.width(l));
        maxW = mw;
        try (Allocations a = new Allocations()) { // a failed allocation releases the earlier ones
            for (int l = 1; l <= layers; l++) {
                long n = (long) t * chunk * spec.width(l);
                h[l] = a.add(backend.allocate(dtype, n));
                g[l] = a.add(backend.allocate(dtype, n));
                rz[l] = a.add(backend.allocate(dtype, n));
                if (l < layers) {
                    e[l] = a.add(backend.allocate(dtype, n));
                    rh[l] = a.add(backend.allocate(dtype, n));
                }
            }
            ra = a.add(backend.allocate(dtype, (long) t * chunk * maxW));
            rb = a.add(backend.allocate(dtype, (long) t * chunk * maxW));
            lossSum = a.add(backend.allocate(dtype, t));
            a.keep();
        }
    }

    /**
     * Device elements the constructor allocates for T trajectories and a chunk:
     * {@code T·chunk·(3·Σ_l w_l + 2·Σ_{l<L} w_l + 2·max_l w_l) + T} (h, g, R z per layer; e, R h
     * below the output; two R scratch buffers; the loss sums).
     */
    public static long workspaceElements(ModelSpec spec, int trajectories, int chunk) {
        long perRow = 0, max = 1;
        for (int l = 1; l <= spec.layers(); l++) {
            perRow += (l < spec.layers() ? 5L : 3L) * spec.width(l);
            max = Math.max(max, spec.width(l));
        }
        return (long) trajectories * chunk * (perRow + 2 * max) + trajectories;
    }

    public Backend backend() {
        return backend;
    }

    public DType dtype() {
        return dtype;
    }

    public ModelSpec spec() {
        return spec;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** Largest batch T of one call. */
    public int trajectories() {
        return t;
    }

    /** Parameters per trajectory P. */
    public long p() {
        return p;
    }

    public int chunk() {
        return chunk;
    }

    /**
     * Weight decay of batch positions 0..λ.length−1 in the following calls
     * (docs/science.md#weight-decay): the loss, gradient and Hessian-vector products become those
     * of {@code L(w) + (λ_b/2)·‖w_D‖²}, i.e. {@code + (λ_b/2)·‖w_D‖²}, {@code + λ_b·w_D} and
     * {@code + λ_b·v_D} (D: the weights, and the biases with {@code biases}). Null or all zeros
     * switch it off (bit-identical to no weight decay).
     */
    public void setWeightDecay(double[] lambda, boolean biases) {
        if (decay == null && !WeightDecayTerm.any(lambda)) return;
        if (decay == null) decay = new WeightDecayTerm(backend, dtype, layout, t);
        decay.set(lambda, biases);
    }

    /**
     * Full-batch gradient at {@code params} for the first {@code count} trajectories:
     * {@code grad[t] = ∇L(w_t)}; {@code lossOut[t] = L(w_t)} when lossOut is not null.
     */
    public void gradient(DeviceData data, View params, int count, View grad, View lossOut) {
        run(data, params, count, grad, lossOut, null, null, 0);
    }

    /**
     * Hessian-vector products of K vectors: {@code out[i][t] = H(w_t)·v[i][t]} for i &lt; k and
     * the first {@code count} trajectories (layout: class comment). {@code out} must not
     * overlap {@code v}.
     */
    public void hvp(DeviceData data, View params, int count, View v, View out, int k) {
        run(data, params, count, null, null, v, out, k);
    }

    /** Gradient and Hessian-vector products in one pass (either output may be null). */
    public void run(DeviceData data, View params, int count, View grad, View lossOut, View v, View out, int k) {
        check(data, count);
        if (lossOut != null) backend.fill(lossSum, 0, t, 0);
        int n = data.n();
        double scale = 1.0 / n;
        boolean first = true;
        for (int r0 = 0; r0 < n; r0 += chunk) {
            int c = Math.min(chunk, n - r0);
            forward(data, params, count, r0, c);
            backward(data, params, count, r0, c, scale, grad, first);
            for (int i = 0; i < k; i++) {
                long shift = (long) i * t * p;
                View vi = v.shift(shift);
                View oi = out.shift(shift);
                rForward(data, params, count, r0, c, vi);
                rBackward(data, params, count, r0, c, scale, vi, oi, first);
            }
            first = false;
        }
        if (decay != null && decay.active()) {
            if (grad != null) decay.addScaled(count, params, grad);
            if (lossOut != null) decay.addPenalty(count, params, View.of(lossSum, 1));
            for (int i = 0; i < k; i++) {
                long shift = (long) i * t * p;
                decay.addScaled(count, v.shift(shift), out.shift(shift));
            }
        }
        if (lossOut != null) {
            if (lossOut.stride() == 1) {
                backend.copy(lossSum, 0, lossOut.buffer(), lossOut.offset(), count);
            } else {
                for (int b = 0; b < count; b++) backend.copy(lossSum, b, lossOut.buffer(), lossOut.at(b), 1);
            }
        }
    }

    private View act(Buffer[] bufs, int l) {
        return View.of(bufs[l], (long) chunk * spec.width(l));
    }

    private View input(DeviceData data, int l, int r0) {
        return l == 1 ? new View(data.x(), (long) r0 * data.features(), 0) : act(h, l - 1);
    }

    private View weights(View params, int l) {
        return params.shift(layout.weightOffset(l));
    }

    private View bias(View params, int l) {
        return spec.bias() ? params.shift(layout.biasOffset(l)) : null;
    }

    private View target(DeviceData data, int r0) {
        return new View(data.y(), (long) r0 * data.outputs(), 0);
    }

    private void forward(DeviceData data, View params, int count, int r0, int c) {
        for (int l = 1; l <= spec.layers(); l++) {
            int in = spec.width(l - 1), out = spec.width(l);
            backend.gemm(new GemmShape(count, c, out, in, false, true, 1, 0), input(data, l, r0),
                    weights(params, l), act(h, l));
            backend.biasActivation(spec.activationOf(l), count, c, out, act(h, l), bias(params, l));
        }
    }

    /** g_l for every layer and e_l for hidden layers; accumulates the gradient when asked. */
    private void backward(DeviceData data, View params, int count, int r0, int c, double scale, View grad,
                          boolean first) {
        int layers = spec.layers();
        backend.lossGradient(spec.loss(), count, c, spec.outputs(), act(h, layers), target(data, r0), scale,
                act(g, layers), View.of(lossSum, 1));
        double beta = first ? 0 : 1;
        for (int l = layers; l >= 1; l--) {
            int in = spec.width(l - 1), out = spec.width(l);
            if (grad != null) {
                backend.gemm(new GemmShape(count, out, in, c, true, false, 1, beta), act(g, l), input(data, l, r0),
                        grad.shift(layout.weightOffset(l)));
                if (spec.bias()) backend.columnSums(count, c, out, 1, act(g, l), beta, grad.shift(layout.biasOffset(l)));
            }
            if (l > 1) {
                backend.gemm(new GemmShape(count, c, in, out, false, false, 1, 0), act(g, l), weights(params, l),
                        act(e, l - 1));
                backend.copy(e[l - 1], 0, g[l - 1], 0, (long) count * chunk * in);
                backend.activationBackward(spec.activationOf(l - 1), count, c, in, act(h, l - 1), act(g, l - 1));
            }
        }
    }

    private void rForward(DeviceData data, View params, int count, int r0, int c, View v) {
        int layers = spec.layers();
        for (int l = 1; l <= layers; l++) {
            int in = spec.width(l - 1), out = spec.width(l);
            double beta = 0;
            if (l > 1) {
                backend.gemm(new GemmShape(count, c, out, in, false, true, 1, 0), act(rh, l - 1), weights(params, l),
                        act(rz, l));
                beta = 1;
            }
            backend.gemm(new GemmShape(count, c, out, in, false, true, 1, beta), input(data, l, r0), weights(v, l),
                    act(rz, l));
            if (spec.bias()) backend.biasActivation(Activation.IDENTITY, count, c, out, act(rz, l), bias(v, l));
            if (l < layers) {
                backend.copy(rz[l], 0, rh[l], 0, (long) count * chunk * out);
                Activation f = spec.activationOf(l);
                if (f != Activation.IDENTITY) backend.activationBackward(f, count, c, out, act(h, l), act(rh, l));
            }
        }
    }

    private void rBackward(DeviceData data, View params, int count, int r0, int c, double scale, View v, View out,
                           boolean first) {
        int layers = spec.layers();
        View cur = View.of(ra, (long) chunk * maxW);
        View other = View.of(rb, (long) chunk * maxW);
        backend.lossHessianVector(spec.loss(), count, c, spec.outputs(), act(h, layers), target(data, r0),
                act(rz, layers), scale, cur);
        double beta = first ? 0 : 1;
        for (int l = layers; l >= 1; l--) {
            int in = spec.width(l - 1), wo = spec.width(l);
            View ow = out.shift(layout.weightOffset(l));
            backend.gemm(new GemmShape(count, wo, in, c, true, false, 1, beta), cur, input(data, l, r0), ow);
            if (l > 1) backend.gemm(new GemmShape(count, wo, in, c, true, false, 1, 1), act(g, l), act(rh, l - 1), ow);
            if (spec.bias()) backend.columnSums(count, c, wo, 1, cur, beta, out.shift(layout.biasOffset(l)));
            if (l > 1) {
                backend.gemm(new GemmShape(count, c, in, wo, false, false, 1, 0), cur, weights(params, l), other);
                backend.gemm(new GemmShape(count, c, in, wo, false, false, 1, 1), act(g, l), weights(v, l), other);
                backend.activationBackwardR(spec.activationOf(l - 1), count, c, in, act(h, l - 1), act(e, l - 1),
                        act(rz, l - 1), other);
                View swap = cur;
                cur = other;
                other = swap;
            }
        }
    }

    private void check(DeviceData data, int count) {
        if (count < 1 || count > t) throw new IllegalArgumentException("count " + count + " of " + t);
        if (data.features() != spec.inputs() || data.outputs() != spec.outputs()) {
            throw new IllegalArgumentException("data has " + data.features() + " inputs and " + data.outputs()
                    + " outputs but the model is " + spec);
        }
    }

    @Override
    public void close() {
        for (int l = 1; l < h.length; l++) {
            h[l].close();
            g[l].close();
            rz[l].close();
            if (e[l] != null) e[l].close();
            if (rh[l] != null) rh[l].close();
        }
        ra.close();
        rb.close();
        lossSum.close();
        if (decay != null) decay.close();
    }
}
