package org.gdchaos.lyapunov;

import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.analysis.GrowthFitResult;

/** Bridges the trackers to the host-side analysis ({@link GrowthFit}, Kaplan–Yorke). */
final class CurveFit {
    private CurveFit() {
    }

    /** Fit of a ln⟨d(t)⟩ curve sampled at t = 0, 1, 2, … */
    static GrowthFitResult fit(double[] lnD, GrowthFit.Method method) {
        return GrowthFit.fit(lnD, method);
    }
}
