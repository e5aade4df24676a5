package org.gdchaos.api;

import java.util.Objects;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.data.DataSource;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.Normalization;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.SweepSpec;

/**
 * A sweep built in code: a grid of learning rates × initialisations, each cell trained by full-batch
 * (or minibatch) gradient descent for a number of steps while a Lyapunov method measures how fast
 * nearby trajectories separate. Immutable and validated when built; run it with {@link #on(Backend)}.
 *
 * <p>Every setting has the default of the {@code gdchaos sweep} command line, so a sweep built here
 * and the same options given to the CLI produce identical rows:
 * <pre>{@code
 * Sweep sweep = Sweep.builder()
 *         .data("teacher:in=4,hidden=8,out=2,n=64,seed=3")
 *         .model(new ModelSpec(new int[] {4, 16, 2}, Activation.TANH, true, Loss.MSE))
 *         .learningRates(0.1, 1, 3)
 *         .inits(2)
 *         .method(Method.BENETTIN)
 *         .steps(200)
 *         .build();
 * try (Backend backend = Gdchaos.openBackend("auto", sweep.dtype())) {
 *     SweepResults results = sweep.on(backend).progress((done, total) -> { }).run();
 *     for (LearningRateSummary s : results.summary()) System.out.println(s.lr() + " " + s.lambda1Mean());
 * }
 * }</pre>
 *
 * <p>A convolutional network is a {@link ModelSpec} read from its {@code --arch} text
 * ({@link Builder#model}): {@code ModelSpec.parse("conv:8@5x5,tanh,avgpool:2,dense:10", new Shape(28, 28, 1),
 * true, Loss.CROSS_ENTROPY)} on {@code data("mnist-10k")}.
 *
 * <p>Invalid settings throw {@link IllegalArgumentException} from {@link Builder#build()} with one
 * line naming the quantity (e.g. an empty learning-rate grid, {@code steps < 1}).
 */
public final class Sweep {
    private final SweepSpec spec;

    private Sweep(SweepSpec spec) {
        this.spec = spec;
    }

    /** A builder with the command line's defaults (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** Prepares a run of this sweep on {@code backend} (which the caller keeps and closes). */
    public SweepRun on(Backend backend) {
        return new SweepRun(this, Objects.requireNonNull(backend, "backend"));
    }

    /** The number type the sweep computes in; open the backend for it. */
    public DType dtype() {
        return spec.training().dtype();
    }

    /** The learning-rate grid, in the order given. */
    public double[] learningRates() {
        return spec.training().learningRates();
    }

    /** Initialisations per learning rate. */
    public int inits() {
        return spec.training().inits();
    }

    /** Cells in the grid: learning rates × weight decays × momenta × initialisations. */
    public int cells() {
        return spec.training().learningRateCount() * spec.training().weightDecayCount()
                * spec.training().momentumCount() * spec.training().inits();
    }

    /** Gradient-descent steps per trajectory. */
    public int steps() {
        return spec.training().steps();
    }

    /** The Lyapunov method. */
    public Method method() {
        return spec.lyapunov().method();
    }

    /** The internal specification this sweep runs (not part of the stable API). */
    SweepSpec spec() {
        return spec;
    }

    /**
     * Settings of a {@link Sweep}, each with the command line's default: both start from the one
     * builder that holds every default ({@code sweep.SweepSpec.userBuilder}), so a default is stated
     * once. Setters return this builder; {@link #build()} validates and freezes them.
     *
     * <table>
     *   <caption>Defaults</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@link #data}</td><td>{@value SweepSpec.Builder#DEFAULT_DATA}; train/test sizes: what the source
     *       suggests (1000/1000 for MNIST-like images, all for {@code scalar:} and {@code teacher:})</td></tr>
     *   <tr><td>{@link #model}</td><td>784-64-10 tanh MLP with biases, cross-entropy</td></tr>
     *   <tr><td>{@link #init}</td><td>{@code normal:1}</td></tr>
     *   <tr><td>{@link #learningRates}</td><td>{@value SweepSpec.Builder#DEFAULT_LEARNING_RATES}</td></tr>
     *   <tr><td>{@link #inits}, {@link #seed}</td><td>{@value SweepSpec.Builder#DEFAULT_INITS}, 1</td></tr>
     *   <tr><td>{@link #method}</td><td>paper; each setting not given at the method's default: replicas 5
     *       (benettin: 1); ε = 1e-8 (others 1e-7); L1 norm (others L2); 2 exponents for spectrum and tangent;
     *       renormalise every step; no transient</td></tr>
     *   <tr><td>{@link #steps}, {@link #batchSize}</td><td>{@value SweepSpec.Builder#DEFAULT_STEPS}, full batch
     *       (0)</td></tr>
     *   <tr><td>{@link #accuracyThreshold}, {@link #evalEvery}</td><td>
     *       {@value SweepSpec.Builder#DEFAULT_ACCURACY_THRESHOLD}, 1</td></tr>
     *   <tr><td>{@link #dtype}</td><td>f64</td></tr>
     * </table>
     */
    public static final class Builder {
        /** Holds every setting, the defaults included. */
        private final SweepSpec.Builder spec = SweepSpec.userBuilder();

