package org.gdchaos.train;

import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;

/**
 * Forward and backward passes of an {@link Ensemble}'s network over chunks of a shared data set,
 * as batched backend calls (batch = T trajectories). Stage i of chunk rows r0..r0+c, with
 * A_i the stage's linear map ({@link NetworkOps}: a GEMM, im2col + GEMM, or pooling):
 * <pre>
 *   H_i[t] = f_i(A_i(H_{i−1}[t]; W_i[t]) + b_i[t])      (H_{−1} = X rows, shared: stride 0)
 *   δ_last[t] = scale·∂ℓ/∂z_last                          (loss gradient)
 *   ∇W_i[t] += ∂⟨δ_i, A_i⟩/∂W  (δ_iᵀ·H_{i−1}, conv: δ_iᵀ·im2col(H_{i−1})),  ∇b_i[t] += Σ_rows δ_i[t]
 *   δ_{i−1}[t] = ∂⟨δ_i, A_i⟩/∂x ⊙ f'_{i−1}(H_{i−1}[t])   (g·W, col2im(g·W) or poolBackward)
 * </pre>
 * For an MLP these are exactly the calls of the earlier MLP-only class (same order, same results).
 * A first layer reading the shared data lowers it once per chunk for all T. Memory is
 * proportional to the chunk, not to the data set (full-batch gradients are accumulated chunk by chunk).
 */
public final class BatchedNetwork implements AutoCloseable {
    private final Ensemble ensemble;
    private final Backend backend;
    private final ModelSpec spec;
    private final NetworkOps ops;
    private final int chunk;
    private final int t;
    private final long p;
    private final Buffer[] h;      // h[i]: output of stage i, T × chunk × size_i
    private final Buffer deltaA;   // T × chunk × max size
    private final Buffer deltaB;
    private final int maxOut;

    /**
     * @param chunk rows per pass (≥ 1)
     */
    public BatchedNetwork(Ensemble ensemble, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("chunk must be ≥ 1");
        this.ensemble = ensemble;
        this.backend = ensemble.backend();
        this.spec = ensemble.spec();
        this.chunk = chunk;
        this.t = ensemble.size();
        this.p = ensemble.layout().size();
        int stages = spec.stages().size();
        maxOut = NetworkOps.maxOutSize(spec);
        try (Allocations a = new Allocations()) {
            h = new Buffer[stages];
            for (int i = 0; i < stages; i++) {
                h[i] = a.add(backend.allocate(ensemble.dtype(), (long) t * chunk * spec.shape(i + 1).size()));
            }
            deltaA = a.add(backend.allocate(ensemble.dtype(), (long) t * chunk * maxOut));
            deltaB = a.add(backend.allocate(ensemble.dtype(), (long) t * chunk * maxOut));
            ops = a.add(new NetworkOps(backend, ensemble.dtype(), spec, t, chunk));
            a.keep();
        }
    }

    /**
     * Elements of workspace for T trajectories and a chunk: {@code Σ_i T·chunk·size_i + 2·T·chunk·max_i size_i}
     * (stage outputs and two gradient buffers) plus the convolutions' lowering ({@link NetworkOps#workspaceElements}).
     */
    public static long workspaceElements(ModelSpec spec, int trajectories, int chunk) {
        long sum = 0;
        for (int i = 1; i <= spec.stages().size(); i++) sum += spec.shape(i).size();
        return (long) trajectories * chunk * (sum + 2L * NetworkOps.maxOutSize(spec))
                + NetworkOps.workspaceElements(spec, trajectories, chunk);
    }

    public int chunk() {
        return chunk;
    }

    public Ensemble ensemble() {
        return ensemble;
    }

    /** Outputs of stage i (0-based) for the chunk last passed forward: entry t at t·chunk·size_i. */
    public View activations(int i) {
        return View.of(h[i], (long) chunk * spec.shape(i + 1).size());
    }

    /** Input of stage i for chunk rows starting at r0: the shared data (i = 0) or H_{i−1}. */
    View input(int i, DeviceData data, int r0) {
        return i == 0 ? NetworkOps.dataInput(data, r0) : activations(i - 1);
    }

    private View params() {
        return new View(ensemble.paramBuffer(), 0, p);
    }

    private View grads() {
        return new View(ensemble.gradBuffer(), 0, p);
    }

    /** Forward pass of rows r0..r0+c−1 for every trajectory: fills every stage's output. */
    public void forward(DeviceData data, int r0, int c) {
        forward(data, r0, c, t);
    }

