package org.gdchaos.train;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;

/**
 * Forward and backward passes of an {@link Ensemble}'s MLP over chunks of a shared data set,
 * as batched backend calls (batch = T trajectories). Layer l of chunk rows r0..r0+c:
 * <pre>
 *   H_l[t] = f_l(H_{l−1}[t]·W_l[t]ᵀ + b_l[t])          (H_0 = X rows, shared: stride 0)
 *   δ_L[t] = scale·∂ℓ/∂z_L                                 (loss gradient)
 *   ∇W_l[t] += δ_l[t]ᵀ·H_{l−1}[t],  ∇b_l[t] += Σ_rows δ_l[t]
 *   δ_{l−1}[t] = (δ_l[t]·W_l[t]) ⊙ f'_{l−1}(H_{l−1}[t])
 * </pre>
 * The first layer for all T is one shared-operand GEMM; memory is proportional to the chunk,
 * not to the data set (full-batch gradients are accumulated chunk by chunk).
 */
public final class BatchedMlp implements AutoCloseable {
    private final Ensemble ensemble;
    private final Backend backend;
    private final ModelSpec spec;
    private final ParameterLayout layout;
    private final int chunk;
    private final int t;
    private final long p;
    private final Buffer[] h;      // h[l], l = 1..L: T × chunk × w_l
    private final Buffer deltaA;   // T × chunk × maxHidden
    private final Buffer deltaB;
    private final int maxOut;

    /**
     * @param chunk rows per pass (≥ 1)
     */
    public BatchedMlp(Ensemble ensemble, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("chunk must be ≥ 1");
        this.ensemble = ensemble;
        this.backend = ensemble.backend();
        this.spec = ensemble.spec();
        this.layout = ensemble.layout();
        this.chunk = chunk;
        this.t = ensemble.size();
        this.p = layout.size();
        int layers = spec.layers();
        h = new Buffer[layers + 1];
        int mo = 1;
        for (int l = 1; l <= layers; l++) {
            h[l] = backend.allocate(ensemble.dtype(), (long) t * chunk * spec.width(l));
            mo = Math.max(mo, spec.width(l));
        }
        maxOut = mo;
        deltaA = backend.allocate(ensemble.dtype(), (long) t * chunk * maxOut);
        deltaB = backend.allocate(ensemble.dtype(), (long) t * chunk * maxOut);
    }

    /** Elements of workspace for T trajectories and a chunk: Σ_l T·chunk·w_l + 2·T·chunk·max_l w_l. */
    public static long workspaceElements(ModelSpec spec, int trajectories, int chunk) {
        long sum = 0, max = 1;
        for (int l = 1; l <= spec.layers(); l++) {
            sum += spec.width(l);
            max = Math.max(max, spec.width(l));
        }
        return (long) trajectories * chunk * (sum + 2 * max);
    }

    public int chunk() {
        return chunk;
    }

    public Ensemble ensemble() {
        return ensemble;
    }

    /** Activations of layer l (1..L) for the chunk last passed forward: entry t at t·chunk·w_l. */
    public View activations(int l) {
        return View.of(h[l], (long) chunk * spec.width(l));
    }

    /** Input of layer l for chunk rows starting at r0: the shared data (l = 1) or H_{l−1}. */
    View input(int l, DeviceData data, int r0) {
        return l == 1 ? new View(data.x(), (long) r0 * data.features(), 0) : activations(l - 1);
    }

    View weights(int l) {
        return new View(ensemble.paramBuffer(), layout.weightOffset(l), p);
    }

    View bias(int l) {
        return spec.bias() ? new View(ensemble.paramBuffer(), layout.biasOffset(l), p) : null;
    }

    /** Forward pass of rows r0..r0+c−1 for every trajectory: fills H_1..H_L. */
    public void forward(DeviceData data, int r0, int c) {
        forward(data, r0, c, t);
    }

    /** Forward pass of rows r0..r0+c−1 for the first {@code count} trajectories. */
    public void forward(DeviceData data, int r0, int c, int count) {
        checkRows(data, r0, c);
        if (count < 1 || count > t) throw new IllegalArgumentException("count " + count + " of " + t);
        for (int l = 1; l <= spec.layers(); l++) {
            int in = spec.width(l - 1), out = spec.width(l);
            backend.gemm(new GemmShape(count, c, out, in, false, true, 1, 0), input(l, data, r0), weights(l),
                    activations(l));
            backend.biasActivation(spec.activationOf(l), count, c, out, activations(l), bias(l));
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
        int layers = spec.layers();
        View cur = View.of(deltaA, (long) chunk * maxOut);
        View other = View.of(deltaB, (long) chunk * maxOut);
        backend.lossGradient(spec.loss(), t, c, spec.outputs(), activations(layers),
                new View(data.y(), (long) r0 * data.outputs(), 0), scale, cur, ensemble.lossSum());
        double beta = first ? 0 : 1;
        for (int l = layers; l >= 1; l--) {
            int in = spec.width(l - 1), out = spec.width(l);
            backend.gemm(new GemmShape(t, out, in, c, true, false, 1, beta), cur, input(l, data, r0),
                    new View(ensemble.gradBuffer(), layout.weightOffset(l), p));
            if (spec.bias()) {
                backend.columnSums(t, c, out, 1, cur, beta,
                        new View(ensemble.gradBuffer(), layout.biasOffset(l), p));
            }
            if (l > 1) {
                backend.gemm(new GemmShape(t, c, in, out, false, false, 1, 0), cur, weights(l), other);
                Activation f = spec.activationOf(l - 1);
                backend.activationBackward(f, t, c, in, activations(l - 1), other);
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
        int layers = spec.layers();
        View scratch = View.of(deltaA, (long) chunk * maxOut);
        for (int start = r0; start < r0 + n; start += chunk) {
            int c = Math.min(chunk, r0 + n - start);
            forward(data, start, c, count);
            View y = new View(data.y(), (long) start * data.outputs(), 0);
            if (correctOut != null) backend.countCorrect(count, c, spec.outputs(), activations(layers), y, correctOut);
            if (lossOut != null) {
                backend.lossGradient(spec.loss(), count, c, spec.outputs(), activations(layers), y, scale, scratch,
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
        for (int l = 1; l < h.length; l++) h[l].close();
        deltaA.close();
        deltaB.close();
    }
}
