package org.gdchaos.sweep;

import org.gdchaos.InputException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.DType;
import org.gdchaos.hessian.LanczosConfig;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;

/**
 * Everything that defines a sweep's numbers (the cells, their seeds and the measurement).
 * Two runs with equal specs produce identical rows; resuming refuses a different spec. Build one
 * by name with {@link #builder()} (the defaults live in {@link Builder}); the canonical
 * constructor stays for run.json. Invalid settings throw {@link InputException} naming the
 * setting ({@code "steps"}, {@code "lyapunov.replicas"}, …), in words of the quantity.
 *
 * @param data              data spec (see {@code org.gdchaos.data.DataSpec})
 * @param trainSize         training samples (0 = all)
 * @param testSize          test samples (0 = all)
 * @param model             network
 * @param init              initialisation scheme
 * @param learningRates     the grid
 * @param inits             initialisations per learning rate
 * @param seed              sweep seed
 * @param lyapunov          Lyapunov method settings
 * @param steps             GD steps per trajectory
 * @param batchSize         0 = full batch, else SGD minibatch size (not with the tangent method)
 * @param accuracyThreshold test accuracy defining "trained" (steps_to_threshold)
 * @param evalEvery         test accuracy evaluated every K steps (0 = only at the end)
 * @param dtype             f32 or f64
 * @param sharpness         extra measurements of docs/science.md#linear-network (sharpness, gradient flow, balance)
 */
