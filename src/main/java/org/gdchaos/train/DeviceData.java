package org.gdchaos.train;

import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;

/**
 * A data set resident on a backend: inputs X (n × features, row-major) and targets Y
 * (n × outputs; one-hot rows for classification). Shared by all trajectories (views with
 * stride 0). Owns its buffers.
 */
public final class DeviceData implements AutoCloseable {
    private final Backend backend;
    private final Buffer x;
    private final Buffer y;
    private final int n;
    private final int features;
    private final int outputs;

    private DeviceData(Backend backend, Buffer x, Buffer y, int n, int features, int outputs) {
        this.backend = backend;
        this.x = x;
        this.y = y;
        this.n = n;
        this.features = features;
        this.outputs = outputs;
    }

    /**
     * Uploads {@code x} (n × features) and {@code y} (n × outputs).
     *
     * @throws IllegalArgumentException on inconsistent sizes
     */
    public static DeviceData upload(Backend backend, DType dtype, double[] x, double[] y, int n, int features,
                                    int outputs) {
        if (n < 1) throw new IllegalArgumentException("data set is empty");
        if ((long) n * features != x.length) {
            throw new IllegalArgumentException("inputs have " + x.length + " values, expected " + n + "×" + features);
        }
        if ((long) n * outputs != y.length) {
            throw new IllegalArgumentException("targets have " + y.length + " values, expected " + n + "×" + outputs);
        }
        try (Allocations a = new Allocations()) { // a failed allocation or upload releases what was allocated
            Buffer bx = a.add(backend.allocate(dtype, x.length));
            Buffer by = a.add(backend.allocate(dtype, y.length));
            DeviceData d = new DeviceData(backend, bx, by, n, features, outputs);
            d.replace(x, y);
            a.keep();
            return d;
        }
    }

    /** Overwrites the data in place (same sizes), e.g. with a re-shuffled copy for SGD. */
    public void replace(double[] newX, double[] newY) {
        if (newX.length != x.length() || newY.length != y.length()) {
            throw new IllegalArgumentException("replacement data has a different size");
        }
        backend.upload(newX, 0, x, 0, newX.length);
        backend.upload(newY, 0, y, 0, newY.length);
    }

    public Buffer x() {
        return x;
    }

    public Buffer y() {
        return y;
    }

    public int n() {
        return n;
    }

    public int features() {
        return features;
    }

    public int outputs() {
        return outputs;
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}
