package org.gdchaos.hessian;

import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.View;
import org.gdchaos.train.DeviceData;

/**
 * Gradient flow {@code dw/dt = −∇L(w)} for every trajectory, integrated with the embedded
 * Dormand–Prince 5(4) Runge–Kutta pair (FSAL, 6 new gradients per step), batched over
 * trajectories with per-trajectory step sizes h_t on the host:
 * <pre>
 *   y_i = w − h·Σ_{j&lt;i} a_ij·G_j,  G_i = ∇L(y_i)   (i = 1..7; y_7 = 5th-order solution w⁺)
 *   err = h·Σ_j (b_j − b̂_j)·G_j,    ε = (‖err‖/√P) / (absTol + relTol·‖w‖/√P)
 *   ε ≤ 1: accept (w ← w⁺, G_1 ← G_7, t += h);  h ← h·clamp(0.9·ε^(−1/5), 0.2, 5)  (≤ 1 after a rejection)
 * </pre>
 * An accepted step must not increase the loss (it decreases along the exact flow; relative slack
 * max(1e-6, 1000·u) for rounding); one that
 * does is past the explicit method's stability limit (h·S ≳ 3.3 for the sharpness S) and is
 * rejected with a permanent cap {@code h_max = h/2} for that trajectory — without it, error
 * control alone parks h on the stability boundary and the gradient stalls near the minimum.
 * A trajectory stops (h = 0) when {@code ‖∇L(w)‖ ≤ gradientTolerance}, its time reaches maxTime,
 * or its values become non-finite. Initial step {@code h_0 = 0.01·max(‖w‖, 1e-3)/‖∇L(w)‖}.
 */
public final class GradientFlow implements AutoCloseable {
    static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

    private final SecondOrderNetwork mlp;
    private final FlowConfig config;
    private final Backend backend;
    private final int t;
    private final long p;
    private final Buffer w;
    private final Buffer y;
    private final Buffer err;
    private final Buffer[] g = new Buffer[7];
    private final Buffer loss;
    private final BatchedVectors ops;

    /**
     * Per-trajectory outcome.
     *
     * @param finalLoss    L at the end point
     * @param gradientNorm ‖∇L‖ at the end point
     * @param time         flow time reached
     * @param steps        accepted steps
     * @param converged    whether ‖∇L‖ ≤ gradientTolerance was reached
     */
    public record Result(double[] finalLoss, double[] gradientNorm, double[] time, int[] steps, boolean[] converged) {
    }

    public GradientFlow(SecondOrderNetwork mlp, FlowConfig config) {
        this.mlp = mlp;
        this.config = config;
        this.backend = mlp.backend();
        this.t = mlp.trajectories();
        this.p = mlp.p();
        try (Allocations a = new Allocations()) { // a failed allocation releases the earlier ones
            w = a.add(backend.allocate(mlp.dtype(), t * p));
            y = a.add(backend.allocate(mlp.dtype(), t * p));
            err = a.add(backend.allocate(mlp.dtype(), t * p));
            for (int i = 0; i < 7; i++) g[i] = a.add(backend.allocate(mlp.dtype(), t * p));
            loss = a.add(backend.allocate(mlp.dtype(), t));
            ops = a.add(new BatchedVectors(backend, mlp.dtype(), t, p));
            a.keep();
        }
    }

    /** The end points of the last {@link #run}, entry t at t·P. */
    public View solution() {
        return View.of(w, p);
    }

    private View v(Buffer b) {
        return View.of(b, p);
    }

