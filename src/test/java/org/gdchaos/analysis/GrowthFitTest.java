package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.gdchaos.analysis.GrowthFit.Method;
import org.junit.jupiter.api.Test;

class GrowthFitTest {

    private static double[] times(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    /**
     * The MNIST η = 10 shape of docs/science.md#fit-rule: ln d from −8.3 rises at λ to +7.8 by t ≈ 20 (logistic
     * saturation of d), then a plateau that keeps drifting up slowly (drift per step), 202 points.
     */
    private static double[] growthThenPlateau(double lambda, double drift, double noise, long seed) {
        Random rnd = new Random(seed);
        double y0 = -8.3;
        double top = 7.8;
        double[] y = new double[202];
        for (int t = 0; t < y.length; t++) {
            double lnGrowth = y0 + lambda * t;
            // ln of d0·e^{λt} / (1 + d0(e^{λt} − 1)/D), computed in logs
            double lnD = lnGrowth - Math.log1p(Math.exp(lnGrowth - top) - Math.exp(y0 - top));
            y[t] = lnD + drift * Math.max(0, t - 20) + noise * rnd.nextGaussian();
        }
        return y;
    }

    @Test
    void growthPhaseRecoversLambdaWhereMaxR2LandsOnThePlateau() {
        // smooth, slowly drifting plateau (as a mean over replicas of a 50k-parameter L1 distance is)
        double[] y = growthThenPlateau(0.8, 0.01, 0.005, 1);
        GrowthFitResult g = GrowthFit.fit(y);
        assertTrue(g.isFit() && g.growthPhaseFound(), g.note());
        assertEquals(0.8, g.lambda(), 0.8 * 0.03, g.toString());
        assertTrue(g.end() <= 22, "window must end in the growth phase: " + g);
        assertTrue(g.r2() >= 0.9);
        assertEquals(Method.GROWTH_PHASE, g.method());
        assertEquals(202, g.validPoints());

        // the predecessor's rule: the plateau is straighter than the growth phase, so max R² picks it
        GrowthFitResult m = GrowthFit.fit(y, Method.MAX_R2);
        assertTrue(m.start() > 20, "max-R² window lies on the plateau: " + m);
        assertEquals(0.01, m.lambda(), 0.005, "max-R² reports the plateau drift, not λ: " + m);
        assertTrue(m.r2() > 0.99, "with an R² the predecessor would keep: " + m);
    }

    @Test
    void growthPhaseWithNoisyFlatPlateau() {
        double[] y = growthThenPlateau(0.5, 0.0, 0.1, 7);   // growth until t ≈ 32
        GrowthFitResult g = GrowthFit.fit(y);
        assertEquals(0.5, g.lambda(), 0.5 * 0.03, g.toString());
        assertTrue(g.end() <= 34, g.toString());
    }

    @Test
    void initialAlignmentTransientIsSkipped() {
        // ln d flat for 6 steps (perturbation not yet along the unstable direction), then λ = 0.6
        Random rnd = new Random(3);
        double[] y = new double[150];
        for (int t = 0; t < y.length; t++) {
            double lin = -9.0 + 0.6 * Math.max(0, t - 6);
            y[t] = Math.min(lin, 6.0 - 0.5 * Math.exp(-(lin - 6.0) * (lin - 6.0))) + 0.02 * rnd.nextGaussian();
        }
        GrowthFitResult g = GrowthFit.fit(y);
        assertEquals(0.6, g.lambda(), 0.6 * 0.03, g.toString());
        assertTrue(g.start() >= 5, g.toString());
    }

    @Test
    void pureDecayGivesNegativeLambdaOverTheWholeCurve() {
        Random rnd = new Random(11);
        double[] y = new double[101];
        for (int t = 0; t < y.length; t++) {
            y[t] = -3.0 - 0.05 * t + 0.05 * rnd.nextGaussian();
        }
        GrowthFitResult g = GrowthFit.fit(y);
        assertFalse(g.growthPhaseFound());
        assertEquals(0, g.start());
        assertEquals(100, g.end());
        assertEquals(-0.05, g.lambda(), 0.05 * 0.05, g.toString());
    }

    @Test
    void constantCurveGivesZero() {
        double[] flat = new double[50];
        java.util.Arrays.fill(flat, -7.0);
        GrowthFitResult g = GrowthFit.fit(flat);
        assertEquals(0.0, g.lambda());
        assertEquals(1.0, g.r2());
        assertFalse(g.growthPhaseFound());

        Random rnd = new Random(5);
        double[] noisy = new double[202];
        for (int t = 0; t < noisy.length; t++) {
            noisy[t] = -7.0 + 0.1 * rnd.nextGaussian();
        }
        GrowthFitResult n = GrowthFit.fit(noisy);
        assertFalse(n.growthPhaseFound());
        assertEquals(0.0, n.lambda(), 1e-3, n.toString());
        assertEquals(0.0, GrowthFit.fit(flat, Method.MAX_R2).lambda());
    }

    @Test
    void logisticMapGrowsAtLn2() {
        // x → 4x(1−x) has λ = ln 2. Reference + 5 replicas x0 + δ_m; d(t) = mean_m |x_m(t) − x(t)|
        for (double x0 : new double[] {0.3, 0.123456, 0.71}) {
            int steps = 81;
            double[] d = new double[steps];
            double ref = x0;
            double[] rep = new double[5];
            for (int m = 0; m < rep.length; m++) {
                rep[m] = x0 + 1e-12 * (m + 1);
            }
            for (int t = 0; t < steps; t++) {
                double s = 0;
                for (double r : rep) {
                    s += Math.abs(r - ref);
                }
                d[t] = s / rep.length;
                ref = 4 * ref * (1 - ref);
                for (int m = 0; m < rep.length; m++) {
                    rep[m] = 4 * rep[m] * (1 - rep[m]);
                }
            }
            GrowthFitResult g = GrowthFit.fitDistances(times(steps), d, GrowthFit.Options.defaults(Method.GROWTH_PHASE));
            assertTrue(g.growthPhaseFound(), g.toString());
            assertEquals(Math.log(2), g.lambda(), 0.1 * Math.log(2), "x0=" + x0 + ": " + g);
        }
    }

    @Test
    void linearMapGrowsAtLogOfLargestEigenvalue() {
        // A = [[1.3, 2], [0, 0.5]] (non-normal, eigenvalues 1.3 and 0.5): no saturation, λ = ln 1.3
        assertEquals(Math.log(1.3), linearMapFit(1.3).lambda(), 0.02 * Math.log(1.3));
        // A = [[0.9, 2], [0, 0.5]]: contracting, no growth phase, λ = ln 0.9 from the whole curve
        GrowthFitResult c = linearMapFit(0.9);
        assertFalse(c.growthPhaseFound());
        assertEquals(Math.log(0.9), c.lambda(), 0.05 * Math.abs(Math.log(0.9)), c.toString());
    }

    private static GrowthFitResult linearMapFit(double a11) {
        int steps = 101;
        double[] d = new double[steps];
        double x = 1e-10;
        double y = -1e-10;
        for (int t = 0; t < steps; t++) {
            d[t] = Math.abs(x) + Math.abs(y);                   // L1 distance of the difference
            double nx = a11 * x + 2.0 * y;
            y = 0.5 * y;
            x = nx;
        }
        return GrowthFit.fitDistances(times(steps), d, GrowthFit.Options.defaults(Method.GROWTH_PHASE));
    }

    @Test
    void nonFinitePointsAfterDivergenceAreIgnored() {
        double[] y = growthThenPlateau(0.8, 0.0, 0.01, 2);
        for (int t = 60; t < y.length; t++) {
            y[t] = t % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        GrowthFitResult g = GrowthFit.fit(y);
        assertEquals(60, g.validPoints());
        assertEquals(142, g.ignoredPoints());
        assertEquals(0.8, g.lambda(), 0.8 * 0.03, g.toString());
        assertTrue(g.note().contains("ignored"));
        GrowthFitResult m = GrowthFit.fit(y, Method.MAX_R2);
        assertTrue(m.end() < 60, m.toString());
    }

    @Test
    void tooFewFinitePointsIsNoFit() {
        GrowthFitResult g = GrowthFit.fit(new double[] {-8, -7, Double.NaN, 1, 2});
        assertFalse(g.isFit());
        assertTrue(Double.isNaN(g.lambda()));
        assertEquals(2, g.validPoints());
        assertEquals(3, g.ignoredPoints());
        assertTrue(g.note().contains("diverged"), g.note());
        assertFalse(g.accepted(0.9));
        // d = 0 at t = 0 (perturbation below resolution) → ln d = −∞ → no fit
        GrowthFitResult z = GrowthFit.fitDistances(times(4), new double[] {0, 1, 2, 3},
            GrowthFit.Options.defaults(Method.GROWTH_PHASE));
        assertFalse(z.isFit());
        assertEquals(0, z.validPoints());
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class,
            () -> GrowthFit.fit(new double[] {0, 0, 1}, new double[] {1, 2, 3}, GrowthFit.Options.defaults(Method.MAX_R2)));
        assertThrows(IllegalArgumentException.class, () -> new GrowthFit.Options(Method.MAX_R2, 2, 0.1, 0.9, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new GrowthFit.Options(Method.MAX_R2, 5, 0.1, 0.9, 0, 2));
        assertEquals(Method.MAX_R2, Method.parse("max-r2"));
        assertEquals(Method.MAX_R2, Method.parse("MAX_R2"));
        assertEquals(Method.GROWTH_PHASE, Method.parse("growth"));
        assertEquals(Method.GROWTH_PHASE, Method.parse("growth-phase"));
        assertThrows(IllegalArgumentException.class, () -> Method.parse("best"));
        assertThrows(IllegalArgumentException.class, () -> new GrowthFitResult(1.0, 0, 0.9, 3, 2, 0, 1,
            Method.MAX_R2, 0, 10, 0, false, ""));
    }
}
