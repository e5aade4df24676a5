package org.gdchaos.hessian;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;

/**
 * Records the curvature and balance extras of C cells during a sweep batch, for the sweep runner:
 * the references are trajectories 0..C−1 of the ensemble (member 0 of each cell). Built by name
 * with {@link #builder}.
 * <ul>
 *   <li>curve {@code sharpness}: top Hessian eigenvalue every {@code sharpnessEvery} steps (and
 *       at step 0), NaN elsewhere — to compare with 2/η over training; under Adam the
 *       preconditioned sharpness ({@link #setOptimizer});</li>
 *   <li>curve {@code imbalance}: {@code ‖W1·W1ᵀ − W2ᵀ·W2‖_F} every step (two-layer networks);</li>
 *   <li>curve {@code balance_q}: {@code Q = ‖W1‖_F² − ‖W2‖_F²} every step (two-layer networks with
 *       one output, where docs/science.md#o2 {@code Q' = (1 − η²r²)·Q} holds);</li>
 *   <li>values per cell ({@link #row}; the sweep turns them into results columns): {@code sharpness} at the end (with {@code sharpnessK} &gt; 1
 *       also the next eigenvalues {@code hessian_eig_2..K}, descending), {@code gf_sharpness} and
 *       {@code gf_final_loss} of the gradient flow from the cell's start, {@code imbalance} and
 *       {@code balance_q} at the end ({@code balance_q} NaN unless two layers and one output).
 *       Diverged cells get NaN.</li>
 * </ul>
 */
public final class ExtrasRecorder implements AutoCloseable {
    /** Names of the per-cell values ({@link #row}) and curves: the top Hessian eigenvalue. */
    public static final String SHARPNESS = "sharpness";
    /** Sharpness at the end of the gradient flow from the cell's start. */
    public static final String GF_SHARPNESS = "gf_sharpness";
    /** Loss at the end of the gradient flow. */
    public static final String GF_FINAL_LOSS = "gf_final_loss";
    /** {@code ‖W1·W1ᵀ − W2ᵀ·W2‖_F}. */
    public static final String IMBALANCE = "imbalance";
    /** {@code Q = ‖W1‖_F² − ‖W2‖_F²}. */
    public static final String BALANCE_Q = "balance_q";

    private final CurvatureMeter meter;
    private final DeviceData train;
    private final int cells;
    private final boolean sharpness;
    private final int every;
    private final int k;
    private final boolean flow;
    private final boolean balance;
    private final boolean balanceColumn;
    private final long[] keys;
    private final double[][] sharpCurve;
    private final double[][] imbCurve;
    private final double[][] qCurve;
    private double[][] finalEig;
    private double[] finalImb;
    private double[] finalQ;
    private double[][] gf;
    private Optimizer optimizer = Optimizer.GD;
    private View secondMoments;
    /** The optimizer of each cell; one entry: {@link #optimizer} for every cell. */
    private Optimizer[] perCell = {Optimizer.GD};
    private int lastStep;

    /**
     * Starts the construction of a recorder of cells trained on {@code train} by {@code backend}
     * in {@code dtype}; name the cells ({@link Builder#cellKeys} or {@link Builder#cells}), the
     * steps and the measurements, then {@link Builder#build}.
     */
    public static Builder builder(Backend backend, DType dtype, ModelSpec spec, DeviceData train) {
        return new Builder(backend, dtype, spec, train);
    }

    /** What to record and for which cells, by name; {@link #build} allocates the recorder. */
    public static final class Builder {
        private final Backend backend;
        private final DType dtype;
        private final ModelSpec spec;
        private final DeviceData train;
        private long[] cellKeys;
        private int steps = -1;
        private boolean sharpness;
        private int sharpnessEvery;
        private int sharpnessK = 1;
        private boolean flow;
        private boolean balance;
        private int chunkRows;

        private Builder(Backend backend, DType dtype, ModelSpec spec, DeviceData train) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            this.spec = Objects.requireNonNull(spec, "spec");
            this.train = Objects.requireNonNull(train, "train");
        }

        /**
         * One key per cell (their number is the number of cells): the Lanczos start vector of cell
         * c is drawn from {@code keys[c]}, so a cell's sharpness does not depend on which other
         * cells share its batch (sweeps key by grid position).
         */
        public Builder cellKeys(long... keys) {
            this.cellKeys = keys.clone();
            return this;
        }

