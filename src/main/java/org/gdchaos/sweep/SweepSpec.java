package org.gdchaos.sweep;

import org.gdchaos.sweep.store.RunJsonUpgrade;

import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.Setting;

import org.gdchaos.InputException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.Normalization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.hessian.LanczosConfig;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;

/**
 * Everything that defines a sweep's numbers (the cells, their seeds and the measurement), in five
 * groups, each what one part of a sweep reads: {@link Data} (what is learned, read by the data
 * loader), {@link Model} (the network and its initialisation), {@link Training} (the grid of
 * learning rates × weight decays × initialisations with its seed, and how each trajectory is trained), the
 * {@link LyapunovConfig Lyapunov measurement} (a group of its own: the sweep's main quantity,
 * also used alone) and {@link Measurement} (the other measurements). Two runs with equal specs
 * produce identical rows; resuming refuses a different spec. Build one by name with
 * {@link #builder()} (the defaults live in {@link Builder}). Invalid settings throw
 * {@link InputException} naming the setting by its path in run.json's {@code spec}
 * ({@code "training.steps"}, {@code "lyapunov.replicas"}, …), in words of the quantity.
 *
 * @param data        the data and how many samples of it
 * @param model       network and initialisation
 * @param training    grid, seed, steps, batch and precision
 * @param lyapunov    Lyapunov method settings
 * @param measurement accuracy threshold and interval, extra measurements
 */
public record SweepSpec(Data data, Model model, Training training, LyapunovConfig lyapunov, Measurement measurement) {
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

    /** Checks what spans groups: the method against the training, the eigenvalue count against the model. */
    public SweepSpec {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(lyapunov, "lyapunov");
        Objects.requireNonNull(measurement, "measurement");
        long p = new ParameterLayout(model.network()).size();
        // the renormalising methods follow the whole state (w, v): up to (1 + S)·P exponents
        long dim = lyapunov.method() == Method.PAPER ? p
                : p * (1 + training.optimizer().kind().stateVectors());
        lyapunov.method().impl().checkTraining(lyapunov, training.batchSize() == 0, dim);
        lyapunov.method().impl().checkOptimizer(lyapunov, training.optimizer());
        if (lyapunov.method().impl().uses().contains(org.gdchaos.lyapunov.LyapunovSetting.TRANSIENT)
                && lyapunov.transientSteps() >= training.steps()) { // nothing would accumulate: λ would be NaN
            throw new InputException(org.gdchaos.lyapunov.LyapunovSetting.TRANSIENT.key(), "the transient of "
                    + lyapunov.transientSteps() + " steps leaves none of the " + training.steps() + " steps to measure "
                    + "the exponents on: use a transient below the number of steps");
        }
        int k = measurement.extras().sharpnessK();
        if (k > p) {
            throw new InputException(SHARPNESS_K, "the number of Hessian eigenvalues " + k
                    + " exceeds the model's " + p + " parameters (the Hessian has " + p + " eigenvalues)");
        }
        int krylov = LanczosConfig.defaults(training.dtype()).maxIterations();
        if (k > krylov) {
            throw new InputException(SHARPNESS_K, "the number of Hessian eigenvalues " + k + " exceeds " + krylov
                    + ", the Krylov dimension of the Lanczos solver: at most " + krylov + " eigenvalues can be reported");
        }
    }

    private static final String SHARPNESS_K = Setting.SHARPNESS_K.key();
    private static final String WEIGHT_DECAYS = Setting.WEIGHT_DECAYS.key();
    private static final String MOMENTA = Setting.MOMENTA.key();

    /**
     * What is learned.
     *
     * @param spec      the data spec ({@code org.gdchaos.data.DataSpec}, as {@code --data} takes it)
     * @param trainSize training samples (0 = all)
     * @param testSize  test samples (0 = all)
     * @param testData  where the test set comes from: {@value org.gdchaos.data.DataSpec#SPLIT} (a part of the
     *                  training source, disjoint from the training set; also for null, as a run.json written
     *                  before this setting reads) or a data spec ({@code --test-data})
     * @param normalize how features are scaled ({@code --normalize}; {@code auto} for null)
     */
    public record Data(String spec, int trainSize, int testSize, String testData, Normalization normalize) {
        public Data {
            Objects.requireNonNull(spec, "spec");
            // a negative size would read as "all" (0) and be recorded as given: refuse it
            if (trainSize < 0) {
                throw new InputException(Setting.TRAIN_SIZE.key(), "the number of training samples must be ≥ 0 (0 = all), got "
                        + trainSize);
            }
            if (testSize < 0) {
                throw new InputException(Setting.TEST_SIZE.key(), "the number of test samples must be ≥ 0 (0 = all), got "
                        + testSize);
            }
            testData = testData == null || testData.isBlank() ? DataSpec.SPLIT : testData.trim();
            if (testData.equalsIgnoreCase(DataSpec.SPLIT)) testData = DataSpec.SPLIT;
            normalize = normalize == null ? Normalization.AUTO : normalize;
        }

