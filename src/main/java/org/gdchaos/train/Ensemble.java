package org.gdchaos.train;

import java.util.Arrays;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;

/**
 * T trajectories of one model on one backend: parameters {@code [T × P]} (trajectory t at
 * offset t·P), gradients {@code [T × P]}, and per-trajectory learning rates, loss sums and
 * divergence flags. A trajectory whose loss or gradient became non-finite is <em>frozen</em>:
 * its learning rate is set to 0 (the backend's update then leaves it untouched), it is
 * flagged with the step at which it happened, and it never affects the others.
 */
public final class Ensemble implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final ParameterLayout layout;
    private final int size;
    private final Buffer params;
    private final Buffer grads;
    private final Buffer lr;
    /** Loss sums at [0, T) and divergence flags at [T, 2T): the host reads both with one download. */
    private final Buffer status;
    private final double[] hostLr;
    private final int[] divergedAt;
    /** Allocated by the first {@link #setWeightDecay} with a non-zero λ; null means no weight decay. */
    private WeightDecayTerm decay;
    /** The optimizer every trajectory follows ({@link #setOptimizer}; GD by default). */
    private Optimizer optimizer = Optimizer.GD;
    /**
     * Maximal runs of consecutive trajectories with equal optimizer: run i is trajectories
     * {@code [runStart[i], runStart[i + 1])}, following {@code runOptimizer[i]}; one run for
     * {@link #setOptimizer}. Each optimizer launch is made once per run ({@link #optimizerRuns}).
     */
    private int[] runStart;
    private Optimizer[] runOptimizer = {Optimizer.GD};
    /** Optimizer state vectors, each {@code [T × P]} like the parameters (v; or m, s): allocated once by {@link #setOptimizer}. */
    private Buffer[] state = new Buffer[0];

    public Ensemble(Backend backend, DType dtype, ModelSpec spec, int trajectories) {
        if (trajectories < 1) throw new IllegalArgumentException("an ensemble needs at least one trajectory");
        if (!backend.supports(dtype)) {
            throw new IllegalArgumentException("backend " + backend.name() + " does not support " + dtype.label());
        }
        this.backend = backend;
        this.dtype = dtype;
        this.layout = new ParameterLayout(spec);
        this.size = trajectories;
        long p = layout.size();
        try (org.gdchaos.backend.Allocations a = new org.gdchaos.backend.Allocations()) {
            this.params = a.add(backend.allocate(dtype, p * trajectories));
            this.grads = a.add(backend.allocate(dtype, p * trajectories));
            this.lr = a.add(backend.allocate(dtype, trajectories));
            this.status = a.add(backend.allocate(dtype, 2L * trajectories));
            a.keep();
        }
        this.hostLr = new double[trajectories];
        this.divergedAt = new int[trajectories];
        Arrays.fill(divergedAt, -1);
        this.runStart = new int[] {0, trajectories};
    }

    public Backend backend() {
        return backend;
    }

    public DType dtype() {
        return dtype;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public ModelSpec spec() {
        return layout.spec();
    }

    /** Number of trajectories T. */
    public int size() {
        return size;
    }

    /** Parameters per trajectory P. */
    public long p() {
        return layout.size();
    }

    /** Parameters of all trajectories, entry t at t·P. */
    public View params() {
        return View.of(params, p());
    }

    /** Gradients of all trajectories, entry t at t·P. */
    public View grads() {
        return View.of(grads, p());
    }

    public Buffer paramBuffer() {
        return params;
    }

    public Buffer gradBuffer() {
        return grads;
    }

    /** Per-trajectory loss accumulator, entry t at element t of {@link #statusBuffer()}. */
    public View lossSum() {
        return View.of(status, 1);
    }

    /** Per-trajectory non-finite flags (1 = diverged), entry t at element T + t of {@link #statusBuffer()}. */
    public View flags() {
        return new View(status, size, 1);
    }

    /**
     * The {@link #lossSum()} entries followed by the {@link #flags()} entries, {@code 2T}
     * elements, so one download (one host wait) per step reads both.
     */
    public Buffer statusBuffer() {
        return status;
    }

    /** Per-trajectory effective learning rates (0 when frozen). */
    public View learningRates() {
        return View.of(lr, 1);
    }

    /** Sets the learning rate of every trajectory (frozen trajectories stay at 0). */
    public void setLearningRates(double[] rates) {
        if (rates.length != size) throw new IllegalArgumentException(rates.length + " learning rates for " + size + " trajectories");
        for (int t = 0; t < size; t++) {
            if (!(rates[t] >= 0) || !Double.isFinite(rates[t])) {
                throw new IllegalArgumentException("learning rate must be finite and ≥ 0, got " + rates[t]);
            }
            hostLr[t] = divergedAt[t] >= 0 ? 0 : rates[t];
        }
        backend.upload(hostLr, 0, lr, 0, size);
    }

    /**
     * Sets the weight decay λ_t of every trajectory (docs/science.md#weight-decay): the gradient
     * the trainer computes becomes that of {@code L(w) + (λ_t/2)·‖w_D‖²}, D the weights (and the
     * biases with {@code biases}). All zeros (the default) leave training bit-identical to no
     * weight decay: nothing is allocated or computed.
     *
     * @throws IllegalArgumentException for the wrong length or a negative or non-finite λ
     */
    public void setWeightDecay(double[] lambda, boolean biases) {
        if (lambda.length != size) throw new IllegalArgumentException(lambda.length + " weight decays for " + size + " trajectories");
        if (decay == null && !WeightDecayTerm.any(lambda)) {
            for (double v : lambda) if (!(v >= 0)) throw new IllegalArgumentException("weight decay must be ≥ 0, got " + v);
            return;
        }
        if (decay == null) decay = new WeightDecayTerm(backend, dtype, layout, size);
        decay.set(lambda, biases);
    }

    /** Per-trajectory weight decay λ_t (zeros unless set). */
    public double[] weightDecays() {
        return decay == null ? new double[size] : decay.lambdas();
    }

    /** Whether the biases are decayed too (false unless set with a non-zero λ). */
    public boolean decayBiases() {
        return decay != null && decay.biases();
    }

    /** The weight-decay term the gradient pass adds ({@link NetworkPass#gradient}); null without weight decay. */
    WeightDecayTerm weightDecayTerm() {
        return decay;
    }

    /**
     * Sets the optimizer of every trajectory (docs/science.md#optimizers) and allocates its state
     * vectors once ({@link Optimizer.Kind#stateVectors}, each {@code [T × P]}, zero: the state at
     * step 0), so that no step allocates. GD (the default) allocates nothing and trains through
     * {@link Backend#update} as before. Call it once, before the first step.
     *
     * @throws IllegalStateException when an optimizer with state was already set
     */
    public void setOptimizer(Optimizer opt) {
        java.util.Objects.requireNonNull(opt, "optimizer");
        Optimizer[] all = new Optimizer[size];
        Arrays.fill(all, opt);
        setOptimizers(all);
    }

    /**
     * Sets the optimizer of each trajectory: all of one {@link Optimizer.Kind}, with possibly different
     * hyperparameters (the momentum axis, {@code --momentum}). The fused kernel takes scalar
     * hyperparameters, so every optimizer launch is made once per maximal run of consecutive
     * trajectories with equal optimizer, over sub-views: order the trajectories so that equal
     * optimizers are contiguous and a batch with m values costs m launches per step (no host wait,
     * no allocation). As {@link #setOptimizer}, once, before the first step.
     *
     * @throws IllegalArgumentException for the wrong length or kinds that differ
     * @throws IllegalStateException    when an optimizer with state was already set
     */
    public void setOptimizers(Optimizer[] perTrajectory) {
        if (perTrajectory.length != size) {
            throw new IllegalArgumentException(perTrajectory.length + " optimizers for " + size + " trajectories");
        }
        Optimizer opt = java.util.Objects.requireNonNull(perTrajectory[0], "optimizer");
        int runs = 1;
        for (int t = 1; t < size; t++) {
            java.util.Objects.requireNonNull(perTrajectory[t], "optimizer");
            if (perTrajectory[t].kind() != opt.kind()) {
                throw new IllegalArgumentException("one optimizer kind per ensemble, got " + opt.kind() + " and "
                        + perTrajectory[t].kind());
            }
            if (!perTrajectory[t].equals(perTrajectory[t - 1])) runs++;
        }
        if (state.length > 0) throw new IllegalStateException("the optimizer is set once, before training");
        int[] starts = new int[runs + 1];
        Optimizer[] ops = new Optimizer[runs];
        ops[0] = opt;
        for (int t = 1, r = 0; t < size; t++) {
            if (!perTrajectory[t].equals(perTrajectory[t - 1])) {
                starts[++r] = t;
                ops[r] = perTrajectory[t];
            }
        }
        starts[runs] = size;
        int k = opt.kind().stateVectors();
        Buffer[] b = new Buffer[k];
        try (org.gdchaos.backend.Allocations a = new org.gdchaos.backend.Allocations()) {
            for (int i = 0; i < k; i++) b[i] = a.add(backend.allocate(dtype, p() * size));
            a.keep();
        }
        state = b;
        optimizer = opt;
        runStart = starts;
        runOptimizer = ops;
    }

    /** The optimizer of trajectory 0 ({@link Optimizer#GD} unless set); its kind is every trajectory's. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The optimizer of trajectory t. */
    public Optimizer optimizer(int t) {
        if (t < 0 || t >= size) throw new IndexOutOfBoundsException(t);
        int r = Arrays.binarySearch(runStart, 0, runOptimizer.length, t);
        return runOptimizer[r >= 0 ? r : -r - 2];
    }

    /**
     * The runs of equal optimizer among trajectories {@code [0, n)} (n ≤ T; the tangent method's
     * references are trajectories 0..C−1): {@code action} is called once per run with its first
     * trajectory, its length and its optimizer, in order. Allocates nothing.
     */
    public void optimizerRuns(int n, RunAction action) {
        if (n < 0 || n > size) throw new IllegalArgumentException(n + " trajectories of " + size);
        for (int r = 0; r < runOptimizer.length && runStart[r] < n; r++) {
            int from = runStart[r];
            action.run(from, Math.min(runStart[r + 1], n) - from, runOptimizer[r]);
        }
    }

    /** One run of trajectories with equal optimizer ({@link #optimizerRuns}). */
    @FunctionalInterface
    public interface RunAction {
        void run(int from, int count, Optimizer optimizer);
    }

    /** Number of optimizer state vectors per trajectory (0 for GD, 1 for v, 2 for m and s). */
    public int stateVectors() {
        return state.length;
    }

    /** State vector i (v; or m for i = 0, s for i = 1) of all trajectories, entry t at t·P. */
    public View state(int i) {
        return View.of(state[i], p());
    }

    /** The buffer of state vector i. */
    public Buffer stateBuffer(int i) {
        return state[i];
    }

    /** Downloads state vector i of trajectory t. */
    public double[] state(int i, int t) {
        double[] out = new double[(int) p()];
        backend.download(state[i], t * p(), out, 0, out.length);
        return out;
    }

    /** Uploads state vector i of trajectory t. */
    public void setState(int i, int t, double[] values) {
        if (values.length != p()) throw new IllegalArgumentException(values.length + " values for " + p() + " parameters");
        backend.upload(values, 0, state[i], t * p(), values.length);
    }

    /**
     * One optimizer step on every trajectory with the current gradients: {@code w −= η·g} for GD
     * (the backend's {@code update}, unchanged), else the fused {@link Backend#optimizerUpdate} at
     * step {@code t} (1, 2, …). No allocation, no host wait.
     */
    void applyOptimizer(long t) {
        if (optimizer.isGd()) {
            backend.update(size, p(), params(), grads(), learningRates());
        } else if (runOptimizer.length == 1) {
            backend.optimizerUpdate(optimizer, t, size, p(), params(), grads(), state(0),
                    state.length > 1 ? state(1) : null, learningRates());
        } else {
            long p = p();
            for (int r = 0; r < runOptimizer.length; r++) { // one launch per run of equal optimizer
                int from = runStart[r];
                long at = from * p;
                backend.optimizerUpdate(runOptimizer[r], t, runStart[r + 1] - from, p, params().shift(at),
                        grads().shift(at), state(0).shift(at), state.length > 1 ? state(1).shift(at) : null,
                        learningRates().shift(from));
            }
        }
    }

    /** Uploads the parameter vector of trajectory t. */
    public void setParameters(int t, double[] values) {
        if (values.length != p()) throw new IllegalArgumentException(values.length + " values for " + p() + " parameters");
        backend.upload(values, 0, params, t * p(), values.length);
    }

    /** Downloads the parameter vector of trajectory t. */
    public double[] parameters(int t) {
        double[] out = new double[(int) p()];
        backend.download(params, t * p(), out, 0, out.length);
        return out;
    }

    /** Downloads the gradient vector of trajectory t. */
    public double[] gradient(int t) {
        double[] out = new double[(int) p()];
        backend.download(grads, t * p(), out, 0, out.length);
        return out;
    }

    /**
     * Freezes every trajectory whose flag is set on the device and was not frozen before,
     * recording {@code step} as its divergence step.
     *
     * @return whether any trajectory was newly frozen
     */
    boolean freezeFlagged(double[] hostFlags, int step) {
        boolean changed = false;
        for (int t = 0; t < size; t++) {
            if (hostFlags[t] != 0 && divergedAt[t] < 0) {
                divergedAt[t] = step;
                hostLr[t] = 0;
                changed = true;
            }
        }
        if (changed) backend.upload(hostLr, 0, lr, 0, size);
        return changed;
    }

    /** Whether trajectory t has diverged (non-finite loss or gradient). */
    public boolean diverged(int t) {
        return divergedAt[t] >= 0;
    }

    /** Step at which trajectory t diverged, or −1. */
    public int divergedAt(int t) {
        return divergedAt[t];
    }

    @Override
    public void close() {
        if (decay != null) decay.close();
        for (Buffer b : state) b.close();
        params.close();
        grads.close();
        lr.close();
        status.close();
    }
}
