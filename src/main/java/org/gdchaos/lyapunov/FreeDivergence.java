package org.gdchaos.lyapunov;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gdchaos.train.Ensemble;

/**
 * The paper's protocol (docs/science.md#paper-protocol): per cell a reference and M replicas, each replica = the
 * reference's initial parameters + U(−ε, ε) on every weight (optionally biases), never
 * renormalised. After every step the distances {@code d_r(t)} in L1 ({@code Σ_k |w_k − w'_k|})
 * and L2 are recorded; λ is the slope of {@code ln⟨d(t)⟩_r} fitted by {@link CurveFit}, reported with
 * the least-squares standard error of that slope over the fit window and the window's points.
 * Precision lost (docs/science.md#precision-lost): a replica at distance exactly 0 from a reference
 * that stayed finite (its perturbation was rounded away) marks the cell, and λ is NaN.
 */
public final class FreeDivergence implements Tracker {
    private final ReplicaOps ops;
    private final LyapunovConfig config;
    private final int replicas;
    private final double[][][] l1; // [cell][replica][step]
    private final double[][][] l2;

    public FreeDivergence(Ensemble ensemble, CellLayout cells, LyapunovConfig config, int steps) {
        if (cells.members() != config.replicas() + 1) throw new IllegalArgumentException("layout/config mismatch");
        // the curves hold steps + 1 values: checked here, not left to overflow into a negative array size
        if (steps < 0 || steps > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("steps must be in 0.." + (Integer.MAX_VALUE - 16) + ", got " + steps);
        }
        this.ops = new ReplicaOps(ensemble, cells);
        this.config = config;
        this.replicas = config.replicas();
        l1 = new double[cells.cells()][replicas][steps + 1];
        l2 = new double[cells.cells()][replicas][steps + 1];
        for (double[][] a : l1) for (double[] b : a) Arrays.fill(b, Double.NaN);
        for (double[][] a : l2) for (double[] b : a) Arrays.fill(b, Double.NaN);
    }

    @Override
    public void start(long seed, int[] initIndex) {
        Ensemble e = ops.ensemble;
        CellLayout cl = ops.cells;
        boolean[] mask = ReplicaOps.mask(e.layout(), config.perturbBiases());
        for (int c = 0; c < cl.cells(); c++) {
            double[] ref = e.parameters(cl.index(0, c));
            for (int r = 1; r <= replicas; r++) {
                RandomGenerator rng = ReplicaOps.perturbation(seed, initIndex[c], r);
                double[] w = ref.clone();
                double eps = config.epsilon();
                for (int k = 0; k < w.length; k++) if (mask[k]) w[k] += rng.nextDouble(-eps, eps);
                e.setParameters(cl.index(r, c), w);
            }
        }
        afterStep(0);
    }

    @Override
    public void afterStep(int step) {
        for (int r = 1; r <= replicas; r++) {
            double[] a = ops.distance(Norm.L1, r);
            double[] b = ops.distance(Norm.L2, r);
            for (int c = 0; c < a.length; c++) {
                l1[c][r - 1][step] = a[c];
                l2[c][r - 1][step] = b[c];
            }
        }
    }

    @Override
    public List<String> curveNames() {
        return List.of("ln_d_l1", "ln_d_l2");
    }

    /** {@code ln⟨d(t)⟩} over replicas of cell c in the given norm. */
    public double[] lnMeanDistance(int c, Norm norm) {
        double[][] d = norm == Norm.L1 ? l1[c] : l2[c];
        int steps = d[0].length;
        double[] out = new double[steps];
        for (int t = 0; t < steps; t++) {
            double s = 0;
            for (double[] rep : d) s += rep[t];
            out[t] = Math.log(s / d.length);
        }
        return out;
    }

    @Override
    public CellResult result(int c, boolean diverged) {
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("ln_d_l1", lnMeanDistance(c, Norm.L1));
        curves.put("ln_d_l2", lnMeanDistance(c, Norm.L2));
        if (diverged) return new CellResult(new double[] {Double.NaN}, Double.NaN, -1, -1, Double.NaN, curves);
        if (reachedZero(c)) {
            return new CellResult(new double[] {Double.NaN}, Double.NaN, -1, -1, Double.NaN, curves,
                    new double[] {Double.NaN}, 0, true);
        }
        double[] y = lnMeanDistance(c, config.norm());
        org.gdchaos.analysis.GrowthFitResult fit = CurveFit.fit(y, config.fit());
        double se = Double.NaN;
        if (fit.isFit()) {
            double[] t = new double[y.length];
            for (int i = 0; i < t.length; i++) t[i] = i;
            se = org.gdchaos.analysis.LinearFit.fit(t, y, fit.start(), fit.end() + 1).slopeStdErr();
        }
        return new CellResult(new double[] {fit.lambda()}, fit.r2(), fit.start(), fit.end(), Double.NaN, curves,
                new double[] {se}, fit.points(), false);
    }

    /** Whether a replica of cell c was at distance exactly 0 from the reference (fit norm) after the start. */
    private boolean reachedZero(int c) {
        return reachedZero(config.norm() == Norm.L1 ? l1[c] : l2[c]);
    }

    /**
     * The paper protocol's precision-lost rule: some replica's distance {@code d[r][t]} from the
     * reference is exactly 0 at a step t ≥ 1 (its perturbation was rounded away; a finite contraction
     * from ε would not reach 0). NaN (divergence) and NaN-filled steps not yet measured do not count.
     */
    static boolean reachedZero(double[][] d) {
        for (double[] rep : d) {
            for (int t = 1; t < rep.length; t++) if (rep[t] == 0) return true;
        }
        return false;
    }

    /** Releases the replica bookkeeping buffers ({@link ReplicaOps}). */
    @Override
    public void close() {
        ops.close();
    }
}