        /** The source's own split, features as it gives them. */
        public Data(String spec, int trainSize, int testSize) {
            this(spec, trainSize, testSize, null, null);
        }
    }

    /**
     * The network and where its parameters start.
     *
     * @param network layers, activation, biases and loss
     * @param init    initialisation scheme
     */
    public record Model(ModelSpec network, InitSpec init) {
        public Model {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(init, "init");
        }
    }

    /**
     * The grid of cells and how each trajectory is trained.
     *
     * @param learningRates the grid (copied; at least one)
     * @param inits         initialisations per learning rate (≥ 1)
     * @param seed          sweep seed (each cell's seeds derive from it)
     * @param steps         GD steps per trajectory (1 … {@link #MAX_STEPS})
     * @param batchSize     0 = full batch, else SGD minibatch size (not with the tangent method); in
     *                      run.json as {@code --batch} takes it, {@code "full"} or the size
     * @param dtype         f32 or f64
     * @param weightDecays  the weight-decay grid λ of the L2 penalty (λ/2)·‖w‖² (docs/science.md#weight-decay;
     *                      copied; finite, ≥ 0, at least one; {0} when null: a run.json written before
     *                      this setting existed reads as no weight decay)
     * @param decayBiases   whether the penalty covers the biases too (else the weights only)
     * @param optimizer     the optimizer of every trajectory (docs/science.md#optimizers); GD when null
     *                      (a run.json written before this setting existed reads as GD). With a momentum
     *                      grid its β (β1) is the grid's first value, and GD becomes heavy ball
     * @param momenta       the momentum grid ({@code --momentum}): β of heavy ball and Nesterov, β1 of
     *                      Adam, one cell per value (copied; in [0, 1), at least one, no duplicates); null
     *                      when not an axis (the optimizer's own β; absent from run.json, which then reads
     *                      as before)
     */
    public record Training(double[] learningRates, int inits, long seed, int steps,
                           @JsonSerialize(using = BatchWords.Writer.class)
                           @JsonDeserialize(using = BatchWords.Reader.class) int batchSize,
                           DType dtype, double[] weightDecays, boolean decayBiases, Optimizer optimizer,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) double[] momenta) {
        public Training {
            Objects.requireNonNull(dtype, "dtype");
            if (optimizer == null) optimizer = Optimizer.GD;
            if (momenta != null) {
                momenta = momenta.clone();
                if (momenta.length == 0) throw new InputException(MOMENTA, "the momentum grid is empty");
                for (double b : momenta) {
                    if (!(b >= 0 && b < 1)) {
                        throw new InputException(MOMENTA, "the momentum coefficient β must be in [0, 1), got " + b);
                    }
                }
                refuseDuplicates(MOMENTA, "momentum", momenta);
                optimizer = optimizer.withMomentum(momenta[0]); // GD given with a momentum grid: heavy ball
            }
            if (learningRates == null || learningRates.length == 0) {
                throw new InputException(Setting.LEARNING_RATES.key(), "the learning-rate grid is empty");
            }
            weightDecays = weightDecays == null ? new double[] {0} : weightDecays.clone();
            if (weightDecays.length == 0) {
                throw new InputException(WEIGHT_DECAYS, "the weight-decay grid is empty (0 means no weight decay)");
            }
            for (double l : weightDecays) {
                if (!(l >= 0) || !Double.isFinite(l)) {
                    throw new InputException(WEIGHT_DECAYS, "the weight decay must be a finite number ≥ 0, got " + l);
                }
            }
            refuseDuplicates(Setting.LEARNING_RATES.key(), "learning rate", learningRates);
            refuseDuplicates(WEIGHT_DECAYS, "weight decay", weightDecays);
            if (inits < 1) {
                throw new InputException(Setting.INITS.key(), "the number of initialisations per learning rate must be "
                        + "≥ 1, got " + inits);
            }
            // counted, never built, before the limit holds
            long cellCount = (long) learningRates.length * weightDecays.length * inits
                    * (momenta == null ? 1 : momenta.length);
            if (cellCount > MAX_CELLS) {
                String decays = (weightDecays.length > 1
                        ? String.format(java.util.Locale.ROOT, " × %,d weight decays", weightDecays.length) : "")
                        + (momenta != null && momenta.length > 1
                        ? String.format(java.util.Locale.ROOT, " × %,d momenta", momenta.length) : "");
                throw new InputException(String.format(java.util.Locale.ROOT, "the grid has %,d cells (%,d learning "
                        + "rates%s × %,d inits), more than gdchaos runs in one sweep (%,d): use a coarser grid, or split "
                        + "it into several sweeps", cellCount, learningRates.length, decays, inits, MAX_CELLS));
            }
            if (steps < 1) throw new InputException(Setting.STEPS.key(), "the number of steps must be ≥ 1, got " + steps);
            if (steps > MAX_STEPS) {
                throw new InputException(Setting.STEPS.key(), String.format(java.util.Locale.ROOT, "%,d steps is more "
                        + "than %,d, the most a per-step curve can hold", steps, MAX_STEPS));
            }
            if (batchSize < 0) {
                throw new InputException(Setting.BATCH_SIZE.key(), "the batch size must be 0 (full batch) or positive, "
                        + "got " + batchSize);
            }
            learningRates = learningRates.clone();
        }

        /**
         * Refuses a grid that lists one value twice: its cells would be computed twice and its rows,
         * curves and figure series could not be told apart.
         */
        private static void refuseDuplicates(String setting, String what, double[] values) {
            java.util.Set<Double> seen = new java.util.HashSet<>();
            for (double v : values) {
                if (!seen.add(v == 0 ? 0.0 : v)) {
                    throw new InputException(setting, "the " + what + " " + v + " is listed twice; list each value once");
                }
            }
        }

        /** Without weight decay (the grid {0}). */
        public Training(double[] learningRates, int inits, long seed, int steps, int batchSize, DType dtype) {
            this(learningRates, inits, seed, steps, batchSize, dtype, null, false, null);
        }

        /** Without a momentum grid. */
        public Training(double[] learningRates, int inits, long seed, int steps, int batchSize, DType dtype,
                        double[] weightDecays, boolean decayBiases, Optimizer optimizer) {
            this(learningRates, inits, seed, steps, batchSize, dtype, weightDecays, decayBiases, optimizer, null);
        }

        /** With GD. */
        public Training(double[] learningRates, int inits, long seed, int steps, int batchSize, DType dtype,
                        double[] weightDecays, boolean decayBiases) {
            this(learningRates, inits, seed, steps, batchSize, dtype, weightDecays, decayBiases, null);
        }

        @Override
        public double[] learningRates() {
            return learningRates.clone();
        }

        /** Number of learning rates in the grid. */
        public int learningRateCount() {
            return learningRates.length;
        }

        @Override
        public double[] weightDecays() {
            return weightDecays.clone();
        }

        /** Number of weight decays in the grid. */
        public int weightDecayCount() {
            return weightDecays.length;
        }

        @Override
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        public double[] momenta() {
            return momenta == null ? null : momenta.clone();
        }

        /** The momentum values of the cells: the grid, or the optimizer's own β (β1; 0 for GD) when not an axis. */
        public double[] momentumValues() {
            return momenta != null ? momenta.clone() : new double[] {optimizer.beta1()};
        }

        /** Number of momentum values in the grid (1 when not an axis). */
        public int momentumCount() {
            return momenta == null ? 1 : momenta.length;
        }

        /** The optimizer of a cell: with a momentum grid the sweep's with the cell's β (β1), else the sweep's. */
        public Optimizer optimizerOf(Cell c) {
            return momenta == null ? optimizer : optimizer.withMomentum(c.momentum());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Training t && Arrays.equals(learningRates, t.learningRates) && inits == t.inits
                    && seed == t.seed && steps == t.steps && batchSize == t.batchSize && dtype == t.dtype
                    && Arrays.equals(weightDecays, t.weightDecays) && decayBiases == t.decayBiases
                    && optimizer.equals(t.optimizer) && Arrays.equals(momenta, t.momenta);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(learningRates), inits, seed, steps, batchSize, dtype,
                    Arrays.hashCode(weightDecays), decayBiases, optimizer, Arrays.hashCode(momenta));
        }

        @Override
        public String toString() {
            return "Training[learningRates=" + Arrays.toString(learningRates) + ", inits=" + inits + ", seed=" + seed
                    + ", steps=" + steps + ", batchSize=" + batchSize + ", dtype=" + dtype + ", weightDecays="
                    + Arrays.toString(weightDecays) + ", decayBiases=" + decayBiases + ", optimizer=" + optimizer.label()
                    + (momenta == null ? "" : ", momenta=" + Arrays.toString(momenta)) + "]";
        }
    }

    /** The batch size in run.json as {@code --batch} takes it: {@code "full"} for 0, else the number (both read). */
    static final class BatchWords {
        private BatchWords() {
        }

        static final class Writer extends JsonSerializer<Integer> {
            @Override
            public void serialize(Integer v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == 0) g.writeString("full");
                else g.writeNumber(v);
            }
        }

        static final class Reader extends JsonDeserializer<Integer> {
            @Override
            public Integer deserialize(JsonParser p, DeserializationContext c) throws IOException {
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    String t = p.getText().trim();
                    if (t.equalsIgnoreCase("full")) return 0;
                    try {
                        return Integer.parseInt(t);
                    } catch (NumberFormatException e) {
                        throw new InputException(Setting.BATCH_SIZE.key(), "the batch size must be 'full' or a number, "
                                + "got '" + t + "'");
                    }
                }
                return p.getValueAsInt();
            }

            /** Absent: 0 for the primitive, named as missing by {@link SpecJson#read}. */
            @Override
            public Integer getNullValue(DeserializationContext c) {
                return 0;
            }
        }
    }

    /**
     * What is measured besides the Lyapunov exponents.
     *
     * @param accuracyThreshold test accuracy defining "trained" (steps_to_threshold), in [0, 1]
     * @param evalEvery         test accuracy evaluated every K steps (0 = only at the end)
     * @param extras            sharpness, gradient flow, balance ({@link Extras#NONE} when null)
     */
    public record Measurement(double accuracyThreshold, int evalEvery, Extras extras) {
        public Measurement {
            if (extras == null) extras = Extras.NONE;
            if (evalEvery < 0) {
                throw new InputException(Setting.EVAL_EVERY.key(), "the test-accuracy interval must be ≥ 0 steps (0 = "
                        + "only at the end), got " + evalEvery);
            }
            if (!(accuracyThreshold >= 0 && accuracyThreshold <= 1)) {
                throw new InputException(Setting.ACCURACY_THRESHOLD.key(), "the accuracy threshold must be in [0, 1], "
                        + "got " + accuracyThreshold);
            }
        }
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
                throw new InputException(Setting.SHARPNESS_EVERY.key(), "the sharpness interval must be ≥ 0 "
                        + "steps (0 = never), got " + sharpnessEvery);
            }
            if (sharpnessK < 1) {
                throw new InputException(SHARPNESS_K, "the number of Hessian eigenvalues must be ≥ 1, got "
                    + sharpnessK);
            }
            if (sharpnessK > 1 && !sharpness && sharpnessEvery == 0) throw needsSharpness(sharpnessK);
        }

        /** Only the top eigenvalue ({@code sharpnessK} = 1). */
        public Extras(boolean sharpness, int sharpnessEvery, boolean flow, boolean balance) {
            this(sharpness, sharpnessEvery, flow, balance, 1);
        }

        /** From run.json, upgraded ({@link RunJsonUpgrade}: a spec recorded before {@code sharpnessK} has 1). */
        @JsonCreator
        static Extras fromJson(@JsonProperty("sharpness") boolean sharpness,
                               @JsonProperty("sharpnessEvery") int sharpnessEvery,
                               @JsonProperty("flow") boolean flow,
                               @JsonProperty("balance") boolean balance,
                               @JsonProperty("sharpnessK") int sharpnessK) {
            return new Extras(sharpness, sharpnessEvery, flow, balance, sharpnessK);
        }

        /** The error for {@code --sharpness-k} without a sharpness measurement to apply it to. */
        public static InputException needsSharpness(int k) {
            return new InputException(SHARPNESS_K, k + " Hessian eigenvalues need a sharpness measurement "
                    + "(the number sets how many eigenvalues the end-of-training sharpness reports)");
        }

        public boolean any() {
            return sharpness || sharpnessEvery > 0 || flow || balance;
        }
    }

    /**
     * A builder with every setting at its default ({@link Builder}); set what differs by name:
     * {@code SweepSpec.builder().learningRates(0.1, 1).steps(500).build()}. It has no learning rates
     * (a spec in code states its grid) and all samples of the data; {@link #userBuilder()} has the
     * users' defaults.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with the defaults that {@code gdchaos sweep} and {@code api.Sweep} start from:
     * {@link #builder()}'s, plus the learning-rate grid {@value Builder#DEFAULT_LEARNING_RATES}
     * and, for the train and test sizes not set, what the data source suggests
     * ({@link org.gdchaos.data.DataSource#defaultTrainSize}: 1000 and 1000 samples of MNIST-like
     * images, all of {@code scalar:} and {@code teacher:}; the test source's own with a
     * {@code testData}).
     */
    public static Builder userBuilder() {
        Builder b = new Builder().learningRates(LearningRates.parse(Builder.DEFAULT_LEARNING_RATES));
        b.suggestedSizes = true;
        return b;
    }

    /** A builder holding this spec's settings, to derive a spec that differs in a few. */
    public Builder toBuilder() {
        return new Builder().data(data.spec()).trainSize(data.trainSize()).testSize(data.testSize())
                .testData(data.testData()).normalize(data.normalize())
                .model(model.network()).init(model.init()).learningRates(training.learningRates)
                .inits(training.inits()).seed(training.seed()).steps(training.steps())
                .batchSize(training.batchSize()).dtype(training.dtype()).weightDecays(training.weightDecays)
                .decayBiases(training.decayBiases()).optimizer(training.optimizer()).momenta(training.momenta).lyapunov(lyapunov)
                .accuracyThreshold(measurement.accuracyThreshold()).evalEvery(measurement.evalEvery())
                .extras(measurement.extras());
    }

    /**
     * Named construction of a {@link SweepSpec}, one setter per setting (each fills its group; the
     * Lyapunov settings and the extras also one by one); the defaults of every setting live here,
     * and the command line ({@code cli/SweepCommand}) and the API ({@code api.Sweep}) start from
     * them ({@link #userBuilder}). Defaults: data {@value #DEFAULT_DATA} with all samples, the
     * paper's MNIST network ({@link ModelSpec#paperMnist}) and N(0, 1) initialisation, no learning
     * rates (they must be set; {@value #DEFAULT_LEARNING_RATES} from {@link #userBuilder}),
     * {@value #DEFAULT_INITS} inits, seed 1, the paper's Lyapunov method ({@link #DEFAULT_METHOD})
     * with the settings not set at the method's own defaults ({@link LyapunovConfig#of}; the
     * paper's protocol, {@link LyapunovConfig#paper}), {@value #DEFAULT_STEPS} steps, full batch,
     * GD without weight decay, accuracy threshold {@value #DEFAULT_ACCURACY_THRESHOLD}, test
     * accuracy every step, f64, no extras. {@link #build} validates, as the record's constructor does.
     */
    public static final class Builder {
        public static final String DEFAULT_DATA = DataSpec.DEFAULT;
        /** The grid of {@link #userBuilder} ({@code LearningRates} syntax). */
        public static final String DEFAULT_LEARNING_RATES = "0.01,0.1,1,10";
        public static final int DEFAULT_INITS = 3;
        public static final int DEFAULT_STEPS = 201;
        public static final double DEFAULT_ACCURACY_THRESHOLD = 0.8;
        /** The Lyapunov method when none is set. */
        public static final Method DEFAULT_METHOD = Method.PAPER;

        private String data = DEFAULT_DATA;
        /** Null: not set (0, all, or what the source suggests with {@link #suggestedSizes}). */
        private Integer trainSize;
        private Integer testSize;
        private boolean suggestedSizes;
        private String testData;
        private Normalization normalize;
        private ModelSpec model = ModelSpec.paperMnist();
        private InitSpec init = InitSpec.normal(1);
        private double[] learningRates;
        private int inits = DEFAULT_INITS;
        private long seed = 1;
        private Method method = DEFAULT_METHOD;
        // the Lyapunov settings set; null: the method's default
        private Integer replicas;
        private Integer exponents;
        private Double epsilon;
        private Integer renormEvery;
        private Integer transientSteps;
        private Norm norm;
        private Boolean perturbBiases;
        private GrowthFit.Method fit;
        private int steps = DEFAULT_STEPS;
        private int batchSize;
        private double accuracyThreshold = DEFAULT_ACCURACY_THRESHOLD;
        private int evalEvery = 1;
        private DType dtype = DType.F64;
        private double[] weightDecays = {0};
        private boolean decayBiases;
        private Optimizer optimizer = Optimizer.GD;
        private double[] momenta;
        private boolean sharpness;
        private int sharpnessEvery;
        private boolean flow;
        private boolean balance;
        private int sharpnessK = 1;

        private Builder() {
        }

        /** Data spec (see {@code org.gdchaos.data.DataSpec}). */
        public Builder data(String v) { data = v; return this; }

        /** Training samples (0 = all). */
        public Builder trainSize(int v) { trainSize = v; return this; }

        /** Test samples (0 = all). */
        public Builder testSize(int v) { testSize = v; return this; }

        /** Where the test set comes from: {@code split} (the default) or a data spec. */
        public Builder testData(String v) { testData = v; return this; }

        /** How features are scaled (default {@code auto}). */
        public Builder normalize(Normalization v) { normalize = v; return this; }

        /** The network ({@code model.network}). */
        public Builder model(ModelSpec v) { model = v; return this; }

        /** The initialisation scheme ({@code model.init}). */
        public Builder init(InitSpec v) { init = v; return this; }

        /** The learning-rate grid (copied). */
        public Builder learningRates(double... v) { learningRates = v == null ? null : v.clone(); return this; }

        /** Initialisations per learning rate. */
        public Builder inits(int v) { inits = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        /** Every Lyapunov setting at once: {@code v}'s method and each of its settings as {@code v} has it. */
        public Builder lyapunov(LyapunovConfig v) {
            return method(v.method()).replicas(v.replicas()).exponents(v.exponents()).epsilon(v.epsilon())
                    .renormEvery(v.renormEvery()).transientSteps(v.transientSteps()).norm(v.norm())
                    .perturbBiases(v.perturbBiases()).fit(v.fit());
        }

        /** The Lyapunov method; its settings not set take its defaults ({@link LyapunovConfig#of}). */
        public Builder method(Method v) { method = Objects.requireNonNull(v, "method"); return this; }

        /** Replicas per cell (paper, benettin). */
        public Builder replicas(int v) { replicas = v; return this; }

        /** Number of exponents K (spectrum, tangent). */
        public Builder exponents(int v) { exponents = v; return this; }

        /** Perturbation size ε (δ0 for benettin and spectrum). */
        public Builder epsilon(double v) { epsilon = v; return this; }

        /** Steps τ between renormalisations. */
        public Builder renormEvery(int v) { renormEvery = v; return this; }

        /** Steps discarded before the exponents accumulate. */
        public Builder transientSteps(int v) { transientSteps = v; return this; }

        /** Distance of paper and benettin. */
        public Builder norm(Norm v) { norm = Objects.requireNonNull(v, "norm"); return this; }

        /** Whether biases are perturbed too. */
        public Builder perturbBiases(boolean v) { perturbBiases = v; return this; }

        /** The paper method's fit rule. */
        public Builder fit(GrowthFit.Method v) { fit = Objects.requireNonNull(v, "fit"); return this; }

        /** GD steps per trajectory. */
        public Builder steps(int v) { steps = v; return this; }

        /** 0 = full batch, else the SGD minibatch size. */
        public Builder batchSize(int v) { batchSize = v; return this; }

        public Builder accuracyThreshold(double v) { accuracyThreshold = v; return this; }

        /** Test accuracy every K steps (0 = only at the end). */
        public Builder evalEvery(int v) { evalEvery = v; return this; }

        public Builder dtype(DType v) { dtype = v; return this; }

        /** The weight-decay grid λ (copied; default {0}: none; docs/science.md#weight-decay). */
        public Builder weightDecays(double... v) { weightDecays = v == null ? null : v.clone(); return this; }

        /** Whether the weight decay covers the biases too (default: the weights only). */
        public Builder decayBiases(boolean v) { decayBiases = v; return this; }

        /** The optimizer (default GD; docs/science.md#optimizers). */
        public Builder optimizer(Optimizer v) { optimizer = v; return this; }

        /**
         * The momentum grid ({@code --momentum}; copied; null, the default: not an axis): β of heavy ball
         * and Nesterov, β1 of Adam; with GD the optimizer becomes heavy ball.
         */
        public Builder momenta(double... v) { momenta = v == null ? null : v.clone(); return this; }

        /** Every extra measurement at once ({@link Extras#NONE} when null). */
        public Builder extras(Extras v) {
            Extras e = v == null ? Extras.NONE : v;
            return sharpness(e.sharpness()).sharpnessEvery(e.sharpnessEvery()).flow(e.flow()).balance(e.balance())
                    .sharpnessK(e.sharpnessK());
        }

        /** The top Hessian eigenvalue at the end of training. */
        public Builder sharpness(boolean v) { sharpness = v; return this; }

        /** The sharpness also every K steps (0 = never). */
        public Builder sharpnessEvery(int v) { sharpnessEvery = v; return this; }

        /** Hessian eigenvalues reported at the end (above 1 only with a sharpness measurement). */
        public Builder sharpnessK(int v) { sharpnessK = v; return this; }

        /** The gradient-flow solution from the same start. */
        public Builder flow(boolean v) { flow = v; return this; }

        /** The imbalance measures. */
        public Builder balance(boolean v) { balance = v; return this; }

        /** The spec; throws as the record's constructor does for invalid settings. */
        public SweepSpec build() {
            int train = trainSize != null ? trainSize : suggestedSizes ? DataSpec.parse(data).defaultTrainSize() : 0;
            boolean ownSplit = testData == null || testData.isBlank()
                    || testData.trim().equalsIgnoreCase(DataSpec.SPLIT);
            int test = testSize != null ? testSize : !suggestedSizes ? 0
                    : DataSpec.parse(ownSplit ? data : testData).defaultTestSize();
            return new SweepSpec(new Data(data, train, test, testData, normalize), new Model(model, init),
                    new Training(learningRates, inits, seed, steps, batchSize, dtype, weightDecays, decayBiases, optimizer,
                            momenta),
                    lyapunovConfig(),
                    new Measurement(accuracyThreshold, evalEvery,
                            new Extras(sharpness, sharpnessEvery, flow, balance, sharpnessK)));
        }

        /**
         * The method's defaults with the settings set, in the order the config checks them (so the
         * first invalid one is named, as by its constructor).
         */
        private LyapunovConfig lyapunovConfig() {
            LyapunovConfig c = LyapunovConfig.of(method);
            if (replicas != null) c = c.withReplicas(replicas);
            if (exponents != null) c = c.withExponents(exponents);
            if (epsilon != null) c = c.withEpsilon(epsilon);
            if (renormEvery != null) c = c.withRenormEvery(renormEvery);
            if (transientSteps != null) c = c.withTransientSteps(transientSteps);
            if (norm != null) c = c.withNorm(norm);
            if (perturbBiases != null) c = c.withPerturbBiases(perturbBiases);
            if (fit != null) c = c.withFit(fit);
            return c;
        }
    }

    /**
     * Every cell, learning rate major, then weight decay, then momentum, then init: (lr 0, wd 0, β 0,
     * init 0), (lr 0, wd 0, β 0, init 1), …, (lr 0, wd 0, β 1, init 0), …, (lr 0, wd 1, β 0, init 0), …
     * (position {@link Shard#position}; with one momentum value the order before the momentum axis).
     */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        double[] lrs = training.learningRates;
        double[] wds = training.weightDecays;
        double[] ms = training.momentumValues();
        for (int i = 0; i < lrs.length; i++) {
            for (int w = 0; w < wds.length; w++) {
                for (int m = 0; m < ms.length; m++) {
                    for (int j = 0; j < training.inits(); j++) cells.add(new Cell(i, lrs[i], w, wds[w], m, ms[m], j));
                }
            }
        }
        return cells;
    }

    /** Trajectories per cell. */
    public int trajectoriesPerCell() {
        return lyapunov.trajectoriesPerCell();
    }
}
