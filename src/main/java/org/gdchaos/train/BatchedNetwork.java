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
 * The pass itself is {@link NetworkPass}, shared with the second-order code; this class runs it on
 * the ensemble's parameters and gradients with two delta buffers used in turn.
 * A first layer reading the shared data lowers it once per chunk for all T. Memory is
 * proportional to the chunk, not to the data set (full-batch gradients are accumulated chunk by chunk).
 */
public final class BatchedNetwork implements AutoCloseable {
    private final Ensemble ensemble;
    private final Backend backend;
    private final ModelSpec spec;
    private final NetworkPass pass;
    private final int chunk;
    private final int t;
    private final long p;
    private final Buffer deltaA;   // T × chunk × max size
    private final Buffer deltaB;
    private final int maxOut;
    /** g_i in deltaA for the last stage, then deltaB, deltaA, … going down (e_i = g_i: f' in place). */
    private final NetworkPass.Deltas alternating;

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
        int last = spec.stages().size() - 1;
        maxOut = NetworkOps.maxOutSize(spec);
        try (Allocations a = new Allocations()) {
            pass = a.add(new NetworkPass(backend, ensemble.dtype(), spec, t, chunk));
            deltaA = a.add(backend.allocate(ensemble.dtype(), (long) t * chunk * maxOut));
            deltaB = a.add(backend.allocate(ensemble.dtype(), (long) t * chunk * maxOut));
            a.keep();
        }
        View even = View.of(deltaA, (long) chunk * maxOut);
        View odd = View.of(deltaB, (long) chunk * maxOut);
        alternating = new NetworkPass.Deltas() {
            @Override
            public View g(int i) {
                return (last - i) % 2 == 0 ? even : odd;
            }

            @Override
            public View e(int i) {
                return g(i);
            }
        };
    }

    /**
     * Elements of workspace for T trajectories and a chunk: {@code Σ_i T·chunk·size_i + 2·T·chunk·max_i size_i}
     * (stage outputs and two gradient buffers) plus the convolutions' lowering ({@link NetworkOps#workspaceElements}).
     */
    public static long workspaceElements(ModelSpec spec, int trajectories, int chunk) {
        return NetworkPass.workspaceElements(spec, trajectories, chunk)
                + (long) trajectories * chunk * 2L * NetworkOps.maxOutSize(spec);
    }

    public int chunk() {
        return chunk;
    }

    public Ensemble ensemble() {
        return ensemble;
    }

    /** Outputs of stage i (0-based) for the chunk last passed forward: entry t at t·chunk·size_i. */
    public View activations(int i) {
        return pass.activations(i);
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
        pass.forward(data, r0, c, count, params());
    }

    /**
     * Full gradient over rows [r0, r0+n): overwrites the ensemble's gradients with
     * {@code scale·Σ_i ∇ℓ_i} and adds {@code scale·Σ_i ℓ_i} to its loss sums (not reset here).
     * With weight decay ({@link Ensemble#setWeightDecay}) the gradient is that of the objective,
     * {@code + λ_t·w_D} (docs/science.md#weight-decay); the loss sums stay the data loss.
     */
    public void gradient(DeviceData data, int r0, int n, double scale) {
        pass.gradient(data, r0, n, t, scale, params(), ensemble.lossSum(), grads(), alternating,
                ensemble.weightDecayTerm(), null);
    }

    /**
     * Evaluates rows [r0, r0+n) for the first {@code count} trajectories: adds
     * {@code scale·Σ ℓ_i} to {@code lossOut[t]} and the number of correct argmax predictions to
     * {@code correctOut[t]} (either may be null).
     */
    public void evaluate(DeviceData data, int r0, int n, int count, double scale, View lossOut, View correctOut) {
        int last = spec.stages().size() - 1;
        View scratch = View.of(deltaA, (long) chunk * maxOut);
        for (int start = r0; start < r0 + n; start += chunk) {
            int c = Math.min(chunk, r0 + n - start);
            forward(data, start, c, count);
            View y = NetworkPass.target(data, start);
            if (correctOut != null) backend.countCorrect(count, c, spec.outputs(), activations(last), y, correctOut);
            if (lossOut != null) {
                backend.lossGradient(spec.loss(), count, c, spec.outputs(), activations(last), y, scale, scratch,
                        lossOut);
            }
        }
    }

    @Override
    public void close() {
        try (Allocations a = new Allocations()) { // everything is closed, even when one close throws
            a.add(pass);
            a.add(deltaA);
            a.add(deltaB);
        }
    }
}
