package org.gdchaos.hessian;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.train.DeviceData;

/**
 * Top-k Hessian eigenvalues ("sharpness" = the largest) of every trajectory, by Lanczos with
 * full re-orthogonalisation on the exact Hessian-vector product of {@link SecondOrderNetwork},
 * batched over trajectories. Per trajectory, from a random unit q_0:
 * <pre>
 *   w = H q_j;  α_j = q_j·w;  w ← w − Σ_{i≤j} (q_i·w) q_i   (modified Gram–Schmidt, twice)
 *   β_j = ‖w‖;  q_{j+1} = w / β_j
 * </pre>
 * The Ritz values θ of the tridiagonal T_{j+1} = tridiag(β, α, β) ({@link Tridiagonal}) approximate
 * the extreme eigenvalues (largest algebraic first). A trajectory stops when its top-k
 * residuals {@code |β_j·s_{j,i}|} are below {@code tolerance·|θ_1|} (see {@link LanczosConfig});
 * when the Krylov space becomes invariant before k Ritz values exist, the iteration restarts
 * with a fresh random vector orthogonal to the basis (β_j = 0). Stopped trajectories carry a zero
 * vector, so the batch runs until all stopped or m = min(maxIterations, P) steps.
 * Trajectories are processed in groups of the engine's batch size T.
 */
public final class Lanczos implements AutoCloseable {
    private final SecondOrderNetwork mlp;
    private final LanczosConfig config;
    private final Backend backend;
    private final int t;
    private final long p;
    private final int m;
    private final Buffer basis; // (m+1) × T × P
    private final Buffer w;     // T × P
    private final BatchedVectors ops;

    /** Eigenvalues per trajectory with the Lanczos steps taken and whether the tolerance was met. */
    public record Result(double[][] eigenvalues, int[] iterations, boolean[] converged) {
        /** Largest eigenvalue of trajectory t. */
        public double sharpness(int t) {
            return eigenvalues[t][0];
        }
    }

    public Lanczos(SecondOrderNetwork mlp, LanczosConfig config) {
        this.mlp = mlp;
        this.config = config;
        this.backend = mlp.backend();
        this.t = mlp.trajectories();
        this.p = mlp.p();
        this.m = (int) Math.min(config.maxIterations(), p);
        try (Allocations a = new Allocations()) { // a failed allocation releases the earlier ones
            basis = a.add(backend.allocate(mlp.dtype(), (m + 1) * t * p));
            w = a.add(backend.allocate(mlp.dtype(), t * p));
            ops = a.add(new BatchedVectors(backend, mlp.dtype(), t, p));
            a.keep();
        }
    }

