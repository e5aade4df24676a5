package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The accounting of counted renormalisation intervals, by hand. */
class RenormIntervalsTest {
    @Test
    void onlyIntervalsStartingAfterTheTransientCountAndTheirStepsAreTheDenominator() {
        RenormIntervals r = new RenormIntervals(5, 0);
        assertFalse(r.close(3), "(0, 3]");
        assertFalse(r.close(6), "(3, 6] holds transient steps 4 and 5");
        assertEquals(0, r.countedSteps());
        assertTrue(r.close(9), "(6, 9]");
        assertEquals(3, r.countedSteps());
        assertTrue(r.close(12));
        assertEquals(6, r.countedSteps());
        assertEquals(2, r.countedIntervals());
        assertEquals(12, r.lastStep());
        assertThrows(IllegalArgumentException.class, () -> r.close(12));
    }

    @Test
    void anIntervalStartingExactlyAtTheTransientCounts() {
        RenormIntervals r = new RenormIntervals(6, 0);
        r.close(3);
        r.close(6);
        assertTrue(r.close(9));
        assertEquals(3, r.countedSteps());
        RenormIntervals none = new RenormIntervals(0, 2);
        assertTrue(none.close(4), "no transient: the first interval from the start step counts");
        assertEquals(2, none.countedSteps());
    }
}
