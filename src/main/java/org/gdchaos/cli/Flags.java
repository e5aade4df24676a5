package org.gdchaos.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line flags of {@code gdchaos sweep}, and which setting each one sets. Domain code
 * ({@code sweep}, {@code lyapunov}, …) never names a flag: its {@link org.gdchaos.InputException}s
 * speak of the quantity and name the setting by key: {@link org.gdchaos.sweep.SweepSpec}'s
 * settings by their path in run.json's {@code spec} ({@code "training.steps"},
 * {@code "model.network.widths"}, the Lyapunov ones by {@link org.gdchaos.lyapunov.LyapunovSetting#key},
 * {@code "measurement.extras.sharpnessK"}, …) and the run's own as {@code "maxBatch"}, {@code "shard"}.
 * The same paths name the settings in which two sweeps differ ({@code sweep.SpecDifference}); every
 * setting of the spec has its flag here except {@code model.network.bias}, which {@code --no-bias}
 * sets to false, so a difference in it is clearer by its own name.
 * {@link #of} maps a key to its flag for the one-line error ({@code cli/Main}).
 */
public final class Flags {
    public static final String PRESET = "--preset";
    public static final String LIST_PRESETS = "--list-presets";
    public static final String PLAN = "--plan";
    public static final String DATA = "--data";
    public static final String TRAIN_SIZE = "--train-size";
    public static final String TEST_SIZE = "--test-size";
    public static final String TEST_DATA = "--test-data";
    public static final String NORMALIZE = "--normalize";
    public static final String MODEL = "--model";
    public static final String WIDTH = "--width";
    public static final String LAYERS = "--layers";
    public static final String ARCH = "--arch";
    public static final String ACTIVATION = "--activation";
    public static final String NO_BIAS = "--no-bias";
    public static final String LOSS = "--loss";
    public static final String INIT = "--init";
    public static final String LR = "--lr";
    public static final String INITS = "--inits";
    public static final String SEED = "--seed";
    public static final String WEIGHT_DECAY = "--weight-decay";
    public static final String DECAY_BIASES = "--decay-biases";
    public static final String OPTIMIZER = "--optimizer";
    public static final String MOMENTUM = "--momentum";
    public static final String METHOD = "--method";
    public static final String REPLICAS = "--replicas";
    public static final String EXPONENTS = "--exponents";
    public static final String EPSILON = "--epsilon";
    public static final String RENORM_EVERY = "--renorm-every";
    public static final String TRANSIENT = "--transient";
    public static final String NORM = "--norm";
    public static final String FIT = "--fit";
    public static final String PERTURB_BIASES = "--perturb-biases";
    public static final String STEPS = "--steps";
    public static final String BATCH = "--batch";
    public static final String ACCURACY_THRESHOLD = "--accuracy-threshold";
    public static final String EVAL_EVERY = "--eval-every";
    public static final String SHARPNESS = "--sharpness";
    public static final String SHARPNESS_EVERY = "--sharpness-every";
    public static final String SHARPNESS_K = "--sharpness-k";
    public static final String FLOW = "--flow";
    public static final String BALANCE = "--balance";
    public static final String DTYPE = "--dtype";
    public static final String BACKEND = "--backend";
    public static final String MAX_BATCH = "--max-batch";
    public static final String OUT = "--out";
    public static final String RESUME = "--resume";
    public static final String NEW = "--new";
    public static final String QUIET = "--quiet";
    public static final String SHARD = "--shard";
    public static final String PLOT_SIZE = "--plot-size";
    public static final String PLOT_FORMAT = "--plot-format";
    // gdchaos onset
    public static final String LR_RANGE = "--lr-range";
    public static final String POINTS = "--points";
    public static final String MAX_ROUNDS = "--max-rounds";
    public static final String TOLERANCE = "--tolerance";
    public static final String CHAOS_THRESHOLD = "--chaos-threshold";
    public static final String MAX_INITS = "--max-inits";

    private static final Map<String, String> BY_SETTING = new LinkedHashMap<>();

    static {
        BY_SETTING.put("onset.range", LR_RANGE);
        BY_SETTING.put("onset.points", POINTS);
        BY_SETTING.put("onset.maxRounds", MAX_ROUNDS);
        BY_SETTING.put("onset.tolerance", TOLERANCE);
        BY_SETTING.put("onset.chaosThreshold", CHAOS_THRESHOLD);
        BY_SETTING.put("onset.maxInits", MAX_INITS);
        BY_SETTING.put("data.spec", DATA);
        BY_SETTING.put("data.trainSize", TRAIN_SIZE);
        BY_SETTING.put("data.testSize", TEST_SIZE);
        BY_SETTING.put("data.testData", TEST_DATA);
        BY_SETTING.put("data.normalize", NORMALIZE);
        BY_SETTING.put("model.network", MODEL);
        BY_SETTING.put("model.network.widths", LAYERS);
        BY_SETTING.put("model.network.activation", ACTIVATION);
        BY_SETTING.put(org.gdchaos.nn.ArchSyntax.KEY, ARCH);
        BY_SETTING.put("model.network.loss", LOSS);
        BY_SETTING.put("model.init", INIT);
        BY_SETTING.put("training.learningRates", LR);
        BY_SETTING.put("training.inits", INITS);
        BY_SETTING.put("training.seed", SEED);
        BY_SETTING.put("training.steps", STEPS);
        BY_SETTING.put("training.batchSize", BATCH);
        BY_SETTING.put("training.dtype", DTYPE);
        BY_SETTING.put("training.weightDecays", WEIGHT_DECAY);
        BY_SETTING.put("training.decayBiases", DECAY_BIASES);
        BY_SETTING.put("training.optimizer", OPTIMIZER);
        BY_SETTING.put("training.momenta", MOMENTUM);
        BY_SETTING.put("lyapunov.method", METHOD);
        BY_SETTING.put("lyapunov.replicas", REPLICAS);
        BY_SETTING.put("lyapunov.exponents", EXPONENTS);
        BY_SETTING.put("lyapunov.epsilon", EPSILON);
        BY_SETTING.put("lyapunov.renormEvery", RENORM_EVERY);
        BY_SETTING.put("lyapunov.transientSteps", TRANSIENT);
        BY_SETTING.put("lyapunov.norm", NORM);
        BY_SETTING.put("lyapunov.perturbBiases", PERTURB_BIASES);
        BY_SETTING.put("lyapunov.fit", FIT);
        BY_SETTING.put("measurement.accuracyThreshold", ACCURACY_THRESHOLD);
        BY_SETTING.put("measurement.evalEvery", EVAL_EVERY);
        BY_SETTING.put("measurement.extras.sharpness", SHARPNESS);
        BY_SETTING.put("measurement.extras.sharpnessEvery", SHARPNESS_EVERY);
        BY_SETTING.put("measurement.extras.sharpnessK", SHARPNESS_K);
        BY_SETTING.put("measurement.extras.flow", FLOW);
        BY_SETTING.put("measurement.extras.balance", BALANCE);
        BY_SETTING.put("maxBatch", MAX_BATCH);
        BY_SETTING.put("shard", SHARD);
        BY_SETTING.put("out", OUT);
        BY_SETTING.put("resume", RESUME);
        BY_SETTING.put(org.gdchaos.plot.PlotOptions.SIZE_SETTING, PLOT_SIZE);
        BY_SETTING.put(org.gdchaos.plot.PlotOptions.FORMAT_SETTING, PLOT_FORMAT);
    }

    private Flags() {
    }

    /** The flag that sets {@code setting} (a key such as {@code "training.steps"}); the key itself if no flag sets it. */
    public static String of(String setting) {
        return BY_SETTING.getOrDefault(setting, setting);
    }

    /** The flag that sets {@code setting}, if one does. */
    public static Optional<String> find(String setting) {
        return Optional.ofNullable(BY_SETTING.get(setting));
    }
}
