package org.gdchaos.lyapunov;

import java.util.Objects;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.DType;

/**
 * Settings of a Lyapunov measurement.
 *
 * @param method        paper, benettin, spectrum or tangent
 * @param replicas      replicas per cell for paper and benettin (M)
 * @param exponents     number of exponents K for spectrum and tangent
 * @param epsilon       paper: half-width of the U(−ε, ε) perturbation per parameter; benettin/spectrum:
 *                      the separation δ0 (tangent: unused)
 * @param renormEvery   τ, steps between renormalisations (benettin, spectrum, tangent)
 * @param transientStepssteps discarded before exponents accumulate (benettin, spectrum, tangent)
 * @param norm          distance for paper and benettin
 * @param perturbBiases whether biases are perturbed too (the paper perturbs weights only)
 * @param fit           fit rule for the paper method
 */
public record LyapunovConfig(Method method, int replicas, int exponents, double epsilon, int renormEvery,
                             int transientSteps, Norm norm, boolean perturbBiases, GrowthFit.Method fit) {
    public LyapunovConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(fit, "fit");
        if (replicas < 1) throw new IllegalArgumentException("--replicas must be ≥ 1, got " + replicas);
        if (exponents < 1) throw new IllegalArgumentException("--exponents must be ≥ 1, got " + exponents);
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("--epsilon must be a positive number, got " + epsilon);
        }
        if (renormEvery < 1) throw new IllegalArgumentException("--renorm-every must be ≥ 1, got " + renormEvery);
        if (transientSteps < 0) throw new IllegalArgumentException("--transient must be ≥ 0, got " + transientSteps);
    }

    /** The paper's protocol: 5 replicas, ε = 1e-8 on weights, L1, growth-phase fit. */
    public static LyapunovConfig paper() {
        return new LyapunovConfig(Method.PAPER, 5, 1, 1e-8, 1, 0, Norm.L1, false, GrowthFit.Method.GROWTH_PHASE);
    }

    /** Trajectories per cell: the reference plus replicas (paper, benettin) or K vectors (spectrum). */
    public int trajectoriesPerCell() {
        return switch (method) {
            case PAPER, BENETTIN -> 1 + replicas;
            case SPECTRUM -> 1 + exponents;
            case TANGENT -> 1;
        };
    }

    /** Number of exponents reported per cell. */
    public int reportedExponents() {
        return method == Method.SPECTRUM || method == Method.TANGENT ? exponents : 1;
    }

    /**
     * Refuses a perturbation too small to be resolved in {@code dtype} around parameters of typical
     * size {@code scale}: requires {@code ε ≥ 1000·u·scale} with u the unit round-off, so the replica
     * difference carries at least ~10 significant bits. Tangent vectors need no such check.
     *
     * @throws IllegalArgumentException with the fix
     */
    public void checkResolvable(DType dtype, double scale) {
        if (method == Method.TANGENT) return;
        double need = 1000 * dtype.epsilon() * Math.max(scale, 1e-300);
        if (epsilon < need) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "--epsilon %.3g cannot be resolved in %s: parameters of size ~%.3g carry a relative "
                            + "precision of %.1e, so perturbations below ~%.1e are lost in rounding. "
                            + "Use --dtype f64, a larger --epsilon, or --method tangent.",
                    epsilon, dtype.label(), scale, dtype.epsilon(), need));
        }
    }
}
