package org.gdchaos.sweep.run;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.data.DataSplit;
import org.gdchaos.data.Dataset;
import org.gdchaos.train.DeviceData;

/**
 * A sweep's train and test sets, resident on the backend, plus the host copy of the training
 * set (needed to re-shuffle for SGD).
 */
final class SweepData implements AutoCloseable {
    private final DeviceData train;
    private final DeviceData test;
    private final Dataset hostTrain;
    private final boolean keepHost;

    SweepData(Backend backend, DType dtype, DataSplit split, boolean keepHost) {
        Dataset tr = split.train(), te = split.test();
        this.train = DeviceData.upload(backend, dtype, tr.x(), tr.y(), tr.n(), tr.features(), tr.outputs());
        this.test = DeviceData.upload(backend, dtype, te.x(), te.y(), te.n(), te.features(), te.outputs());
        this.hostTrain = tr;
        this.keepHost = keepHost;
    }

    DeviceData train() {
        return train;
    }

    DeviceData test() {
        return test;
    }

    double[] hostTrainX() {
        return keepHost ? hostTrain.x() : null;
    }

    double[] hostTrainY() {
        return keepHost ? hostTrain.y() : null;
    }

    @Override
    public void close() {
        train.close();
        test.close();
    }
}
