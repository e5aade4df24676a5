package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A spectrum's running curves follow the sorted result columns, not the Gram–Schmidt order. */
class CellResultTest {
    static final double NaN = Double.NaN;

    @Test
    void runningCurvesAreSortedDescendingAtEveryStep() {
        // Gram–Schmidt order: vector 2 grows faster early, vector 1 overtakes it at step 3
        double[][] running = {
            {NaN, -1.0, 0.1, 0.5},
            {NaN, 2.0, 0.3, 0.2},
            {NaN, 0.0, -0.4, -0.6},
        };
        CellResult r = CellResult.ofSpectrum(running, false);
        assertEquals(List.of("lambda_1_running", "lambda_2_running", "lambda_3_running"),
                List.copyOf(r.curves().keySet()));
        assertArrayEquals(new double[] {NaN, 2.0, 0.3, 0.5}, r.curves().get("lambda_1_running"));
        assertArrayEquals(new double[] {NaN, 0.0, 0.1, 0.2}, r.curves().get("lambda_2_running"));
        assertArrayEquals(new double[] {NaN, -1.0, -0.4, -0.6}, r.curves().get("lambda_3_running"));
        assertArrayEquals(new double[] {0.5, 0.2, -0.6}, r.exponents());
        for (int i = 0; i < 3; i++) {
            double[] c = r.curves().get("lambda_" + (i + 1) + "_running");
            assertEquals(r.exponents()[i], c[c.length - 1], "the last point of curve i is column lambda_i");
        }
        assertArrayEquals(new double[] {-1.0, 0.1, 0.5}, java.util.Arrays.copyOfRange(running[0], 1, 4),
                "input untouched");
    }

    @Test
    void missingEstimatesSortLast() {
        double[][] running = {{NaN, 1.0}, {NaN, NaN}, {NaN, 3.0}};
        CellResult r = CellResult.ofSpectrum(running, true);
        assertArrayEquals(new double[] {NaN, 3.0}, r.curves().get("lambda_1_running"));
        assertArrayEquals(new double[] {NaN, 1.0}, r.curves().get("lambda_2_running"));
        assertArrayEquals(new double[] {NaN, NaN}, r.curves().get("lambda_3_running"));
    }

    /** A transient as long as the run leaves no estimate: NaN exponents and dimension, not an exception. */
    @Test
    void noEstimateYetGivesNaNKaplanYorke() {
        CellResult r = CellResult.ofSpectrum(new double[][] {{NaN, NaN}, {NaN, NaN}}, false);
        assertArrayEquals(new double[] {NaN, NaN}, r.exponents());
        assertEquals(NaN, r.kaplanYorke());
        CellResult collapsed = CellResult.ofSpectrum(new double[][] {{NaN, 0.2}, {NaN, Double.NEGATIVE_INFINITY}},
                false);
        assertEquals(NaN, collapsed.kaplanYorke());
    }
}
