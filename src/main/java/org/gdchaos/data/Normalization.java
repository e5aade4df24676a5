package org.gdchaos.data;

import org.gdchaos.Setting;
import java.util.Locale;

/**
 * {@code --normalize}: how features are scaled before training. Statistics come from the training set only and are
 * applied to the training and the test set alike (so the test set sees the same map).
 * <ul>
 *   <li>{@code auto} (the default): as the source gives them: image bytes (IDX, CIFAR-10, uint8 NumPy arrays) as
 *       {@code byte/255} in [0, 1], every other source's values raw;</li>
 *   <li>{@code none}: the stored values, image bytes too (0…255);</li>
 *   <li>{@code unit}: per feature {@code (x − min)/(max − min)} into [0, 1] (a constant feature becomes 0);</li>
 *   <li>{@code standard}: per feature {@code (x − mean)/std} (population std; a constant feature becomes 0).</li>
 * </ul>
 * Targets of a regression task are not scaled.
 */
public enum Normalization {
    AUTO, NONE, UNIT, STANDARD;

    /** The word {@code --normalize} takes (and run.json records). */
    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code auto | none | unit | standard}. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Normalization parse(String s) {
        if (s == null || s.isBlank()) return AUTO;
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new org.gdchaos.InputException(Setting.NORMALIZE.key(), "unknown normalization '" + s
                    + "' (use auto, none, unit or standard)");
        }
    }

    /**
     * The per-feature map {@code x ↦ (x − shift)·scale} this normalization applies, from the training set (its
     * {@code method} says which), or null when it leaves the values as they are ({@code auto}; {@code none} on a
     * source without image bytes). {@code none} on image bytes is shift 0, scale 255 (undoing the sources' 1/255).
     */
    public record Statistics(Normalization method, double[] shift, double[] scale) {
    }

    /** The statistics of this normalization on {@code train} (null: nothing to do); see {@link Statistics}. */
    public Statistics statistics(Dataset train, boolean bytePixels) {
        if (this == AUTO || (this == NONE && !bytePixels)) return null;
        int f = train.features();
        double[] shift = new double[f];
        double[] scale = new double[f];
        if (this == NONE) {
            java.util.Arrays.fill(scale, 255.0);
            return new Statistics(this, shift, scale);
        }
        for (int j = 0; j < f; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = 0; i < train.n(); i++) {
                double v = train.x()[i * f + j];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                sum += v;
            }
            if (this == UNIT) {
                shift[j] = lo;
                scale[j] = hi > lo ? 1.0 / (hi - lo) : 0.0;
            } else {
                double mean = sum / train.n();
                double ss = 0;
                for (int i = 0; i < train.n(); i++) {
                    double d = train.x()[i * f + j] - mean;
                    ss += d * d;
                }
                double sd = Math.sqrt(ss / train.n());
                shift[j] = mean;
                scale[j] = sd > 0 ? 1.0 / sd : 0.0;
            }
        }
        return new Statistics(this, shift, scale);
    }

    /**
     * The split with this normalization applied ({@code bytePixels}: the source gave image bytes as byte/255).
     * {@code auto} returns the split itself.
     */
    public DataSplit apply(DataSplit split, boolean bytePixels) {
        return apply(split, statistics(split.train(), bytePixels));
    }

    /** The split mapped by {@code st} (itself when {@code st} is null). */
    public static DataSplit apply(DataSplit split, Statistics st) {
        if (st == null) return split;
        Dataset a = st.method().map(split.train(), st.shift(), st.scale());
        Dataset b = split.test() == split.train() ? a : st.method().map(split.test(), st.shift(), st.scale());
        return new DataSplit(a, b);
    }

    private Dataset map(Dataset d, double[] shift, double[] scale) {
        int f = d.features();
        double[] x = new double[d.x().length];
        for (int k = 0; k < x.length; k++) {
            double v = (d.x()[k] - shift[k % f]) * scale[k % f];
            x[k] = this == NONE ? Math.rint(v) : v;
        }
        return new Dataset(d.name(), x, d.y(), d.labels(), d.n(), f, d.outputs(), d.shape());
    }
}
