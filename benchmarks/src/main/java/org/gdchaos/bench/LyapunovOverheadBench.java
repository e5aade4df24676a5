package org.gdchaos.bench;

import java.util.concurrent.TimeUnit;

import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.lyapunov.Benettin;
import org.gdchaos.lyapunov.CellLayout;
import org.gdchaos.lyapunov.FreeDivergence;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.lyapunov.SpectrumTracker;
import org.gdchaos.lyapunov.Tracker;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what fraction of a Lyapunov sweep step is the Lyapunov bookkeeping? C cells of
 * 1 + {@link #MEMBERS_MINUS_ONE} trajectories (paper: reference + 5 replicas; benettin: 5
 * replicas renormalised every step; spectrum: 5 exponents, two Gram–Schmidt passes every
 * step), full-batch GD on N MNIST samples.
 *
 * <p>Two benchmarks per method: {@code step} = a training step ({@link Trainer#computeGradient},
 * {@link Tracker#beforeUpdate}, {@link Trainer#applyUpdate}) followed by {@link Tracker#afterStep}
 * (method {@code none}: training alone), and {@code track} = the
 * tracker's {@code afterStep} alone on the same ensemble. Bookkeeping overhead =
 * {@code time(track) / time(step[none])}, cross-checked by
 * {@code time(step[method]) / time(step[none]) − 1}; {@code report.py} prints both.
 * Score unit: average time per call (ms).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Thread)
public class LyapunovOverheadBench {
    /** Replicas (paper, benettin) or exponents (spectrum) per cell. */
    public static final int MEMBERS_MINUS_ONE = 5;
    /** Length of the trackers' per-step history; the step index wraps around within it. */
    public static final int HISTORY = 1000;

    @Param({"java"})
    public String backend;

    @Param({"f64"})
    public String dtype;

    @Param({"none", "paper", "benettin", "spectrum"})
    public String method;

    /** Cells C (learning rate × initialisation); T = C·6. */
    @Param({"8"})
    public int cells;

    @Param({"2000"})
    public int n;

    private Backend be;
    private DeviceData data;
    private Ensemble ensemble;
    private Trainer trainer;
    private Tracker tracker;
    private int step;

    @Setup(Level.Trial)
    public void setUp() {
        be = Workloads.backend(backend);
        DType dt = Workloads.dtype(dtype);
        data = Workloads.upload(be, dt, Workloads.mnist(n));
        CellLayout layout = new CellLayout(cells, 1 + MEMBERS_MINUS_ONE);
        double[] grid = Workloads.learningRates(cells);
        double[] rates = new double[layout.trajectories()];
        for (int t = 0; t < rates.length; t++) rates[t] = grid[t % cells]; // replica-major: t = r·C + c
        ensemble = Workloads.paperEnsemble(be, dt, layout.trajectories(), cells, rates);
        trainer = new Trainer(ensemble, data, TrainConfig.fullBatchGd());
        int[] initIndex = new int[cells];
        for (int c = 0; c < cells; c++) initIndex[c] = c;
        LyapunovConfig paper = LyapunovConfig.paper();
        tracker = switch (method) {
            case "none" -> null;
            case "paper" -> new FreeDivergence(ensemble, layout, paper, HISTORY);
            case "benettin" -> new Benettin(ensemble, layout, new LyapunovConfig(Method.BENETTIN,
                    MEMBERS_MINUS_ONE, 1, 1e-8, 1, 0, Norm.L2, false, GrowthFit.Method.GROWTH_PHASE), HISTORY);
            case "spectrum" -> new SpectrumTracker(ensemble, layout, new LyapunovConfig(Method.SPECTRUM,
                    1, MEMBERS_MINUS_ONE, 1e-8, 1, 0, Norm.L2, false, GrowthFit.Method.GROWTH_PHASE), HISTORY);
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
        if (tracker != null) tracker.start(Workloads.SEED, initIndex);
        step = 0;
    }

    private int nextStep() {
        step = step % HISTORY + 1; // 1..HISTORY
        return step;
    }

    /** One training step plus the method's bookkeeping. */
    @Benchmark
    public double[] step() {
        double[] loss = trainer.computeGradient();
        int s = nextStep();
        if (tracker != null) tracker.beforeUpdate(s);
        trainer.applyUpdate();
        if (tracker != null) tracker.afterStep(s);
        return loss;
    }

    /** The bookkeeping alone (no-op for {@code none}). */
    @Benchmark
    public int track() {
        if (tracker != null) tracker.afterStep(nextStep());
        return step;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        ensemble.close();
        data.close();
        be.close();
    }
}
