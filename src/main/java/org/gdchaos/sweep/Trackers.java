package org.gdchaos.sweep;

import org.gdchaos.lyapunov.Benettin;
import org.gdchaos.lyapunov.CellLayout;
import org.gdchaos.lyapunov.FreeDivergence;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.SpectrumTracker;
import org.gdchaos.lyapunov.TangentTracker;
import org.gdchaos.lyapunov.Tracker;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Trainer;

/** Creates the tracker for a Lyapunov method. */
final class Trackers {
    private Trackers() {
    }

    /**
     * @param train     the training data (the tangent method needs the full-batch Hessian)
     * @param chunkRows the plan's chunk (the tangent method's Hessian workspace is planned for it)
     */
    static Tracker create(LyapunovConfig config, Trainer trainer, DeviceData train, CellLayout cells, int steps,
                          int chunkRows) {
        return switch (config.method()) {
            case PAPER -> new FreeDivergence(trainer.ensemble(), cells, config, steps);
            case BENETTIN -> new Benettin(trainer.ensemble(), cells, config, steps);
            case SPECTRUM -> new SpectrumTracker(trainer.ensemble(), cells, config, steps);
            case TANGENT -> {
                if (trainer.rowsPerStep() != train.n()) {
                    throw new IllegalArgumentException("--method tangent needs full-batch GD (--batch full): the "
                            + "tangent map I − η·H uses the Hessian of the full training loss");
                }
                yield new TangentTracker(trainer.ensemble(), train, cells, config, steps, chunkRows);
            }
        };
    }
}