        private Builder() {
        }

        /**
         * The data source, in the CLI's {@code --data} syntax: {@code mnist-10k}, {@code idx:DIR},
         * {@code fashion-mnist}, {@code scalar:x=X,y=Y},
         * {@code teacher:in=D,hidden=H,out=C,n=N,seed=S[,test=M][,noise=σ][,act=tanh]},
         * {@code npy:X.npy,y.npy}, {@code npz:FILE[:x=KEY,y=KEY]}, {@code csv:FILE[:label=COL|target=COL,COL…]} or
         * {@code cifar10:DIR} ({@link DataSpec}).
         */
        public Builder data(String source) {
            spec.data(Objects.requireNonNull(source, "data"));
            return this;
        }

        /**
         * The test set from another source, in the {@code --data} syntax (its first {@link #testSize} samples, or
         * its test files); {@code "split"} (the default): a part of the training source, disjoint from the
         * training set.
         */
        public Builder testData(String source) {
            spec.testData(Objects.requireNonNull(source, "testData"));
            return this;
        }

        /** How features are scaled ({@code --normalize}; default {@link Normalization#AUTO}). */
        public Builder normalize(Normalization n) {
            spec.normalize(Objects.requireNonNull(n, "normalize"));
            return this;
        }

        /** Training samples (0 = all); default: what the data source suggests. */
        public Builder trainSize(int n) {
            spec.trainSize(n);
            return this;
        }

        /** Test samples (0 = all); default: what the data source suggests. */
        public Builder testSize(int n) {
            spec.testSize(n);
            return this;
        }

        /**
         * The network: an MLP ({@code new ModelSpec(widths, activation, bias, loss)}), whose first and last
         * widths must match the data's features and outputs, or any network of conv, pool and dense layers
         * from its {@code --arch} text, whose input shape must be the data's sample shape (28×28×1 for
         * MNIST-like images; {@link DataSource#sampleShape}) unless it is flat, e.g.
         * <pre>{@code
         * ModelSpec cnn = ModelSpec.parse("conv:8@5x5,tanh,avgpool:2,dense:10", new Shape(28, 28, 1), true,
         *         Loss.CROSS_ENTROPY);  // 28x28x1 -> 24x24x8 -> 12x12x8 -> 10
         * Sweep sweep = Sweep.builder().data("mnist-10k").model(cnn).init(InitSpec.parse("xavier"))
         *         .learningRates(0.1, 1).build();
         * }</pre>
         * A layer that does not fit its input is refused when the spec is made, naming the layer
         * ({@code layer 1 (conv:8@29x29) does not fit its 28x28x1 input: …}).
         */
        public Builder model(ModelSpec model) {
            spec.model(Objects.requireNonNull(model, "model"));
            return this;
        }

        /** The initialisation scheme, e.g. {@code InitSpec.normal(0.5)}. */
        public Builder init(InitSpec init) {
            spec.init(Objects.requireNonNull(init, "init"));
            return this;
        }

        /** The learning-rate grid (η values, each a row of cells). */
        public Builder learningRates(double... etas) {
            spec.learningRates(Objects.requireNonNull(etas, "learningRates"));
            return this;
        }

        /**
         * The weight-decay grid λ of the L2 penalty (λ/2)·‖w‖² on the weights (default {0}: none);
         * each λ multiplies the cells like a learning rate (docs/science.md#weight-decay).
         */
        public Builder weightDecays(double... lambdas) {
            spec.weightDecays(Objects.requireNonNull(lambdas, "weightDecays"));
            return this;
        }

        /**
         * The momentum grid ({@code --momentum}): β of heavy ball and Nesterov, β1 of Adam, each value in
         * [0, 1) multiplies the cells like a weight decay; with GD (the default optimizer) the optimizer
         * becomes heavy ball. Not set (the default): the optimizer's own β.
         */
        public Builder momenta(double... betas) {
            spec.momenta(Objects.requireNonNull(betas, "momenta"));
            return this;
        }

