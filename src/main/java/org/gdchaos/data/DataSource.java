package org.gdchaos.data;


/**
 * A loadable dataset, as named by a {@link DataSpec} string. Loading does the I/O (or the
 * generation); the source itself is cheap to create.
 */
public interface DataSource {

    /** The canonical spec string of this source, e.g. {@code mnist-10k} or {@code idx:/data}. */
    String spec();

    /**
     * The shape of one sample, known before loading (so a network can be built for the data):
     * h × w × 1 for images (28×28×1 for MNIST-like data), flat 1×1×F for feature vectors. The
     * split {@link #load} returns has this shape (an image folder whose files say otherwise is
     * loaded with the files' shape, and the sweep names the mismatch).
     */
    Shape sampleShape();

    /**
     * Loads a train/test split.
     *
     * @param trainSize training samples wanted; 0 or negative = all available (see the source
     *                  for what "all" means when train and test share one pool of samples)
     * @param testSize  test samples wanted; 0 or negative = all available
     * @throws DataException when the data cannot be read or more samples are requested than exist
     */
    DataSplit load(int trainSize, int testSize);

    /**
     * Training-set size a sweep uses when the user gives none (0 = all available). Sources of
     * many images (MNIST-like) default to a small subset so a sweep stays quick; synthetic
     * sources ({@code scalar:}, {@code teacher:}) to all their samples.
     */
    default int defaultTrainSize() {
        return 0;
    }

    /** Test-set size a sweep uses when the user gives none (0 = all available); as {@link #defaultTrainSize}. */
    default int defaultTestSize() {
        return 0;
    }

    /**
     * Whether the features are image bytes that {@link #load} scales by 1/255 (IDX, CIFAR-10, uint8 NumPy arrays):
     * {@code --normalize none} undoes the scaling, {@code auto} keeps it ({@link Normalization}).
     */
    default boolean bytePixels() {
        return false;
    }

    /** {@code load(0, 0)}: everything available. */
    default DataSplit load() {
        return load(0, 0);
    }
}
