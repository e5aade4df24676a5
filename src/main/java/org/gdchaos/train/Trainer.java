package org.gdchaos.train;

import java.util.random.RandomGenerator;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.nn.CellSeeds;

/**
 * Gradient descent on every trajectory of an {@link Ensemble} in lockstep:
 * {@code w_t(s+1) = w_t(s) − η_t·∇L(w_t(s))}. Full batch (one step = one epoch, the loss is the
 * mean over all N samples, accumulated chunk by chunk) or minibatch SGD with one shared sample
 * order (re-shuffled each epoch from the data seed; the shuffled copy is uploaded once per
 * epoch). After each gradient the loss and gradient are checked for non-finite values;
 * offending trajectories are frozen before the update (see {@link Ensemble}). With weight decay
 * ({@link Ensemble#setWeightDecay}) the step follows the objective {@code L + (λ/2)·‖w_D‖²}; the
 * losses returned and evaluated stay the data loss L (docs/science.md#weight-decay). With an
 * optimizer ({@link Ensemble#setOptimizer}: heavy ball, Nesterov, Adam) the update is that
 * optimizer's step on the whole state (docs/science.md#optimizers); the gradient is the same.
 *
 * <p>Lifecycle: the constructor allocates everything a trainer needs (the network's chunk
 * buffers and one evaluation buffer of {@code 2·T} elements, sized for the largest evaluation:
 * loss sums and correct counts of all T trajectories); {@link #step}, {@link #evaluate} and
 * {@link #fullGradientNorms} allocate nothing on the device, and {@link #close} frees it all. A
 * constructor that fails part-way frees what it had allocated ({@link Allocations}). The trainer
 * does not own the ensemble or the data.
 */
public final class Trainer implements AutoCloseable {
    private final Ensemble ensemble;
    private final Backend backend;
    private final DeviceData train;
    private final TrainConfig config;
    private final BatchedNetwork network;
    /**
     * Evaluation sums, owned (allocated once, freed by {@link #close}): for an evaluation of tt
     * trajectories, loss sums at [0, tt) and correct counts at [tt, 2·tt), read with one download;
     * {@link #fullGradientNorms} reuses [0, count) for its squared norms.
     */
    private final Buffer evalSums;
    private final double[] hostEval;
    private final double[] hostLoss;
    private final double[] hostFlags;
    private final double[] hostStatus;
    private final double[] hostX;
    private final double[] hostY;
    private int step;

    /**
     * @param ensemble trajectories (learning rates must be set before stepping)
     * @param train    training data on the same backend
     * @param config   batch and chunk settings
     * @param hostX    host copy of the training inputs (needed only for SGD re-shuffling; may be null for full batch)
     * @param hostY    host copy of the training targets (as hostX)
     */
    public Trainer(Ensemble ensemble, DeviceData train, TrainConfig config, double[] hostX, double[] hostY) {
        this.ensemble = ensemble;
        this.backend = ensemble.backend();
        this.train = train;
        this.config = config;
        int rowsPerStep = config.fullBatch() ? train.n() : config.batchSize();
        if (rowsPerStep > train.n()) {
            throw new IllegalArgumentException("batch size " + rowsPerStep + " exceeds the " + train.n()
                    + " training samples");
        }
        if (!config.fullBatch() && (hostX == null || hostY == null)) {
            throw new IllegalArgumentException("minibatch SGD needs the host copy of the data to shuffle");
        }
        int chunk = config.chunkRows() > 0 ? Math.min(config.chunkRows(), rowsPerStep)
                : Tunables.autoChunk(ensemble.spec(), ensemble.size(), rowsPerStep, backend.memoryBytes(),
                        ensemble.dtype().bytes());
        try (Allocations a = new Allocations()) {
            this.network = a.add(new BatchedNetwork(ensemble, chunk));
            this.evalSums = a.add(backend.allocate(ensemble.dtype(), 2L * ensemble.size()));
            a.keep();
        }
        this.hostEval = new double[2 * ensemble.size()];
        this.hostLoss = new double[ensemble.size()];
        this.hostFlags = new double[ensemble.size()];
        this.hostStatus = new double[2 * ensemble.size()];
        this.hostX = hostX;
        this.hostY = hostY;
    }

    /** Convenience for full-batch GD. */
    public Trainer(Ensemble ensemble, DeviceData train, TrainConfig config) {
        this(ensemble, train, config, null, null);
    }

    public BatchedNetwork network() {
        return network;
    }

    public Ensemble ensemble() {
        return ensemble;
    }

    /** Steps taken so far. */
    public int steps() {
        return step;
    }

    /** Rows per step (N for full batch, B for SGD). */
    public int rowsPerStep() {
        return config.fullBatch() ? train.n() : config.batchSize();
    }