    /** Integrates from {@code start} (stride P) for trajectories 0..count−1 (count ≤ T). */
    public Result run(DeviceData data, View start, int count) {
        if (count < 1 || count > t) throw new IllegalArgumentException("count " + count + " of " + t);
        ops.copy(count, start, v(w));
        mlp.gradient(data, v(w), count, v(g[0]), View.of(loss, 1));
        double[] gn = ops.norms(count, v(g[0]));
        double[] lossNow = new double[count];
        backend.download(loss, 0, lossNow, 0, count);
        double[] hMax = new double[count];
        java.util.Arrays.fill(hMax, Double.POSITIVE_INFINITY);
        double[] wn = ops.norms(count, v(w));
        double[] h = new double[count];
        double[] time = new double[count];
        int[] steps = new int[count];
        boolean[] done = new boolean[count];
        boolean[] conv = new boolean[count];
        double sqrtP = Math.sqrt(p);
        for (int i = 0; i < count; i++) {
            h[i] = Math.min(0.01 * Math.max(wn[i], 1e-3) / Math.max(gn[i], 1e-300), config.maxTime());
            updateDone(i, gn, time, done, conv, h);
        }
        boolean[] rejectedLast = new boolean[count];
        double slack = Math.max(1e-6, 1e3 * mlp.dtype().epsilon()); // loss rounding near the minimum
        for (int iter = 0; iter < config.maxSteps() && !all(done); iter++) {
            for (int s = 1; s < 7; s++) {
                ops.copy(count, v(w), v(y));
                for (int j = 0; j < s; j++) {
                    if (A[s][j] == 0) continue;
                    ops.axpy(count, times(h, -A[s][j]), v(g[j]), v(y));
                }
                mlp.gradient(data, v(y), count, v(g[s]), s == 6 ? View.of(loss, 1) : null);
            }
            backend.fill(err, 0, count * p, 0);
            for (int j = 0; j < 7; j++) if (E[j] != 0) ops.axpy(count, times(h, E[j]), v(g[j]), v(err));
            double[] en = ops.norms(count, v(err));
            double[] lossNew = new double[count];
            backend.download(loss, 0, lossNew, 0, count);
            double[] acc = new double[count];
            for (int i = 0; i < count; i++) {
                if (done[i]) continue;
                double eps = (en[i] / sqrtP) / (config.absTol() + config.relTol() * wn[i] / sqrtP);
                double fac = Double.isFinite(eps) ? 0.9 * Math.pow(Math.max(eps, 1e-10), -0.2) : 0.2;
                boolean ascent = lossNew[i] > lossNow[i] * (1 + slack) + Double.MIN_NORMAL;
                if (eps <= 1 && ascent) {
                    // the loss must decrease along the flow: h is past the stability limit
                    hMax[i] = 0.5 * h[i];
                    h[i] = hMax[i];
                    rejectedLast[i] = true;
                } else if (eps <= 1) {
                    acc[i] = 1;
                    lossNow[i] = lossNew[i];
                    time[i] += h[i];
                    steps[i]++;
                    h[i] *= Math.min(rejectedLast[i] ? 1 : 5, Math.max(0.2, fac));
                    rejectedLast[i] = false;
                } else {
                    h[i] *= Math.max(0.2, Math.min(fac, 0.9));
                    rejectedLast[i] = true;
                }
                h[i] = Math.min(Math.min(h[i], hMax[i]), Math.max(config.maxTime() - time[i], 0));
            }
            for (int i = 0; i < count; i++) {
                if (acc[i] == 0) continue; // rejected or stopped: keep w and G_1 (NaN-safe)
                backend.copy(y, i * p, w, i * p, p);
                backend.copy(g[6], i * p, g[0], i * p, p);
            }
            gn = ops.norms(count, v(g[0]));
            wn = ops.norms(count, v(w));
            for (int i = 0; i < count; i++) {
                if (!done[i]) updateDone(i, gn, time, done, conv, h);
                if (!Double.isFinite(wn[i])) {
                    done[i] = true;
                    h[i] = 0;
                }
            }
        }
        mlp.gradient(data, v(w), count, v(g[0]), View.of(loss, 1));
        gn = ops.norms(count, v(g[0]));
        double[] l = new double[count];
        backend.download(loss, 0, l, 0, count);
        for (int i = 0; i < count; i++) conv[i] = gn[i] <= config.gradientTolerance();
        return new Result(l, gn, time, steps, conv);
    }

    private void updateDone(int i, double[] gn, double[] time, boolean[] done, boolean[] conv, double[] h) {
        if (!(gn[i] > config.gradientTolerance()) || time[i] >= config.maxTime() || h[i] <= 0) {
            done[i] = true;
            conv[i] = gn[i] <= config.gradientTolerance();
            h[i] = 0;
        }
    }

    private static double[] times(double[] h, double c) {
        double[] r = new double[h.length];
        for (int i = 0; i < h.length; i++) r[i] = h[i] * c;
        return r;
    }

    private static boolean all(boolean[] b) {
        for (boolean x : b) if (!x) return false;
        return true;
    }

    @Override
    public void close() {
        w.close();
        y.close();
        err.close();
        for (Buffer b : g) b.close();
        loss.close();
        ops.close();
    }
}
