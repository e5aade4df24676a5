package org.gdchaos.lyapunov;

import java.util.EnumSet;
import java.util.Set;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Trainer;

/**
 * K exponents from K replicas at distance δ0 = ε (always L2), re-orthonormalised every τ steps
 * ({@link SpectrumTracker}). Defaults: K = 2, ε = 1e-7, τ = 1.
 */
public final class SpectrumMethod implements LyapunovMethod {
    @Override
    public LyapunovConfig defaults() {
        return new LyapunovConfig(Method.SPECTRUM, 5, 2, 1e-7, 1, 0, Norm.L2, false, GrowthFit.Method.GROWTH_PHASE);
    }

    @Override
    public Set<LyapunovSetting> uses() {
        return EnumSet.of(LyapunovSetting.EXPONENTS, LyapunovSetting.EPSILON, LyapunovSetting.RENORM_EVERY,
                LyapunovSetting.TRANSIENT);
    }

    @Override
    public int trajectoriesPerCell(LyapunovConfig config) {
        return 1 + config.exponents();
    }

    @Override
    public int reportedExponents(LyapunovConfig config) {
        return config.exponents();
    }

    /** Running estimates and their sorted copies. */
    @Override
    public long curveValuesPerStep(LyapunovConfig config) {
        return 2L * config.exponents() + 2;
    }

    /** ε is the L2 size δ0 of the whole vector: ~ε/√n per component. */
    @Override
    public double componentShare(LyapunovConfig config, long n) {
        return Math.sqrt(n);
    }

    @Override
    public Tracker create(LyapunovConfig config, Trainer trainer, DeviceData train, CellLayout cells, int steps,
                          int chunkRows) {
        return new SpectrumTracker(trainer.ensemble(), cells, config, steps);
    }
}
