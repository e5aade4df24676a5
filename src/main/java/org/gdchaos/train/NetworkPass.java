package org.gdchaos.train;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;

/**
 * The one forward and backward pass of a network ({@link ModelSpec}: dense, convolution and
 * pooling stages) for up to T trajectories over chunks of a shared data set, as batched backend
 * calls; training ({@link BatchedNetwork}) and the second-order code
 * ({@code hessian.SecondOrderNetwork}, which adds the R-passes on top) both run it. Stage i of
 * chunk rows r0..r0+c, with A_i the stage's linear map ({@link NetworkOps}: a GEMM, im2col +
 * GEMM, or pooling):
 * <pre>
 *   forward:   z_i = A_i(h_{i−1}; W_i) + b_i,  h_i = f_i(z_i)      (h_{−1} = X rows, shared: stride 0)
 *   backward:  g_last = scale·∂ℓ/∂z_last                           (loss gradient; lossSum += scale·Σ ℓ)
 *              ∇W_i (+)= ∂⟨g_i, A_i(h_{i−1}; W)⟩/∂W,  ∇b_i (+)= Σ_rows g_i
 *              e_{i−1} = A_i*(g_i) (input adjoint),  g_{i−1} = e_{i−1} ⊙ f'_{i−1}(h_{i−1})
 * </pre>
 * Where the g_i and e_i live is the caller's choice ({@link Deltas}): two buffers used in turn
 * (training), or one per stage kept for the R-passes. The pass owns the stage outputs h_i
 * ({@link #activations}) and the {@link NetworkOps}; the parameters, gradients and loss sums are
 * views the caller passes (stride P for parameters and gradients). With weight decay the
 * gradient gets {@code + λ_t·w_D} once, after the last chunk (docs/science.md#weight-decay).
 */
public final class NetworkPass implements AutoCloseable {
    private final Backend backend;
    private final ModelSpec spec;
    private final NetworkOps ops;
    private final int t;
    private final int chunk;
    private final int last;
    private final Buffer[] h; // h[i]: output of stage i, T × chunk × size_i

    /** Where the backward pass puts g_i and e_i of stage i (chunk-strided views over T entries). */
    public interface Deltas {
        /** g_i: the loss gradient with respect to stage i's pre-activation z_i. */
        View g(int i);

        /**
         * e_i: the gradient with respect to h_i, for conv/dense stages below the last; the same view
         * as {@link #g} when e need not be kept (then f' is applied in place).
         */
        View e(int i);
    }

    /** Runs after each chunk's backward pass, while its stage outputs and deltas are still there. */
    @FunctionalInterface
    public interface AfterChunk {
        void run(int r0, int c, boolean first);
    }

    /**
     * @param trajectories T, the largest batch of one call
     * @param chunk        rows per pass (≥ 1)
     */
    public NetworkPass(Backend backend, DType dtype, ModelSpec spec, int trajectories, int chunk) {
        if (trajectories < 1) throw new IllegalArgumentException("trajectories must be ≥ 1");
        if (chunk < 1) throw new IllegalArgumentException("chunk must be ≥ 1");
        this.backend = backend;
        this.spec = spec;
        this.t = trajectories;
        this.chunk = chunk;
        int stages = spec.stages().size();
        this.last = stages - 1;
        try (Allocations a = new Allocations()) { // a failed allocation releases the earlier ones
            h = new Buffer[stages];
            for (int i = 0; i < stages; i++) {
                h[i] = a.add(backend.allocate(dtype, (long) t * chunk * spec.shape(i + 1).size()));
            }
            ops = a.add(new NetworkOps(backend, dtype, spec, t, chunk));
            a.keep();
        }
    }

    /**
     * Elements the constructor allocates: {@code T·chunk·Σ_i size_i} (stage outputs) plus the
     * convolutions' lowering ({@link NetworkOps#workspaceElements}).
     */
    public static long workspaceElements(ModelSpec spec, int trajectories, int chunk) {
        long sum = 0;
        for (int i = 1; i <= spec.stages().size(); i++) sum += spec.shape(i).size();
        return (long) trajectories * chunk * sum + NetworkOps.workspaceElements(spec, trajectories, chunk);
    }

    public NetworkOps ops() {
        return ops;
    }

    public int chunk() {
        return chunk;
    }

    /** Largest batch T of one call. */
    public int trajectories() {
        return t;
    }

    /** Outputs h_i of stage i (0-based) for the chunk last passed forward: entry t at t·chunk·size_i. */
    public View activations(int i) {
        return View.of(h[i], (long) chunk * spec.shape(i + 1).size());
    }

    /** Input of stage i for chunk rows starting at r0: the shared data (i = 0) or h_{i−1}. */
    public View input(int i, DeviceData data, int r0) {
        return i == 0 ? NetworkOps.dataInput(data, r0) : activations(i - 1);
    }

    /** The targets of chunk rows starting at r0, shared by every trajectory (stride 0). */
    public static View target(DeviceData data, int r0) {
        return new View(data.y(), (long) r0 * data.outputs(), 0);
    }