        /** Whether the weight-decay penalty covers the biases too (default: weights only). */
        public Builder decayBiases(boolean on) {
            spec.decayBiases(on);
            return this;
        }

        /**
         * The optimizer of every trajectory (default {@link Optimizer#GD}; see
         * {@link Optimizer#parse} for {@code "momentum:0.9"} and docs/science.md#optimizers).
         */
        public Builder optimizer(Optimizer opt) {
            spec.optimizer(Objects.requireNonNull(opt, "optimizer"));
            return this;
        }

        /** Initialisations per learning rate (the same initial weights are shared across learning rates). */
        public Builder inits(int n) {
            spec.inits(n);
            return this;
        }

        /** The sweep seed (initial weights, perturbations, minibatch order). */
        public Builder seed(long seed) {
            spec.seed(seed);
            return this;
        }

        /** The Lyapunov method; the method-dependent defaults follow it unless set explicitly. */
        public Builder method(Method method) {
            spec.method(Objects.requireNonNull(method, "method"));
            return this;
        }

        /** Replicas per cell (paper, benettin). */
        public Builder replicas(int m) {
            spec.replicas(m);
            return this;
        }

        /** Exponents K (spectrum, tangent). */
        public Builder exponents(int k) {
            spec.exponents(k);
            return this;
        }

        /** Perturbation size: paper, half-width of U(−ε, ε) per weight; benettin/spectrum, the separation δ0. */
        public Builder epsilon(double epsilon) {
            spec.epsilon(epsilon);
            return this;
        }

        /** Steps τ between renormalisations (benettin, spectrum, tangent). */
        public Builder renormEvery(int tau) {
            spec.renormEvery(tau);
            return this;
        }

        /** Steps discarded before the exponents accumulate (benettin, spectrum, tangent). */
        public Builder transientSteps(int steps) {
            spec.transientSteps(steps);
            return this;
        }

        /** Distance for paper and benettin. */
        public Builder norm(Norm norm) {
            spec.norm(Objects.requireNonNull(norm, "norm"));
            return this;
        }

        /** Whether biases are perturbed too (the paper perturbs weights only). */
        public Builder perturbBiases(boolean on) {
            spec.perturbBiases(on);
            return this;
        }

        /** The fit rule of the paper method. */
        public Builder fit(GrowthFit.Method fit) {
            spec.fit(Objects.requireNonNull(fit, "fit"));
            return this;
        }

        /** Gradient-descent steps per trajectory. */
        public Builder steps(int steps) {
            spec.steps(steps);
            return this;
        }

        /** 0 = full-batch gradient descent, else the SGD minibatch size (not with the tangent method). */
        public Builder batchSize(int rows) {
            spec.batchSize(rows);
            return this;
        }

        /** Test accuracy that counts as "trained" ({@link SweepRow#stepsToThreshold()}), in [0, 1]. */
        public Builder accuracyThreshold(double accuracy) {
            spec.accuracyThreshold(accuracy);
            return this;
        }

        /** Test accuracy evaluated every K steps (0 = only at the end). */
        public Builder evalEvery(int k) {
            spec.evalEvery(k);
            return this;
        }

        /** The number type (f32 or f64). */
        public Builder dtype(DType dtype) {
            spec.dtype(Objects.requireNonNull(dtype, "dtype"));
            return this;
        }

        /** Top Hessian eigenvalue at the end of training (column {@code sharpness}). */
        public Builder sharpness(boolean on) {
            spec.sharpness(on);
            return this;
        }

        /** Sharpness also every K steps (0 = never). */
        public Builder sharpnessEvery(int k) {
            spec.sharpnessEvery(k);
            return this;
        }

        /** Hessian eigenvalues reported at the end (needs sharpness or sharpnessEvery above 1). */
        public Builder sharpnessK(int k) {
            spec.sharpnessK(k);
            return this;
        }

        /** The gradient-flow solution from the same start (linear networks). */
        public Builder gradientFlow(boolean on) {
            spec.flow(on);
            return this;
        }

        /** Imbalance measures (linear networks). */
        public Builder balance(boolean on) {
            spec.balance(on);
            return this;
        }

        /**
         * Validates the settings and freezes them.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public Sweep build() {
            return new Sweep(toSpec());
        }

        /** The internal {@link SweepSpec} of the settings (resolved and validated by its builder). */
        SweepSpec toSpec() {
            return spec.build();
        }
    }
}
