import java.util.Random;
import org.gdchaos.api.Gdchaos;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;

/**
 * A batched GEMM over many trajectories on the best available backend: {@code C[t] = X·W[t]} for
 * {@code t < T}, with one data matrix X (m×k) shared by every trajectory (a stride-0 view) and one
 * weight matrix W[t] (k×n) per trajectory. Checked against a plain triple loop; fails (exit status 1)
 * when they differ by more than round-off.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/gdchaos.jar examples/BatchedGemm.java [backend]}
 */
public class BatchedGemm {
    public static void main(String[] args) {
        int trajectories = 256, m = 64, k = 32, n = 16;
        Random rng = new Random(42);
        double[] x = new double[m * k];
        double[] w = new double[trajectories * k * n];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();

        double[] c = new double[trajectories * m * n];
        String device;
        try (Backend be = Gdchaos.openBackend(args.length > 0 ? args[0] : "auto", DType.F64);
             Buffer bx = be.allocate(DType.F64, x.length);
             Buffer bw = be.allocate(DType.F64, w.length);
             Buffer bc = be.allocate(DType.F64, c.length)) {
            device = be.name() + " (" + be.device() + ")";
            be.upload(x, 0, bx, 0, x.length);
            be.upload(w, 0, bw, 0, w.length);
            GemmShape shape = new GemmShape(trajectories, m, n, k, false, false, 1.0, 0.0);
            // X: stride 0, the same matrix for every trajectory; W and C: one matrix per trajectory
            be.gemm(shape, View.shared(bx), View.of(bw, (long) k * n), View.of(bc, (long) m * n));
            be.download(bc, 0, c, 0, c.length);
        }

        double maxErr = 0, maxRef = 0;
        for (int t = 0; t < trajectories; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += x[i * k + p] * w[t * k * n + p * n + j];
                    maxErr = Math.max(maxErr, Math.abs(s - c[t * m * n + i * n + j]));
                    maxRef = Math.max(maxRef, Math.abs(s));
                }
            }
        }
        double tolerance = 1e-12 * k * maxRef;
        System.out.println("backend: " + device);
        System.out.printf("%d trajectories of (%dx%d)·(%dx%d): max |C - loop| = %.3g (tolerance %.3g)%n",
                trajectories, m, k, k, n, maxErr, tolerance);
        if (!(maxErr <= tolerance)) throw new IllegalStateException("the backend's GEMM differs from the loop");
        System.out.println("OK");
    }
}
