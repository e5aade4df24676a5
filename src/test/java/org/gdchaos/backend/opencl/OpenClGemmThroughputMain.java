package org.gdchaos.backend.opencl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;

/**
 * GEMM throughput of the OpenCL backend on the first-layer shared-input case:
 * {@code C[b] = X · W[b]}, X (N×784) shared by all entries (stride 0), W[b] 784×64, batch 16.
 * Prints the median of {@code reps} timed calls (after one warm-up call) in GFLOP/s, f32 and f64.
 *
 * <p>Run: {@code java -cp <test-classes>:<classes>:<jocl.jar> org.gdchaos.backend.opencl.OpenClGemmThroughputMain
 * [N] [reps] [gemm.tk]}.
 */
public final class OpenClGemmThroughputMain {
    private OpenClGemmThroughputMain() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Map<String, String> options = new HashMap<>();
        if (args.length > 2) options.put("gemm.tk", args[2]);
        int k = 784;
        int n = 64;
        int batch = 16;
        try (OpenClBackend b = (OpenClBackend) new OpenClBackendProvider().create(new BackendOptions(options))) {
            System.out.println("device: " + b.device() + (args.length > 2 ? ", GEMM_TK " + args[2] : ""));
            for (DType t : DType.values()) {
                if (!b.supports(t)) continue;
                GemmShape s = new GemmShape(batch, rows, n, k, false, false, 1.0, 0.0);
                Buffer x = b.allocate(t, s.sizeA());
                Buffer w = b.allocate(t, s.sizeB() * batch);
                Buffer c = b.allocate(t, s.sizeC() * batch);
                b.fill(x, 0, x.length(), 0.5);
                b.fill(w, 0, w.length(), 0.25);
                View xa = View.shared(x);
                View wb = View.of(w, s.sizeB());
                View cc = View.of(c, s.sizeC());
                b.gemm(s, xa, wb, cc); // warm-up (includes the program build)
                b.finish();
                double[] seconds = new double[reps];
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    b.gemm(s, xa, wb, cc);
                    b.finish();
                    seconds[r] = (System.nanoTime() - t0) * 1e-9;
                }
                double[] check = new double[1];
                b.download(c, 0, check, 0, 1);
                if (Math.abs(check[0] - k * 0.125) > 1e-3) throw new AssertionError("wrong result " + check[0]);
                Arrays.sort(seconds);
                double median = seconds[reps / 2];
                System.out.printf("%s N=%d k=%d n=%d batch=%d shared A: median %.3f s, %.2f GFLOP/s (min %.3f s)%n",
                        t.label(), rows, k, n, batch, median, s.flops() / median * 1e-9, seconds[0]);
                x.close();
                w.close();
                c.close();
            }
        }
    }
}
