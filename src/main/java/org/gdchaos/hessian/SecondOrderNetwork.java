package org.gdchaos.hessian;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.NetworkOps;
import org.gdchaos.train.NetworkPass;
import org.gdchaos.train.WeightDecayTerm;

/**
 * Full-batch gradients and exact Hessian-vector products of a network ({@link ModelSpec}: dense,
 * convolution and pooling stages) for up to T trajectories at <em>arbitrary</em> parameters (any
 * {@code [T × P]} view with stride P), as batched backend calls over sample chunks, like
 * {@code BatchedNetwork}. The loss is the mean over the data set's N rows,
 * {@code L(w) = (1/N)·Σ_i ℓ(f(x_i; w), y_i)}, plus the weight-decay penalty when one is set
 * ({@link #setWeightDecay}).
 *
 * <p><b>Forward and backward</b> (per trajectory, rows of a chunk; stage i = 0..S−1 with linear map
 * A_i ({@link NetworkOps}: dense {@code x·Wᵀ}, conv {@code im2col(x)·Wᵀ}, or pooling), {@code h_{−1} = X}):
 * <pre>
 *   z_i = A_i(h_{i−1}; W_i) + b_i,   h_i = f_i(z_i)            (f_last = identity; pooling: h_i = z_i)
 *   g_last = (1/N)·∂ℓ/∂z_last,  e_{i−1} = A_i*(g_i) (input adjoint),  g_{i−1} = e_{i−1} ⊙ f'_{i−1}
 *   ∇W_i = Σ_chunks ∂⟨g_i, A_i(h_{i−1}; W)⟩/∂W,   ∇b_i = Σ_rows g_i
 * </pre>
 * <p><b>Hessian-vector product</b> {@code H·v} by Pearlmutter's R-operator
 * ({@code R{x} = d/dε x(w + ε v)|₀}), direction v = (V_i, c_i) in the parameter layout. A_i is
 * bilinear in (h, W), so
 * <pre>
 *   R z_i = A_i(R h_{i−1}; W_i) + A_i(h_{i−1}; V_i) + c_i,  R h_{−1} = 0,  R h_i = f'_i ⊙ R z_i
 *   pooling: R h_i = poolR(h_{i−1}, R h_{i−1})   (average: linear; max: R h at the primal argmax)
 *   R g_last = (1/N)·∇²_z ℓ · R z_last                             (backend lossHessianVector)
 *   R e_{i−1} = A_i*(R g_i; W_i) + A_i*(g_i; V_i)                   (pooling: poolBackward(h_{i−1}, R g_i))
 *   R g_{i−1} = R e_{i−1} ⊙ f'_{i−1} + e_{i−1} ⊙ f''_{i−1} ⊙ R z_{i−1}   (activationBackwardR)
 *   (H v)_{W_i} = Σ_chunks (∂⟨R g_i, A_i(h_{i−1}; ·)⟩ + ∂⟨g_i, A_i(R h_{i−1}; ·)⟩),  (H v)_{b_i} = Σ_rows R g_i
 * </pre>
 * Max pooling: the selection (the first maximum of each window in row-major order, {@code Backend#pool})
 * is piecewise constant in the input, so its Hessian is that of the selected inputs; at an exact tie
 * the function is not twice differentiable and gdchaos uses the one-sided derivative of the first
 * maximum, consistently in the gradient, R-forward and R-backward (docs/science.md#cnn).
 * The forward pass and the ordinary backward pass are {@link NetworkPass}'s, the pass training runs
 * (here with every g_i and e_i kept for the R-passes); they are done once per chunk and shared by all K
 * vectors of a call; a first convolution lowers the shared data once per chunk for all of them.
 * Workspace: {@link #workspaceElements}.
 *
 * <p>Vector sets: a call with K vectors takes views {@code v} and {@code out} of vector 0
 * (trajectory t at {@code offset + t·P}); vector i of trajectory t is at
 * {@code offset + (i·T + t)·P}, T = {@link #trajectories()} (so a {@code [K·T × P]} buffer).
 */
