package org.gdchaos.train;

import java.util.SplittableRandom;

/** Small random data sets for trainer tests: Gaussian inputs, one-hot or real targets. */
final class TinyData {
    final double[] x;
    final double[] y;
    final int n;
    final int features;
    final int outputs;

    private TinyData(double[] x, double[] y, int n, int features, int outputs) {
        this.x = x;
        this.y = y;
        this.n = n;
        this.features = features;
        this.outputs = outputs;
    }

    static TinyData classification(int n, int features, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * features];
        double[] y = new double[n * classes];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        for (int i = 0; i < n; i++) y[i * classes + r.nextInt(classes)] = 1;
        return new TinyData(x, y, n, features, classes);
    }

    static TinyData regression(int n, int features, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * features];
        double[] y = new double[n * outputs];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        for (int i = 0; i < y.length; i++) y[i] = r.nextDouble(-1, 1);
        return new TinyData(x, y, n, features, outputs);
    }

    DeviceData upload(org.gdchaos.backend.Backend b, org.gdchaos.backend.DType dt) {
        return DeviceData.upload(b, dt, x, y, n, features, outputs);
    }
}
