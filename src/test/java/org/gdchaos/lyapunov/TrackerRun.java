package org.gdchaos.lyapunov;

import java.util.SplittableRandom;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;

/**
 * Test driver for the finite-replica trackers: C cells (one per learning rate) of one model on
 * one data set, each cell's reference at a given start, trained by full-batch GD for S steps
 * while a {@link FreeDivergence}, {@link Benettin}, {@link SpectrumTracker} or
 * {@link TangentTracker} measures.
 */
final class TrackerRun {
    private TrackerRun() {
    }

    static LyapunovConfig config(Method m, int replicas, int k, double eps, int skip, Norm norm) {
        return new LyapunovConfig(m, replicas, k, eps, 1, skip, norm, true, GrowthFit.Method.GROWTH_PHASE);
    }

    static Tracker tracker(Ensemble e, DeviceData data, CellLayout layout, LyapunovConfig cfg, int steps) {
        return switch (cfg.method()) {
            case PAPER -> new FreeDivergence(e, layout, cfg, steps);
            case BENETTIN -> new Benettin(e, layout, cfg, steps);
            case SPECTRUM -> new SpectrumTracker(e, layout, cfg, steps);
            case TANGENT -> new TangentTracker(e, data, layout, cfg, steps);
        };
    }

    /** Runs the cells and returns each one's result ({@code w0[i]} = reference start of cell i). */
    static CellResult[] run(Backend backend, ModelSpec spec, double[] x, double[] y, int n, double[][] w0,
                            double[] rates, LyapunovConfig cfg, int steps) {
        return run(backend, org.gdchaos.backend.Optimizer.GD, spec, x, y, n, w0, rates, cfg, steps);
    }

    /** As {@link #run(Backend, ModelSpec, double[], double[], int, double[][], double[], LyapunovConfig, int)} with an optimizer. */
    static CellResult[] run(Backend backend, org.gdchaos.backend.Optimizer opt, ModelSpec spec, double[] x, double[] y,
                            int n, double[][] w0, double[] rates, LyapunovConfig cfg, int steps) {
        int c = rates.length;
        CellLayout layout = new CellLayout(c, cfg.trajectoriesPerCell());
        try (DeviceData data = DeviceData.upload(backend, DType.F64, x, y, n, spec.inputs(), spec.outputs());
             Ensemble e = new Ensemble(backend, DType.F64, spec, layout.trajectories());
             Trainer tr = new Trainer(e, data, TrainConfig.fullBatchGd())) {
            double[] lr = new double[layout.trajectories()];
            int[] init = new int[c];
            for (int i = 0; i < c; i++) {
                e.setParameters(layout.index(0, i), w0[i]);
                for (int r = 0; r < layout.members(); r++) lr[layout.index(r, i)] = rates[i];
                init[i] = i;
            }
            e.setLearningRates(lr);
            e.setOptimizer(opt);
            Tracker t = tracker(e, data, layout, cfg, steps);
            t.start(7, init);
            for (int s = 1; s <= steps; s++) {
                tr.computeGradient();
                t.beforeUpdate(s);
                tr.applyUpdate();
                t.afterStep(s);
            }
            CellResult[] out = new CellResult[c];
            for (int i = 0; i < c; i++) {
                boolean diverged = false;
                for (int r = 0; r < layout.members(); r++) diverged |= e.diverged(layout.index(r, i));
                out[i] = t.result(i, diverged);
            }
            if (t instanceof TangentTracker tt) tt.close();
            return out;
        }
    }

    static double[] gaussian(int n, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = std * Math.sqrt(-2 * Math.log1p(-r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        }
        return v;
    }
}
