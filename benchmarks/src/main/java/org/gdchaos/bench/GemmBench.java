package org.gdchaos.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;
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
 * Question: how fast is one batched GEMM of the shapes the paper workload issues, per backend
 * and dtype? Score: GEMM calls/s; the {@code gflops} secondary metric is
 * {@code GemmShape.flops() = 2·batch·m·n·k} per call divided by time (GFLOP/s).
 *
 * <p>Shapes (T = {@link #TRAJECTORIES} trajectories, c = {@link #CHUNK} rows of a data chunk):
 * <ul>
 *   <li>{@code fwd1}: first layer forward, shared operand: {@code Z[t] = X·W1[t]ᵀ},
 *       X c×784 with stride 0, W1[t] 64×784 — T × (c × 784 · 784 × 64);</li>
 *   <li>{@code wgrad1}: first-layer weight gradient {@code ∇W1[t] = δ[t]ᵀ·X}, δ[t] c×64, X shared
 *       — T × (64 × c · c × 784);</li>
 *   <li>{@code fwd2}: second layer {@code Z2[t] = H[t]·W2[t]ᵀ}, T × (c × 64 · 64 × 10);</li>
 *   <li>{@code dense}: one large square GEMM 1024³ (batch 1), the attainable dense rate.</li>
 * </ul>
 * Every call is followed by a one-element download so asynchronous backends are timed to
 * completion.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Thread)
public class GemmBench {
    /** Trajectories of the batched shapes. */
    public static final int TRAJECTORIES = 64;
    /** Rows of a data chunk (the trainer's maximal chunk, train.Tunables.MAX_CHUNK_ROWS). */
    public static final int CHUNK = 2048;
    /** Side of the dense square GEMM. */
    public static final int DENSE = 1024;

    @Param({"java", "opencl"})
    public String backend;

    @Param({"f32", "f64"})
    public String dtype;

    @Param({"fwd1", "wgrad1", "fwd2", "dense"})
    public String shape;

    private Backend be;
    private Buffer a, b, c;
    private GemmShape gemm;
    private View va, vb, vc;
    private final double[] sink = new double[1];

    /** GFLOP counter, reported by JMH as GFLOP per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        be = Workloads.backend(backend);
        DType dt = Workloads.dtype(dtype);
        int t = TRAJECTORIES, ch = CHUNK;
        switch (shape) {
            case "fwd1" -> {
                gemm = new GemmShape(t, ch, 64, 784, false, true, 1, 0);
                a = filled(dt, (long) ch * 784);
                b = filled(dt, (long) t * 64 * 784);
                c = be.allocate(dt, (long) t * ch * 64);
                va = View.shared(a);
                vb = View.of(b, 64L * 784);
                vc = View.of(c, (long) ch * 64);
            }
            case "wgrad1" -> {
                gemm = new GemmShape(t, 64, 784, ch, true, false, 1, 0);
                a = filled(dt, (long) t * ch * 64);
                b = filled(dt, (long) ch * 784);
                c = be.allocate(dt, (long) t * 64 * 784);
                va = View.of(a, (long) ch * 64);
                vb = View.shared(b);
                vc = View.of(c, 64L * 784);
            }
            case "fwd2" -> {
                gemm = new GemmShape(t, ch, 10, 64, false, true, 1, 0);
                a = filled(dt, (long) t * ch * 64);
                b = filled(dt, (long) t * 10 * 64);
                c = be.allocate(dt, (long) t * ch * 10);
                va = View.of(a, (long) ch * 64);
                vb = View.of(b, 640);
                vc = View.of(c, (long) ch * 10);
            }
            case "dense" -> {
                int s = DENSE;
                gemm = new GemmShape(1, s, s, s, false, false, 1, 0);
                a = filled(dt, (long) s * s);
                b = filled(dt, (long) s * s);
                c = be.allocate(dt, (long) s * s);
                va = View.shared(a);
                vb = View.shared(b);
                vc = View.shared(c);
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
    }

    private Buffer filled(DType dt, long n) {
        Buffer buf = be.allocate(dt, n);
        SplittableRandom rng = new SplittableRandom(n);
        double[] host = new double[(int) Math.min(n, 1 << 20)];
        for (long off = 0; off < n; off += host.length) {
            int len = (int) Math.min(host.length, n - off);
            for (int i = 0; i < len; i++) host[i] = rng.nextDouble(-1, 1);
            be.upload(host, 0, buf, off, len);
        }
        return buf;
    }

    @Benchmark
    public double gemm(Flops flops) {
        be.gemm(gemm, va, vb, vc);
        be.download(c, 0, sink, 0, 1);
        flops.gflops += gemm.flops() * 1e-9;
        return sink[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
        be.close();
    }
}