    /**
     * Top-k eigenvalues (descending) of H at {@code params} (stride P) for trajectories 0..count−1.
     * NaN for a trajectory whose Hessian products are not finite. Trajectory i starts from the
     * random vector of key i; see {@link #topEigenvalues(DeviceData, View, int, int, long[])}.
     */
    public Result topEigenvalues(DeviceData data, View params, int count, int k) {
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) keys[i] = i;
        return topEigenvalues(data, params, count, k, keys);
    }

    /**
     * As {@link #topEigenvalues(DeviceData, View, int, int)}, with trajectory i's random start (and
     * restart) vectors drawn from {@code (seed, keys[i])}: a caller that keys trajectories by what
     * they are (e.g. a sweep's cell) gets results that do not depend on their position in a batch.
     */
    public Result topEigenvalues(DeviceData data, View params, int count, int k, long[] keys) {
        return topEigenvalues(data, params, count, k, keys, null);
    }

    /**
     * As {@link #topEigenvalues(DeviceData, View, int, int, long[])}, of {@code D^{1/2}·H·D^{1/2}}
     * (whose eigenvalues are those of D·H) when {@code pre} is not null: Adam's preconditioned
     * sharpness (docs/science.md#optimizer-thresholds), {@code pre}'s trajectory i that of
     * {@code params}' trajectory i.
     */
    public Result topEigenvalues(DeviceData data, View params, int count, int k, long[] keys, AdamPreconditioner pre) {
        if (k < 1 || k > p) throw new IllegalArgumentException("k = " + k + " eigenvalues of a " + p + "-parameter model");
        if (keys.length < count) throw new IllegalArgumentException(keys.length + " keys for " + count + " trajectories");
        double[][] values = new double[count][];
        int[] iters = new int[count];
        boolean[] conv = new boolean[count];
        for (int g0 = 0; g0 < count; g0 += t) {
            int n = Math.min(t, count - g0);
            group(data, params.shift(g0 * params.stride()), n, k, g0, keys, values, iters, conv,
                    pre == null ? null : pre.shift(g0));
        }
        return new Result(values, iters, conv);
    }

    private View q(int j) {
        return new View(basis, (long) j * t * p, p);
    }

    private void group(DeviceData data, View params, int n, int k, int g0, long[] keys, double[][] values,
                       int[] iters, boolean[] conv, AdamPreconditioner pre) {
        View wv = View.of(w, p);
        double[][] alpha = new double[n][m];
        double[][] beta = new double[n][m];
        boolean[] done = new boolean[n];
        int[] size = new int[n];
        backend.fill(basis, 0, (m + 1) * t * p, 0);
        for (int i = 0; i < n; i++) randomUnit(0, i, keys[g0 + i], 0);
        for (int j = 0; j < m; j++) {
            operator(data, params, n, j, wv, pre);
            double[] a = ops.reduce(Reduction.DOT, n, q(j), wv);
            for (int pass = 0; pass < 2; pass++) for (int i = 0; i <= j; i++) ops.project(n, q(i), wv);
            double[] b = ops.norms(n, wv);
            double[] inv = new double[n];
            boolean restart = false;
            for (int i = 0; i < n; i++) {
                if (done[i]) continue;
                alpha[i][j] = a[i];
                beta[i][j] = b[i];
                size[i] = j + 1;
                iters[g0 + i] = j + 1;
                if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                    done[i] = true;
                    values[g0 + i] = nan(k);
                    continue;
                }
                double scaleEst = 0;
                for (int r = 0; r <= j; r++) scaleEst = Math.max(scaleEst, Math.abs(alpha[i][r]) + beta[i][r]);
                boolean invariant = b[i] <= 1e3 * mlp.dtype().epsilon() * Math.max(scaleEst, 1e-300);
                if (invariant) beta[i][j] = 0;
                if (j + 1 >= k) {
                    double[][] ev = Tridiagonal.eigen(alpha[i], beta[i], j + 1);
                    boolean ok = true;
                    double ref = Math.max(Math.abs(ev[0][0]), 1e-30);
                    for (int r = 0; r < k; r++) ok &= Math.abs(beta[i][j] * ev[1][r]) <= config.tolerance() * ref;
                    if (ok || j + 1 == m) {
                        done[i] = true;
                        conv[g0 + i] = ok;
                        values[g0 + i] = Arrays.copyOf(ev[0], k);
                        continue;
                    }
                }
                if (invariant) {
                    restart = true;
                    inv[i] = -1;
                } else {
                    inv[i] = 1 / b[i];
                }
            }
            if (j + 1 == m) break;
            boolean any = false;
            for (boolean d : done) any |= !d;
            if (!any) break;
            if (restart) {
                for (int i = 0; i < n; i++) {
                    if (inv[i] == -1) randomInto(wv, i, keys[g0 + i], j + 1);
                }
                for (int pass = 0; pass < 2; pass++) for (int i = 0; i <= j; i++) ops.project(n, q(i), wv);
                double[] b2 = ops.norms(n, wv);
                for (int i = 0; i < n; i++) if (inv[i] == -1) inv[i] = b2[i] > 0 ? 1 / b2[i] : 0;
            }
            for (int i = 0; i < n; i++) if (done[i]) inv[i] = 0;
            ops.axpby(n, inv, wv, new double[n], q(j + 1));
        }
        for (int i = 0; i < n; i++) {
            if (values[g0 + i] == null) {
                double[][] ev = Tridiagonal.eigen(alpha[i], beta[i], Math.max(size[i], 1));
                values[g0 + i] = Arrays.copyOf(ev[0], k);
            }
            if (values[g0 + i].length > k) values[g0 + i] = Arrays.copyOf(values[g0 + i], k);
            for (int r = 0; r < k; r++) if (r >= size[i]) values[g0 + i][r] = Double.NaN;
        }
    }

    /**
     * {@code w = A·q_j} with A = H, or {@code D^{1/2}·H·D^{1/2}} under a preconditioner; q_{j+1}
     * (not yet written: the step ends by overwriting it) holds {@code D^{1/2}·q_j} meanwhile.
     */
    private void operator(DeviceData data, View params, int n, int j, View wv, AdamPreconditioner pre) {
        if (pre == null) {
            mlp.hvp(data, params, n, q(j), wv, 1);
            return;
        }
        View scratch = q(j + 1);
        pre.apply(backend, n, p, q(j), scratch);
        mlp.hvp(data, params, n, scratch, wv, 1);
        pre.apply(backend, n, p, wv, wv);
    }

    private double[] gaussian(long global, int salt) {
        SplittableRandom rng = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (global + 1)) ^ salt);
        double[] v = new double[(int) p];
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = nextGaussian(rng);
            s += v[i] * v[i];
        }
        s = Math.sqrt(s);
        for (int i = 0; i < v.length; i++) v[i] /= s;
        return v;
    }

    private static double nextGaussian(SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    private void randomUnit(int j, int local, long global, int salt) {
        double[] v = gaussian(global, salt);
        backend.upload(v, 0, basis, q(j).at(local), v.length);
    }

    private void randomInto(View dst, int local, long global, int salt) {
        double[] v = gaussian(global, salt);
        backend.upload(v, 0, dst.buffer(), dst.at(local), v.length);
    }

    private static double[] nan(int k) {
        double[] v = new double[k];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    @Override
    public void close() {
        basis.close();
        w.close();
        ops.close();
    }
}
