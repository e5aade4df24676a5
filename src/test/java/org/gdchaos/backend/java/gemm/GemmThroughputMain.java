package org.gdchaos.backend.java.gemm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * Throughput of {@link JavaGemm} (not a test; a measurement): GFLOP/s for float32 and float64,
 * vector and scalar paths, on a square 1024³ GEMM, the MLP's shared-input first layer
 * ({@code C[t] = X·W[t]ᵀ}, X 10000×784 shared, W[t] 64×784, batch 16) and its weight gradient
 * ({@code dW[t] = δ[t]ᵀ·X}), next to the machine's register-only FMA peak (all cores at once).
 * Prints medians of {@code repeats} runs after warm-up. Each timed GEMM run is paired with a
 * peak measurement taken right before it, and "of peak" is the median of the per-pair ratios,
 * so a shared machine's changing load affects both sides of each ratio alike. A second,
 * load-independent figure divides the flops by the CPU time all JVM threads used during the run
 * (times the thread count): "GFLOP/s per CPU" is what the code achieves while it actually runs,
 * compared with the FMA loop measured the same way. The load average is printed before and after.
 * Also times the training loop's two big GEMMs (chunk 500, T = 64, 784-64-10 MLP).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <test-classes>:<classes>
 * org.gdchaos.backend.java.gemm.GemmThroughputMain [repeats] [threads] [widths, e.g. 512,256,0]}
 */
public final class GemmThroughputMain {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static volatile double sink;
    private static int threadCount;
    private static double cpuPeak64;
    private static double cpuPeak32;

    private GemmThroughputMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = new ForkJoinPool(threads);
        int bits = VectorSupport.preferredBits();
        int[] widths = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {bits, 0};
        System.out.printf("threads=%d preferredBits=%d repeats=%d (median) load average %.2f%n", threads, bits, repeats,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        threadCount = threads;
        double peak64 = peak(threads, repeats, false);
        double peak32 = peak(threads, repeats, true);
        cpuPeak64 = peakCpu(threads, repeats, false);
        cpuPeak32 = peakCpu(threads, repeats, true);
        System.out.printf("%-46s %5s %9s %8s %12s %8s%n", "case", "dtype", "GFLOP/s", "of peak", "GF/s per CPU",
                "of peak");
        System.out.printf("%-46s %5s %9.1f %8s %12.1f %8s%n", "FMA peak (" + threads + " threads, registers only)", "f64",
                peak64, "100%", cpuPeak64, "100%");
        System.out.printf("%-46s %5s %9.1f %8s %12.1f %8s%n", "FMA peak (" + threads + " threads, registers only)", "f32",
                peak32, "100%", cpuPeak32, "100%");
        GemmShape square = new GemmShape(1, 1024, 1024, 1024, false, false, 1, 0);
        GemmShape layer1 = new GemmShape(16, 10000, 64, 784, false, true, 1, 0);
        GemmShape grad1 = new GemmShape(16, 64, 784, 10000, true, false, 1, 0);
        GemmShape trainFwd = new GemmShape(64, 500, 64, 784, false, true, 1, 0);
        GemmShape trainGrad = new GemmShape(64, 64, 784, 500, true, false, 1, 1);
        for (int width : widths) {
            JavaGemm g = new JavaGemm(pool, width);
            String path = width == 0 ? "scalar" : width + "-bit";
            report("1024³ square, " + path, g, square, false, false, repeats);
            report("X·W[t]ᵀ 10000×784×64 ×16, A shared, " + path, g, layer1, true, false, repeats);
            report("δ[t]ᵀ·X 64×10000×784 ×16, B shared, " + path, g, grad1, false, true, repeats);
            report("train X·W[t]ᵀ 500×64×784 ×64, A sh., " + path, g, trainFwd, true, false, repeats);
            report("train δᵀ·X 64×784×500 ×64, B sh., " + path, g, trainGrad, false, true, repeats);
        }
        System.out.printf("load average at the end %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        pool.shutdown();
    }

    private static void report(String name, JavaGemm g, GemmShape s, boolean aShared, boolean bShared,
                               int repeats) {
        int aStride = aShared ? 0 : (int) s.sizeA();
        int bStride = bShared ? 0 : (int) s.sizeB();
        int cStride = (int) s.sizeC();
        SplittableRandom rnd = new SplittableRandom(1);
        int na = (int) s.sizeA() + (s.batch() - 1) * aStride;
        int nb = (int) s.sizeB() + (s.batch() - 1) * bStride;
        int nc = cStride * s.batch();
        double[] a = rnd.doubles(na, -1, 1).toArray();
        double[] b = rnd.doubles(nb, -1, 1).toArray();
        double[] c = new double[nc];
        Runnable r64 = () -> g.gemm(s, a, 0, aStride, b, 0, bStride, c, 0, cStride);
        float[] af = toFloat(a);
        float[] bf = toFloat(b);
        float[] cf = new float[nc];
        Runnable r32 = () -> g.gemm(s, af, 0, aStride, bf, 0, bStride, cf, 0, cStride);
        line(name, "f64", s, r64, repeats, false);
        line(name, "f32", s, r32, repeats, true);
    }

    private static void line(String name, String dtype, GemmShape s, Runnable r, int repeats, boolean f32) {
        warm(r);
        double[] gf = new double[repeats];
        double[] ratio = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            double pk = peakOnce(threadCount, f32);
            long c0 = cpuNanos();
            gf[i] = s.flops() / timeOnce(r) / 1e9;
            cpu[i] = s.flops() / ((cpuNanos() - c0) * 1e-9) * threadCount / 1e9;
            ratio[i] = gf[i] / pk;
        }
        double cpuPeak = f32 ? cpuPeak32 : cpuPeak64;
        System.out.printf("%-46s %5s %9.1f %7.0f%% %12.1f %7.0f%%%n", name, dtype, median(gf), 100 * median(ratio),
                median(cpu), 100 * median(cpu) / cpuPeak);
    }

