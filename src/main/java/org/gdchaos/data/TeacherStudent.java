package org.gdchaos.data;

import org.gdchaos.backend.Activation;

/**
 * {@code teacher:in=D,hidden=H,out=C,n=N,seed=S[,test=M][,noise=σ][,act=tanh]}: a synthetic
 * teacher–student regression task. A random teacher network
 * <pre>
 *   y = W₂ · f(W₁ x) + σ ξ        (H &gt; 0)
 *   y = W x + σ ξ                 (H = 0: a linear teacher)
 * </pre>
 * with no biases, weights {@code W₁[h][d] ~ N(0, 1/D)}, {@code W₂[c][h] ~ N(0, 1/H)}
 * ({@code W[c][d] ~ N(0, 1/D)}), inputs {@code x ~ N(0, I_D)} and noise {@code ξ ~ N(0, I_C)}
 * labels N training and M (default N) test samples, both drawn from the same teacher.
 * Everything is a deterministic function of the seed ({@link SplitMix} streams: 1 = weights,
 * 2/3 = train/test inputs, 4/5 = train/test noise), and a smaller {@code n} gives a prefix
 * of a larger one. Subsets from {@link #load(int, int)} are prefixes.
 */
public record TeacherStudent(int in, int hidden, int out, int n, int testN, long seed,
                             double noise, Activation activation) implements DataSource {

    /** Upper bound on generated values n·(in + out), to keep mistakes from eating the heap. */
    static final long MAX_ELEMENTS = 1L << 28;

    public TeacherStudent {
        if (in <= 0 || out <= 0 || n <= 0 || testN <= 0 || hidden < 0) {
            throw new IllegalArgumentException("teacher: in, out, n and test must be positive"
                    + " and hidden ≥ 0, got in=" + in + ", hidden=" + hidden + ", out=" + out
                    + ", n=" + n + ", test=" + testN);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("teacher: noise must be finite and ≥ 0, got "
                    + noise);
        }
        if (activation == null) {
            throw new IllegalArgumentException("teacher: activation must not be null");
        }
        if ((long) Math.max(n, testN) * (in + out) > MAX_ELEMENTS) {
            throw new IllegalArgumentException("teacher: n·(in+out) exceeds " + MAX_ELEMENTS);
        }
    }

    @Override
    public String spec() {
        return "teacher:in=" + in + ",hidden=" + hidden + ",out=" + out + ",n=" + n
                + ",seed=" + seed + ",test=" + testN + ",noise=" + noise + ",act="
                + activation.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The teacher's weights: {@code w1} is H × D row-major (empty when H = 0), {@code w2} is
     * C × H row-major (C × D when H = 0).
     */
    public record Teacher(int in, int hidden, int out, double[] w1, double[] w2,
                          Activation activation) {

        /** Noise-free teacher output for one input {@code x} (length D), into a new array. */
        public double[] predict(double[] x, int offset) {
            double[] h;
            int width;
            if (hidden == 0) {
                h = new double[in];
                System.arraycopy(x, offset, h, 0, in);
                width = in;
            } else {
                h = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    double s = 0;
                    for (int d = 0; d < in; d++) {
                        s += w1[j * in + d] * x[offset + d];
                    }
                    h[j] = activation.apply(s);
                }
                width = hidden;
            }
            double[] y = new double[out];
            for (int c = 0; c < out; c++) {
                double s = 0;
                for (int j = 0; j < width; j++) {
                    s += w2[c * width + j] * h[j];
                }
                y[c] = s;
            }
            return y;
        }
    }

    /** The teacher drawn from the seed (stream 1). */
    public Teacher teacher() {
        SplitMix rng = new SplitMix(seed, 1);
        double[] w1 = new double[hidden * in];
        double s1 = 1.0 / Math.sqrt(in);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = s1 * rng.nextGaussian();
        }
        int width = hidden == 0 ? in : hidden;
        double[] w2 = new double[out * width];
        double s2 = 1.0 / Math.sqrt(width);
        for (int i = 0; i < w2.length; i++) {
            w2[i] = s2 * rng.nextGaussian();
        }
        return new Teacher(in, hidden, out, w1, w2, activation);
    }

    /** A vector of {@code in} features: flat, 1×1×in. */
    @Override
    public org.gdchaos.data.Shape sampleShape() {
        return org.gdchaos.data.Shape.flat(in);
    }

    @Override
    public DataSplit load(int trainSize, int testSize) {
        int tr = Sizes.resolve(trainSize, n, "training", spec());
        int te = Sizes.resolve(testSize, testN, "test", spec());
        Teacher t = teacher();
        return new DataSplit(generate(t, tr, 2, 4, "teacher/train"),
                generate(t, te, 3, 5, "teacher/test"));
    }

    private Dataset generate(Teacher t, int count, long xStream, long noiseStream, String name) {
        SplitMix rx = new SplitMix(seed, xStream);
        SplitMix rn = new SplitMix(seed, noiseStream);
        double[] x = new double[count * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = rx.nextGaussian();
        }
        double[] y = new double[count * out];
        for (int i = 0; i < count; i++) {
            double[] yi = t.predict(x, i * in);
            for (int c = 0; c < out; c++) {
                y[i * out + c] = yi[c] + noise * rn.nextGaussian();
            }
        }
        return Dataset.regression(name, x, y, count, in, out);
    }
}
