package org.gdchaos;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting a user gives, by its key: the settings of a sweep ({@code org.gdchaos.sweep.SweepSpec})
 * by their path in run.json's {@code spec} ({@code "training.steps"}, {@code "lyapunov.replicas"},
 * {@code "measurement.extras.sharpnessK"}, …), in the order run.json writes them, then those of an
 * onset search ({@code "onset.range"}, …; in onset.json's {@code settings}). Domain code names a
 * setting only through this table ({@link InputException#setting}, the paths of
 * {@code sweep.SpecDifference}); it never names a flag: the command line maps each setting to its
 * flag ({@code cli/Flags}), and {@code SettingTest} refuses a bare key literal elsewhere in the
 * sources. The run's own options that are not part of a spec ({@code maxBatch}, {@code shard},
 * the figure options) are not here.
 */
public enum Setting {
    DATA("data.spec", "the data source ('mnist-10k', 'teacher:…', 'idx:DIR', …)"),
    TRAIN_SIZE("data.trainSize", "training samples (0 = all)"),
    TEST_SIZE("data.testSize", "test samples (0 = all)"),
    TEST_DATA("data.testData", "where the test set comes from: 'split' (of the training source) or a data spec"),
    NORMALIZE("data.normalize", "how features are scaled: auto, none, unit or standard"),

    NETWORK("model.network", "the network: layers, activation, biases and loss"),
    WIDTHS("model.network.widths", "an MLP's layer widths, input to output"),
    ACTIVATION("model.network.activation", "an MLP's hidden activation"),
    ARCH("model.network.arch", "any other network, as its layers' text"),
    BIAS("model.network.bias", "whether the layers have biases"),
    LOSS("model.network.loss", "the loss: cross-entropy or mean squared error"),
    INIT("model.init", "where the parameters start (normal:STD, xavier, he, values:…, file:…)"),

    LEARNING_RATES("training.learningRates", "the learning-rate grid"),
    INITS("training.inits", "initialisations per learning rate"),
    SEED("training.seed", "the sweep seed (each cell's seeds derive from it)"),
    STEPS("training.steps", "GD steps per trajectory"),
    BATCH_SIZE("training.batchSize", "full batch (0) or the SGD minibatch size"),
    DTYPE("training.dtype", "the number type: f32 or f64"),
    WEIGHT_DECAYS("training.weightDecays", "the weight-decay grid λ of the penalty (λ/2)·‖w‖²"),
    DECAY_BIASES("training.decayBiases", "whether the weight decay covers the biases too"),
    OPTIMIZER("training.optimizer", "the optimizer: gd, momentum, nesterov or adam"),
    MOMENTA("training.momenta", "the momentum grid: β of heavy ball and Nesterov, β1 of Adam"),

    METHOD("lyapunov.method", "the Lyapunov method: paper, benettin, spectrum or tangent"),
    REPLICAS("lyapunov.replicas", "perturbed replicas per cell (paper, benettin)"),
    EXPONENTS("lyapunov.exponents", "number of exponents K (spectrum, tangent)"),
    EPSILON("lyapunov.epsilon", "the perturbation size ε (paper: per weight; benettin, spectrum: δ0)"),
    RENORM_EVERY("lyapunov.renormEvery", "steps τ between renormalisations (benettin, spectrum, tangent)"),
    TRANSIENT_STEPS("lyapunov.transientSteps", "steps discarded before the exponents accumulate"),
    NORM("lyapunov.norm", "the distance of paper and benettin: l1 or l2"),
    PERTURB_BIASES("lyapunov.perturbBiases", "whether the biases are perturbed too"),
    FIT("lyapunov.fit", "how the paper method fits λ from ln⟨d(t)⟩: growth or max-r2"),

    ACCURACY_THRESHOLD("measurement.accuracyThreshold", "the test accuracy counted as trained"),
    EVAL_EVERY("measurement.evalEvery", "test accuracy every K steps (0 = only at the end)"),
    SHARPNESS("measurement.extras.sharpness", "the top Hessian eigenvalue at the end of training"),
    SHARPNESS_EVERY("measurement.extras.sharpnessEvery", "the sharpness also every K steps (0 = never)"),
    SHARPNESS_K("measurement.extras.sharpnessK", "Hessian eigenvalues reported at the end"),
    FLOW("measurement.extras.flow", "the gradient-flow solution from the same start"),
    BALANCE("measurement.extras.balance", "the imbalance ‖W1·W1ᵀ − W2ᵀ·W2‖_F"),

    ONSET_RANGE("onset.range", "the learning-rate range LO:HI an onset search brackets"),
    ONSET_POINTS("onset.points", "new learning rates per round of an onset search"),
    ONSET_MAX_ROUNDS("onset.maxRounds", "the most rounds of an onset search"),
    ONSET_TOLERANCE("onset.tolerance", "the relative width at which an onset search stops"),
    ONSET_CHAOS_THRESHOLD("onset.chaosThreshold", "the exponent λ* above which a learning rate counts as chaotic"),
    ONSET_MAX_INITS("onset.maxInits", "the most initialisations per learning rate of an onset search");

    private static final Map<String, Setting> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));

    private final String key;
    private final String description;

    Setting(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The setting's key: its path in run.json's {@code spec} ({@code "training.steps"}), or {@code "onset.…"}. */
    public String key() {
        return key;
    }

    /** What the setting is, in one line. */
    public String description() {
        return description;
    }

    /** The group the setting is in: its key up to the last dot ({@code "measurement.extras"} for {@link #SHARPNESS}). */
    public String group() {
        return key.substring(0, key.lastIndexOf('.'));
    }

    /** The setting of {@code key}, if it is one. */
    public static Optional<Setting> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }
}