public final class SecondOrderNetwork implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final ModelSpec spec;
    private final ParameterLayout layout;
    private final NetworkPass pass;
    private final NetworkOps ops;
    private final int t;
    private final int chunk;
    private final long p;
    private final int maxOut;
    private final int last;
    private final Buffer[] g;   // g_i, every stage (the stage outputs h_i are the pass's)
    private final Buffer[] e;   // e_i, conv/dense stages below the last (gradient w.r.t. h_i)
    private final Buffer[] rz;  // R z_i, conv/dense stages
    private final Buffer[] rh;  // R h_i, stages below the last
    private final Buffer ra;
    private final Buffer rb;
    private final Buffer lossSum;
    /** Allocated by the first {@link #setWeightDecay} with a non-zero λ. */
    private WeightDecayTerm decay;
    /** Every stage's g_i and e_i in its own buffer, kept for the R-passes. */
    private final NetworkPass.Deltas kept = new NetworkPass.Deltas() {
        @Override
        public View g(int i) {
            return act(g, i);
        }

        @Override
        public View e(int i) {
            return act(e, i);
        }
    };

    /**
     * @param trajectories T, the largest batch of one call (≥ 1)
     * @param chunk        rows per pass (≥ 1; both checked by {@link NetworkPass})
     */
    public SecondOrderNetwork(Backend backend, DType dtype, ModelSpec spec, int trajectories, int chunk) {
        this.backend = backend;
        this.dtype = dtype;
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
        this.t = trajectories;
        this.chunk = chunk;
        this.p = layout.size();
        int stages = spec.stages().size();
        last = stages - 1;
        g = new Buffer[stages];
        e = new Buffer[stages];
        rz = new Buffer[stages];
        rh = new Buffer[stages];
        maxOut = NetworkOps.maxOutSize(spec);
        try (Allocations a = new Allocations()) { // a failed allocation releases the earlier ones
            pass = a.add(new NetworkPass(backend, dtype, spec, t, chunk));
            ops = pass.ops();
            for (int i = 0; i < stages; i++) {
                long n = (long) t * chunk * spec.shape(i + 1).size();
                boolean weighted = spec.stages().get(i).hasWeights();
                g[i] = a.add(backend.allocate(dtype, n));
                if (weighted) rz[i] = a.add(backend.allocate(dtype, n));
                if (i < last) {
                    if (weighted) e[i] = a.add(backend.allocate(dtype, n));
                    rh[i] = a.add(backend.allocate(dtype, n));
                }
            }
            ra = a.add(backend.allocate(dtype, (long) t * chunk * maxOut));
            rb = a.add(backend.allocate(dtype, (long) t * chunk * maxOut));
            lossSum = a.add(backend.allocate(dtype, t));
            a.keep();
        }
    }

    /**
     * Device elements the constructor allocates for T trajectories and a chunk:
     * {@code T·chunk·(Σ_i m_i·size_i + 2·max_i size_i) + T} plus the convolutions' lowering
     * ({@link NetworkOps#workspaceElements}), where m_i counts the buffers of stage i: h and g
     * always, R z for conv/dense, e (conv/dense) and R h below the last stage — for an MLP
     * {@code 5} per hidden layer and {@code 3} for the output layer. The h_i and the lowering are
     * {@link NetworkPass#workspaceElements}.
     */
    public static long workspaceElements(ModelSpec spec, int trajectories, int chunk) {
        long perRow = 0;
        int stages = spec.stages().size();
        for (int i = 0; i < stages; i++) {
            boolean weighted = spec.stages().get(i).hasWeights();
            int m = 1 + (weighted ? 1 : 0) + (i < stages - 1 ? (weighted ? 2 : 1) : 0); // h_i: the pass's
            perRow += (long) m * spec.shape(i + 1).size();
        }
        return (long) trajectories * chunk * (perRow + 2L * NetworkOps.maxOutSize(spec)) + trajectories
                + NetworkPass.workspaceElements(spec, trajectories, chunk);
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
        pass.gradient(data, 0, n, count, scale, params, View.of(lossSum, 1), grad, kept, decay, (r0, c, first) -> {
            for (int i = 0; i < k; i++) { // the R-passes, on the chunk's forward and backward
                long shift = (long) i * t * p;
                View vi = v.shift(shift);
                View oi = out.shift(shift);
                rForward(data, params, count, r0, c, vi);
                rBackward(data, params, count, r0, c, scale, vi, oi, first);
            }
        });
        if (decay != null && decay.active()) { // the gradient's term is added by the pass
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

    private View act(Buffer[] bufs, int i) {
        return View.of(bufs[i], (long) chunk * spec.shape(i + 1).size());
    }

    /** h_i, the pass's stage outputs. */
    private View h(int i) {
        return pass.activations(i);
    }

    /** Input of stage i: the shared data (i = 0) or h_{i−1}. */
    private View input(DeviceData data, int i, int r0) {
        return pass.input(i, data, r0);
    }

    private boolean weighted(int i) {
        return pass.weighted(i);
    }

    private Activation f(int i) {
        return pass.activation(i);
    }

    private void rForward(DeviceData data, View params, int count, int r0, int c, View v) {
        for (int i = 0; i <= last; i++) {
            if (!weighted(i)) {
                if (i == 0) {
                    backend.fill(rh[0], 0, (long) count * chunk * spec.shape(1).size(), 0); // the data has no R
                } else {
                    ops.poolR(i, count, c, h(i - 1), act(rh, i - 1), act(rh, i));
                }
                continue;
            }
            double beta = 0;
            if (i > 0) {
                ops.linear(i, count, c, act(rh, i - 1), ops.weights(i, params), 0, act(rz, i));
                beta = 1;
            }
            ops.linear(i, count, c, input(data, i, r0), ops.weights(i, v), beta, act(rz, i));
            if (spec.bias()) {
                backend.biasActivation(Activation.IDENTITY, count, ops.rows(i, c), ops.cols(i), act(rz, i), ops.bias(i, v));
            }
            if (i < last) {
                backend.copy(rz[i], 0, rh[i], 0, (long) count * chunk * spec.shape(i + 1).size());
                if (f(i) != Activation.IDENTITY) {
                    backend.activationBackward(f(i), count, ops.rows(i, c), ops.cols(i), h(i), act(rh, i));
                }
            }
        }
    }

    private void rBackward(DeviceData data, View params, int count, int r0, int c, double scale, View v, View out,
                           boolean first) {
        View cur = View.of(ra, (long) chunk * maxOut);
        View other = View.of(rb, (long) chunk * maxOut);
        backend.lossHessianVector(spec.loss(), count, c, spec.outputs(), h(last), NetworkPass.target(data, r0),
                act(rz, last), scale, cur);
        double beta = first ? 0 : 1;
        for (int i = last; i >= 0; i--) {
            if (weighted(i)) {
                View ow = ops.weights(i, out);
                ops.weightGrad(i, count, c, cur, input(data, i, r0), beta, ow);
                if (i > 0) ops.weightGrad(i, count, c, act(g, i), act(rh, i - 1), 1, ow);
                if (spec.bias()) backend.columnSums(count, ops.rows(i, c), ops.cols(i), 1, cur, beta, ops.bias(i, out));
            }
            if (i > 0) {
                if (weighted(i)) {
                    ops.inputGrad(i, count, c, cur, ops.weights(i, params), h(i - 1), 0, other);
                    ops.inputGrad(i, count, c, act(g, i), ops.weights(i, v), h(i - 1), 1, other);
                } else {
                    ops.inputGrad(i, count, c, cur, null, h(i - 1), 0, other);
                }
                if (weighted(i - 1)) {
                    backend.activationBackwardR(f(i - 1), count, ops.rows(i - 1, c), ops.cols(i - 1), h(i - 1),
                            act(e, i - 1), act(rz, i - 1), other);
                }
                View swap = cur;
                cur = other;
                other = swap;
            }
        }
    }

    private void check(DeviceData data, int count) {
        if (count < 1 || count > t) throw new IllegalArgumentException("count " + count + " of " + t);
        pass.checkData(data);
    }

    @Override
    public void close() {
        try (Allocations a = new Allocations()) { // everything is closed, even when one close throws
            a.add(pass);
            for (Buffer[] bs : new Buffer[][] {g, e, rz, rh}) {
                for (Buffer b : bs) if (b != null) a.add(b);
            }
            a.add(ra);
            a.add(rb);
            a.add(lossSum);
            if (decay != null) a.add(decay);
        }
    }
}