    /**
     * Computes the gradient at the current parameters (and the loss there) without updating.
     *
     * @return per-trajectory loss at the current parameters
     */
    public double[] computeGradient() {
        int rows = rowsPerStep();
        int r0 = 0;
        if (!config.fullBatch()) {
            int perEpoch = train.n() / rows;
            int inEpoch = step % perEpoch;
            if (inEpoch == 0) reshuffle(step / perEpoch);
            r0 = inEpoch * rows;
        }
        View loss = ensemble.lossSum();
        backend.fill(loss.buffer(), loss.offset(), ensemble.size(), 0);
        network.gradient(train, r0, rows, 1.0 / rows);
        backend.nonFinite(ensemble.size(), ensemble.p(), ensemble.grads(), ensemble.flags());
        backend.nonFinite(ensemble.size(), 1, ensemble.lossSum(), ensemble.flags());
        int tt = ensemble.size();
        backend.download(ensemble.statusBuffer(), 0, hostStatus, 0, 2 * tt);   // loss and flags: one host wait
        System.arraycopy(hostStatus, 0, hostLoss, 0, tt);
        System.arraycopy(hostStatus, tt, hostFlags, 0, tt);
        ensemble.freezeFlagged(hostFlags, step);
        return hostLoss.clone();
    }

    /**
     * One step on every trajectory: gradient, divergence check and freeze, then the optimizer's
     * update ({@code w −= η·∇L} for GD).
     *
     * @return per-trajectory loss at the parameters before the step
     */
    public double[] step() {
        double[] loss = computeGradient();
        applyUpdate();
        return loss;
    }

    /**
     * Applies the ensemble's optimizer step with the current gradients ({@code w −= η·g} for GD,
     * see {@link Ensemble#setOptimizer}) and advances the step counter.
     */
    public void applyUpdate() {
        ensemble.applyOptimizer(step + 1L);
        step++;
    }

    /**
     * Norm {@code ‖∇L(w_t)‖₂} of the full-batch training-loss gradient (all N samples, also under
     * SGD) at the current parameters, for trajectories 0..count−1. One extra gradient pass over
     * every trajectory; it overwrites the ensemble's gradients and loss sums, so call it only
     * after the last step. Non-finite for trajectories whose parameters give a non-finite loss.
     * With weight decay it is the gradient of the objective GD follows, {@code ∇L + λ·w_D}
     * (docs/science.md#weight-decay).
     */
    public double[] fullGradientNorms(int count) {
        if (count < 1 || count > ensemble.size()) {
            throw new IllegalArgumentException("count " + count + " of " + ensemble.size());
        }
        backend.fill(ensemble.lossSum().buffer(), 0, ensemble.size(), 0);
        network.gradient(train, 0, train.n(), 1.0 / train.n());
        double[] out = new double[count];
        backend.reduce(Reduction.SUM_SQ, count, ensemble.p(), ensemble.grads(), null, View.of(evalSums, 1));
        backend.download(evalSums, 0, out, 0, count);
        for (int i = 0; i < count; i++) out[i] = Math.sqrt(out[i]);
        return out;
    }

    /** Loss and accuracy of every trajectory on {@code data} (forward passes only). */
    public Evaluation evaluate(DeviceData data) {
        return evaluate(data, ensemble.size());
    }

    /**
     * Loss and accuracy of the first {@code tt} trajectories on {@code data}. The accuracy (fraction
     * of argmax predictions equal to the argmax of the target) is NaN when the model has a single
     * output: argmax over one value is always "correct", so accuracy is undefined there.
     */
    public Evaluation evaluate(DeviceData data, int tt) {
        if (tt < 1 || tt > ensemble.size()) {
            throw new IllegalArgumentException("tt " + tt + " of " + ensemble.size());
        }
        boolean accuracy = Evaluation.accuracyDefined(ensemble.spec().outputs());
        int sums = accuracy ? 2 * tt : tt;
        backend.fill(evalSums, 0, sums, 0); // both are accumulated into
        network.evaluate(data, 0, data.n(), tt, 1.0 / data.n(), View.of(evalSums, 1),
                accuracy ? new View(evalSums, tt, 1) : null);
        backend.download(evalSums, 0, hostEval, 0, sums); // losses and counts: one host wait
        double[] l = java.util.Arrays.copyOf(hostEval, tt);
        double[] c = new double[tt];
        if (accuracy) {
            for (int i = 0; i < tt; i++) c[i] = hostEval[tt + i] / data.n();
        } else {
            java.util.Arrays.fill(c, Double.NaN);
        }
        return new Evaluation(l, c);
    }

    private void reshuffle(int epoch) {
        int n = train.n(), f = train.features(), o = train.outputs();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        RandomGenerator rng = CellSeeds.stream(config.dataSeed(), CellSeeds.DATA, epoch, 0);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        double[] x = new double[n * f];
        double[] y = new double[n * o];
        for (int i = 0; i < n; i++) {
            System.arraycopy(hostX, perm[i] * f, x, i * f, f);
            System.arraycopy(hostY, perm[i] * o, y, i * o, o);
        }
        train.replace(x, y);
    }

    @Override
    public void close() {
        try (Allocations a = new Allocations()) { // both are closed, even when the first close throws
            a.add(network);
            a.add(evalSums);
        }
    }
}
