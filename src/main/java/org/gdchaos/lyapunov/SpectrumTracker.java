package org.gdchaos.lyapunov;

import java.util.Arrays;
import java.util.List;
import org.gdchaos.analysis.RenormIntervals;
import org.gdchaos.backend.Reduction;
import org.gdchaos.train.Ensemble;

/**
 * K exponents from K finite replicas (QR / Benettin–Shimada–Nagashima), over the whole state (w, v)
 * of an optimizer with state (docs/science.md#optimizer-lyapunov). Every τ steps, per cell:
 * {@code v_i = rep_i − ref}; modified Gram–Schmidt on v_1..v_K, repeated once
 * (v_i ← v_i − (v_i·q_j) q_j for j &lt; i, R_ii = ‖v_i‖, q_i = v_i/R_ii); for intervals that
 * start at or after the transient ({@link RenormIntervals})
 * {@code S_i += ln(R_ii⁽¹⁾·R_ii⁽²⁾/δ0)}; replicas reset to {@code ref + δ0·q_i}. The exponents are
 * {@code λ_i = S_i/n} with n the steps the counted intervals cover, reported sorted descending, with
 * the Kaplan–Yorke dimension (the running curves are sorted at each step too, {@link CellResult#ofSpectrum}).
 * Everything runs on the device except the K norms per orthonormalisation. Standard errors: of the
 * mean of the per-interval local exponents ({@link LocalRates}). Precision lost
 * (docs/science.md#precision-lost): a norm R_ii of exactly 0, or a reset replica measured off its
 * distance δ0 ({@link Benettin#precisionLost}), or a reference beyond {@link Benettin#rmsLimit}
 * marks the cell; its exponents are NaN then.
 */
public final class SpectrumTracker implements Tracker {
    private final ReplicaOps ops;
    private final LyapunovConfig config;
    private final int k;
    private final SpectrumSums sums;
    private final double rmsLimit;

    public SpectrumTracker(Ensemble ensemble, CellLayout cells, LyapunovConfig config, int steps) {
        if (cells.members() != config.exponents() + 1) throw new IllegalArgumentException("layout/config mismatch");
        long dim = ensemble.p() * (1 + ensemble.stateVectors()); // the whole state (w, v)
        if (config.exponents() > dim) {
            throw new IllegalArgumentException(config.exponents() + " exponents exceed the " + dim
                    + " dimensions of the state");
        }
        this.ops = new ReplicaOps(ensemble, cells, true); // the whole state (w, v) of an optimizer with state
        this.config = config;
        this.k = config.exponents();
        this.sums = new SpectrumSums(cells.cells(), k, steps, config.transientSteps(), config.renormEvery());
        rmsLimit = Benettin.rmsLimit(config.withNorm(Norm.L2), ensemble.dtype(),
                config.perturbedComponents(ensemble.layout(), ensemble.optimizer()));
    }

    @Override
    public void start(long seed, int[] initIndex) {
        Benettin.placeAtDistance(ops, config, Norm.L2, seed, initIndex, k + 1); // spectrum: always L2
    }

    @Override
    public void afterStep(int step) {
        if (step == 0 || step % config.renormEvery() != 0) return;
        int cells = ops.cells.cells();
        double[] size = ops.weightSumSq(0);
        for (int c = 0; c < cells; c++) if (Benettin.tooLarge(size[c], ops.ensemble.p(), rmsLimit)) sums.markLost(c);
        for (int i = 1; i <= k; i++) ops.subtract(0, i);
        double[][] first = orthonormalise(cells);
        double[][] second = orthonormalise(cells);
        double d0 = config.epsilon();
        double[] ones = new double[cells];
        Arrays.fill(ones, 1);
        double[] scaleD0 = new double[cells];
        Arrays.fill(scaleD0, d0);
        for (int i = 1; i <= k; i++) {
            // rep_i = ref + δ0·q_i  (member i holds q_i now)
            ops.axpby(ones, 0, scaleD0, i);
            double[] placed = ops.distance(Norm.L2, i);
            for (int c = 0; c < cells; c++) {
                if (Benettin.precisionLost(first[i - 1][c] * second[i - 1][c], placed[c], d0)) sums.markLost(c);
            }
        }
        sums.renormalised(step, first, second, d0);
    }

    /** One MGS pass over members 1..K (which hold vectors); returns the norms [i][cell]. */
    private double[][] orthonormalise(int cells) {
        double[][] norms = new double[k][];
        for (int i = 1; i <= k; i++) {
            for (int j = 1; j < i; j++) ops.project(j, i);
            double[] sq = ops.reduce(Reduction.SUM_SQ, i, 0);
            double[] inv = new double[cells];
            norms[i - 1] = new double[cells];
            for (int c = 0; c < cells; c++) {
                double n = Math.sqrt(sq[c]);
                norms[i - 1][c] = n;
                inv[c] = n > 0 && Double.isFinite(n) ? 1 / n : 1;
            }
            ops.scale(inv, i);
        }
        return norms;
    }

    @Override
    public List<String> curveNames() {
        return sums.curveNames();
    }

    @Override
    public CellResult result(int c, boolean diverged) {
        return sums.result(c, diverged);
    }

    /** Releases the replica bookkeeping buffers ({@link ReplicaOps}). */
    @Override
    public void close() {
        ops.close();
    }
}
