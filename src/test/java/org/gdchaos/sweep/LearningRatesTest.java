package org.gdchaos.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Learning-rate grids: lists, {@code log:A:B:N}, {@code lin:A:B:N}, and the refusal of impossible ones. */
class LearningRatesTest {
    @Test
    void listKeepsOrderAndValues() {
        assertArrayEquals(new double[] {0.5, 0.01, 20}, LearningRates.parse(" 0.5, 0.01 ,20 "));
        assertArrayEquals(new double[] {1e-3}, LearningRates.parse("1e-3"));
    }

    @Test
    void logGridIsGeometricWithExactEnds() {
        double[] g = LearningRates.parse("log:0.001:10:5");
        assertEquals(5, g.length);
        double[] want = {0.001, 0.01, 0.1, 1, 10};
        for (int i = 0; i < 5; i++) assertEquals(want[i], g[i], 1e-12 * want[i], "point " + i);
        assertEquals(0.001, g[0]); // the ends are the values given, bit for bit
        assertEquals(10, g[4]);
        for (int i = 1; i < 4; i++) assertEquals(g[i] / g[i - 1], g[i + 1] / g[i], 1e-12, "constant ratio");
        assertArrayEquals(new double[] {0.2}, LearningRates.parse("log:0.2:5:1"), "N = 1 gives A");
        assertArrayEquals(new double[] {8, 4, 2}, LearningRates.parse("LOG:8:2:3"), 1e-12, "descending, any case");
    }

    @Test
    void linGridIsEvenlySpaced() {
        assertArrayEquals(new double[] {0, 2.5, 5, 7.5, 10}, LearningRates.parse("lin:0:10:5"), 1e-12);
        assertArrayEquals(new double[] {1, 2}, LearningRates.parse("lin:1:2:2"));
    }

    @Test
    void paperGridHasTheAuthorsSixteenValues() {
        assertEquals(16, LearningRates.PAPER.length);
        assertEquals(0.0005, LearningRates.PAPER[0]);
        assertEquals(20, LearningRates.PAPER[15]);
    }

    static void refused(String spec, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRates.parse(spec));
        assertTrue(e.getMessage().contains(why), spec + " → " + e.getMessage());
        assertTrue(e.getMessage().contains("log:A:B:N"), "the message lists the accepted forms: " + e.getMessage());
    }

    @Test
    void impossibleGridsAreRefusedWithTheReason() {
        refused("log:0:1:5", "A > 0 and B > 0");
        refused("log:1:-2:5", "A > 0 and B > 0");
        refused("lin:1:2:0", "N must be ≥ 1");
        refused("lin:1:2", "expected lin:A:B:N");
        refused("log:1:2:x", "not a number");
        refused("abc", "not a number");
        refused("0.1,-1", "finite and ≥ 0");
        refused("lin:-1:1:3", "finite and ≥ 0");
        refused(",", "no values");
        refused("1,NaN", "finite and ≥ 0");
        refused("log:1:2:5000000", "not a sensible grid");
    }
}
