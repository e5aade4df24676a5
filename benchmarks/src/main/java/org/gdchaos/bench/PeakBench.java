package org.gdchaos.bench;

import java.util.concurrent.TimeUnit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import static jdk.incubator.vector.VectorOperators.FMA;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what is this machine's floating-point peak as Java can reach it? Register-only FMA
 * loops: {@link #ACCUMULATORS} independent accumulators (enough to cover FMA latency × ports),
 * {@link #ITERATIONS} iterations per call, no memory traffic. Flops per call =
 * {@code 2·lanes·ACCUMULATORS·ITERATIONS} (an FMA is 2 flops), reported in the {@code gflops}
 * secondary metric (GFLOP/s, summed over threads). Variants: Vector API with the preferred
 * species (f32, f64) and scalar {@link Math#fma}; each on 1 thread and on 2 threads (all cores
 * of the 2-core machine — the figure the multi-threaded Java backend is compared against).
 * The attainable dense-GEMM rate is {@code GemmBench} shape {@code dense}. The FMAs are written
 * {@code a.lanewise(FMA, b, c)}, as in the GEMM micro-kernels ({@code GemmKernelF64Vector}
 * explains why {@code c.fma(a, b)} can lose its intrinsic and box the accumulators).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class PeakBench {
    /** Independent FMA chains per loop. */
    public static final int ACCUMULATORS = 12;
    /** Loop iterations per benchmark call. */
    public static final int ITERATIONS = 10_000;

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    // Inputs in fields so the JIT cannot constant-fold; a ≈ 1 keeps values bounded.
    public float af = 0.999999f, bf = 1e-7f;
    public double ad = 0.99999999, bd = 1e-9;

    /** GFLOP counter, reported as GFLOP/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    private static final double VF32 = 2.0 * FS.length() * ACCUMULATORS * ITERATIONS * 1e-9;
    private static final double VF64 = 2.0 * DS.length() * ACCUMULATORS * ITERATIONS * 1e-9;
    private static final double SCALAR = 2.0 * ACCUMULATORS * ITERATIONS * 1e-9;

    @Benchmark
    @Threads(1)
    public float vectorF32(Flops f) {
        f.gflops += VF32;
        return fmaF32();
    }

    @Benchmark
    @Threads(2)
    public float vectorF32x2(Flops f) {
        f.gflops += VF32;
        return fmaF32();
    }

    @Benchmark
    @Threads(1)
    public double vectorF64(Flops f) {
        f.gflops += VF64;
        return fmaF64();
    }

    @Benchmark
    @Threads(2)
    public double vectorF64x2(Flops f) {
        f.gflops += VF64;
        return fmaF64();
    }

    @Benchmark
    @Threads(1)
    public double scalarF64(Flops f) {
        f.gflops += SCALAR;
        return scalarFma();
    }

    @Benchmark
    @Threads(2)
    public double scalarF64x2(Flops f) {
        f.gflops += SCALAR;
        return scalarFma();
    }

    private float fmaF32() {
        FloatVector a = FloatVector.broadcast(FS, af), b = FloatVector.broadcast(FS, bf);
        FloatVector c0 = FloatVector.broadcast(FS, 1f), c1 = c0.add(b), c2 = c1.add(b), c3 = c2.add(b);
        FloatVector c4 = c3.add(b), c5 = c4.add(b), c6 = c5.add(b), c7 = c6.add(b);
        FloatVector c8 = c7.add(b), c9 = c8.add(b), c10 = c9.add(b), c11 = c10.add(b);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = a.lanewise(FMA, b, c0); c1 = a.lanewise(FMA, b, c1); c2 = a.lanewise(FMA, b, c2); c3 = a.lanewise(FMA, b, c3);
            c4 = a.lanewise(FMA, b, c4); c5 = a.lanewise(FMA, b, c5); c6 = a.lanewise(FMA, b, c6); c7 = a.lanewise(FMA, b, c7);
            c8 = a.lanewise(FMA, b, c8); c9 = a.lanewise(FMA, b, c9); c10 = a.lanewise(FMA, b, c10); c11 = a.lanewise(FMA, b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private double fmaF64() {
        DoubleVector a = DoubleVector.broadcast(DS, ad), b = DoubleVector.broadcast(DS, bd);
        DoubleVector c0 = DoubleVector.broadcast(DS, 1), c1 = c0.add(b), c2 = c1.add(b), c3 = c2.add(b);
        DoubleVector c4 = c3.add(b), c5 = c4.add(b), c6 = c5.add(b), c7 = c6.add(b);
        DoubleVector c8 = c7.add(b), c9 = c8.add(b), c10 = c9.add(b), c11 = c10.add(b);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = a.lanewise(FMA, b, c0); c1 = a.lanewise(FMA, b, c1); c2 = a.lanewise(FMA, b, c2); c3 = a.lanewise(FMA, b, c3);
            c4 = a.lanewise(FMA, b, c4); c5 = a.lanewise(FMA, b, c5); c6 = a.lanewise(FMA, b, c6); c7 = a.lanewise(FMA, b, c7);
            c8 = a.lanewise(FMA, b, c8); c9 = a.lanewise(FMA, b, c9); c10 = a.lanewise(FMA, b, c10); c11 = a.lanewise(FMA, b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private double scalarFma() {
        double a = ad, b = bd;
        double c0 = 1, c1 = 1.1, c2 = 1.2, c3 = 1.3, c4 = 1.4, c5 = 1.5;
        double c6 = 1.6, c7 = 1.7, c8 = 1.8, c9 = 1.9, c10 = 2.0, c11 = 2.1;
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = Math.fma(c0, a, b); c1 = Math.fma(c1, a, b); c2 = Math.fma(c2, a, b); c3 = Math.fma(c3, a, b);
            c4 = Math.fma(c4, a, b); c5 = Math.fma(c5, a, b); c6 = Math.fma(c6, a, b); c7 = Math.fma(c7, a, b);
            c8 = Math.fma(c8, a, b); c9 = Math.fma(c9, a, b); c10 = Math.fma(c10, a, b); c11 = Math.fma(c11, a, b);
        }
        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }
}
