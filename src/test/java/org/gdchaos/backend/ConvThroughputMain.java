package org.gdchaos.backend;

import java.util.Arrays;
import java.util.Locale;
import org.gdchaos.backend.ConvShape.Padding;
import org.gdchaos.backend.PoolShape.Pooling;

/**
 * Time of the convolution primitives next to the GEMM they feed (not a test; a measurement), for
 * a small CNN on 28×28×1 inputs: T trajectories, a chunk of n samples; layer 1 conv 5×5 SAME, 8
 * channels, on the shared input (im2col once with batch 1, GEMM with a stride-0 A); 2×2 max pool;
 * layer 2 conv 3×3 SAME, 16 channels, per trajectory (im2col batch T, GEMM, and col2im of the
 * input gradient). Prints the median of {@code repeats} timed runs of each call (after warm-up),
 * each ended by a one-element download so that asynchronous backends have finished.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <test-classes>:<classes>:<deps>
 * org.gdchaos.backend.ConvThroughputMain [backend] [dtype f32|f64] [T] [n] [repeats]}
 */
public final class ConvThroughputMain {
    private ConvThroughputMain() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "java";
        DType t = args.length > 1 && args[1].equals("f64") ? DType.F64 : DType.F32;
        int trajectories = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 9;
        ConvShape c1 = new ConvShape(n, 28, 28, 1, 5, Padding.SAME);
        PoolShape p1 = new PoolShape(Pooling.MAX, n, 28, 28, 8);
        ConvShape c2 = new ConvShape(n, 14, 14, 8, 3, Padding.SAME);
        try (Backend be = Backends.create(name);
             Buffer x = be.allocate(t, c1.inputSize());
             Buffer cols1 = be.allocate(t, c1.colsSize());
             Buffer w1 = be.allocate(t, (long) trajectories * c1.patch() * 8);
             Buffer z1 = be.allocate(t, (long) trajectories * c1.outPixels() * 8);
             Buffer h1 = be.allocate(t, (long) trajectories * p1.outputSize());
             Buffer d1 = be.allocate(t, (long) trajectories * p1.inputSize());
             Buffer cols2 = be.allocate(t, (long) trajectories * c2.colsSize());
             Buffer w2 = be.allocate(t, (long) trajectories * c2.patch() * 16);
             Buffer z2 = be.allocate(t, (long) trajectories * c2.outPixels() * 16);
             Buffer dx2 = be.allocate(t, (long) trajectories * c2.inputSize())) {
            fillRandom(be, x);
            fillRandom(be, w1);
            fillRandom(be, w2);
            GemmShape g1 = new GemmShape(trajectories, c1.outPixels(), 8, c1.patch(), false, false, 1, 0);
            GemmShape g2 = new GemmShape(trajectories, c2.outPixels(), 16, c2.patch(), false, false, 1, 0);
            System.out.printf(Locale.ROOT, "%s %s on %s: T=%d trajectories, chunk n=%d, median of %d%n", name,
                    t.label(), be.device(), trajectories, n, repeats);
            time(be, z2, repeats, "conv1 im2col (shared, batch 1)", c1.colsSize(),
                    () -> be.im2col(c1, 1, View.shared(x), View.shared(cols1)));
            time(be, z2, repeats, "conv1 GEMM (stride-0 A)", (long) trajectories * c1.outPixels() * 8,
                    () -> be.gemm(g1, View.shared(cols1), View.of(w1, (long) c1.patch() * 8), View.of(z1, (long) c1.outPixels() * 8)));
            time(be, z2, repeats, "pool max forward", (long) trajectories * p1.outputSize(),
                    () -> be.pool(p1, trajectories, View.of(z1, p1.inputSize()), View.of(h1, p1.outputSize())));
            time(be, z2, repeats, "pool max backward", (long) trajectories * p1.inputSize(),
                    () -> be.poolBackward(p1, trajectories, View.of(z1, p1.inputSize()), View.of(h1, p1.outputSize()),
                            View.of(d1, p1.inputSize())));
            time(be, z2, repeats, "conv2 im2col (batch T)", (long) trajectories * c2.colsSize(),
                    () -> be.im2col(c2, trajectories, View.of(h1, c2.inputSize()), View.of(cols2, c2.colsSize())));
            time(be, z2, repeats, "conv2 GEMM", (long) trajectories * c2.outPixels() * 16,
                    () -> be.gemm(g2, View.of(cols2, c2.colsSize()), View.of(w2, (long) c2.patch() * 16),
                            View.of(z2, (long) c2.outPixels() * 16)));
            time(be, z2, repeats, "conv2 col2im (batch T)", (long) trajectories * c2.inputSize(),
                    () -> be.col2im(c2, trajectories, View.of(cols2, c2.colsSize()), View.of(dx2, c2.inputSize())));
        }
    }

    private static void fillRandom(Backend be, Buffer b) {
        double[] h = new double[Math.toIntExact(b.length())];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < h.length; i++) h[i] = r.nextDouble(-1, 1);
        be.upload(h, 0, b, 0, h.length);
    }

    private static void time(Backend be, Buffer sync, int repeats, String what, long elements, Runnable call) {
        double[] one = new double[1];
        for (int i = 0; i < 3; i++) call.run();
        be.download(sync, 0, one, 0, 1);
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            call.run();
            be.download(sync, 0, one, 0, 1);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double med = ms[repeats / 2];
        System.out.printf(Locale.ROOT, "  %-32s %9.3f ms  %8.1f M elements written/s%n", what, med, elements / med / 1e3);
    }
}
