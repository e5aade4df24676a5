package org.gdchaos.lyapunov;

import org.gdchaos.InputException;
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
        if (replicas < 1) {
            throw new InputException(LyapunovSetting.REPLICAS.key(), "the number of replicas must be ≥ 1, got " + replicas);
        }
        if (exponents < 1) {
            throw new InputException(LyapunovSetting.EXPONENTS.key(), "the number of exponents must be ≥ 1, got "
                    + exponents);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new InputException(LyapunovSetting.EPSILON.key(), "the perturbation size ε must be a positive number, "
                    + "got " + epsilon);
        }
        if (renormEvery < 1) {
            throw new InputException(LyapunovSetting.RENORM_EVERY.key(), "the renormalisation interval must be ≥ 1 "
                + "step, got " + renormEvery);
        }
        if (transientSteps < 0) {
            throw new InputException(LyapunovSetting.TRANSIENT.key(), "the transient must be ≥ 0 steps, got "
                + transientSteps);
        }
    }

    /**
     * The defaults of {@code method} ({@link LyapunovMethod#defaults}): start from these and change
     * settings by name, e.g. {@code LyapunovConfig.of(Method.BENETTIN).withReplicas(2).withEpsilon(1e-6)}.
     */
    public static LyapunovConfig of(Method method) {
        return method.impl().defaults();
    }

    /** This with M replicas per cell (paper, benettin). */
    public LyapunovConfig withReplicas(int m) {
        return new LyapunovConfig(method, m, exponents, epsilon, renormEvery, transientSteps, norm, perturbBiases, fit);
    }

    /** This with K exponents (spectrum, tangent). */
    public LyapunovConfig withExponents(int k) {
        return new LyapunovConfig(method, replicas, k, epsilon, renormEvery, transientSteps, norm, perturbBiases, fit);
    }

    /** This with perturbation size ε (δ0 for benettin and spectrum). */
    public LyapunovConfig withEpsilon(double e) {
        return new LyapunovConfig(method, replicas, exponents, e, renormEvery,
                transientSteps, norm, perturbBiases, fit);
    }

    /** This with τ steps between renormalisations. */
    public LyapunovConfig withRenormEvery(int tau) {
        return new LyapunovConfig(method, replicas, exponents, epsilon, tau, transientSteps, norm, perturbBiases, fit);
    }

    /** This with {@code t} transient steps. */
    public LyapunovConfig withTransientSteps(int t) {
        return new LyapunovConfig(method, replicas, exponents, epsilon, renormEvery, t, norm, perturbBiases, fit);
    }

    /** This with distance {@code n} (paper, benettin). */
    public LyapunovConfig withNorm(Norm n) {
        return new LyapunovConfig(method, replicas, exponents, epsilon, renormEvery,
                transientSteps, n, perturbBiases, fit);
    }

    /** This with biases perturbed too, or not. */
    public LyapunovConfig withPerturbBiases(boolean b) {
        return new LyapunovConfig(method, replicas, exponents, epsilon, renormEvery, transientSteps, norm, b, fit);
    }

    /** This with fit rule {@code f} (paper). */
    public LyapunovConfig withFit(GrowthFit.Method f) {
        return new LyapunovConfig(method, replicas, exponents, epsilon, renormEvery,
                transientSteps, norm, perturbBiases, f);
    }

    /** The paper's protocol: 5 replicas, ε = 1e-8 on weights, L1, growth-phase fit. */
    public static LyapunovConfig paper() {
        return Method.PAPER.impl().defaults();
    }

    /** Trajectories per cell: the reference plus replicas (paper, benettin) or K vectors (spectrum). */
    public int trajectoriesPerCell() {
        return method.impl().trajectoriesPerCell(this);
    }

    /** Number of exponents reported per cell. */
    public int reportedExponents() {
        return method.impl().reportedExponents(this);
    }

    /**
     * How much smaller than ε one perturbed component is, for {@code n} perturbed components: 1 for
     * paper (ε is the half-width of U(−ε, ε) on every component); for benettin and spectrum ε is the
     * size δ0 of the whole perturbation vector ({@link Benettin#placeAtDistance}), so a component is
     * ~ε/√n in L2 (spectrum always uses L2) and ~ε/n in L1. 0 for tangent (no finite perturbation).
     */
    public double componentShare(long n) {
        return method.impl().componentShare(this, n);
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
        checkResolvable(dtype, scale, perturbed, "perturbed parameters");
    }

    /**
     * {@link #checkResolvable(DType, double, long)} over the components a replica's perturbation
     * is actually spread on ({@link #perturbedComponents}): with an optimizer with state, benettin
     * and spectrum place δ0 on the weights and on v (Adam: on m), so each component gets ε/√(2n)
     * in L2, not ε/√n.
     */
    public void checkResolvable(DType dtype, double scale, org.gdchaos.nn.ParameterLayout layout,
                                org.gdchaos.backend.Optimizer optimizer) {
        long n = perturbedComponents(layout, optimizer);
        checkResolvable(dtype, scale, n, n == perturbedParameters(layout) ? "perturbed parameters"
                : "perturbed components (the parameters and the optimizer's "
                + (optimizer.kind() == org.gdchaos.backend.Optimizer.Kind.ADAM ? "m" : "v") + ")");
    }

    private void checkResolvable(DType dtype, double scale, long perturbed, String what) {
        if (componentShare(1) == 0) return; // no finite perturbation
        double unit = 1000 * dtype.epsilon() * Math.max(scale, 1e-300);
        double share = componentShare(Math.max(1, perturbed));
        double need = unit * share;
        if (epsilon < need) {
            String spread = share == 1 ? ""
                    : String.format(java.util.Locale.ROOT, " δ0 = ε spread over %d %s (%s) puts "
                            + "~%.1e on each, and", perturbed, what, method.impl().uses().contains(LyapunovSetting.NORM) ? norm.label() : "l2",
                            epsilon / share);
            throw new InputException(LyapunovSetting.EPSILON.key(), String.format(java.util.Locale.ROOT,
                    "ε = %.3g cannot be resolved in %s:%s parameters of size ~%.3g carry a relative "
                            + "precision of %.1e, so per-parameter perturbations below ~%.1e are lost in rounding. "
                            + "Use f64, a larger ε (at least %.2g here), or the tangent method.",
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

    /**
     * Number of components a replica's initial perturbation is spread on: {@link #perturbedParameters}
     * times the perturbed state parts ({@link Benettin#perturbedParts}: 1 for GD, 2 for (w, v) and
     * for Adam's (w, m)) for benettin and spectrum, which perturb the whole state; the perturbed
     * parameters for paper (weights only) and tangent.
     */
    public long perturbedComponents(org.gdchaos.nn.ParameterLayout layout, org.gdchaos.backend.Optimizer optimizer) {
        boolean whole = method == Method.BENETTIN || method == Method.SPECTRUM;
        return perturbedParameters(layout) * (whole ? Benettin.perturbedParts(optimizer) : 1);
    }

    /** {@code x} rounded up to two significant digits (so a printed bound is itself acceptable). */
    private static double roundUp(double x) {
        double unit = Math.pow(10, Math.floor(Math.log10(x)) - 1);
        return Math.ceil(x / unit) * unit;
    }
}
