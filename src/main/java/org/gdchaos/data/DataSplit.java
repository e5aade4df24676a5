package org.gdchaos.data;


/**
 * A training set and a test set of the same task: same sample shape (so same features), same
 * outputs, and both classification or both regression. They may be the same object (e.g.
 * {@code scalar:}).
 */
public record DataSplit(Dataset train, Dataset test) {

    public DataSplit {
        if (train == null || test == null) {
            throw new IllegalArgumentException("train and test sets must not be null");
        }
        if (train.features() != test.features() || !train.shape().equals(test.shape()) || train.outputs() != test.outputs()
                || train.isClassification() != test.isClassification()) {
            throw new IllegalArgumentException("train " + train + " and test " + test
                    + " are not the same task");
        }
    }

    public int features() {
        return train.features();
    }

    /** The shape of one sample (28×28×1 for MNIST-like images, flat for vectors). */
    public Shape shape() {
        return train.shape();
    }

    public int outputs() {
        return train.outputs();
    }

    public boolean isClassification() {
        return train.isClassification();
    }

    @Override
    public String toString() {
        return "DataSplit[train=" + train + ", test=" + test + "]";
    }
}
