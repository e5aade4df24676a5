package org.gdchaos.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * The embedded {@code mnist-10k} dataset: 10,000 real MNIST digits (28 × 28, labels 0–9)
 * shipped inside the jar under {@code org/gdchaos/data/mnist-10k/} (see its README.md for
 * source, licence CC BY-SA 3.0 and checksums). The samples are in a fixed shuffled order, so
 * any prefix is roughly class-balanced.
 *
 * <p>Split: train = samples {@code [0, trainSize)}, test = samples
 * {@code [trainSize, trainSize + testSize)}; {@code trainSize + testSize ≤ 10,000}. A size
 * ≤ 0 takes all the rest; both ≤ 0 gives 8,000 / 2,000 (see {@link Sizes#splitPool}).
 * The CLI's quick preset uses {@link #QUICK_TRAIN_SIZE} / {@link #QUICK_TEST_SIZE}.
 */
public final class EmbeddedMnist implements ImageDataSource {

    /** The spec string. */
    public static final String SPEC = "mnist-10k";
    /** Samples in the embedded set. */
    public static final int SIZE = 10_000;
    /** Shape of one digit: 28 × 28 pixels, one channel (the IDX header's rows × cols). */
    public static final Shape SHAPE = new Shape(28, 28, 1);
    /** Suggested training-set size for quick runs. */
    public static final int QUICK_TRAIN_SIZE = 1000;
    /** Suggested test-set size for quick runs. */
    public static final int QUICK_TEST_SIZE = 1000;

    static final String RESOURCE_DIR = "/org/gdchaos/data/mnist-10k/";
    static final String IMAGES = "images-idx3-ubyte.gz";
    static final String LABELS = "labels-idx1-ubyte.gz";

    /** Parsed once per JVM (≈ 8 MB of bytes); the doubles are made per load. */
    private static volatile Pool pool;

    private record Pool(IdxImages images, int[] labels) {
    }

    @Override
    public String spec() {
        return SPEC;
    }

    @Override
    public Shape sampleShape() {
        return SHAPE;
    }

    @Override
    public DataSplit load(int trainSize, int testSize) {
        Pool p = pool();
        int[] sizes = Sizes.splitPool(p.images.count(), trainSize, testSize, SPEC);
        return new DataSplit(slice(p, 0, sizes[0], SPEC + "/train"),
                slice(p, sizes[0], sizes[1], SPEC + "/test"));
    }

    private static Dataset slice(Pool p, int from, int count, String name) {
        int[] lab = java.util.Arrays.copyOfRange(p.labels, from, from + count);
        return Dataset.classification(name, p.images.toDoubles(from, count), lab,
                p.images.features(), IdxFolder.MNIST_CLASSES).withShape(p.images.shape());
    }

    private static Pool pool() {
        Pool p = pool;
        if (p == null) {
            synchronized (EmbeddedMnist.class) {
                p = pool;
                if (p == null) {
                    IdxImages images;
                    int[] labels;
                    try (InputStream in = resource(IMAGES)) {
                        images = IdxReader.readImages(in, "jar:" + RESOURCE_DIR + IMAGES);
                    } catch (IOException e) {
                        throw new DataException("cannot read embedded " + IMAGES + ": " + e, e);
                    }
                    try (InputStream in = resource(LABELS)) {
                        labels = IdxReader.readLabels(in, "jar:" + RESOURCE_DIR + LABELS,
                                IdxFolder.MNIST_CLASSES);
                    } catch (IOException e) {
                        throw new DataException("cannot read embedded " + LABELS + ": " + e, e);
                    }
                    IdxReader.checkCounts(images, labels, "jar:" + RESOURCE_DIR + LABELS);
                    p = new Pool(images, labels);
                    pool = p;
                }
            }
        }
        return p;
    }

    private static InputStream resource(String file) {
        InputStream in = EmbeddedMnist.class.getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new DataException("embedded dataset missing from the class path: "
                    + RESOURCE_DIR + file + " (broken build? use idx:DIR data instead)");
        }
        return in;
    }

    @Override
    public String toString() {
        return SPEC;
    }
}
