package org.gdchaos.lyapunov;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gdchaos.analysis.RenormIntervals;
import org.gdchaos.train.Ensemble;

/**
 * Benettin's maximum exponent: M replicas start at distance δ0 (= ε) from the reference in
 * random directions; every τ steps the distance d is measured, {@code ln(d/δ0)} is added when the
 * interval since the previous renormalisation started at or after the transient
 * ({@link RenormIntervals}), and the replica is pulled back to {@code ref + δ0·(rep − ref)/d}. The
 * distance and the pull-back act on the whole state (w, v) of an optimizer with state
 * (docs/science.md#optimizer-lyapunov). Adam: the replicas start perturbed on (w, m) only, with the
 * reference's s ({@link #perturbedParts}); a pull-back with δ0/d ≤ 1 is a convex combination of two
 * states with s ≥ 0, so it keeps s ≥ 0, and one with δ0/d &gt; 1 (a contracting interval) may not, so
 * after it the replica's s is clamped to max(s, 0); the distance measured after that is the
 * placement check below, so a clamp that moves the replica by more than 1% of δ0 marks the cell
 * precision lost. The estimate after the renormalisation at step s is {@code λ1(s) = ⟨Σ ln(d/δ0)⟩_r / n(s)} with n(s)
 * the steps the counted intervals cover; its history is the curve {@code lambda_running}. The
 * standard error is that of the mean of the per-interval local exponents ({@link LocalRates}).
 *
 * <p>Precision lost (docs/science.md#precision-lost): when the weights grow huge but stay finite,
 * the replica {@code ref + δ0·u} rounds back towards {@code ref}; d then reads 0 (exactly) or the
 * renormalised replica is no longer at δ0. After each renormalisation the distance is measured
 * again, and a cell is marked by {@link #precisionLost(double, double, double)}, or when the RMS size
 * of its reference exceeds {@link #rmsLimit}; its λ is NaN, not −∞.
 */
public final class Benettin implements Tracker {
    private final ReplicaOps ops;
    private final LyapunovConfig config;
    private final int replicas;
    private final double[][] sumLog; // [cell][replica]
    private final double[][] running; // [cell][step]
    private final boolean[] collapsed;
    private final RenormIntervals intervals;
    private final LocalRates local;
    private final double rmsLimit;
    /** Adam: a replica's second moment s is clamped to ≥ 0 after each renormalisation. */
    private final boolean clampSecondMoment;

    /**
     * Relative error of the renormalised distance beyond which the replica is no longer resolved
     * next to the weights: 1%, ten times the placement error the start-time check
     * ({@link LyapunovConfig#checkResolvable}: ε ≥ 1000·u·|w| per component) admits.
     */
    public static final double PLACEMENT_TOLERANCE = 0.01;

    /**
     * The precision-lost rule for one measurement: the distance {@code d} before the renormalisation
     * is exactly 0, or the distance {@code placed} measured after pulling the replica back to
     * {@code d0} is finite but off by more than {@link #PLACEMENT_TOLERANCE} (relative). Non-finite
     * distances are divergence, not precision loss.
     */
    public static boolean precisionLost(double d, double placed, double d0) {
        if (d == 0) return true;
        if (!Double.isFinite(d) || !Double.isFinite(placed)) return false;
        return Math.abs(placed / d0 - 1) > PLACEMENT_TOLERANCE;
    }

    /**
     * The RMS size of the reference's parameters beyond which a perturbed component can no longer
     * be placed to {@link #PLACEMENT_TOLERANCE}: {@code tol·ε / (share·u)}, with share the method's
     * {@link LyapunovConfig#componentShare} over the perturbed parameters and u the unit round-off —
     * the start-time check ({@link LyapunovConfig#checkResolvable}, ε ≥ 1000·u·scale·share) at runtime
     * with the tolerance 1% instead of 1/1000 (so a sweep at that check's limit may grow its RMS
     * weight tenfold). It catches weights grown so large in a few components that the perturbation
     * survives only in the others, where the placed distance alone still looks right.
     */
    public static double rmsLimit(LyapunovConfig config, org.gdchaos.backend.DType dtype, long perturbed) {
        return PLACEMENT_TOLERANCE * config.epsilon() / (config.componentShare(Math.max(1, perturbed)) * dtype.epsilon());
    }

    /** Whether the reference's RMS parameter size (squared sum {@code sumSq} over p parameters) exceeds {@code limit}. */
    static boolean tooLarge(double sumSq, long p, double limit) {
        double rms = Math.sqrt(sumSq / p);
        return Double.isFinite(rms) && rms > limit;
    }

    public Benettin(Ensemble ensemble, CellLayout cells, LyapunovConfig config, int steps) {
        if (cells.members() != config.replicas() + 1) throw new IllegalArgumentException("layout/config mismatch");
        this.ops = new ReplicaOps(ensemble, cells, true); // the whole state (w, v) of an optimizer with state
        this.config = config;
        this.clampSecondMoment = ensemble.optimizer().kind() == org.gdchaos.backend.Optimizer.Kind.ADAM;
        this.replicas = config.replicas();
        sumLog = new double[cells.cells()][replicas];
        running = new double[cells.cells()][steps + 1];
        for (double[] r : running) Arrays.fill(r, Double.NaN);
        collapsed = new boolean[cells.cells()];
        local = new LocalRates(cells.cells(), 1);
        rmsLimit = rmsLimit(config, ensemble.dtype(), config.perturbedComponents(ensemble.layout(), ensemble.optimizer()));
        intervals = new RenormIntervals(config.transientSteps(), 0);
    }