    /** Whether stage i has weights (conv or dense; false for pooling). */
    public boolean weighted(int i) {
        return ops.layerOf(i) > 0;
    }

    /** The activation of stage i. */
    public Activation activation(int i) {
        return spec.stages().get(i).activation();
    }

    /**
     * Forward pass of rows r0..r0+c−1 for the first {@code count} trajectories at {@code params}
     * (stride P): lowers the shared input when the first stage is a convolution, then fills every
     * stage's output.
     */
    public void forward(DeviceData data, int r0, int c, int count, View params) {
        checkRows(data, r0, c);
        checkCount(count);
        ops.lowerInput(data, r0, c);
        for (int i = 0; i <= last; i++) {
            if (!weighted(i)) {
                ops.pool(i, count, c, input(i, data, r0), activations(i));
                continue;
            }
            ops.linear(i, count, c, input(i, data, r0), ops.weights(i, params), 0, activations(i));
            backend.biasActivation(activation(i), count, ops.rows(i, c), ops.cols(i), activations(i),
                    ops.bias(i, params));
        }
    }

    /**
     * Backward pass of the chunk last passed forward (rows r0..r0+c−1): the loss gradient into
     * g_last (and {@code lossSum[t] += scale·Σ ℓ}), then every stage's g and e ({@code d}); with
     * {@code grad} not null, {@code grad = beta·grad + ∇} (beta 0 for the first chunk, 1 after).
     */
    public void backward(DeviceData data, int r0, int c, int count, double scale, View params, View lossSum,
                         View grad, double beta, Deltas d) {
        backend.lossGradient(spec.loss(), count, c, spec.outputs(), activations(last), target(data, r0), scale,
                d.g(last), lossSum);
        for (int i = last; i >= 0; i--) {
            View g = d.g(i);
            if (grad != null && weighted(i)) {
                ops.weightGrad(i, count, c, g, input(i, data, r0), beta, ops.weights(i, grad));
                if (spec.bias()) backend.columnSums(count, ops.rows(i, c), ops.cols(i), 1, g, beta, ops.bias(i, grad));
            }
            if (i > 0) {
                View w = weighted(i) ? ops.weights(i, params) : null;
                View below = d.g(i - 1);
                if (weighted(i - 1)) {
                    View e = d.e(i - 1);
                    ops.inputGrad(i, count, c, g, w, activations(i - 1), 0, e);
                    if (!e.equals(below)) {
                        backend.copy(e.buffer(), e.offset(), below.buffer(), below.offset(),
                                (long) count * chunk * spec.shape(i).size());
                    }
                    backend.activationBackward(activation(i - 1), count, ops.rows(i - 1, c), ops.cols(i - 1),
                            activations(i - 1), below);
                } else {
                    ops.inputGrad(i, count, c, g, w, activations(i - 1), 0, below);
                }
            }
        }
    }

    /**
     * Full gradient over rows [r0, r0+n), chunk by chunk, for the first {@code count} trajectories:
     * overwrites {@code grad} (when not null) with {@code scale·Σ_i ∇ℓ_i}, adds
     * {@code scale·Σ_i ℓ_i} to {@code lossSum} (not reset here), runs {@code after} on each
     * chunk (may be null), and finally adds the weight decay's gradient {@code λ_t·w_D} to grad
     * ({@code decay} may be null or inactive: nothing is added).
     */
    public void gradient(DeviceData data, int r0, int n, int count, double scale, View params, View lossSum,
                         View grad, Deltas d, WeightDecayTerm decay, AfterChunk after) {
        boolean first = true;
        for (int start = r0; start < r0 + n; start += chunk) {
            int c = Math.min(chunk, r0 + n - start);
            forward(data, start, c, count, params);
            backward(data, start, c, count, scale, params, lossSum, grad, first ? 0 : 1, d);
            if (after != null) after.run(start, c, first);
            first = false;
        }
        if (decay != null && grad != null) decay.addScaled(count, params, grad);
    }

    private void checkCount(int count) {
        if (count < 1 || count > t) throw new IllegalArgumentException("count " + count + " of " + t);
    }

    private void checkRows(DeviceData data, int r0, int c) {
        if (c < 1 || c > chunk) throw new IllegalArgumentException("chunk of " + c + " rows, capacity " + chunk);
        if (r0 < 0 || r0 + c > data.n()) {
            throw new IllegalArgumentException("rows " + r0 + ".." + (r0 + c) + " outside data of " + data.n());
        }
        checkData(data);
    }

    /** The data's inputs and outputs match the model. */
    public void checkData(DeviceData data) {
        if (data.features() != spec.inputs() || data.outputs() != spec.outputs()) {
            throw new IllegalArgumentException("data has " + data.features() + " inputs and " + data.outputs()
                    + " outputs but the model is " + spec);
        }
    }

    @Override
    public void close() {
        try (Allocations a = new Allocations()) { // everything is closed, even when one close throws
            for (Buffer b : h) a.add(b);
            a.add(ops);
        }
    }
}
