package org.gdchaos.lyapunov;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.gdchaos.analysis.RenormIntervals;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.hessian.BatchedVectors;
import org.gdchaos.hessian.SecondOrderNetwork;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.Tunables;

/**
 * Exact Lyapunov spectrum from K tangent vectors per cell, evolved with the Jacobian of the GD
 * map {@code DF(w) = I − η·H(w)} (heavy ball and Nesterov: of their map on the whole state (w, v),
 * see below): during training step s (which moves the reference from
 * w_{s−1} to w_s),
 * <pre>
 *   v_i ← v_i − η·H(w_{s−1})·v_i      (i = 1..K; exact Hessian-vector products, {@link SecondOrderNetwork})
 * </pre>
 * so after s steps {@code v_i = DF(w_{s−1})···DF(w_0)·v_i(0)}, the linearisation of what finite
 * replicas measure (no δ0, no finite-size error, usable in float32). The tangent step needs the
 * pre-update point w_{s−1}, so it runs in {@link #beforeUpdate}, between the trainer's gradient
 * ({@link org.gdchaos.train.Trainer#computeGradient}, which also freezes diverged trajectories)
 * and its update ({@link org.gdchaos.train.Trainer#applyUpdate}), on the ensemble's own
 * parameters; {@link #afterStep} refuses a step whose tangent step did not run. Every τ steps
 * the vectors are orthonormalised by modified Gram–Schmidt, repeated once, and for intervals that
 * start at or after the transient ({@link RenormIntervals}) {@code S_i += ln(R_ii⁽¹⁾·R_ii⁽²⁾)};
 * the exponents are {@code λ_i = S_i/n} with n the steps the counted intervals cover (sorted
 * descending, with the Kaplan–Yorke dimension) — the bookkeeping of {@link SpectrumTracker}
 * ({@link SpectrumSums} with δ0 = 1). The tangent vectors start as the
 * orthonormalised directions that {@link SpectrumTracker} gives its replicas (the cell's
 * perturbation streams, biases zero unless {@code perturbBiases}), so both methods follow the
 * same Gram–Schmidt frame and differ only by the finite-δ0 error of the replicas. Frozen (diverged) trajectories have η = 0: their vectors stop.
 * Only member 0 (the reference) of each cell is followed.
 *
 * <p>Heavy ball and Nesterov (docs/science.md#optimizer-lyapunov): each tangent vector is a pair
 * (δw, δv), δv stored in its own K × C × P buffer. The optimizer's map is linear in (w, v, g), so
 * its Jacobian applied to (δw, δv) is the optimizer's own fused step
 * ({@link Backend#optimizerUpdate}) with g replaced by H·δw: heavy ball
 * {@code [[I − ηH, βI], [−ηH, βI]]}, Nesterov {@code [[I − η(1+β)H, β²I], [−ηH, βI]]}. Gram–Schmidt
 * and the norms act on the concatenation (δw, δv).
 *
 * <p>Adam: each tangent vector is a triple (δw, δm, δs), δm and δs in their own K × C × P buffers,
 * stepped by {@link Backend#adamTangent} (the Jacobian of Adam's step t at the reference's
 * pre-update m, s and gradient g, with δg = H·δw; docs/science.md#optimizer-lyapunov); Gram–Schmidt
 * and the norms act on the concatenation (δw, δm, δs), so up to 3P exponents. Adam's map depends on
 * the step t through its bias corrections (a non-autonomous map): the exponents are those of the
 * product of its Jacobians along the trajectory. Standard errors: of the mean of the
 * per-interval local exponents ({@link LocalRates}); a growth factor of 0 or ∞ in a cell that did
 * not diverge marks precision lost (docs/science.md#precision-lost).
 */
public final class TangentTracker implements Tracker {
    private final Ensemble ensemble;
    private final Backend backend;
    private final DeviceData data;
    private final CellLayout cells;
    private final LyapunovConfig config;
    private final int k;
    private final int c;
    private final long p;
    private final SecondOrderNetwork mlp;
    private final BatchedVectors ops;
    private final Buffer tangents; // K × C × P
    private final Buffer products; // K × C × P
    /** The optimizer of the ensemble; with state (heavy ball, Nesterov) each tangent vector is a pair (δw, δv). */
    private final org.gdchaos.backend.Optimizer optimizer;
    /** δv (δm for Adam) of the K tangent vectors (K × C × P), null for GD. */
    private final Buffer velocities;
    /** δs of the K tangent vectors (K × C × P), Adam only, else null. */
    private final Buffer seconds;
    /** Per-cell sums of the components' reductions (2C, Adam 3C) and the constants [−1, 1]; null for GD. */
    private final Buffer pairScratch;
    private final SpectrumSums sums;
    /** The last step whose tangent step ran ({@link #beforeUpdate}); 0 before the first. */
    private int evolved;