    /** Runs {@code r} at least twice and for about 1.5 s (JIT warm-up). */
    private static void warm(Runnable r) {
        long warmEnd = System.nanoTime() + 1_500_000_000L;
        int warm = 0;
        while (warm < 2 || (System.nanoTime() < warmEnd && warm < 20)) {
            r.run();
            warm++;
        }
    }

    /** @return seconds for one run of {@code r} */
    private static double timeOnce(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) * 1e-9;
    }

    private static double median(double[] x) {
        double[] y = x.clone();
        Arrays.sort(y);
        return y.length % 2 == 1 ? y[y.length / 2] : 0.5 * (y[y.length / 2 - 1] + y[y.length / 2]);
    }

    /** Register-only FMA peak on all threads at once, GFLOP/s (median of repeats after 2 warm-ups). */
    private static double peak(int threads, int repeats, boolean f32) throws InterruptedException {
        double[] g = new double[repeats + 2];
        for (int rep = 0; rep < repeats + 2; rep++) {
            g[rep] = peakOnce(threads, f32);
        }
        return median(Arrays.copyOfRange(g, 2, g.length));
    }

    /** CPU time used so far by all live threads of this JVM, ns. */
    private static long cpuNanos() {
        long sum = 0;
        for (long id : MX.getAllThreadIds()) {
            sum += Math.max(0, MX.getThreadCpuTime(id));
        }
        return sum;
    }

    /**
     * Register-only FMA peak per CPU second × threads (median of repeats after 2 warm-ups): what
     * the loop reaches while it runs, independent of how much of the machine others use.
     */
    private static double peakCpu(int threads, int repeats, boolean f32) {
        long iters = 10_000_000L;
        int lanes = f32 ? F.length() : D.length();
        double[] g = new double[repeats + 2];
        for (int rep = 0; rep < repeats + 2; rep++) {
            long c0 = MX.getCurrentThreadCpuTime();
            sink += f32 ? fmaLoop32(iters) : fmaLoop64(iters);
            double sec = (MX.getCurrentThreadCpuTime() - c0) * 1e-9;
            g[rep] = iters * 12.0 * lanes * 2 / sec / 1e9 * threads;
        }
        return median(Arrays.copyOfRange(g, 2, g.length));
    }

    /** One register-only FMA peak measurement on {@code threads} threads at once, GFLOP/s. */
    private static double peakOnce(int threads, boolean f32) {
        long iters = 10_000_000L;
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> sink += f32 ? fmaLoop32(iters) : fmaLoop64(iters));
        }
        long t0 = System.nanoTime();
        for (Thread t : ts) {
            t.start();
        }
        try {
            for (Thread t : ts) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double sec = (System.nanoTime() - t0) * 1e-9;
        int lanes = f32 ? F.length() : D.length();
        return threads * iters * 12.0 * lanes * 2 / sec / 1e9;
    }

    /** 12 independent FMA chains (hides FMA latency × throughput on current cores). */
    private static double fmaLoop64(long iters) {
        DoubleVector m = DoubleVector.broadcast(D, 0.999999);
        DoubleVector s = DoubleVector.broadcast(D, 1e-9);
        DoubleVector a0 = DoubleVector.broadcast(D, 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        DoubleVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, s); a1 = a1.fma(m, s); a2 = a2.fma(m, s); a3 = a3.fma(m, s);
            a4 = a4.fma(m, s); a5 = a5.fma(m, s); a6 = a6.fma(m, s); a7 = a7.fma(m, s);
            a8 = a8.fma(m, s); a9 = a9.fma(m, s); a10 = a10.fma(m, s); a11 = a11.fma(m, s);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static double fmaLoop32(long iters) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector s = FloatVector.broadcast(F, 1e-9f);
        FloatVector a0 = FloatVector.broadcast(F, 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, s); a1 = a1.fma(m, s); a2 = a2.fma(m, s); a3 = a3.fma(m, s);
            a4 = a4.fma(m, s); a5 = a5.fma(m, s); a6 = a6.fma(m, s); a7 = a7.fma(m, s);
            a8 = a8.fma(m, s); a9 = a9.fma(m, s); a10 = a10.fma(m, s); a11 = a11.fma(m, s);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }
}