    /** Forward pass of rows r0..r0+c−1 for the first {@code count} trajectories. */
    public void forward(DeviceData data, int r0, int c, int count) {
        checkRows(data, r0, c);
        if (count < 1 || count > t) throw new IllegalArgumentException("count " + count + " of " + t);
        ops.lowerInput(data, r0, c);
        for (int i = 0; i < ops.stages(); i++) {
            if (ops.layerOf(i) == 0) {
                ops.pool(i, count, c, input(i, data, r0), activations(i));
                continue;
            }
            ops.linear(i, count, c, input(i, data, r0), ops.weights(i, params()), 0, activations(i));
            backend.biasActivation(spec.stages().get(i).activation(), count, ops.rows(i, c), ops.cols(i), activations(i),
                    ops.bias(i, params()));
        }
    }

    /**
     * Full gradient over rows [r0, r0+n): overwrites the ensemble's gradients with
     * {@code scale·Σ_i ∇ℓ_i} and adds {@code scale·Σ_i ℓ_i} to its loss sums (not reset here).
     * With weight decay ({@link Ensemble#setWeightDecay}) the gradient is that of the objective,
     * {@code + λ_t·w_D} (docs/science.md#weight-decay); the loss sums stay the data loss.
     */
    public void gradient(DeviceData data, int r0, int n, double scale) {
        boolean first = true;
        for (int start = r0; start < r0 + n; start += chunk) {
            int c = Math.min(chunk, r0 + n - start);
            forward(data, start, c);
            backwardChunk(data, start, c, scale, first);
            first = false;
        }
        ensemble.addWeightDecayGradient();
    }

    private void backwardChunk(DeviceData data, int r0, int c, double scale, boolean first) {
        int last = ops.stages() - 1;
        View cur = View.of(deltaA, (long) chunk * maxOut);
        View other = View.of(deltaB, (long) chunk * maxOut);
        backend.lossGradient(spec.loss(), t, c, spec.outputs(), activations(last),
                new View(data.y(), (long) r0 * data.outputs(), 0), scale, cur, ensemble.lossSum());
        double beta = first ? 0 : 1;
        for (int i = last; i >= 0; i--) {
            if (ops.layerOf(i) > 0) {
                ops.weightGrad(i, t, c, cur, input(i, data, r0), beta, ops.weights(i, grads()));
                if (spec.bias()) backend.columnSums(t, ops.rows(i, c), ops.cols(i), 1, cur, beta, ops.bias(i, grads()));
            }
            if (i > 0) {
                ops.inputGrad(i, t, c, cur, ops.weights(i, params()), input(i, data, r0), 0, other);
                if (ops.layerOf(i - 1) > 0) {
                    backend.activationBackward(spec.stages().get(i - 1).activation(), t, ops.rows(i - 1, c),
                            ops.cols(i - 1), activations(i - 1), other);
                }
                View swap = cur;
                cur = other;
                other = swap;
            }
        }
    }

    /**
     * Evaluates rows [r0, r0+n) for the first {@code count} trajectories: adds
     * {@code scale·Σ ℓ_i} to {@code lossOut[t]} and the number of correct argmax predictions to
     * {@code correctOut[t]} (either may be null).
     */
    public void evaluate(DeviceData data, int r0, int n, int count, double scale, View lossOut, View correctOut) {
        int last = ops.stages() - 1;
        View scratch = View.of(deltaA, (long) chunk * maxOut);
        for (int start = r0; start < r0 + n; start += chunk) {
            int c = Math.min(chunk, r0 + n - start);
            forward(data, start, c, count);
            View y = new View(data.y(), (long) start * data.outputs(), 0);
            if (correctOut != null) backend.countCorrect(count, c, spec.outputs(), activations(last), y, correctOut);
            if (lossOut != null) {
                backend.lossGradient(spec.loss(), count, c, spec.outputs(), activations(last), y, scale, scratch,
                        lossOut);
            }
        }
    }

    private void checkRows(DeviceData data, int r0, int c) {
        if (c < 1 || c > chunk) throw new IllegalArgumentException("chunk of " + c + " rows, capacity " + chunk);
        if (r0 < 0 || r0 + c > data.n()) {
            throw new IllegalArgumentException("rows " + r0 + ".." + (r0 + c) + " outside data of " + data.n());
        }
        if (data.features() != spec.inputs() || data.outputs() != spec.outputs()) {
            throw new IllegalArgumentException("data has " + data.features() + " inputs and " + data.outputs()
                    + " outputs but the model is " + spec);
        }
    }

    @Override
    public void close() {
        for (Buffer b : h) b.close();
        deltaA.close();
        deltaB.close();
        ops.close();
    }
}
