package org.gdchaos.lyapunov;

import java.util.EnumSet;
import java.util.Set;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Trainer;

/**
 * The paper's protocol: M replicas perturbed by U(−ε, ε) per weight, diverging freely; λ fitted
 * from ln⟨d(t)⟩ ({@link FreeDivergence}); with an optimizer that has state, the state starts equal
 * (zero) in every replica and the distance stays that of the weights. Defaults: 5 replicas, ε = 1e-8, L1, growth-phase fit.
 */
public final class PaperMethod implements LyapunovMethod {
    @Override
    public LyapunovConfig defaults() {
        return new LyapunovConfig(Method.PAPER, 5, 1, 1e-8, 1, 0, Norm.L1, false, GrowthFit.Method.GROWTH_PHASE);
    }

    @Override
    public Set<LyapunovSetting> uses() {
        return EnumSet.of(LyapunovSetting.REPLICAS, LyapunovSetting.EPSILON, LyapunovSetting.NORM,
                LyapunovSetting.FIT);
    }

    @Override
    public int trajectoriesPerCell(LyapunovConfig config) {
        return 1 + config.replicas();
    }

    @Override
    public int reportedExponents(LyapunovConfig config) {
        return 1;
    }

    /** L1 and L2 distance of each replica plus the two mean curves. */
    @Override
    public long curveValuesPerStep(LyapunovConfig config) {
        return 2L * config.replicas() + 2;
    }

    /** ε is the half-width of U(−ε, ε) on every component. */
    @Override
    public double componentShare(LyapunovConfig config, long n) {
        return 1;
    }

    /**
     * Every optimizer: the paper's definition is kept (docs/science.md#optimizer-lyapunov): the
     * weights are perturbed, the optimizer state of every replica starts equal to the reference's
     * (zero), and the distance is measured on the weights only.
     */
    @Override
    public void checkOptimizer(LyapunovConfig config, org.gdchaos.backend.Optimizer optimizer) {
    }

    @Override
    public Tracker create(LyapunovConfig config, Trainer trainer, DeviceData train, CellLayout cells, int steps,
                          int chunkRows) {
        return new FreeDivergence(trainer.ensemble(), cells, config, steps);
    }
}
