package org.gdchaos.bench;

import java.util.concurrent.TimeUnit;

import org.gdchaos.backend.Backend;
import org.gdchaos.data.Dataset;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Question: how many trajectory-steps per second does one full-batch GD step of the paper's
 * MLP (784-64-10 tanh, cross-entropy, N real MNIST samples) reach, as the learning-rate grid
 * grows? One benchmark call = {@link Trainer#step()} on all T trajectories (gradient over all
 * N samples chunk by chunk, divergence check, update), T = lrs·inits·(1 + replicas).
 *
 * <p>Score: steps/s of the whole ensemble. Secondary metrics: {@code trajSteps} = T per call
 * (trajectory-steps/s) and {@code gflops} = {@code ModelSpec.flopsPerSample()·N·T} per call
 * (≈ 2.05e5·N·T, DESIGN 1.2) in GFLOP/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Thread)
public class TrainStepBench {
    @Param({"java"})
    public String backend;

    @Param({"f32", "f64"})
    public String dtype;

    /** Learning rates in the grid (log-spaced over the paper's range, {@link Workloads#learningRates}). */
    @Param({"1", "4", "16", "64"})
    public int lrs;

    /** Initialisations per learning rate. */
    @Param({"1"})
    public int inits;

    /** Perturbed replicas per initialisation (the paper uses 5). */
    @Param({"0"})
    public int replicas;

    /** Training samples N (full batch). */
    @Param({"1000", "10000"})
    public int n;

    private Backend be;
    private DeviceData data;
    private Ensemble ensemble;
    private Trainer trainer;
    private int trajectories;
    private double gflopPerStep;

    /** Trajectory-step and GFLOP counters, reported per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public double trajSteps;
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            trajSteps = 0;
            gflops = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        be = Workloads.backend(backend);
        Dataset d = Workloads.mnist(n);
        data = Workloads.upload(be, Workloads.dtype(dtype), d);
        trajectories = lrs * inits * (1 + replicas);
        double[] grid = Workloads.learningRates(lrs);
        double[] rates = new double[trajectories];
        for (int t = 0; t < trajectories; t++) rates[t] = grid[t % lrs];
        ensemble = Workloads.paperEnsemble(be, Workloads.dtype(dtype), trajectories, inits, rates);
        trainer = new Trainer(ensemble, data, TrainConfig.fullBatchGd());
        gflopPerStep = Workloads.paperModel().flopsPerSample() * n * trajectories * 1e-9;
    }

    @Benchmark
    public double[] step(Counters counters) {
        double[] loss = trainer.step(); // downloads the losses: the step has finished on the device
        counters.trajSteps += trajectories;
        counters.gflops += gflopPerStep;
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        ensemble.close();
        data.close();
        be.close();
    }
}
