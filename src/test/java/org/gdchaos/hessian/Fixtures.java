package org.gdchaos.hessian;

import java.util.SplittableRandom;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;

/** Small data sets, parameters and independent finite-difference oracles (via the trainer's gradient). */
final class Fixtures {
    private Fixtures() {
    }

    /** n rows of uniform(−1,1) inputs; one-hot targets for CE, uniform(−1,1) for MSE. */
    static double[][] data(ModelSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * spec.inputs()];
        double[] y = new double[n * spec.outputs()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        if (spec.loss() == Loss.CROSS_ENTROPY) {
            for (int i = 0; i < n; i++) y[i * spec.outputs() + r.nextInt(spec.outputs())] = 1;
        } else {
            for (int i = 0; i < y.length; i++) y[i] = r.nextDouble(-1, 1);
        }
        return new double[][] {x, y};
    }

    static DeviceData upload(Backend b, DType dt, ModelSpec spec, double[][] xy) {
        return DeviceData.upload(b, dt, xy[0], xy[1], xy[0].length / spec.inputs(), spec.inputs(), spec.outputs());
    }

    static double[] gaussian(int n, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(), w = r.nextDouble();
            v[i] = std * Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * w);
        }
        return v;
    }

    /** Full-batch gradients at each of the given parameter vectors, from the trainer (BatchedNetwork), f64. */
    static double[][] trainerGradients(Backend b, ModelSpec spec, DeviceData d, double[][] params) {
        try (Ensemble e = new Ensemble(b, DType.F64, spec, params.length);
             Trainer tr = new Trainer(e, d, new TrainConfig(0, 4, 0))) {
            for (int t = 0; t < params.length; t++) e.setParameters(t, params[t]);
            e.setLearningRates(new double[params.length]);
            tr.computeGradient();
            double[][] g = new double[params.length][];
            for (int t = 0; t < params.length; t++) g[t] = e.gradient(t);
            return g;
        }
    }

    /** Dense Hessian by central differences of the trainer's gradient, symmetrised. */
    static double[][] fdHessian(Backend b, ModelSpec spec, DeviceData d, double[] w, double eps) {
        int p = w.length;
        double[][] pts = new double[2 * p][];
        for (int k = 0; k < p; k++) {
            pts[2 * k] = w.clone();
            pts[2 * k][k] += eps;
            pts[2 * k + 1] = w.clone();
            pts[2 * k + 1][k] -= eps;
        }
        double[][] g = trainerGradients(b, spec, d, pts);
        double[][] h = new double[p][p];
        for (int k = 0; k < p; k++) for (int i = 0; i < p; i++) h[i][k] = (g[2 * k][i] - g[2 * k + 1][i]) / (2 * eps);
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < i; k++) {
                double s = 0.5 * (h[i][k] + h[k][i]);
                h[i][k] = s;
                h[k][i] = s;
            }
        }
        return h;
    }

    /** Eigenvalues (descending) of a dense symmetric matrix by cyclic Jacobi rotations. */
    static double[] jacobiEigenvalues(double[][] a0) {
        int n = a0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
            if (off < 1e-30) break;
            for (int pp = 0; pp < n; pp++) {
                for (int q = pp + 1; q < n; q++) {
                    if (Math.abs(a[pp][q]) < 1e-300) continue;
                    double theta = (a[q][q] - a[pp][pp]) / (2 * a[pp][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][pp], akq = a[k][q];
                        a[k][pp] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[pp][k], aqk = a[q][k];
                        a[pp][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) ev[i] = a[i][i];
        java.util.Arrays.sort(ev);
        for (int i = 0; i < n / 2; i++) {
            double tmp = ev[i];
            ev[i] = ev[n - 1 - i];
            ev[n - 1 - i] = tmp;
        }
        return ev;
    }
}
