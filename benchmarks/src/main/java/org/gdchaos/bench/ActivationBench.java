package org.gdchaos.bench;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.backend.java.JavaBackend;
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
 * Question: how fast is the paper's hidden-layer activation (bias + tanh) on the Java backend,
 * with the Vector API path against the scalar path ({@code vectorBits = 0})? One call is the
 * first layer of one training chunk: T = 64 trajectories × 500 rows × 64 units = 2,048,000
 * elements, pre-activations ~ N(0, 10²) as with the paper's N(0, 1) weights on MNIST pixels.
 * Both paths give the same bits (tested); the score is calls/s, and the {@code elements}
 * counter gives elements/s. The input is restored from a copy before every call (a
 * {@code copy} call measures that part alone, to subtract).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ActivationBench {
    static final int T = 64, ROWS = 500, COLS = 64;

    /** 0 = scalar path; "auto" = the platform's preferred width. */
    @Param({"auto", "0"})
    public String vectorBits;

    @Param({"f32", "f64"})
    public String dtype;

    private JavaBackend backend;
    private Buffer z;
    private Buffer source;
    private Buffer bias;

    /** Elements processed, reported per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Elements {
        public double elements;

        @Setup(Level.Iteration)
        public void reset() {
            elements = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        backend = new JavaBackend(new BackendOptions(
                "auto".equals(vectorBits) ? Map.of() : Map.of("vectorBits", vectorBits)));
        DType dt = Workloads.dtype(dtype);
        int n = T * ROWS * COLS;
        double[] host = new double[n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) host[i] = 10 * (r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5) * 2;
        source = backend.allocate(dt, n);
        backend.upload(host, 0, source, 0, n);
        z = backend.allocate(dt, n);
        bias = backend.allocate(dt, (long) T * COLS);
        backend.upload(new double[T * COLS], 0, bias, 0, T * COLS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public void biasTanh(Elements counter) {
        long n = (long) T * ROWS * COLS;
        backend.copy(source, 0, z, 0, n);
        backend.biasActivation(Activation.TANH, T, ROWS, COLS, View.of(z, (long) ROWS * COLS), View.of(bias, COLS));
        counter.elements += n;
    }

    @Benchmark
    public void copy(Elements counter) {
        long n = (long) T * ROWS * COLS;
        backend.copy(source, 0, z, 0, n);
        counter.elements += n;
    }
}
