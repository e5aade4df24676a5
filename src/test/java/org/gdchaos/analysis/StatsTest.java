package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void textbookSample() {
        // mean 5, Σ(x−x̄)² = 32, s = √(32/7), t_{0.975,7} = 2.364624251592784 (tables)
        double[] x = {2, 4, 4, 4, 5, 5, 7, 9};
        Stats.Summary s = Stats.summarize(x);
        double sd = Math.sqrt(32.0 / 7.0);
        double half = 2.364624251592784 * sd / Math.sqrt(8);
        assertEquals(8, s.n());
        assertEquals(0, s.ignored());
        assertEquals(5.0, s.mean(), 1e-15);
        assertEquals(sd, s.sd(), 1e-14);
        assertEquals(5.0 - half, s.ciLow(), 1e-12);
        assertEquals(5.0 + half, s.ciHigh(), 1e-12);
        assertEquals(half, s.ciHalfWidth(), 1e-12);
        assertEquals(4.5, s.median());
        assertEquals(2.0, s.min());
        assertEquals(9.0, s.max());
    }

    @Test
    void ignoresNonFiniteAndCountsThem() {
        double[] x = {1, Double.NaN, 3, Double.POSITIVE_INFINITY, 2, Double.NaN};
        Stats.Summary s = Stats.summarize(x);
        assertEquals(3, s.n());
        assertEquals(3, s.ignored());
        assertEquals(2.0, s.mean(), 1e-15);
        assertEquals(1.0, s.sd(), 1e-15);
        assertEquals(2.0, s.median());
        // t_{0.975,2} = 4.302652729749462
        assertEquals(2.0 + 4.302652729749462 / Math.sqrt(3), s.ciHigh(), 1e-12);
        assertEquals(2.0, Stats.mean(x), 1e-15);
        assertEquals(1.0, Stats.sampleSd(x), 1e-15);
        assertEquals(2, Stats.countNaN(x));
    }

    @Test
    void smallSamples() {
        Stats.Summary empty = Stats.summarize(new double[] {Double.NaN});
        assertEquals(0, empty.n());
        assertEquals(1, empty.ignored());
        assertTrue(Double.isNaN(empty.mean()) && Double.isNaN(empty.median()) && Double.isNaN(empty.ciLow()));
        Stats.Summary one = Stats.summarize(new double[] {0.25});
        assertEquals(0.25, one.mean());
        assertEquals(0.25, one.median());
        assertTrue(Double.isNaN(one.sd()) && Double.isNaN(one.ciHigh()));
        Stats.Summary same = Stats.summarize(new double[] {0.1, 0.1, 0.1});
        assertEquals(0.0, same.sd(), 1e-17);
    }

    @Test
    void medianKeepsInfinityAsNever() {
        assertEquals(20.0, Stats.median(new double[] {10, Double.POSITIVE_INFINITY, 20, Double.NaN}));
        assertEquals(Double.POSITIVE_INFINITY, Stats.median(new double[] {10, Double.POSITIVE_INFINITY}));
        assertEquals(Double.POSITIVE_INFINITY,
            Stats.median(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 3}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Stats.median(new double[] {Double.NaN})));
        assertEquals(1e308, Stats.median(new double[] {1e308, 1e308}));   // no overflow
    }

    @Test
    void intervalCoversTheTrueMeanAbout95Percent() {
        // n = 4 normal samples: the t interval must cover μ in 95% of repetitions (a z interval
        // with 1.96 would cover only ~86%); 4000 repetitions: standard error 0.0034
        Random rnd = new Random(12345);
        int hits = 0;
        int reps = 4000;
        for (int r = 0; r < reps; r++) {
            double[] x = new double[4];
            for (int i = 0; i < x.length; i++) {
                x[i] = 3.0 + 2.0 * rnd.nextGaussian();
            }
            Stats.Summary s = Stats.summarize(x);
            if (s.ciLow() <= 3.0 && 3.0 <= s.ciHigh()) {
                hits++;
            }
        }
        assertEquals(0.95, hits / (double) reps, 0.015);
    }
}
