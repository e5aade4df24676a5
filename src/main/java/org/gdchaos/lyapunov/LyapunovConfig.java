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
 * @param transientSteps steps discarded before exponents accumulate (benettin, spectrum, tangent)
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
     * How much smaller than ε one perturbed component is, for {@code n} perturbed components: 1 for
     * paper (ε is the half-width of U(−ε, ε) on every component); for benettin and spectrum ε is the
     * size δ0 of the whole perturbation vector ({@link Benettin#placeAtDistance}), so a component is
     * ~ε/√n in L2 (spectrum always uses L2) and ~ε/n in L1. 0 for tangent (no finite perturbation).
     */
    public double componentShare(long n) {
        return switch (method) {
            case PAPER -> 1;
            case BENETTIN -> norm == Norm.L1 ? n : Math.sqrt(n);
            case SPECTRUM -> Math.sqrt(n);
            case TANGENT -> 0;
        };
    }

    /**
     * Refuses a perturbation too small to be resolved in {@code dtype} around parameters of typical
     * size {@code scale}: every perturbed component must be at least {@code 1000·u·scale} with u the
     * unit round-off, so the replica difference carries at least ~10 significant bits. That is
     * {@code ε ≥ 1000·u·scale·share} with share = {@link #componentShare}{@code (perturbed)}: 1 for
     * paper, √n (L2) or n (L1) for benettin and spectrum, whose ε is the size of the whole vector.
     * Tangent vectors need no such check.
     *
     * @param perturbed number n of perturbed parameters (weights, plus biases with {@code perturbBiases})
     * @throws IllegalArgumentException with the fix and the smallest acceptable ε
     */
    public void checkResolvable(DType dtype, double scale, long perturbed) {
        if (method == Method.TANGENT) return;
        double unit = 1000 * dtype.epsilon() * Math.max(scale, 1e-300);
        double share = componentShare(Math.max(1, perturbed));
        double need = unit * share;
        if (epsilon < need) {
            String spread = method == Method.PAPER ? ""
                    : String.format(java.util.Locale.ROOT, " δ0 = ε spread over %d perturbed parameters (%s) puts "
                            + "~%.1e on each, and", perturbed, method == Method.BENETTIN ? norm.label() : "l2",
                            epsilon / share);
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "--epsilon %.3g cannot be resolved in %s:%s parameters of size ~%.3g carry a relative "
                            + "precision of %.1e, so per-parameter perturbations below ~%.1e are lost in rounding. "
                            + "Use --dtype f64, a larger --epsilon (at least %.2g here), or --method tangent.",
                    epsilon, dtype.label(), spread, scale, dtype.epsilon(), unit, roundUp(need)));
        }
    }

    /** Number of perturbed parameters: the weights, plus the biases with {@code perturbBiases}. */
    public long perturbedParameters(org.gdchaos.nn.ParameterLayout layout) {
        if (perturbBiases) return layout.size();
        long n = 0;
        for (int l = 1; l <= layout.spec().layers(); l++) n += layout.weightCount(l);
        return n;
    }

    /** {@code x} rounded up to two significant digits (so a printed bound is itself acceptable). */
    private static double roundUp(double x) {
        double unit = Math.pow(10, Math.floor(Math.log10(x)) - 1);
        return Math.ceil(x / unit) * unit;
    }
}
