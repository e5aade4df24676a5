package org.gdchaos.data;

import java.util.Arrays;

/**
 * An in-memory dataset of {@code n} samples, row-major and float64.
 * <ul>
 *   <li>{@code x}: n × features, sample i occupies {@code x[i·features .. (i+1)·features)}.</li>
 *   <li>{@code y}: n × outputs, the training target: one-hot rows for classification
 *       ({@code y[i·outputs + labels[i]] = 1}, all else 0), real targets for regression.</li>
 *   <li>{@code labels}: class index per sample in {@code [0, outputs)}, or {@code null}
 *       for a regression task.</li>
 *   <li>{@code shape}: the shape of one sample ({@link Shape}, h × w × c, channels last), of
 *       size {@code features}: 28×28×1 for MNIST-like images (the IDX header's rows × cols, one
 *       channel), flat 1×1×features for vectors ({@code scalar:}, {@code teacher:}). Row-major
 *       pixels are NHWC with one channel, so the values of x do not depend on the shape.</li>
 * </ul>
 * The constructor validates every size and, for classification, that {@code y} is exactly
 * the one-hot encoding of {@code labels}. Arrays are shared, not copied: treat them as
 * read-only. {@code equals} compares array contents.
 */
public record Dataset(String name, double[] x, double[] y, int[] labels,
                      int n, int features, int outputs, Shape shape) {

    /** A dataset of flat samples (shape 1×1×features). */
    public Dataset(String name, double[] x, double[] y, int[] labels, int n, int features, int outputs) {
        this(name, x, y, labels, n, features, outputs, features > 0 ? Shape.flat(features) : null);
    }

    public Dataset {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dataset name must not be blank");
        }
        if (n <= 0 || features <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("dataset '" + name + "': n, features and outputs"
                    + " must be positive, got n=" + n + ", features=" + features
                    + ", outputs=" + outputs);
        }
        if (shape == null || shape.size() != features) {
            throw new IllegalArgumentException("dataset '" + name + "': the sample shape " + shape
                    + " does not hold " + features + " features");
        }
        if (x == null || (long) x.length != (long) n * features) {
            throw new IllegalArgumentException("dataset '" + name + "': x must have n·features = "
                    + (long) n * features + " elements, got " + (x == null ? "null" : x.length));
        }
        if (y == null || (long) y.length != (long) n * outputs) {
            throw new IllegalArgumentException("dataset '" + name + "': y must have n·outputs = "
                    + (long) n * outputs + " elements, got " + (y == null ? "null" : y.length));
        }
        if (labels != null) {
            if (labels.length != n) {
                throw new IllegalArgumentException("dataset '" + name + "': labels must have n = "
                        + n + " elements, got " + labels.length);
            }
            for (int i = 0; i < n; i++) {
                int c = labels[i];
                if (c < 0 || c >= outputs) {
                    throw new IllegalArgumentException("dataset '" + name + "': label " + c
                            + " of sample " + i + " outside [0, " + outputs + ")");
                }
                for (int k = 0; k < outputs; k++) {
                    double expect = k == c ? 1.0 : 0.0;
                    if (y[i * outputs + k] != expect) {
                        throw new IllegalArgumentException("dataset '" + name + "': y row " + i
                                + " is not the one-hot encoding of label " + c);
                    }
                }
            }
        }
    }

    /**
     * A classification dataset: {@code y} is built as the one-hot encoding of {@code labels}
     * over {@code classes} outputs.
     */
    public static Dataset classification(String name, double[] x, int[] labels,
                                         int features, int classes) {
        if (labels == null) {
            throw new IllegalArgumentException("classification dataset needs labels");
        }
        int n = labels.length;
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        double[] y = new double[Math.multiplyExact(n, classes)];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("dataset '" + name + "': label " + c
                        + " of sample " + i + " outside [0, " + classes + ")");
            }
            y[i * classes + c] = 1.0;
        }
        return new Dataset(name, x, y, labels, n, features, classes);
    }

    /** A regression dataset (no labels). */
    public static Dataset regression(String name, double[] x, double[] y, int n,
                                     int features, int outputs) {
        return new Dataset(name, x, y, null, n, features, outputs);
    }

    /** True when this dataset carries class labels (one-hot targets). */
    public boolean isClassification() {
        return labels != null;
    }

    /**
     * Samples {@code [from, from + count)} as a new dataset (arrays copied).
     * @throws IllegalArgumentException when the range is not inside {@code [0, n)} or empty
     */
    public Dataset subset(int from, int count) {
        return subset(from, count, name);
    }

    /** As {@link #subset(int, int)}, with a new name. */
    public Dataset subset(int from, int count, String newName) {
        if (from < 0 || count <= 0 || (long) from + count > n) {
            throw new IllegalArgumentException("dataset '" + name + "': subset [" + from + ", "
                    + ((long) from + count) + ") is not a non-empty range inside [0, " + n + ")");
        }
        double[] xs = Arrays.copyOfRange(x, from * features, (from + count) * features);
        double[] ys = Arrays.copyOfRange(y, from * outputs, (from + count) * outputs);
        int[] ls = labels == null ? null : Arrays.copyOfRange(labels, from, from + count);
        return new Dataset(newName, xs, ys, ls, count, features, outputs, shape);
    }

    /** The first {@code count} samples (this dataset itself when {@code count == n}). */
    public Dataset head(int count) {
        return count == n ? this : subset(0, count);
    }

    /** The same samples treated as regression: targets {@code y} kept, labels dropped. */
    public Dataset withoutLabels() {
        return new Dataset(name, x, y, null, n, features, outputs, shape);
    }

    /** The same data under another name. */
    public Dataset withName(String newName) {
        return new Dataset(newName, x, y, labels, n, features, outputs, shape);
    }

    /**
     * The same values seen as samples of another shape of the same size (e.g. 784 pixels as a
     * 28×28×1 image).
     *
     * @throws IllegalArgumentException when {@code s} does not hold {@code features} values
     */
    public Dataset withShape(Shape s) {
        return new Dataset(name, x, y, labels, n, features, outputs, s);
    }

    /** Number of samples per class (classification only). */
    public int[] classCounts() {
        if (labels == null) {
            throw new IllegalStateException("dataset '" + name + "' has no labels");
        }
        int[] counts = new int[outputs];
        for (int c : labels) {
            counts[c]++;
        }
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && n == d.n && features == d.features
                && outputs == d.outputs && shape.equals(d.shape) && name.equals(d.name) && Arrays.equals(x, d.x)
                && Arrays.equals(y, d.y) && Arrays.equals(labels, d.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(x)) + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ": n=" + n + ", features=" + features
                + (shape.isFlat() ? "" : " (" + shape + ")") + ", outputs=" + outputs + (labels == null ? ", regression]" : ", classification]");
    }
}
