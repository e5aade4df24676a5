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
 * the Hessian-vector product).
 *
 * @param opt  an ADAM optimizer
 * @param step the step t ≥ 1 just taken (the state s is the one that step left)
 * @param s    the second moments, trajectory i at {@code s.at(i)}
 */
public record AdamPreconditioner(Optimizer opt, long step, View s) {
    public AdamPreconditioner {
        Objects.requireNonNull(opt, "opt");
        Objects.requireNonNull(s, "s");
        if (opt.kind() != Optimizer.Kind.ADAM) throw new IllegalArgumentException("a preconditioner needs Adam, got " + opt);
        if (step < 1) throw new IllegalArgumentException("step t must be ≥ 1, got " + step);
    }

    /** The same preconditioner for the trajectories from {@code first} on (trajectory first becomes 0). */
    public AdamPreconditioner shift(int first) {
        return first == 0 ? this : new AdamPreconditioner(opt, step, s.shift(first * s.stride()));
    }

    /**
     * {@code y = D^{1/2}·x} for trajectories 0..count−1 (p elements each; y may alias x): the one
     * call site of {@link Backend#adamPrecondition}. A per-trajectory optimizer calls it per run of
     * equal hyperparameters over {@link #shift}ed views.
     */
    public void apply(Backend backend, int count, long p, View x, View y) {
        backend.adamPrecondition(opt, step, count, p, s, x, y);
    }
}