        /** {@code cells} cells keyed by their position 0..cells−1 (see {@link #cellKeys}). */
        public Builder cells(int cells) {
            if (cells < 0) throw new IllegalArgumentException("cells must be ≥ 0, got " + cells);
            long[] k = new long[cells];
            for (int i = 0; i < cells; i++) k[i] = i;
            this.cellKeys = k;
            return this;
        }

        /** Training steps of the batch: the curves hold steps + 1 points (step 0 included). */
        public Builder steps(int steps) {
            if (steps < 0) throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
            this.steps = steps;
            return this;
        }

        /** Measure the sharpness at the end (implied by {@link #sharpnessEvery} &gt; 0). */
        public Builder sharpness(boolean on) {
            this.sharpness = on;
            return this;
        }

        /** Record the sharpness curve every {@code every} steps (0 = no curve). */
        public Builder sharpnessEvery(int every) {
            if (every < 0) throw new IllegalArgumentException("sharpnessEvery must be ≥ 0, got " + every);
            this.sharpnessEvery = every;
            return this;
        }

        /** Hessian eigenvalues measured at the end (the curve records only the top one); default 1. */
        public Builder sharpnessK(int k) {
            if (k < 1) throw new IllegalArgumentException("sharpnessK must be ≥ 1, got " + k);
            this.sharpnessK = k;
            return this;
        }

        /** Run the gradient flow from each cell's start ({@code gf_sharpness}, {@code gf_final_loss}). */
        public Builder flow(boolean on) {
            this.flow = on;
            return this;
        }

        /** Record {@code imbalance} and {@code balance_q} (curves for two-layer networks, columns always). */
        public Builder balance(boolean on) {
            this.balance = on;
            return this;
        }

        /**
         * Sample rows per Hessian-vector pass (0, the default: chosen from the memory for this
         * recorder's cells). A sweep passes one value, {@link CurvatureMeter#chunkRows} for its whole
         * grid, to every batch, so that a cell's measurements do not depend on its batch (issue 22).
         */
        public Builder chunkRows(int rows) {
            if (rows < 0) throw new IllegalArgumentException("chunkRows must be ≥ 0, got " + rows);
            this.chunkRows = rows;
            return this;
        }