    /**
     * The state parts a replica's initial perturbation is placed on: 1 (w) for GD, 2 for heavy
     * ball and Nesterov (w, v) and for Adam (w, m): Adam's second moment s must stay ≥ 0, and at
     * step 0 the reference's s is 0, so a replica starts with the reference's s (docs/science.md#optimizer-lyapunov).
     */
    public static int perturbedParts(org.gdchaos.backend.Optimizer optimizer) {
        return optimizer.isGd() ? 1 : 2;
    }

    /**
     * Places member r of every cell at distance δ0 = ε from the reference in a random direction, in
     * {@code norm}, over the members' perturbed state parts ({@link #perturbedParts}: the weights,
     * then v, or Adam's m, each masked like the weights; the weights' Gaussians are drawn first, so
     * GD's directions do not depend on this). Adam's s is the reference's.
     */
    static void placeAtDistance(ReplicaOps ops, LyapunovConfig config, Norm norm, long seed, int[] initIndex,
                                int members) {
        Ensemble e = ops.ensemble;
        CellLayout cl = ops.cells;
        int parts = ops.components();
        int perturbed = Math.min(parts, perturbedParts(e.optimizer()));
        boolean[] mask = ReplicaOps.mask(e.layout(), config.perturbBiases());
        for (int c = 0; c < cl.cells(); c++) {
            double[][] ref = new double[parts][];
            ref[0] = e.parameters(cl.index(0, c));
            for (int j = 1; j < parts; j++) ref[j] = e.state(j - 1, cl.index(0, c));
            for (int r = 1; r < members; r++) {
                RandomGenerator rng = ReplicaOps.perturbation(seed, initIndex[c], r);
                double[][] u = new double[parts][ref[0].length];
                double n = 0;
                for (int j = 0; j < perturbed; j++) {
                    for (int k = 0; k < u[j].length; k++) {
                        if (!mask[k]) continue;
                        u[j][k] = rng.nextGaussian();
                        n += norm == Norm.L1 ? Math.abs(u[j][k]) : u[j][k] * u[j][k];
                    }
                }
                n = norm == Norm.L1 ? n : Math.sqrt(n);
                for (int j = 0; j < parts; j++) {
                    double[] w = ref[j].clone();
                    for (int k = 0; k < w.length; k++) w[k] += config.epsilon() * u[j][k] / n;
                    if (j == 0) e.setParameters(cl.index(r, c), w);
                    else e.setState(j - 1, cl.index(r, c), w);
                }
            }
        }
    }

    @Override
    public void start(long seed, int[] initIndex) {
        placeAtDistance(ops, config, config.norm(), seed, initIndex, replicas + 1);
    }

    @Override
    public void afterStep(int step) {
        if (step == 0 || step % config.renormEvery() != 0) return;
        int cells = ops.cells.cells();
        double d0 = config.epsilon();
        boolean count = intervals.close(step);
        double[] a = new double[cells];
        double[] b = new double[cells];
        double[] interval = new double[cells];
        double[] size = ops.weightSumSq(0);
        for (int c = 0; c < cells; c++) if (tooLarge(size[c], ops.ensemble.p(), rmsLimit)) collapsed[c] = true;
        for (int r = 1; r <= replicas; r++) {
            double[] d = ops.distance(config.norm(), r);
            for (int c = 0; c < cells; c++) {
                if (d[c] > 0 && Double.isFinite(d[c])) {
                    if (count) sumLog[c][r - 1] += Math.log(d[c] / d0);
                    interval[c] += Math.log(d[c] / d0);
                    b[c] = d0 / d[c];
                } else {
                    b[c] = 1; // nothing to rescale (identical or diverged)
                }
                a[c] = 1 - b[c];
            }
            ops.axpby(a, 0, b, r); // rep = (1 − s)·ref + s·rep
            if (clampSecondMoment) ops.clampNonNegative(2, r); // Adam: s ≥ 0 (a no-op unless δ0/d > 1 stretched it)
            double[] placed = ops.distance(config.norm(), r);
            for (int c = 0; c < cells; c++) if (precisionLost(d[c], placed[c], d0)) collapsed[c] = true;
        }
        if (count) {
            int period = config.renormEvery();
            for (int c = 0; c < cells; c++) {
                double s = 0;
                for (double v : sumLog[c]) s += v;
                running[c][step] = collapsed[c] ? Double.NaN : s / replicas / intervals.countedSteps();
                if (!collapsed[c]) local.add(c, 0, interval[c] / replicas / period);
            }
        }
    }

    @Override
    public List<String> curveNames() {
        return List.of("lambda_running");
    }

    @Override
    public CellResult result(int c, boolean diverged) {
        double last = Double.NaN;
        for (double v : running[c]) if (!Double.isNaN(v)) last = v;
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("lambda_running", running[c].clone());
        boolean lost = collapsed[c] && !diverged;
        boolean none = diverged || lost;
        return new CellResult(new double[] {none ? Double.NaN : last}, Double.NaN, -1, -1, Double.NaN, curves,
                new double[] {none ? Double.NaN : local.stdErr(c, 0)}, local.count(c), lost);
    }

    /** Releases the replica bookkeeping buffers ({@link ReplicaOps}). */
    @Override
    public void close() {
        ops.close();
    }
}
