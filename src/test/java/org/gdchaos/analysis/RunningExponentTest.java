package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunningExponentTest {

    @Test
    void countsOnlyIntervalsAfterTheTransient() {
        double delta0 = 1e-3;
        RunningExponent r = new RunningExponent(delta0, 25);
        r.add(10, 1.0);                                   // transient: huge growth, ignored
        r.add(20, 1e-9);                                  // transient: huge shrink, ignored
        r.add(30, delta0 * Math.exp(0.5 * 10));           // interval (20,30]: starts before 25, ignored
        assertTrue(Double.isNaN(r.estimate()));
        r.add(40, delta0 * Math.exp(0.5 * 10));           // (30,40]: counted, λ = 0.5
        assertEquals(0.5, r.estimate(), 1e-14);
        r.add(45, delta0 * Math.exp(-0.25 * 5));          // (40,45]: ln ratio −1.25 over 5 steps
        assertEquals((5.0 - 1.25) / 15.0, r.estimate(), 1e-14);
        assertEquals(15, r.countedSteps());
        assertEquals(2, r.countedRenormalisations());
        assertEquals(5, r.renormalisations());
        assertEquals(2, r.history().size());
        assertEquals(40, r.history().get(0).step());
        assertEquals(0.5, r.history().get(0).lambda(), 1e-14);
        assertNull(r.failure());
        r.addLogRatio(50, 0.0);
        assertEquals(3.75 / 20.0, r.estimate(), 1e-14);
    }

    @Test
    void logisticMapBenettinGivesLn2() {
        // reference x and replica at distance δ0, renormalised every step; λ = ln 2 exactly for x → 4x(1−x)
        double delta0 = 1e-7;
        RunningExponent r = new RunningExponent(delta0, 100);
        double x = 0.3;
        double sign = 1;
        double rep = x + delta0;
        for (int step = 1; step <= 100_000; step++) {
            x = 4 * x * (1 - x);
            rep = 4 * rep * (1 - rep);
            double diff = rep - x;
            r.add(step, Math.abs(diff));
            sign = diff >= 0 ? 1 : -1;
            rep = x + sign * delta0;
            if (rep > 1 || rep < 0) {
                rep = x - sign * delta0;
            }
        }
        assertNull(r.failure());
        assertEquals(Math.log(2), r.estimate(), 0.01 * Math.log(2));
        assertEquals(99_900, r.countedSteps());
        assertEquals(99_900, r.history().size());
    }

    @Test
    void divergenceOrCollapseStopsTheAccumulation() {
        RunningExponent r = new RunningExponent(1e-8, 0);
        r.add(1, 2e-8);
        assertEquals(Math.log(2), r.estimate(), 1e-14);
        r.add(2, Double.POSITIVE_INFINITY);
        assertTrue(Double.isNaN(r.estimate()));
        assertTrue(r.failure().contains("not finite") && r.failure().contains("step 2"), r.failure());
        r.add(3, 1e-8);                                   // ignored after failure
        assertEquals(1, r.history().size());

        RunningExponent z = new RunningExponent(1e-8, 0);
        z.add(1, 0.0);
        assertTrue(z.failure().contains("collapsed"), z.failure());
        RunningExponent n = new RunningExponent(1e-8, 0);
        n.addLogRatio(1, Double.NaN);
        assertTrue(Double.isNaN(n.estimate()));
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new RunningExponent(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RunningExponent(1e-8, -1));
        RunningExponent r = new RunningExponent(1e-8, 0, 10);
        assertThrows(IllegalArgumentException.class, () -> r.add(10, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new RunningExponent.Point(1, Double.NaN));
    }
}
