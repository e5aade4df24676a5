package org.gdchaos.data;

/**
 * A data source of many images (MNIST-like): a sweep that names no sizes uses a subset of
 * {@value EmbeddedMnist#QUICK_TRAIN_SIZE} training and {@value EmbeddedMnist#QUICK_TEST_SIZE}
 * test images, so it stays quick; {@code --train-size 0} asks for all of them.
 */
interface ImageDataSource extends DataSource {
    @Override
    default int defaultTrainSize() {
        return EmbeddedMnist.QUICK_TRAIN_SIZE;
    }

    /** Image bytes, loaded as byte/255. */
    @Override
    default boolean bytePixels() {
        return true;
    }

    @Override
    default int defaultTestSize() {
        return EmbeddedMnist.QUICK_TEST_SIZE;
    }
}
