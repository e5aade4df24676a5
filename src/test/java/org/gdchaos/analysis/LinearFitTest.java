package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearFitTest {

    @Test
    void handComputedFourPoints() {
        // t̄ = 1.5, ȳ = 3, Stt = 5, Sty = 5, Syy = 6  →  slope 1, intercept 1.5, R² = 25/30, SSres = 1
        LinearFit f = LinearFit.fit(new double[] {0, 1, 2, 3}, new double[] {1, 3, 4, 4});
        assertEquals(1.0, f.slope(), 1e-15);
        assertEquals(1.5, f.intercept(), 1e-15);
        assertEquals(25.0 / 30.0, f.r2(), 1e-15);
        assertEquals(Math.sqrt(1.0 / 2.0 / 5.0), f.slopeStdErr(), 1e-15);
        assertEquals(4, f.n());
        assertEquals(4.5, f.at(3.0), 1e-15);
    }

    @Test
    void exactLineAndWindow() {
        double[] t = new double[10];
        double[] y = new double[10];
        for (int i = 0; i < 10; i++) {
            t[i] = i;
            y[i] = i < 5 ? -2.0 + 0.75 * i : 100.0 * i;   // window [0,5) is an exact line
        }
        LinearFit f = LinearFit.fit(t, y, 0, 5);
        assertEquals(0.75, f.slope(), 1e-14);
        assertEquals(-2.0, f.intercept(), 1e-14);
        assertEquals(1.0, f.r2(), 1e-14);
        assertEquals(0.0, f.slopeStdErr(), 1e-12);
    }

    @Test
    void constantYHasZeroSlopeAndPerfectFit() {
        LinearFit f = LinearFit.fit(new double[] {0, 1, 2, 3, 4}, new double[] {0.1, 0.1, 0.1, 0.1, 0.1});
        assertEquals(0.0, f.slope());
        assertEquals(0.1, f.intercept());
        assertEquals(1.0, f.r2());
    }

    @Test
    void accurateFarFromTheOrigin() {
        // t = 1e6..1e6+20, y = 7.8 + 1e-4 (t − 1e6) + tiny alternating ripple: the naive Σt² − (Σt)²/n form
        // loses the slope; the Welford form keeps it
        int n = 21;
        double[] t = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1e6 + i;
            y[i] = 7.8 + 1e-4 * i;
        }
        LinearFit f = LinearFit.fit(t, y);
        assertEquals(1e-4, f.slope(), 1e-12);
        assertTrue(f.r2() > 1 - 1e-9, "r2 " + f.r2());
        assertEquals(7.8, f.at(1e6), 1e-9);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> LinearFit.fit(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> LinearFit.fit(new double[] {1, 1, 1}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> LinearFit.fit(new double[] {0, 1}, new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> LinearFit.fit(new double[] {0, 1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new LinearFit(1, 0, 1.5, 0, 3));
    }
}
