package org.gdchaos.cli;

import org.gdchaos.Setting;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gdchaos.Setting;

/**
 * The command-line flags of {@code gdchaos sweep} and {@code gdchaos onset}, and which setting each
 * one sets. Domain code ({@code sweep}, {@code lyapunov}, …) never names a flag: its
 * {@link org.gdchaos.InputException}s speak of the quantity and name the setting by the key of its
 * {@link Setting} (its path in run.json's {@code spec}: {@code "training.steps"},
 * {@code "model.network.widths"}, {@code "measurement.extras.sharpnessK"}, …), the run's own ones,
 * which no spec holds, as {@code "maxBatch"}, {@code "shard"}. The same keys name the settings in
 * which two sweeps differ ({@code sweep.SpecDifference}); every {@link Setting} has its flag here
 * except the {@link #FLAGLESS} {@code model.network.bias}, which {@code --no-bias} sets to false,
 * so a difference in it is clearer by its own name.
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

    /**
     * The flag of each {@link Setting}; a setting missing here is flagless on purpose
     * ({@link #FLAGLESS}; {@code FlagsTest} checks that every other one has its flag).
     */
    private static final Map<Setting, String> BY_SETTING = new EnumMap<>(Setting.class);
    /** The run's own settings, which are no part of a spec (no {@link Setting}): their keys and flags. */
    private static final Map<String, String> RUN_SETTINGS = new LinkedHashMap<>();
    /**
     * Settings no flag sets by their own name: {@link Setting#BIAS}, which {@code --no-bias} sets
     * to false ("--no-bias: true in the folder" would read backwards).
     */
    public static final Set<Setting> FLAGLESS = Set.of(Setting.BIAS);

    static {
        BY_SETTING.put(Setting.ONSET_RANGE, LR_RANGE);
        BY_SETTING.put(Setting.ONSET_POINTS, POINTS);
        BY_SETTING.put(Setting.ONSET_MAX_ROUNDS, MAX_ROUNDS);
        BY_SETTING.put(Setting.ONSET_TOLERANCE, TOLERANCE);
        BY_SETTING.put(Setting.ONSET_CHAOS_THRESHOLD, CHAOS_THRESHOLD);
        BY_SETTING.put(Setting.ONSET_MAX_INITS, MAX_INITS);
        BY_SETTING.put(Setting.DATA, DATA);
        BY_SETTING.put(Setting.TRAIN_SIZE, TRAIN_SIZE);
        BY_SETTING.put(Setting.TEST_SIZE, TEST_SIZE);
        BY_SETTING.put(Setting.TEST_DATA, TEST_DATA);
        BY_SETTING.put(Setting.NORMALIZE, NORMALIZE);
        BY_SETTING.put(Setting.NETWORK, MODEL);
        BY_SETTING.put(Setting.WIDTHS, LAYERS);
        BY_SETTING.put(Setting.ACTIVATION, ACTIVATION);
        BY_SETTING.put(Setting.ARCH, ARCH);
        BY_SETTING.put(Setting.LOSS, LOSS);
        BY_SETTING.put(Setting.INIT, INIT);
        BY_SETTING.put(Setting.LEARNING_RATES, LR);
        BY_SETTING.put(Setting.INITS, INITS);
        BY_SETTING.put(Setting.SEED, SEED);
        BY_SETTING.put(Setting.STEPS, STEPS);
        BY_SETTING.put(Setting.BATCH_SIZE, BATCH);
        BY_SETTING.put(Setting.DTYPE, DTYPE);
        BY_SETTING.put(Setting.WEIGHT_DECAYS, WEIGHT_DECAY);
        BY_SETTING.put(Setting.DECAY_BIASES, DECAY_BIASES);
        BY_SETTING.put(Setting.OPTIMIZER, OPTIMIZER);
        BY_SETTING.put(Setting.MOMENTA, MOMENTUM);
        BY_SETTING.put(Setting.METHOD, METHOD);
        BY_SETTING.put(Setting.REPLICAS, REPLICAS);
        BY_SETTING.put(Setting.EXPONENTS, EXPONENTS);
        BY_SETTING.put(Setting.EPSILON, EPSILON);
        BY_SETTING.put(Setting.RENORM_EVERY, RENORM_EVERY);
        BY_SETTING.put(Setting.TRANSIENT_STEPS, TRANSIENT);
        BY_SETTING.put(Setting.NORM, NORM);
        BY_SETTING.put(Setting.PERTURB_BIASES, PERTURB_BIASES);
        BY_SETTING.put(Setting.FIT, FIT);
        BY_SETTING.put(Setting.ACCURACY_THRESHOLD, ACCURACY_THRESHOLD);
        BY_SETTING.put(Setting.EVAL_EVERY, EVAL_EVERY);
        BY_SETTING.put(Setting.SHARPNESS, SHARPNESS);
        BY_SETTING.put(Setting.SHARPNESS_EVERY, SHARPNESS_EVERY);
        BY_SETTING.put(Setting.SHARPNESS_K, SHARPNESS_K);
        BY_SETTING.put(Setting.FLOW, FLOW);
        BY_SETTING.put(Setting.BALANCE, BALANCE);
        RUN_SETTINGS.put("maxBatch", MAX_BATCH);
        RUN_SETTINGS.put("shard", SHARD);
        RUN_SETTINGS.put("out", OUT);
        RUN_SETTINGS.put("resume", RESUME);
        RUN_SETTINGS.put(org.gdchaos.plot.PlotOptions.SIZE_SETTING, PLOT_SIZE);
        RUN_SETTINGS.put(org.gdchaos.plot.PlotOptions.FORMAT_SETTING, PLOT_FORMAT);
    }

    private Flags() {
    }

    /** The flag that sets {@code setting} (a key such as {@code "training.steps"}); the key itself if no flag sets it. */
    public static String of(String setting) {
        return find(setting).orElse(setting);
    }

    /** The flag that sets {@code setting} (a {@link Setting}'s key or a run setting's), if one does. */
    public static Optional<String> find(String setting) {
        return Setting.find(setting).map(Flags::find).orElseGet(() -> Optional.ofNullable(RUN_SETTINGS.get(setting)));
    }

    /** The flag that sets {@code setting}; empty for the {@link #FLAGLESS} ones. */
    public static Optional<String> find(Setting setting) {
        return Optional.ofNullable(BY_SETTING.get(setting));
    }
}
