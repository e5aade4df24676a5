package org.gdchaos.cli;

import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.nn.InitSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Named defaults for {@code sweep}; explicit options override them. The values live only in the
 * constants below ({@link #settings} lists them by flag; {@code gdchaos sweep --list-presets}
 * prints them): {@code quick} is a first look at the embedded mnist-10k, {@code paper-mnist} the
 * authors' protocol (docs/science.md#paper-protocol), {@code deep-mlp} the quick look for a deeper
 * network, {@code cnn-mnist} the quick look for a small convolutional network. Each preset sets the
 * network (layer widths and activation, or an {@code --arch}) and the weight initialisation;
 * what a preset does not set keeps the command line's default (paper method with ε = 1e-8 and L1,
 * full batch, f64, biases, cross-entropy: {@link SweepCommand#DEFAULTS}).
 *
 * <p>{@code deep-mlp} (784-64-64-64-10 tanh) uses Xavier (Glorot normal) weights,
 * W_l ~ N(0, 2/(fan_in + fan_out)), rather than the paper's N(0,1): with N(0,1) the pre-activations
 * of the second and later layers have variance 64·E[h²] (up to 64) and tanh saturates (the
 * authors' code covers the shallow MLP only). Measured with {@code --init normal:1} (one
 * initialisation): λ1 > 0 already at η = 0.1 (0.33 per step) and test accuracy stays below 0.7 for
 * 150 steps at η = 0.1, 1, 3 and 5 (while up to η = 3 the training set is memorised), so there is no regular
 * regime and no onset to see. Its learning-rate grid brackets the onset of chaos found by
 * exploration with Xavier weights (λ1 turns positive between η ≈ 0.3 and η ≈ 0.7; README,
 * "Beyond the MLP").
 *
 * <p>{@code cnn-mnist} is {@value #CNN_ARCH} on the 28×28×1 digits: 28 → 24 (5×5 valid) → 12 (pool)
 * → 8 → 4, so the dense layer reads 4·4·8 = 128 values; 4·25+4 + 8·100+8 + 10·128+10 = 2,202
 * parameters. Xavier weights (fan-in and fan-out of a convolution count k·k·channels). A CNN step
 * costs about 2.7× a 784-64-10 step per sample (≈ 5.6e5 flops against 2.05e5,
 * {@code ModelSpec.flopsPerSample}), so the preset is smaller than {@code quick}: 300 training and
 * 500 test digits, 100 steps, 4 initialisations × 2 replicas. Its grid brackets the onset found by a first exploration ({@code --train-size 200 --lr
 * log:0.1:10:8 --inits 1 --replicas 2 --steps 100}: λ1 ≤ 0.008 up to η = 1.4, 0.16 at η = 2.7, 5.1 at
 * η = 10; test accuracy 0.7 after 45 steps at η = 0.1, 10 at η = 0.7 and 1.4, never at η ≥ 2.7).
 */
enum Preset {
    QUICK("quick", "a first look: about two minutes on 2 CPU cores with the Java backend",
            "mnist-10k", 1000, 1000, new int[] {784, 64, 10}, Activation.TANH, InitSpec.normal(1),
            "0.01,0.1,0.5,1,2,3,5,7.5,10,20", 4, 4, 150, 5, 0.7),
    PAPER_MNIST("paper-mnist", "the authors' exact protocol (docs/science.md#paper-protocol)",
            "mnist-10k", 0, 0, new int[] {784, 64, 10}, Activation.TANH, InitSpec.normal(1),
            "0.0005,0.001,0.005,0.01,0.05,0.1,0.5,1,2.5,5,7.5,10,12.5,15,17.5,20", 50, 5, 201, 1, 0.8),
    DEEP_MLP("deep-mlp", "the quick look for a deep MLP (three tanh hidden layers, Xavier weights): two to "
            + "three minutes on 2 CPU cores with the Java backend",
            "mnist-10k", 1000, 1000, new int[] {784, 64, 64, 64, 10}, Activation.TANH, InitSpec.parse("xavier"),
            "0.01,0.1,0.2,0.3,0.4,0.5,0.7,1,2", 4, 4, 150, 5, 0.7),
    CNN_MNIST("cnn-mnist", "the quick look for a small convolutional network (two 5×5 tanh convolutions with "
            + "average pooling, Xavier weights): about five minutes on 2 busy CPU cores with the Java backend",
            "mnist-10k", 300, 500, Preset.CNN_ARCH, InitSpec.parse("xavier"), "0.1,0.2,0.4,0.7,1,1.4,2,2.7,4,6", 4, 2,
            100, 5, 0.7);

    /** The network of {@code cnn-mnist} ({@code --arch}). */
    static final String CNN_ARCH = "conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10";

    /** The name on the command line ({@code --preset NAME}). */
    final String label;
    /** What the preset is for, in one line. */
    final String purpose;
    final String data;
    final int trainSize;
    /** Layer widths, input to output ({@code --layers}); null when the preset gives an {@link #arch}. */
    private final int[] layers;
    /** Hidden activation of {@link #layers}; null with an {@link #arch}. */
    final Activation activation;
    /** The network as {@code --arch} text (its input shape is the data's); null when the preset gives {@link #layers}. */
    final String arch;
    final InitSpec init;
    final int testSize;
    final String lr;
    final int inits;
    final int replicas;
    final int steps;
    final int evalEvery;
    final double threshold;

    /** A preset of an MLP: {@code --layers} and {@code --activation}. */
    Preset(String label, String purpose, String data, int trainSize, int testSize, int[] layers, Activation activation,
           InitSpec init, String lr, int inits, int replicas, int steps, int evalEvery, double threshold) {
        this(label, purpose, data, trainSize, testSize, layers.clone(), activation, null, init, lr, inits, replicas, steps,
                evalEvery, threshold);
    }

    /** A preset of any network: {@code --arch}. */
    Preset(String label, String purpose, String data, int trainSize, int testSize, String arch, InitSpec init, String lr,
           int inits, int replicas, int steps, int evalEvery, double threshold) {
        this(label, purpose, data, trainSize, testSize, null, null, arch, init, lr, inits, replicas, steps, evalEvery,
                threshold);
    }

    Preset(String label, String purpose, String data, int trainSize, int testSize, int[] layers, Activation activation,
           String arch, InitSpec init, String lr, int inits, int replicas, int steps, int evalEvery, double threshold) {
        this.label = label;
        this.purpose = purpose;
        this.threshold = threshold;
        this.data = data;
        this.trainSize = trainSize;
        this.testSize = testSize;
        this.layers = layers;
        this.activation = activation;
        this.arch = arch;
        this.init = init;
        this.lr = lr;
        this.inits = inits;
        this.replicas = replicas;
        this.steps = steps;
        this.evalEvery = evalEvery;
    }

    /** The layer widths, input to output (a copy); null when the preset gives an {@link #arch}. */
    int[] layers() {
        return layers == null ? null : layers.clone();
    }

    static Preset parse(String s) {
        String name = s.trim().toLowerCase(Locale.ROOT);
        if (name.equals("paper")) return PAPER_MNIST;
        for (Preset p : values()) {
            if (p.label.equals(name)) return p;
        }
        throw new InputException("unknown preset '" + s + "' (use " + labels(" or ") + ")");
    }

    /** The presets' names, joined by {@code sep}. */
    static String labels(String sep) {
        return Arrays.stream(values()).map(p -> p.label).collect(Collectors.joining(sep));
    }

    /**
     * What this preset sets, by flag, in the order of {@code sweep --help} (0 samples = all of the
     * data); every other option keeps its default.
     */
    Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Flags.DATA, data);
        m.put(Flags.TRAIN_SIZE, trainSize == 0 ? "0 (all)" : Integer.toString(trainSize));
        m.put(Flags.TEST_SIZE, testSize == 0 ? "0 (all)" : Integer.toString(testSize));
        if (arch != null) {
            m.put(Flags.ARCH, arch);
        } else {
            m.put(Flags.LAYERS, Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            m.put(Flags.ACTIVATION, activation.label());
        }
        m.put(Flags.INIT, init.toString());
        m.put(Flags.LR, lr);
        m.put(Flags.INITS, Integer.toString(inits));
        m.put(Flags.REPLICAS, Integer.toString(replicas));
        m.put(Flags.STEPS, Integer.toString(steps));
        m.put(Flags.ACCURACY_THRESHOLD, Double.toString(threshold));
        m.put(Flags.EVAL_EVERY, Integer.toString(evalEvery));
        return m;
    }
}
