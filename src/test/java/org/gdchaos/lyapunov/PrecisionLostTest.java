package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The precision-lost rule of the renormalising trackers and its effect on a cell's result. */
class PrecisionLostTest {
    static final double D0 = 1e-7;

    @Test
    void aDistanceOfExactlyZeroIsLostPrecision() {
        assertTrue(Benettin.precisionLost(0, 0, D0));
        assertTrue(Benettin.precisionLost(0, Double.NaN, D0));
    }

    @Test
    void aReplicaPlacedOffItsDistanceByMoreThanOnePercentIsLostPrecision() {
        assertFalse(Benettin.precisionLost(3e-5, D0, D0));
        assertFalse(Benettin.precisionLost(3e-5, D0 * (1 + 0.009), D0));
        assertFalse(Benettin.precisionLost(3e-5, D0 * (1 - 0.009), D0));
        assertTrue(Benettin.precisionLost(3e-5, D0 * (1 + 0.011), D0));
        assertTrue(Benettin.precisionLost(3e-5, D0 * 0.5, D0));
        assertTrue(Benettin.precisionLost(1e-300, 0, D0), "rounded back onto the reference");
    }

    @Test
    void nonFiniteDistancesAreDivergenceNotPrecisionLoss() {
        assertFalse(Benettin.precisionLost(Double.NaN, Double.NaN, D0));
        assertFalse(Benettin.precisionLost(Double.POSITIVE_INFINITY, D0, D0));
        assertFalse(Benettin.precisionLost(3e-5, Double.NaN, D0));
    }

    /** Paper protocol: a replica at distance exactly 0 after the start; NaN (divergence) is not. */
    @Test
    void aPaperReplicaAtDistanceZeroIsLostPrecision() {
        double nan = Double.NaN;
        assertFalse(FreeDivergence.reachedZero(new double[][] {{1e-8, 3e-8, 1e-3}, {1e-8, 1e-9, 1e-12}}));
        assertTrue(FreeDivergence.reachedZero(new double[][] {{1e-8, 3e-8, 1e-3}, {1e-8, 1e-9, 0}}));
        assertFalse(FreeDivergence.reachedZero(new double[][] {{0, 3e-8, nan}}), "step 0 is the start; NaN diverged");
    }

    /** The runtime size limit is the start-time check with 1% instead of 1/1000: tenfold its scale at its limit. */
    @Test
    void theSizeLimitIsTheStartCheckRelaxedTenfold() {
        org.gdchaos.backend.DType f32 = org.gdchaos.backend.DType.F32;
        long n = 10_000;
        double scale = 0.05;
        double share = Math.sqrt(n);
        double eps = 1000 * f32.epsilon() * scale * share * (1 + 1e-12); // just accepted at the start
        LyapunovConfig c = LyapunovConfig.of(Method.BENETTIN).withEpsilon(eps);
        c.checkResolvable(f32, scale, n);
        assertEquals(10 * scale, Benettin.rmsLimit(c, f32, n), 1e-9 * scale);
        assertFalse(Benettin.tooLarge(n * Math.pow(9 * scale, 2), n, Benettin.rmsLimit(c, f32, n)));
        assertTrue(Benettin.tooLarge(n * Math.pow(11 * scale, 2), n, Benettin.rmsLimit(c, f32, n)));
        assertFalse(Benettin.tooLarge(Double.POSITIVE_INFINITY, n, 1), "non-finite weights: divergence");
    }

    /** A lost cell reports NaN exponents (never −∞) and no Kaplan–Yorke dimension; a diverged one no loss. */
    @Test
    void aLostSpectrumIsNaNAndADivergedOneIsNotLost() {
        double nan = Double.NaN;
        double[][] running = {{nan, 0.5, 0.4}, {nan, -0.1, Double.NEGATIVE_INFINITY}};
        CellResult lost = CellResult.ofSpectrum(running, new double[] {0.01, 0.02}, 2, false, true);
        assertTrue(lost.precisionLost());
        assertTrue(Double.isNaN(lost.exponents()[0]) && Double.isNaN(lost.exponents()[1]));
        assertTrue(Double.isNaN(lost.kaplanYorke()));
        assertTrue(Double.isNaN(lost.stdErrs()[0]));
        CellResult diverged = CellResult.ofSpectrum(running, new double[] {0.01, 0.02}, 2, true, true);
        assertFalse(diverged.precisionLost(), "diverged takes precedence");
    }

    /** Standard errors follow their exponents into descending order. */
    @Test
    void standardErrorsArePermutedWithTheExponents() {
        double nan = Double.NaN;
        double[][] running = {{nan, -0.3}, {nan, 0.7}, {nan, 0.1}};
        CellResult r = CellResult.ofSpectrum(running, new double[] {0.03, 0.07, 0.01}, 5, false, false);
        assertArrayEquals(new double[] {0.7, 0.1, -0.3}, r.exponents());
        assertArrayEquals(new double[] {0.07, 0.01, 0.03}, r.stdErrs());
        assertEquals(5, r.fitPoints());
    }

    /** {@link LocalRates}: s/√m against a direct two-pass computation. */
    @Test
    void localRatesGiveTheStandardErrorOfTheMean() {
        double[] x = {0.31, 0.27, 0.45, 0.12, 0.38, 0.29};
        LocalRates l = new LocalRates(2, 1);
        for (double v : x) l.add(1, 0, v);
        l.add(1, 0, Double.NEGATIVE_INFINITY); // not a local rate: skipped
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        assertEquals(Math.sqrt(ss / (x.length - 1)) / Math.sqrt(x.length), l.stdErr(1, 0), 1e-15);
        assertEquals(x.length, l.count(1));
        assertTrue(Double.isNaN(l.stdErr(0, 0)), "no intervals");
        l.add(0, 0, 0.5);
        assertTrue(Double.isNaN(l.stdErr(0, 0)), "one interval");
    }
}
