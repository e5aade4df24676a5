package org.gdchaos.lyapunov;

import org.gdchaos.Setting;
import java.util.EnumSet;
import java.util.Set;
import org.gdchaos.InputException;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Trainer;

/**
 * K exponents from exact tangent vectors {@code v ← v − η·H·v} ({@link TangentTracker}): one
 * trajectory per cell, no finite perturbation (ε unused, no resolvability check), and full-batch
 * GD only (the tangent map uses the Hessian of the full training loss). Per cell on the device:
 * {@code 2K·P} elements for the tangent vectors and their products (the tangent step reads the
 * references' parameters before the update, no copy), plus the Hessian-vector workspace of a chunk. Defaults: K = 2, τ = 1.
 */
public final class TangentMethod implements LyapunovMethod {
    @Override
    public LyapunovConfig defaults() {
        return new LyapunovConfig(Method.TANGENT, 5, 2, 1e-7, 1, 0, Norm.L2, false, GrowthFit.Method.GROWTH_PHASE);
    }

    @Override
    public Set<LyapunovSetting> uses() {
        return EnumSet.of(LyapunovSetting.EXPONENTS, LyapunovSetting.RENORM_EVERY, LyapunovSetting.TRANSIENT);
    }

    @Override
    public int trajectoriesPerCell(LyapunovConfig config) {
        return 1;
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

    @Override
    public double componentShare(LyapunovConfig config, long n) {
        return 0;
    }

    /** One: its second-order workspace lowers the shared data once per batch. */
    @Override
    public int sharedLowerings() {
        return 1;
    }

    /** {@code 2K·P + workspace(chunk) + 3}: {@link TangentTracker#deviceElementsPerCell}. */
    @Override
    public long deviceElementsPerCell(LyapunovConfig config, ModelSpec model, int chunkRows) {
        return TangentTracker.deviceElementsPerCell(model, config.exponents(), chunkRows);
    }

    @Override
    public String deviceMemoryWhat(LyapunovConfig config) {
        return config.exponents() + " tangent vectors, their " + config.exponents()
                + " Hessian products and the Hessian workspace";
    }

    /**
     * Every optimizer: GD, heavy ball and Nesterov through their own linear step, Adam through
     * {@link org.gdchaos.backend.Backend#adamTangent} (tangent vectors need no s ≥ 0).
     */
    @Override
    public void checkOptimizer(LyapunovConfig config, org.gdchaos.backend.Optimizer optimizer) {
    }

    @Override
    public void checkTraining(LyapunovConfig config, boolean fullBatch, long parameters) {
        LyapunovMethod.super.checkTraining(config, fullBatch, parameters);
        if (!fullBatch) {
            throw new InputException(Setting.BATCH_SIZE.key(), "the tangent method needs full-batch gradient descent: the tangent "
                    + "map I − η·H uses the Hessian of the full training loss, not of a minibatch");
        }
    }

    @Override
    public Tracker create(LyapunovConfig config, Trainer trainer, DeviceData train, CellLayout cells, int steps,
                          int chunkRows) {
        if (trainer.rowsPerStep() != train.n()) { // checkTraining refused this set-up: a caller skipped it
            throw new IllegalStateException("tangent tracker for a trainer of " + trainer.rowsPerStep()
                    + " rows per step over " + train.n() + " training rows; checkTraining must refuse minibatches");
        }
        return new TangentTracker(trainer.ensemble(), train, cells, config, steps, chunkRows);
    }
}
