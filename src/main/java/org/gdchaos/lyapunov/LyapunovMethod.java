package org.gdchaos.lyapunov;

import org.gdchaos.Setting;
import java.util.Set;
import org.gdchaos.InputException;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Trainer;

/**
 * Everything gdchaos knows about one Lyapunov method, in one place: its default settings, which
 * settings it uses, how many trajectories a cell needs and exponents it reports, its per-step
 * host curves and device memory per cell (for the planner), its validation, and the creation of
 * its {@link Tracker}. One implementation per method ({@link PaperMethod}, {@link BenettinMethod},
 * {@link SpectrumMethod}, {@link TangentMethod}); {@link Method} is the registry (each constant
 * holds its implementation). Adding a method = one class implementing this plus one constant in
 * {@link Method}. Implementations are stateless.
 */
public interface LyapunovMethod {
    /** The settings this method starts from when none are given (the command line's defaults). */
    LyapunovConfig defaults();

    /** The method-specific settings it reads; the others are ignored (the command line warns). */
    Set<LyapunovSetting> uses();

    /** Trajectories per cell: the reference plus replicas or perturbed copies. */
    int trajectoriesPerCell(LyapunovConfig config);

    /** Exponents reported per cell. */
    int reportedExponents(LyapunovConfig config);

    /** Values per step a cell's tracker holds on the host (its running curves and their copies). */
    long curveValuesPerStep(LyapunovConfig config);

    /**
     * How much smaller than ε one perturbed component is, for {@code n} perturbed components
     * (see {@link LyapunovConfig#checkResolvable}); 0 when the method has no finite perturbation.
     */
    double componentShare(LyapunovConfig config, long n);

    /**
     * Device elements per cell the tracker allocates beyond the ensemble's training state, for a
     * Hessian-vector chunk of {@code chunkRows} rows (0 for replica methods: their replicas are
     * trajectories of the ensemble).
     */
    default long deviceElementsPerCell(LyapunovConfig config, ModelSpec model, int chunkRows) {
        return 0;
    }

    /**
     * Copies of a first convolution's lowering of the shared data that the method allocates once per
     * batch, outside {@link #deviceElementsPerCell} (the planner adds them once): 0 by default.
     */
    default int sharedLowerings() {
        return 0;
    }

    /** What {@link #deviceElementsPerCell} is, for the planner's messages ("" when nothing). */
    default String deviceMemoryWhat(LyapunovConfig config) {
        return "";
    }

    /**
     * Checks that the method can measure this training set-up.
     *
     * @param fullBatch whether every step uses the full training set
     * @param parameters the dimension of the followed state: the model's parameter count P, or
     *                   (1 + S)·P for an optimizer with S state vectors (docs/science.md#optimizer-lyapunov)
     * @throws InputException naming the setting that cannot be honoured
     */
    default void checkTraining(LyapunovConfig config, boolean fullBatch, long parameters) {
        if (config.reportedExponents() > parameters) {
            throw new InputException(LyapunovSetting.EXPONENTS.key(), "the number of exponents "
                    + config.exponents() + " exceeds the " + parameters + " dimensions of the state (the model's parameters, "
                    + "and with momentum their velocities, with Adam m and s)");
        }
    }

    /**
     * Checks that the method can measure trajectories of this optimizer (docs/science.md#optimizer-lyapunov).
     * By default GD, heavy ball and Nesterov: the method follows the whole state (w, v). Adam is
     * refused by default (the spectrum by replicas): Gram–Schmidt mixes the replicas' directions, and
     * a replica at ref + δ0·q can have a second moment s &lt; 0 where the reference's s is below δ0.
     * Paper (weights only), benettin (s kept ≥ 0: docs/science.md#optimizer-lyapunov) and tangent
     * (tangent vectors, no replica) override this.
     *
     * @throws InputException naming the optimizer setting and why
     */
    default void checkOptimizer(LyapunovConfig config, org.gdchaos.backend.Optimizer optimizer) {
        if (optimizer.kind() == org.gdchaos.backend.Optimizer.Kind.ADAM) {
            throw new InputException(Setting.OPTIMIZER.key(), "the " + config.method().label()
                    + " method cannot follow Adam: Gram–Schmidt on its replicas can make a replica's second moment "
                    + "s negative; use --method tangent (Adam's spectrum from its exact tangent map) or benettin (λ1)");
        }
    }

    /**
     * The tracker for one batch of cells; {@link #checkTraining} must have passed for this set-up.
     *
     * @param train     the training data (the tangent method needs the full-batch Hessian)
     * @param steps     training steps (curves have steps + 1 points)
     * @param chunkRows the plan's chunk (a Hessian workspace is planned for it)
     */
    Tracker create(LyapunovConfig config, Trainer trainer, DeviceData train, CellLayout cells, int steps,
                   int chunkRows);
}
