package org.gdchaos.lyapunov;

import java.util.EnumSet;
import java.util.Set;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Trainer;

/**
 * The maximum exponent with renormalisation to δ0 = ε every τ steps ({@link Benettin}), δ0
 * measured in the configured norm. Defaults: 1 replica, ε = 1e-7, L2, τ = 1.
 */
public final class BenettinMethod implements LyapunovMethod {
    @Override
    public LyapunovConfig defaults() {
        return new LyapunovConfig(Method.BENETTIN, 1, 1, 1e-7, 1, 0, Norm.L2, false, GrowthFit.Method.GROWTH_PHASE);
    }

    @Override
    public Set<LyapunovSetting> uses() {
        return EnumSet.of(LyapunovSetting.REPLICAS, LyapunovSetting.EPSILON, LyapunovSetting.RENORM_EVERY,
                LyapunovSetting.TRANSIENT, LyapunovSetting.NORM);
    }

    @Override
    public int trajectoriesPerCell(LyapunovConfig config) {
        return 1 + config.replicas();
    }

    @Override
    public int reportedExponents(LyapunovConfig config) {
        return 1;
    }

    /** Each replica's running estimate plus the mean and its copy. */
    @Override
    public long curveValuesPerStep(LyapunovConfig config) {
        return config.replicas() + 2L;
    }

    /** ε is the size δ0 of the whole vector: ~ε/n per component in L1, ~ε/√n in L2. */
    @Override
    public double componentShare(LyapunovConfig config, long n) {
        return config.norm() == Norm.L1 ? n : Math.sqrt(n);
    }

    /**
     * Every optimizer, over the whole state (docs/science.md#optimizer-lyapunov): for Adam the
     * replicas start perturbed on (w, m) with the reference's s, and after each renormalisation a
     * replica's s is clamped to ≥ 0 ({@link Benettin}).
     */
    @Override
    public void checkOptimizer(LyapunovConfig config, org.gdchaos.backend.Optimizer optimizer) {
    }

    @Override
    public Tracker create(LyapunovConfig config, Trainer trainer, DeviceData train, CellLayout cells, int steps,
                          int chunkRows) {
        return new Benettin(trainer.ensemble(), cells, config, steps);
    }
}