    /**
     * @param data  the training data (full-batch GD: the Hessian is that of the full training loss)
     * @param steps training steps (curve length steps + 1)
     *              (the chunk is chosen from the memory for this batch's cells, so it may differ between batches
     *              of different sizes; sweeps use the constructor with their plan's chunk)
     */
    public TangentTracker(Ensemble ensemble, DeviceData data, CellLayout cells, LyapunovConfig config, int steps) {
        this(ensemble, data, cells, config, steps, Tunables.autoChunk(ensemble.spec(), 3 * cells.cells(), data.n(),
                ensemble.backend().memoryBytes(), ensemble.dtype().bytes()));
    }

    /**
     * @param chunk sample rows per Hessian-vector pass (a sweep passes its plan's chunk, so the
     *              planner's budget, {@link #deviceElementsPerCell}, covers the workspace)
     */
    public TangentTracker(Ensemble ensemble, DeviceData data, CellLayout cells, LyapunovConfig config, int steps,
                          int chunk) {
        long dim = ensemble.p() * (1 + ensemble.stateVectors()); // the whole state (w, v)
        if (config.exponents() > dim) {
            throw new IllegalArgumentException(config.exponents() + " exponents exceed the " + dim
                    + " dimensions of the state");
        }
        if (cells.trajectories() != ensemble.size()) throw new IllegalArgumentException("layout/ensemble mismatch");
        this.ensemble = ensemble;
        this.backend = ensemble.backend();
        this.data = data;
        this.cells = cells;
        this.config = config;
        this.k = config.exponents();
        this.c = cells.cells();
        this.p = ensemble.p();
        this.optimizer = ensemble.optimizer();
        boolean pairs = !optimizer.isGd();
        boolean adam = optimizer.kind() == org.gdchaos.backend.Optimizer.Kind.ADAM;
        long parts = adam ? 3 : 2;
        try (Allocations a = new Allocations()) {
            mlp = a.add(new SecondOrderNetwork(backend, ensemble.dtype(), ensemble.spec(), c, Math.min(chunk, data.n())));
            ops = a.add(new BatchedVectors(backend, ensemble.dtype(), c, p));
            tangents = a.add(backend.allocate(ensemble.dtype(), k * c * p));
            products = a.add(backend.allocate(ensemble.dtype(), k * c * p));
            velocities = pairs ? a.add(backend.allocate(ensemble.dtype(), k * c * p)) : null;
            seconds = adam ? a.add(backend.allocate(ensemble.dtype(), k * c * p)) : null;
            pairScratch = pairs ? a.add(backend.allocate(ensemble.dtype(), parts * c + 2)) : null;
            if (pairs) backend.upload(new double[] {-1, 1}, 0, pairScratch, parts * c, 2);
            a.keep();
        }
        sums = new SpectrumSums(c, k, steps, config.transientSteps(), config.renormEvery());
    }

    /**
     * Device elements the tracker allocates per cell for K exponents and a chunk of rows: K
     * tangent vectors and K products ({@code 2K·P}), the Hessian-vector workspace of one
     * trajectory ({@link SecondOrderNetwork#workspaceElements}) and 3 scalars. A first convolution's
     * lowering of the shared data is allocated once for all cells, not per cell: it is left out here
     * and counted once per batch by the planner ({@link TangentMethod#sharedLowerings}).
     */
    public static long deviceElementsPerCell(org.gdchaos.nn.ModelSpec spec, int k, int chunk) {
        long p = new org.gdchaos.nn.ParameterLayout(spec).size();
        return 2L * k * p + SecondOrderNetwork.workspaceElements(spec, 1, chunk)
                - org.gdchaos.train.NetworkOps.sharedElements(spec, chunk) + 3;
    }

    private View vector(Buffer b, int i) {
        return new View(b, (long) i * c * p, p);
    }

    private View references() {
        return View.of(ensemble.paramBuffer(), p);
    }

