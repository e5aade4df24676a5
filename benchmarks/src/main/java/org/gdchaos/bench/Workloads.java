package org.gdchaos.bench;

import java.util.Arrays;
import java.util.Locale;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.DataSplit;
import org.gdchaos.data.Dataset;
import org.gdchaos.nn.CellSeeds;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.data.Shape;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;

/**
 * Shared set-up for the benchmarks, all through the public gdchaos API: the real data (the
 * embedded 10,000-digit MNIST subset), the paper's model and initialisation, learning-rate grids.
 * Nothing here is timed.
 */
public final class Workloads {
    /** Samples in the embedded {@code mnist-10k} pool. */
    public static final int MNIST_POOL = 10_000;
    /** Seed of every benchmark ensemble (the initial weights are those a sweep with this seed draws). */
    public static final long SEED = 42;

    private Workloads() {
    }

    /** Creates a backend by name ({@code java}, {@code opencl}, {@code cuda}); fails with the probe's reason. */
    public static Backend backend(String name) {
        return Backends.create(name);
    }

    /**
     * The first {@code n} samples (n ≤ 10,000) of the embedded MNIST subset in file order, pixels
     * in [0, 1], one-hot targets. The pool is loaded as train + test (disjoint, in order) and
     * concatenated, so every n up to the whole pool works; the peers read the same IDX files.
     */
    public static Dataset mnist(int n) {
        if (n < 1 || n > MNIST_POOL) throw new IllegalArgumentException("n must be in 1.." + MNIST_POOL + ", got " + n);
        DataSplit split = DataSpec.parse("mnist-10k").load(MNIST_POOL / 2, MNIST_POOL / 2);
        Dataset a = split.train(), b = split.test();
        int f = a.features(), o = a.outputs();
        double[] x = Arrays.copyOf(a.x(), n * f);
        double[] y = Arrays.copyOf(a.y(), n * o);
        int[] labels = Arrays.copyOf(a.labels(), n);
        int fromA = Math.min(n, a.n());
        if (n > fromA) {
            System.arraycopy(b.x(), 0, x, fromA * f, (n - fromA) * f);
            System.arraycopy(b.y(), 0, y, fromA * o, (n - fromA) * o);
            System.arraycopy(b.labels(), 0, labels, fromA, n - fromA);
        }
        return new Dataset("mnist-10k/first-" + n, x, y, labels, n, f, o);
    }

    /** Uploads a data set to a backend in the given type. */
    public static DeviceData upload(Backend backend, DType dtype, Dataset d) {
        return DeviceData.upload(backend, dtype, d.x(), d.y(), d.n(), d.features(), d.outputs());
    }

    /** The paper's model, 784-64-10 tanh with cross-entropy. */
    public static ModelSpec paperModel() {
        return ModelSpec.paperMnist();
    }

    /** The {@code --arch} text of the small CNN of the CNN peer comparison (peers/workload.py: CNN_ARCH). */
    public static final String CNN_ARCH = "conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10";

    /**
     * The small CNN of the CNN benchmarks on 28×28×1 MNIST: conv 4@5×5 (valid) + bias, tanh,
     * avgpool 2×2, conv 8@5×5 + bias, tanh, avgpool 2×2, dense 128 → 10 + bias, cross-entropy
     * ({@link #CNN_ARCH}; ≈ 5.62e5 FLOP per sample and step by {@link ModelSpec#flopsPerSample()}).
     */
    public static ModelSpec cnnModel() {
        return ModelSpec.parse(CNN_ARCH, new Shape(28, 28, 1), true, Loss.CROSS_ENTROPY);
    }

    /** A benchmark model by name: {@code mlp} (the paper's 784-64-10) or {@code cnn} ({@link #cnnModel()}). */
    public static ModelSpec model(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mlp" -> paperModel();
            case "cnn" -> cnnModel();
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (use mlp or cnn)");
        };
    }

    /**
     * The initialisation the benchmarks use for {@code model}: the paper's N(0, 1) for the MLP,
     * Xavier normal for other networks (N(0, 1) would saturate every tanh of the CNN; the CNN peer
     * draws Xavier too).
     */
    public static InitSpec init(ModelSpec model) {
        return model.isMlp() ? InitSpec.normal(1.0) : InitSpec.parse("xavier");
    }

    /**
     * An ensemble of {@code trajectories} paper networks, trajectory t initialised with N(0, 1)
     * weights from initialisation stream {@code t % inits} (so trajectories sharing an init start
     * identical, as replicas before perturbation), learning rates from {@code rates} (cycled).
     */
    public static Ensemble paperEnsemble(Backend backend, DType dtype, int trajectories, int inits, double[] rates) {
        return ensemble(backend, dtype, paperModel(), trajectories, inits, rates);
    }

    /**
     * An ensemble of {@code trajectories} networks {@code model}, trajectory t initialised by
     * {@link #init(ModelSpec)} from initialisation stream {@code t % inits}, learning rates from
     * {@code rates} (cycled); as {@link #paperEnsemble} for any model.
     */
    public static Ensemble ensemble(Backend backend, DType dtype, ModelSpec model, int trajectories, int inits,
                                    double[] rates) {
        Ensemble e = new Ensemble(backend, dtype, model, trajectories);
        InitSpec init = init(model);
        double[][] drawn = new double[inits][];
        for (int i = 0; i < inits; i++) {
            drawn[i] = init.draw(e.layout(), CellSeeds.stream(SEED, CellSeeds.INIT, i, 0));
        }
        double[] lr = new double[trajectories];
        for (int t = 0; t < trajectories; t++) {
            e.setParameters(t, drawn[t % inits]);
            lr[t] = rates[t % rates.length];
        }
        e.setLearningRates(lr);
        return e;
    }

    /**
     * {@code count} learning rates spaced log-uniformly over the paper's range [0.0005, 20]
     * (one rate: 0.1). The peers use the same formula.
     */
    public static double[] learningRates(int count) {
        if (count < 1) throw new IllegalArgumentException("need at least one learning rate");
        if (count == 1) return new double[] {0.1};
        double lo = Math.log(0.0005), hi = Math.log(20);
        double[] r = new double[count];
        for (int i = 0; i < count; i++) r[i] = Math.exp(lo + (hi - lo) * i / (count - 1));
        return r;
    }

    /** Parses a dtype label ({@code f32}, {@code f64}). */
    public static DType dtype(String label) {
        return DType.parse(label.toLowerCase(Locale.ROOT));
    }
}
