package org.gdchaos.sweep;

import org.gdchaos.lyapunov.Benettin;
import org.gdchaos.lyapunov.CellLayout;
import org.gdchaos.lyapunov.FreeDivergence;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.SpectrumTracker;
import org.gdchaos.lyapunov.Tracker;
import org.gdchaos.train.Trainer;

/** Creates the tracker for a Lyapunov method. */
final class Trackers {
    private Trackers() {
    }

    static Tracker create(LyapunovConfig config, Trainer trainer, CellLayout cells, int steps) {
        return switch (config.method()) {
            case PAPER -> new FreeDivergence(trainer.ensemble(), cells, config, steps);
            case BENETTIN -> new Benettin(trainer.ensemble(), cells, config, steps);
            case SPECTRUM -> new SpectrumTracker(trainer.ensemble(), cells, config, steps);
            case TANGENT -> throw new IllegalArgumentException("--method tangent is not available yet");
        };
    }
}