    @Override
    public void start(long seed, int[] initIndex) {
        boolean[] mask = ReplicaOps.mask(ensemble.layout(), config.perturbBiases());
        for (int cell = 0; cell < c; cell++) {
            for (int i = 0; i < k; i++) {
                RandomGenerator rng = ReplicaOps.perturbation(seed, initIndex[cell], i + 1);
                double[] u = new double[(int) p];
                for (int j = 0; j < u.length; j++) if (mask[j]) u[j] = rng.nextGaussian();
                backend.upload(u, 0, tangents, (long) (i * c + cell) * p, u.length);
                if (velocities != null) { // δv drawn after δw, as SpectrumTracker places (w, v)
                    for (int j = 0; j < u.length; j++) u[j] = mask[j] ? rng.nextGaussian() : 0;
                    backend.upload(u, 0, velocities, (long) (i * c + cell) * p, u.length);
                }
                if (seconds != null) { // Adam: δs drawn after δm
                    for (int j = 0; j < u.length; j++) u[j] = mask[j] ? rng.nextGaussian() : 0;
                    backend.upload(u, 0, seconds, (long) (i * c + cell) * p, u.length);
                }
            }
        }
        orthonormalise();
        orthonormalise();
        evolved = 0;
        // the Jacobian of GD on L + (λ/2)·‖w_D‖² is I − η·(H + λ·I_D) (docs/science.md#weight-decay)
        mlp.setWeightDecay(Arrays.copyOf(ensemble.weightDecays(), c), ensemble.decayBiases());
    }

    /**
     * The tangent step of training step {@code step}: {@code v_i ← v_i − η·H(w_{step−1})·v_i} at
     * the references' current (pre-update) parameters, with the learning rates as the gradient
     * left them (η = 0 for a trajectory frozen there).
     *
     * @throws IllegalStateException when {@code step} is not the step after the last one
     */
    @Override
    public void beforeUpdate(int step) {
        if (step != evolved + 1) {
            throw new IllegalStateException("tangent step " + step + " after step " + evolved
                    + ": beforeUpdate runs once per training step, in order");
        }
        mlp.hvp(data, references(), c, vector(tangents, 0), vector(products, 0), k);
        View lr = ensemble.learningRates(); // reference of cell c is trajectory c
        if (velocities == null) {
            for (int i = 0; i < k; i++) backend.update(c, p, vector(tangents, i), vector(products, i), lr);
        } else if (seconds != null) {
            // once per run of cells with equal optimizer (the momentum axis sets Adam's β1 per cell)
            ensemble.optimizerRuns(c, (from, n, opt) -> stepAdam(opt, step, from, n));
        } else {
            // the optimizer's map is linear in (w, v, g): its own fused step on (δw, δv) with g = H·δw
            // is the Jacobian, e.g. heavy ball δv ← β·δv − η·H·δw, δw ← δw + δv
            // once per run of cells with equal optimizer (the momentum axis): references are trajectories 0..C−1
            ensemble.optimizerRuns(c, (from, n, opt) -> {
                long at = from * p;
                for (int i = 0; i < k; i++) {
                    backend.optimizerUpdate(opt, step, n, p, vector(tangents, i).shift(at), vector(products, i).shift(at),
                            vector(velocities, i).shift(at), null, lr.shift(from));
                }
            });
        }
        evolved = step;
    }

    /**
     * Adam's tangent step t over the cells [firstCell, firstCell + cellCount) (their references are
     * trajectories firstCell.. of the ensemble): every tangent triple (δw, δm, δs) goes through
     * {@link Backend#adamTangent} with δg = H·δw (the products, weight decay included) at the
     * references' gradient g and pre-update m, s of this step, with their learning rates (η = 0
     * freezes a diverged reference's vectors). One launch per tangent vector; no allocation.
     */
    private void stepAdam(org.gdchaos.backend.Optimizer opt, long t, int firstCell, int cellCount) {
        long o = (long) firstCell * p;
        View lr = ensemble.learningRates();
        lr = lr.shift(firstCell * lr.stride());
        View g = ensemble.grads().shift(o), m = ensemble.state(0).shift(o), s = ensemble.state(1).shift(o);
        for (int i = 0; i < k; i++) {
            backend.adamTangent(opt, t, cellCount, p, vector(tangents, i).shift(o), vector(velocities, i).shift(o),
                    vector(seconds, i).shift(o), vector(products, i).shift(o), g, m, s, lr);
        }
    }

    /**
     * Renormalises every τ steps and records the running exponents.
     *
     * @throws IllegalStateException when {@link #beforeUpdate} did not run for {@code step}
     */
    @Override
    public void afterStep(int step) {
        if (step == 0) return;
        if (step != evolved) {
            throw new IllegalStateException("step " + step + " ended without its tangent step (last: " + evolved
                    + "): call beforeUpdate(" + step + ") between Trainer.computeGradient and Trainer.applyUpdate");
        }
        if (step % config.renormEvery() != 0) return;
        double[][] first = orthonormalise();
        double[][] second = orthonormalise();
        sums.renormalised(step, first, second, 1); // tangent vectors: δ0 = 1
    }

