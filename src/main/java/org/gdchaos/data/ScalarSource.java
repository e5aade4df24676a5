package org.gdchaos.data;

/**
 * {@code scalar:x=X,y=Y}: a single regression sample (features 1, outputs 1), for the
 * scalar linear-network studies of docs/science.md#linear-network. With loss {@code ½(f(x) − y)²} and
 * {@code f(x) = a·b·x} this is the model {@code ½(ab − Φ)²·x²} with {@code Φ = y/x}.
 * The test set is the same sample. Its default sizes ({@link DataSource#defaultTrainSize}) are
 * 0, i.e. that one sample, so {@code --data scalar:x=1,y=1} needs no size options.
 */
public record ScalarSource(double x, double y) implements DataSource {

    public ScalarSource {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new DataException("scalar data needs finite x and y, got x=" + x
                    + ", y=" + y);
        }
    }

    @Override
    public String spec() {
        return "scalar:x=" + x + ",y=" + y;
    }

    /** One value: flat, 1×1×1. */
    @Override
    public org.gdchaos.data.Shape sampleShape() {
        return org.gdchaos.data.Shape.flat(1);
    }

    @Override
    public DataSplit load(int trainSize, int testSize) {
        if (trainSize > 1 || testSize > 1) {
            throw new DataException(spec() + " has exactly one sample; requested train-size "
                    + trainSize + ", test-size " + testSize + " (use 0 or 1)");
        }
        Dataset d = Dataset.regression("scalar", new double[] {x}, new double[] {y}, 1, 1, 1);
        return new DataSplit(d, d);
    }
}
