package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gdchaos.analysis.LinearFit;
import org.junit.jupiter.api.Test;

/**
 * The allowance {@link SweepEquivalenceTest#fitTolerance} gives λ1 and fit_r2 bounds the fit's
 * real response to a curve difference, and is not much larger: exact for a difference along the
 * slope, within a few times for random rounding-like differences.
 */
class FitToleranceTest {

    private static LinearFit fit(double[] y, int a, int b) {
        double[] t = new double[y.length];
        for (int i = 0; i < t.length; i++) t[i] = i;
        return LinearFit.fit(t, y, a, b + 1);
    }

    @Test
    void boundsTheSlopeAndR2OfANearlyFlatCurve() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 21;
        for (int trial = 0; trial < 200; trial++) {
            double[] y = new double[n], y2 = new double[n];
            for (int t = 0; t < n; t++) {
                y[t] = -10 + 1e-4 * t + 2e-4 * r.nextDouble(-1, 1);        // flat, noisy: a calm cell's ln d
                y2[t] = y[t] + 1e-10 * r.nextDouble(-1, 1);                // rounding-sized difference
            }
            double[] tol = SweepEquivalenceTest.fitTolerance(y, y2, 2, 18);
            LinearFit f = fit(y, 2, 18), g = fit(y2, 2, 18);
            double dl = Math.abs(f.slope() - g.slope()), dr = Math.abs(f.r2() - g.r2());
            assertTrue(dl <= tol[0] * (1 + 1e-6), "slope " + dl + " > " + tol[0]);
            assertTrue(dr <= tol[1], "R² " + dr + " > " + tol[1]);
            assertTrue(tol[0] < 1e-9 && tol[1] < 1e-4, "allowances stay small: " + tol[0] + ", " + tol[1]);
        }
    }

    @Test
    void slopeBoundIsExactForADifferenceAlongTheSlope() {
        int n = 11;
        double[] y = new double[n], y2 = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = 0.3 * t + Math.sin(t);
            y2[t] = y[t] + 1e-9 * (t - 5);
        }
        double[] tol = SweepEquivalenceTest.fitTolerance(y, y2, 0, 10);
        assertEquals(1e-9, tol[0], 1e-16);          // y2 − y itself carries rounding of ~u·|y|
        assertEquals(1e-9, Math.abs(fit(y, 0, 10).slope() - fit(y2, 0, 10).slope()), 1e-15);
    }
}
