package org.gdchaos.bench;

import java.util.concurrent.TimeUnit;

import org.gdchaos.backend.Backend;
import org.gdchaos.data.Dataset;
import org.gdchaos.nn.ModelSpec;
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
 * Question: how many trajectory-steps per second does one full-batch GD step of the small CNN
 * ({@link Workloads#cnnModel()}: conv 4@5×5, tanh, avgpool 2, conv 8@5×5, tanh, avgpool 2,
 * dense 10; cross-entropy on N real 28×28 MNIST digits) reach for T trajectories in lockstep?
 * One benchmark call = {@link Trainer#step()} on all T trajectories (gradient over all N samples
 * chunk by chunk, divergence check, update); Xavier-normal initial weights, one initialisation per
 * trajectory, learning rates {@link Workloads#learningRates}(T). The same workload as
 * {@code peers/torch_cnn_batched.py} ({@code MODEL=cnn peers/compare.sh}).
 *
 * <p>Score: steps/s of the whole ensemble. Secondary metrics: {@code trajSteps} = T per call
 * (trajectory-steps/s) and {@code gflops} = {@code ModelSpec.flopsPerSample()·N·T} per call
 * (≈ 5.62e5·N·T) in GFLOP/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
@State(Scope.Thread)
public class CnnStepBench {
    @Param({"java"})
    public String backend;

    @Param({"f32", "f64"})
    public String dtype;

    /** Trajectories T. */
    @Param({"16", "64"})
    public int t;

    /** Training samples N (full batch). */
    @Param({"1000"})
    public int n;

    private Backend be;
    private DeviceData data;
    private Ensemble ensemble;
    private Trainer trainer;
    private double gflopPerStep;

    @Setup(Level.Trial)
    public void setUp() {
        be = Workloads.backend(backend);
        Dataset d = Workloads.mnist(n);
        data = Workloads.upload(be, Workloads.dtype(dtype), d);
        ModelSpec model = Workloads.cnnModel();
        ensemble = Workloads.ensemble(be, Workloads.dtype(dtype), model, t, t, Workloads.learningRates(t));
        trainer = new Trainer(ensemble, data, TrainConfig.fullBatchGd());
        gflopPerStep = model.flopsPerSample() * n * t * 1e-9;
    }

    @Benchmark
    public double[] step(TrainStepBench.Counters counters) {
        double[] loss = trainer.step(); // downloads the losses: the step has finished on the device
        counters.trajSteps += t;
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