public record SweepSpec(String data, int trainSize, int testSize, ModelSpec model, InitSpec init,
                        double[] learningRates, int inits, long seed, LyapunovConfig lyapunov, int steps,
                        int batchSize, double accuracyThreshold, int evalEvery, DType dtype,
                        Extras sharpness) {
    /**
     * Most cells in one sweep: the grid is held as a list, and every cell writes a results row;
     * {@code lr × inits} is checked against it before any cell is built.
     */
    public static final long MAX_CELLS = 1_000_000;
    /**
     * Most steps: per-step curves are Java arrays of {@code steps + 1} values. Whether a cell's curves
     * also fit in memory is checked against the heap by the sweep runner.
     */
    public static final int MAX_STEPS = Integer.MAX_VALUE - 16;

    public SweepSpec {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(lyapunov, "lyapunov");
        Objects.requireNonNull(dtype, "dtype");
        if (sharpness == null) sharpness = Extras.NONE;
        if (learningRates == null || learningRates.length == 0) {
            throw new InputException("learningRates", "the learning-rate grid is empty");
        }
        if (inits < 1) {
            throw new InputException("inits", "the number of initialisations per learning rate must be ≥ 1, got "
                    + inits);
        }
        long cellCount = (long) learningRates.length * inits; // counted, never built, before the limit holds
        if (cellCount > MAX_CELLS) {
            throw new InputException(String.format(java.util.Locale.ROOT, "the grid has %,d cells (%,d learning "
                    + "rates × %,d inits), more than gdchaos runs in one sweep (%,d): use a coarser grid, or split "
                    + "it into several sweeps", cellCount, learningRates.length, inits, MAX_CELLS));
        }
        if (steps < 1) throw new InputException("steps", "the number of steps must be ≥ 1, got " + steps);
        if (steps > MAX_STEPS) {
            throw new InputException("steps", String.format(java.util.Locale.ROOT, "%,d steps is more than %,d, the most "
                    + "a per-step curve can hold", steps, MAX_STEPS));
        }
        if (batchSize < 0) {
            throw new InputException("batchSize", "the batch size must be 0 (full batch) or positive, got " + batchSize);
        }
        if (evalEvery < 0) {
            throw new InputException("evalEvery", "the test-accuracy interval must be ≥ 0 steps (0 = only at the "
                    + "end), got " + evalEvery);
        }
        if (!(accuracyThreshold >= 0 && accuracyThreshold <= 1)) {
            throw new InputException("accuracyThreshold", "the accuracy threshold must be in [0, 1], got "
                    + accuracyThreshold);
        }
        long p = new ParameterLayout(model).size();
        lyapunov.method().impl().checkTraining(lyapunov, batchSize == 0, p);
        int k = sharpness.sharpnessK();
        if (k > p) {
            throw new InputException("extras.sharpnessK", "the number of Hessian eigenvalues " + k
                    + " exceeds the model's " + p + " parameters (the Hessian has " + p + " eigenvalues)");
        }
        int krylov = LanczosConfig.defaults(dtype).maxIterations();
        if (k > krylov) {
            throw new InputException("extras.sharpnessK", "the number of Hessian eigenvalues " + k + " exceeds " + krylov
                    + ", the Krylov dimension of the Lanczos solver: at most " + krylov + " eigenvalues can be reported");
        }
        learningRates = learningRates.clone();
    }

    /**
     * Optional measurements beyond the exponents (docs/science.md#linear-network).
     *
     * @param sharpness      top Hessian eigenvalue at the end of training
     * @param sharpnessEvery also every K steps (0 = never)
     * @param flow           gradient-flow solution from the same start
     * @param balance        imbalance measures
     * @param sharpnessK     Hessian eigenvalues reported at the end of training (the top one as
     *                       {@code sharpness}, the next as {@code hessian_eig_2..K}); above 1 only
     *                       with {@code sharpness} or {@code sharpnessEvery}; at most the model's
     *                       parameter count and the Lanczos Krylov dimension (60; both checked by
     *                       {@link SweepSpec}). A run.json written before this setting existed
     *                       reads as 1.
     */
    public record Extras(boolean sharpness, int sharpnessEvery, boolean flow, boolean balance, int sharpnessK) {
        public static final Extras NONE = new Extras(false, 0, false, false);

        public Extras {
            if (sharpnessEvery < 0) {
                throw new InputException("extras.sharpnessEvery", "the sharpness interval must be ≥ 0 steps (0 = never), got "
                    + sharpnessEvery);
            }
            if (sharpnessK < 1) {
                throw new InputException("extras.sharpnessK", "the number of Hessian eigenvalues must be ≥ 1, got "
                    + sharpnessK);
            }
            if (sharpnessK > 1 && !sharpness && sharpnessEvery == 0) throw needsSharpness(sharpnessK);
        }

        /** Only the top eigenvalue ({@code sharpnessK} = 1). */
        public Extras(boolean sharpness, int sharpnessEvery, boolean flow, boolean balance) {
            this(sharpness, sharpnessEvery, flow, balance, 1);
        }

        /** From run.json: a spec recorded before {@code sharpnessK} existed has none, meaning 1. */
        @JsonCreator
        static Extras fromJson(@JsonProperty("sharpness") boolean sharpness,
                               @JsonProperty("sharpnessEvery") int sharpnessEvery,
                               @JsonProperty("flow") boolean flow,
                               @JsonProperty("balance") boolean balance,
                               @JsonProperty("sharpnessK") Integer sharpnessK) {
            return new Extras(sharpness, sharpnessEvery, flow, balance, sharpnessK == null ? 1 : sharpnessK);
        }

        /** The error for {@code --sharpness-k} without a sharpness measurement to apply it to. */
        public static InputException needsSharpness(int k) {
            return new InputException("extras.sharpnessK", k + " Hessian eigenvalues need a sharpness measurement "
                    + "(the number sets how many eigenvalues the end-of-training sharpness reports)");
        }

        public boolean any() {
            return sharpness || sharpnessEvery > 0 || flow || balance;
        }
    }

    /**
     * A builder with every setting at its default ({@link Builder}); set what differs by name:
     * {@code SweepSpec.builder().learningRates(0.1, 1).steps(500).build()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's settings, to derive a spec that differs in a few. */
    public Builder toBuilder() {
        return new Builder().data(data).trainSize(trainSize).testSize(testSize).model(model).init(init)
                .learningRates(learningRates).inits(inits).seed(seed).lyapunov(lyapunov).steps(steps)
                .batchSize(batchSize).accuracyThreshold(accuracyThreshold).evalEvery(evalEvery).dtype(dtype)
                .extras(sharpness);
    }

    /**
     * Named construction of a {@link SweepSpec}; the defaults of every setting live here (the
     * command line starts from them too). Defaults: data {@value #DEFAULT_DATA} with all samples,
     * the paper's MNIST network ({@link ModelSpec#paperMnist}) and N(0, 1) initialisation, no
     * learning rates (they must be set), {@value #DEFAULT_INITS} inits, seed 1, the paper's Lyapunov
     * protocol ({@link LyapunovConfig#paper}), {@value #DEFAULT_STEPS} steps, full batch, accuracy
     * threshold {@value #DEFAULT_ACCURACY_THRESHOLD}, test accuracy every step, f64, no extras.
     * {@link #build} validates, as the record's constructor does.
     */
    public static final class Builder {
        public static final String DEFAULT_DATA = "mnist-10k";
        public static final int DEFAULT_INITS = 3;
        public static final int DEFAULT_STEPS = 201;
        public static final double DEFAULT_ACCURACY_THRESHOLD = 0.8;

        private String data = DEFAULT_DATA;
        private int trainSize;
        private int testSize;
        private ModelSpec model = ModelSpec.paperMnist();
        private InitSpec init = InitSpec.normal(1);
        private double[] learningRates;
        private int inits = DEFAULT_INITS;
        private long seed = 1;
        private LyapunovConfig lyapunov = LyapunovConfig.paper();
        private int steps = DEFAULT_STEPS;
        private int batchSize;
        private double accuracyThreshold = DEFAULT_ACCURACY_THRESHOLD;
        private int evalEvery = 1;
        private DType dtype = DType.F64;
        private Extras extras = Extras.NONE;

        private Builder() {
        }

        /** Data spec (see {@code org.gdchaos.data.DataSpec}). */
        public Builder data(String v) { data = v; return this; }

        /** Training samples (0 = all). */
        public Builder trainSize(int v) { trainSize = v; return this; }

        /** Test samples (0 = all). */
        public Builder testSize(int v) { testSize = v; return this; }

        public Builder model(ModelSpec v) { model = v; return this; }

        public Builder init(InitSpec v) { init = v; return this; }

        /** The learning-rate grid (copied). */
        public Builder learningRates(double... v) { learningRates = v == null ? null : v.clone(); return this; }

        /** Initialisations per learning rate. */
        public Builder inits(int v) { inits = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public Builder lyapunov(LyapunovConfig v) { lyapunov = v; return this; }

        /** GD steps per trajectory. */
        public Builder steps(int v) { steps = v; return this; }

        /** 0 = full batch, else the SGD minibatch size. */
        public Builder batchSize(int v) { batchSize = v; return this; }

        public Builder accuracyThreshold(double v) { accuracyThreshold = v; return this; }

        /** Test accuracy every K steps (0 = only at the end). */
        public Builder evalEvery(int v) { evalEvery = v; return this; }

        public Builder dtype(DType v) { dtype = v; return this; }

        /** Sharpness, gradient flow, balance ({@link Extras#NONE} when null). */
        public Builder extras(Extras v) { extras = v == null ? Extras.NONE : v; return this; }

        /** The spec; throws as the record's constructor does for invalid settings. */
        public SweepSpec build() {
            return new SweepSpec(data, trainSize, testSize, model, init, learningRates, inits, seed, lyapunov, steps,
                    batchSize, accuracyThreshold, evalEvery, dtype, extras);
        }
    }

    @Override
    public double[] learningRates() {
        return learningRates.clone();
    }

    /** Every cell, learning rate major: (lr 0, init 0), (lr 0, init 1), … */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < learningRates.length; i++) {
            for (int j = 0; j < inits; j++) cells.add(new Cell(i, learningRates[i], j));
        }
        return cells;
    }

    /** Trajectories per cell. */
    public int trajectoriesPerCell() {
        return lyapunov.trajectoriesPerCell();
    }
}
