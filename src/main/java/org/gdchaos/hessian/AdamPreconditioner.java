package org.gdchaos.hessian;

import java.util.Objects;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.View;

/**
 * Adam's diagonal preconditioner at step t (docs/science.md#optimizer-thresholds),
 * {@code D = diag(c1/(√(c2·s) + ε))}, c1 = 1/(1 − β1^t), c2 = 1/(1 − β2^t), s the second-moment
 * state of trajectories 0, 1, … of {@code s} (stride P): Adam's update is {@code w ← w − η·D·m}
 * with this D, so its edge of stability bounds the top eigenvalue of {@code D·H}, measured as that
 * of the symmetric {@code D^{1/2}·H·D^{1/2}} ({@link Lanczos} with {@link #apply} on both sides of
 * the Hessian-vector product). Trajectory i follows {@code opts[i]} (the momentum axis gives each
 * cell its own β1); {@link #apply} makes one launch per run of equal optimizers.
 */
public final class AdamPreconditioner {
    private final Optimizer[] opts;
    private final long step;
    private final View s;
    /** Whether {@code opts} holds one optimizer for every trajectory. */
    private final boolean uniform;

    /**
     * @param opt  an ADAM optimizer, the same for every trajectory
     * @param step the step t ≥ 1 just taken (the state s is the one that step left)
     * @param s    the second moments, trajectory i at {@code s.at(i)}
     */
    public AdamPreconditioner(Optimizer opt, long step, View s) {
        this(new Optimizer[] {Objects.requireNonNull(opt, "opt")}, step, s, true);
    }

    /**
     * @param opts the ADAM optimizer of each trajectory 0, 1, … (as many as the calls' count at most)
     * @param step the step t ≥ 1 just taken
     * @param s    the second moments, trajectory i at {@code s.at(i)}
     */
    public AdamPreconditioner(Optimizer[] opts, long step, View s) {
        this(opts.clone(), step, s, false);
    }

    private AdamPreconditioner(Optimizer[] opts, long step, View s, boolean uniform) {
        Objects.requireNonNull(s, "s");
        for (Optimizer o : opts) {
            Objects.requireNonNull(o, "opt");
            if (o.kind() != Optimizer.Kind.ADAM) throw new IllegalArgumentException("a preconditioner needs Adam, got " + o);
        }
        if (step < 1) throw new IllegalArgumentException("step t must be ≥ 1, got " + step);
        this.opts = opts;
        this.step = step;
        this.s = s;
        this.uniform = uniform;
    }

    /** The optimizer of trajectory i. */
    public Optimizer opt(int i) {
        return uniform ? opts[0] : opts[i];
    }

    /** The step t. */
    public long step() {
        return step;
    }

    /** The same preconditioner for the trajectories from {@code first} on (trajectory first becomes 0). */
    public AdamPreconditioner shift(int first) {
        if (first == 0) return this;
        View moved = s.shift(first * s.stride());
        return uniform ? new AdamPreconditioner(opts, step, moved, true)
                : new AdamPreconditioner(java.util.Arrays.copyOfRange(opts, first, opts.length), step, moved, false);
    }

    /**
     * {@code y = D^{1/2}·x} for trajectories 0..count−1 (p elements each; y may alias x): the one
     * call site of {@link Backend#adamPrecondition}, once per run of trajectories with equal optimizer.
     */
    public void apply(Backend backend, int count, long p, View x, View y) {
        if (!uniform && count > opts.length) throw new IllegalArgumentException(count + " trajectories, " + opts.length + " optimizers");
        int from = 0;
        while (from < count) {
            int to = from + 1;
            while (to < count && opt(to).equals(opt(from))) to++;
            backend.adamPrecondition(opt(from), step, to - from, p, from == 0 ? s : s.shift(from * s.stride()),
                    from == 0 ? x : x.shift(from * x.stride()), from == 0 ? y : y.shift(from * y.stride()));
            from = to;
        }
    }
}
