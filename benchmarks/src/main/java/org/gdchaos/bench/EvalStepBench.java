package org.gdchaos.bench;

import java.util.concurrent.TimeUnit;

import org.gdchaos.backend.Backend;
import org.gdchaos.data.Dataset;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.Evaluation;
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
 * Question: what does a training step cost when every step is followed by an evaluation, as a
 * sweep does by default ({@code evalEvery} 1)? One call = {@link Trainer#step()} then
 * {@link Trainer#evaluate} of a test set of {@code n / 5} samples, on the paper's MLP, T = lrs
 * trajectories. Before issue 23 (item 7) each evaluation allocated and freed two device buffers;
 * now the trainer owns them. Compare with {@link TrainStepBench} (the step alone).
 *
 * <p>Score: calls/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Thread)
public class EvalStepBench {
    @Param({"java"})
    public String backend;

    @Param({"f32", "f64"})
    public String dtype;

    @Param({"16"})
    public int lrs;

    /** Training samples N (full batch); the test set is the next N/5 digits. */
    @Param({"1000"})
    public int n;

    private Backend be;
    private DeviceData train;
    private DeviceData test;
    private Ensemble ensemble;
    private Trainer trainer;

    @Setup(Level.Trial)
    public void setUp() {
        be = Workloads.backend(backend);
        Dataset d = Workloads.mnist(n + n / 5);
        train = Workloads.upload(be, Workloads.dtype(dtype), d.subset(0, n));
        test = Workloads.upload(be, Workloads.dtype(dtype), d.subset(n, n / 5));
        ensemble = Workloads.paperEnsemble(be, Workloads.dtype(dtype), lrs, 1, Workloads.learningRates(lrs));
        trainer = new Trainer(ensemble, train, TrainConfig.fullBatchGd());
    }

    @Benchmark
    public Evaluation stepAndEvaluate() {
        trainer.step();
        return trainer.evaluate(test);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        ensemble.close();
        test.close();
        train.close();
        be.close();
    }
}
