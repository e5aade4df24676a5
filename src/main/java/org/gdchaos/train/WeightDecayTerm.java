package org.gdchaos.train;

import java.util.Arrays;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ParameterLayout;

/**
 * The L2 penalty of weight decay (docs/science.md#weight-decay) for up to T trajectories, each
 * with its own coefficient λ_b: on the decayed coordinates D (the weights W_l of every layer,
 * and the biases too when {@code biases}),
 * <pre>
 *   R(w) = (λ/2)·Σ_{k∈D} w_k²,   ∇R = λ·w on D (0 elsewhere),   ∇²R = λ·I on D (0 elsewhere)
 * </pre>
 * so the objective is {@code L(w) + R(w)}, its gradient {@code ∇L + λ·w_D} and its
 * Hessian-vector product {@code H·v + λ·v_D}. Every operation is a batched backend call
 * ({@code axpby} with per-trajectory scalars, {@code reduce} for the squared norm), one per
 * decayed range. When every λ is 0 the term is {@link #active() inactive} and callers skip it,
 * so results are bit-identical to training without it.
 */
public final class WeightDecayTerm implements AutoCloseable {
    private final Backend backend;
    private final ParameterLayout layout;
    private final int t;
    private final long p;
    /** λ at [0, T), λ/2 at [T, 2T), the constant 1 at 2T. */
    private final Buffer coeff;
    private final Buffer scratch;
    private final double[] lambda;
    private boolean biases;
    private boolean active;

    public WeightDecayTerm(Backend backend, DType dtype, ParameterLayout layout, int trajectories) {
        if (trajectories < 1) throw new IllegalArgumentException("trajectories must be ≥ 1");
        this.backend = backend;
        this.layout = layout;
        this.t = trajectories;
        this.p = layout.size();
        this.lambda = new double[trajectories];
        try (Allocations a = new Allocations()) {
            coeff = a.add(backend.allocate(dtype, 2L * trajectories + 1));
            scratch = a.add(backend.allocate(dtype, trajectories));
            a.keep();
        }
        backend.fill(coeff, 0, 2L * trajectories, 0);
        backend.fill(coeff, 2L * trajectories, 1, 1);
    }

    /**
     * Sets λ_b of batch positions 0..λ.length−1 (the rest 0).
     *
     * @param lambda per-position coefficients, finite and ≥ 0; null means all 0
     * @param biases whether the biases are decayed too
     * @throws IllegalArgumentException for more than T values or a negative or non-finite one
     */
    public void set(double[] lambda, boolean biases) {
        double[] l = lambda == null ? new double[0] : lambda;
        if (l.length > t) throw new IllegalArgumentException(l.length + " weight decays for " + t + " trajectories");
        double[] host = new double[2 * t];
        boolean any = false;
        for (int b = 0; b < t; b++) {
            double v = b < l.length ? l[b] : 0;
            if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException("weight decay must be finite and ≥ 0, got " + v);
            this.lambda[b] = v;
            host[b] = v;
            host[t + b] = v / 2;
            any |= v != 0;
        }
        this.biases = biases;
        this.active = any;
        backend.upload(host, 0, coeff, 0, 2 * t);
    }

    /** Whether any λ is non-zero (otherwise every add is skipped). */
    public boolean active() {
        return active;
    }

    /** Whether the biases are decayed too. */
    public boolean biases() {
        return biases;
    }

    /** λ of every position (a copy). */
    public double[] lambdas() {
        return lambda.clone();
    }

    private View lambdaView() {
        return View.of(coeff, 1);
    }

    private View halfLambdaView() {
        return new View(coeff, t, 1);
    }

    private View one() {
        return new View(coeff, 2L * t, 0);
    }

    /** Decayed ranges {offset, length}: all of P with biases, else each layer's W_l. */
    private long[][] ranges() {
        if (biases) return new long[][] {{0, p}};
        int layers = layout.spec().layers();
        long[][] r = new long[layers][];
        for (int l = 1; l <= layers; l++) r[l - 1] = new long[] {layout.weightOffset(l), layout.weightCount(l)};
        return r;
    }

    /**
     * {@code y[b] += λ_b·x[b]} on the decayed coordinates, positions 0..count−1 (x and y of
     * stride P): the penalty's gradient when x is the parameters, its Hessian-vector product
     * when x is the direction. Nothing when inactive.
     */
    public void addScaled(int count, View x, View y) {
        if (!active) return;
        check(count);
        for (long[] r : ranges()) backend.axpby(count, r[1], lambdaView(), x.shift(r[0]), one(), y.shift(r[0]));
    }

    /**
     * {@code loss[b] += (λ_b/2)·‖w_D[b]‖²} for positions 0..count−1 (params of stride P, loss of
     * any stride). Nothing when inactive.
     */
    public void addPenalty(int count, View params, View loss) {
        if (!active) return;
        check(count);
        View s = View.of(scratch, 1);
        for (long[] r : ranges()) {
            backend.reduce(Reduction.SUM_SQ, count, r[1], params.shift(r[0]), null, s);
            backend.axpby(count, 1, halfLambdaView(), s, one(), loss);
        }
    }

    private void check(int count) {
        if (count < 1 || count > t) throw new IllegalArgumentException("count " + count + " of " + t);
    }

    /**
     * The penalty {@code (λ/2)·Σ_{k∈D} w_k²} of one host parameter vector (for result columns).
     */
    public static double penalty(ParameterLayout layout, double[] w, double lambda, boolean biases) {
        if (lambda == 0) return 0;
        double s = 0;
        for (int k = 0; k < w.length; k++) if (biases || layout.isWeight(k)) s += w[k] * w[k];
        return lambda / 2 * s;
    }

    /** Whether a λ array has a non-zero entry. */
    public static boolean any(double[] lambda) {
        return lambda != null && Arrays.stream(lambda).anyMatch(v -> v != 0);
    }

    @Override
    public void close() {
        try (coeff; scratch) {
            // both released
        }
    }
}