        /** Allocates the recorder (close it). */
        public ExtrasRecorder build() {
            if (cellKeys == null) throw new IllegalStateException("ExtrasRecorder: the cells are not set");
            if (steps < 0) throw new IllegalStateException("ExtrasRecorder: the steps are not set");
            return new ExtrasRecorder(this);
        }
    }

    private ExtrasRecorder(Builder b) {
        int cells = b.cellKeys.length;
        this.keys = b.cellKeys.clone();
        this.train = b.train;
        this.cells = cells;
        this.sharpness = b.sharpness || b.sharpnessEvery > 0;
        this.every = b.sharpnessEvery;
        this.k = b.sharpnessK;
        this.flow = b.flow;
        this.balanceColumn = b.balance;
        this.balance = b.balance && b.spec.isMlp() && b.spec.layers() == 2; // NaN column otherwise
        int steps = b.steps;
        sharpCurve = every > 0 ? nanMatrix(cells, steps + 1) : null;
        imbCurve = this.balance ? nanMatrix(cells, steps + 1) : null;
        qCurve = this.balance && CurvatureMeter.qDefined(b.spec) ? nanMatrix(cells, steps + 1) : null;
        // allocated last: nothing after it can throw and leak it
        int rows = b.train.n();
        this.meter = new CurvatureMeter(b.backend, b.dtype, b.spec, cells, rows, LanczosConfig.defaults(b.dtype),
                FlowConfig.defaults(b.dtype), b.chunkRows > 0 ? b.chunkRows
                        : CurvatureMeter.chunkRows(b.backend.memoryBytes(), b.dtype, b.spec, cells, rows));
    }

    /**
     * Weight decay λ of each cell (docs/science.md#weight-decay): sharpness is then that of the
     * objective's Hessian {@code H + λ·I_D} and the flow integrates the objective. Null: none.
     */
    public void setWeightDecay(double[] perCell, boolean biases) {
        meter.setWeightDecay(perCell, biases);
    }

    /**
     * The optimizer the cells follow and, for Adam, their second moments {@code s} (stride P, cell
     * c's reference at c, as the references; the ensemble's state vector 1). Under Adam the
     * sharpness (curve, column and {@code hessian_eig_k}) is the preconditioned sharpness
     * {@code λ_max(D·H)}, D Adam's preconditioner at the step just taken
     * (docs/science.md#optimizer-thresholds; {@link AdamPreconditioner}); at step 0, before any
     * step (no s, no t), it is NaN. Other optimizers: the Hessian's own, as before. Call it before
     * the first {@link #afterStep}.
     */
    public void setOptimizer(Optimizer opt, View secondMoments) {
        setOptimizers(new Optimizer[] {Objects.requireNonNull(opt, "opt")}, secondMoments);
    }

    /**
     * As {@link #setOptimizer}, cell c following {@code perCell[c]} (one kind; the momentum axis
     * gives each cell its own β1): Adam's preconditioner then takes each cell's β1.
     */
    public void setOptimizers(Optimizer[] perCell, View secondMoments) {
        if (perCell.length == 0) throw new IllegalArgumentException("no optimizer");
        Optimizer opt = Objects.requireNonNull(perCell[0], "opt");
        for (Optimizer o : perCell) {
            if (Objects.requireNonNull(o, "opt").kind() != opt.kind()) throw new IllegalArgumentException("one optimizer kind per batch");
        }
        this.optimizer = opt;
        if (opt.kind() == Optimizer.Kind.ADAM) Objects.requireNonNull(secondMoments, "Adam's second moments");
        this.secondMoments = secondMoments;
        this.perCell = perCell.clone();
    }

    /**
     * Sets the meter's preconditioner for a measurement after {@code step} steps; false when there
     * is nothing to measure (Adam before its first step).
     */
    private boolean preconditionAt(int step) {
        if (optimizer.kind() != Optimizer.Kind.ADAM) return true;
        if (step < 1) return false;
        meter.setPreconditioner(perCell.length == 1 ? new AdamPreconditioner(optimizer, step, secondMoments)
                : new AdamPreconditioner(perCell, step, secondMoments));
        return true;
    }

    /** Call at step 0 (before training) and after every step with the references (stride P). */
    public void afterStep(int step, View references) {
        lastStep = step;
        if (sharpCurve != null && step % every == 0 && preconditionAt(step)) {
            double[] s = meter.sharpness(train, references, cells, keys);
            for (int c = 0; c < cells; c++) sharpCurve[c][step] = s[c];
        }
        if (imbCurve != null) {
            double[] b = meter.imbalance(references, cells);
            for (int c = 0; c < cells; c++) imbCurve[c][step] = b[c];
        }
        if (qCurve != null) {
            double[] q = meter.q(references, cells);
            for (int c = 0; c < cells; c++) qCurve[c][step] = q[c];
        }
    }

    /** Final measurements: {@code starts[c]} is cell c's initial parameter vector (for the flow). */
    public void finish(View references, double[][] starts) {
        if (sharpness) {
            finalEig = preconditionAt(lastStep) ? meter.eigenvalues(train, references, cells, k, keys) : null;
        }
        if (flow) gf = meter.flow(train, starts);
        if (balanceColumn) {
            finalImb = meter.imbalance(references, cells);
            finalQ = meter.q(references, cells);
        }
    }

    /** The extra columns of cell c (NaN when diverged). */
    public Map<String, Double> row(int c, boolean diverged) {
        Map<String, Double> m = new LinkedHashMap<>();
        double nan = Double.NaN;
        if (sharpness) {
            for (int i = 0; i < k; i++) {
                m.put(i == 0 ? SHARPNESS : CurvatureMeter.eigenvalueColumn(i + 1),
                        diverged || finalEig == null ? nan : finalEig[c][i]);
            }
        }
        if (flow) {
            m.put(GF_SHARPNESS, gf == null ? nan : gf[0][c]);
            m.put(GF_FINAL_LOSS, gf == null ? nan : gf[1][c]);
        }
        if (balanceColumn) {
            m.put(IMBALANCE, diverged || finalImb == null ? nan : finalImb[c]);
            m.put(BALANCE_Q, diverged || finalQ == null ? nan : finalQ[c]);
        }
        return m;
    }

    /** Per-step curves of cell c. */
    public Map<String, double[]> curves(int c) {
        Map<String, double[]> m = new LinkedHashMap<>();
        if (sharpCurve != null) m.put(SHARPNESS, sharpCurve[c].clone());
        if (imbCurve != null) m.put(IMBALANCE, imbCurve[c].clone());
        if (qCurve != null) m.put(BALANCE_Q, qCurve[c].clone());
        return m;
    }

    private static double[][] nanMatrix(int r, int n) {
        double[][] a = new double[r][n];
        for (double[] x : a) Arrays.fill(x, Double.NaN);
        return a;
    }

    @Override
    public void close() {
        meter.close();
    }
}