    /** One MGS pass over the K vectors of every cell; returns the norms [i][cell]. */
    private double[][] orthonormalise() {
        if (velocities != null) return orthonormalisePairs();
        double[][] norms = new double[k][];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) ops.project(c, vector(tangents, j), vector(tangents, i));
            norms[i] = ops.norms(c, vector(tangents, i));
            double[] inv = new double[c];
            for (int cell = 0; cell < c; cell++) {
                double n = norms[i][cell];
                inv[cell] = n > 0 && Double.isFinite(n) ? 1 / n : 1;
            }
            ops.scale(c, inv, vector(tangents, i));
        }
        return norms;
    }

    /**
     * One MGS pass over the K pairs (δw, δv) (Adam: triples (δw, δm, δs)) of every cell, in the
     * Euclidean product of the components (the whole state's norm); returns the norms [i][cell].
     */
    private double[][] orthonormalisePairs() {
        double[][] norms = new double[k][];
        long constants = (seconds != null ? 3L : 2L) * c;
        View sum = View.of(pairScratch, 1), second = new View(pairScratch, c, 1), third = new View(pairScratch, 2L * c, 1);
        View minusOne = new View(pairScratch, constants, 0), one = new View(pairScratch, constants + 1, 0);
        for (int i = 0; i < k; i++) {
            View wi = vector(tangents, i), vi = vector(velocities, i);
            View si = seconds == null ? null : vector(seconds, i);
            for (int j = 0; j < i; j++) {
                View wj = vector(tangents, j), vj = vector(velocities, j);
                View sj = seconds == null ? null : vector(seconds, j);
                backend.reduce(Reduction.DOT, c, p, wi, wj, sum);
                backend.reduce(Reduction.DOT, c, p, vi, vj, second);
                if (si != null) backend.reduce(Reduction.DOT, c, p, si, sj, third);
                backend.axpby(c, 1, one, second, one, sum);
                if (si != null) backend.axpby(c, 1, one, third, one, sum);
                backend.scale(c, 1, minusOne, sum);
                backend.axpby(c, p, sum, wj, one, wi);
                backend.axpby(c, p, sum, vj, one, vi);
                if (si != null) backend.axpby(c, p, sum, sj, one, si);
            }
            double[] a = ops.reduce(Reduction.SUM_SQ, c, wi, null);
            double[] b = ops.reduce(Reduction.SUM_SQ, c, vi, null);
            double[] e = si == null ? null : ops.reduce(Reduction.SUM_SQ, c, si, null);
            norms[i] = new double[c];
            double[] inv = new double[c];
            for (int cell = 0; cell < c; cell++) {
                double n = Math.sqrt(e == null ? a[cell] + b[cell] : a[cell] + b[cell] + e[cell]);
                norms[i][cell] = n;
                inv[cell] = n > 0 && Double.isFinite(n) ? 1 / n : 1;
            }
            ops.scale(c, inv, wi);
            ops.scale(c, inv, vi);
            if (si != null) ops.scale(c, inv, si);
        }
        return norms;
    }

    /** Downloads δs of tangent vector i of cell {@code cell} (Adam; for tests). */
    public double[] tangentSecondMoment(int i, int cell) {
        if (seconds == null) throw new IllegalStateException("only Adam has a second-moment component");
        double[] v = new double[(int) p];
        backend.download(seconds, (long) (i * c + cell) * p, v, 0, v.length);
        return v;
    }

    /** Downloads δv (Adam: δm) of tangent vector i of cell {@code cell} (heavy ball, Nesterov, Adam; for tests). */
    public double[] tangentVelocity(int i, int cell) {
        if (velocities == null) throw new IllegalStateException("GD has no velocity component");
        double[] v = new double[(int) p];
        backend.download(velocities, (long) (i * c + cell) * p, v, 0, v.length);
        return v;
    }

    /** Downloads tangent vector i of cell {@code cell} (for tests and diagnostics). */
    public double[] tangent(int i, int cell) {
        double[] v = new double[(int) p];
        backend.download(tangents, (long) (i * c + cell) * p, v, 0, v.length);
        return v;
    }

    @Override
    public List<String> curveNames() {
        return sums.curveNames();
    }

    @Override
    public CellResult result(int cell, boolean diverged) {
        return sums.result(cell, diverged);
    }

    /** Releases every buffer (all of them even if one close throws: the rest are suppressed into the first). */
    @Override
    public void close() {
        try (mlp; ops; tangents; products; Buffer v = velocities; Buffer s2 = seconds; Buffer ps = pairScratch) {
            // closed in reverse order by try-with-resources
        }
    }
}
