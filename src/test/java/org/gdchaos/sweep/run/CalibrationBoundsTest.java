package org.gdchaos.sweep.run;

import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 item 12: the {@code --plan} calibration is bounded by counts, not by timing — however
 * large the sweep (samples, replicas or exponents, steps, cells), it trains at most
 * ({@link Calibration#RUNS} + 1) runs of ≤ {@link Calibration#MAX_CELLS} cells of
 * ≤ {@link Calibration#MAX_MEMBERS} + 1 trajectories for ≤ {@link Calibration#STEPS} steps on
 * ≤ {@link Calibration#MAX_ROWS} samples (the spectrum method: one more series at twice the members).
 * The estimate's accuracy against real runs is measured by {@code benchmarks/plan-accuracy.sh}
 * (raw results in benchmarks/results), not here: a timed unit test would be flaky.
 */
class CalibrationBoundsTest {
    static final long BOUND = ((long) Calibration.WARM_RUNS * Calibration.WARM_STEPS
            + (long) Calibration.RUNS * Calibration.MAX_CELLS * Calibration.STEPS)
            * (Calibration.MAX_MEMBERS + 1) * Calibration.MAX_ROWS;

    static Calibration.Estimate estimate(SweepSpec spec) {
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            return new SweepRunner(be, spec, SweepRunner.Options.builder().build()).preview(5).estimate();
        }
    }

    static void checkShape(Calibration.Estimate e, SweepSpec spec) {
        assertTrue(e.cells() >= 1 && e.cells() <= Calibration.MAX_CELLS, "cells " + e.cells());
        assertTrue(e.steps() >= 1 && e.steps() <= Math.min(Calibration.STEPS, spec.training().steps()), "steps " + e.steps());
        assertTrue(e.runs() >= 1 && e.runs() <= Calibration.RUNS, "runs " + e.runs());
        assertTrue(e.seconds() > 0 && Double.isFinite(e.seconds()), e.measured());
        assertTrue(e.low() <= e.seconds() && e.seconds() <= e.high(), e.range() + " around " + e.seconds());
        assertTrue(e.measured().contains("warm-up run"), e.measured());
    }

    /** 2000 samples per step, 16 replicas, 500 steps, 40 cells: the work stays under the bound, far below the sweep's. */
    @Test
    void aLargeFullBatchSweepIsCalibratedOnABoundedSlice() {
        SweepSpec spec = SweepSpec.builder().trainSize(2000).testSize(500)
                .model(new ModelSpec(new int[] {784, 4, 10}, org.gdchaos.backend.Activation.TANH, true, org.gdchaos.backend.Loss.CROSS_ENTROPY))
                .learningRates(0.01, 0.1, 0.3, 1, 2, 3, 5, 7, 10, 20).inits(4)
                .lyapunov(LyapunovConfig.paper().withReplicas(16)).steps(500).build();
        Calibration.Estimate e = estimate(spec);
        checkShape(e, spec);
        assertTrue(e.trajectorySampleSteps() <= BOUND, e.trajectorySampleSteps() + " > " + BOUND);
        long sweep = 40L * 17 * 500 * 2000;
        assertTrue(e.trajectorySampleSteps() * 100 < sweep, "the calibration is a small slice of the sweep");
        // at most MAX_ROWS samples per step, fewer (down to MIN_ROWS) when one step is slow: on a loaded
        // machine the slice is smaller, so the count is read from the estimate, not assumed
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of 2000 samples per step").matcher(e.reduced());
        assertTrue(e.reduced().contains("4 of 16 replicas") && m.find(), e.reduced());
        int rows = Integer.parseInt(m.group(1));
        assertTrue(rows >= Calibration.MIN_ROWS && rows <= Calibration.MAX_ROWS, e.reduced());
        // g = (2000/r)·(17/5): the reduced cell scaled to a real one
        assertEquals(2000.0 / rows * 17 / 5, e.scale(), 1e-9);
    }

    /** A spectrum of 200 exponents: calibrated on 4 and 8, extrapolated by the fitted a·(K+1) + b·K². */
    @Test
    void manyExponentsAreCalibratedOnFewAndExtrapolated() {
        SweepSpec spec = SweepSpec.builder().trainSize(100).testSize(50)
                .model(new ModelSpec(new int[] {784, 8, 10}, org.gdchaos.backend.Activation.TANH, true, org.gdchaos.backend.Loss.CROSS_ENTROPY)).learningRates(0.5)
                .inits(1).lyapunov(LyapunovConfig.of(Method.SPECTRUM).withExponents(200)).steps(40).build();
        Calibration.Estimate e = estimate(spec);
        checkShape(e, spec);
        assertTrue(e.trajectorySampleSteps() <= 2 * BOUND, e.trajectorySampleSteps() + " > " + 2 * BOUND);
        assertTrue(e.reduced().contains("4 and 8 exponents measured"), e.reduced());
        // at least linear in the trajectories: 201/5
        assertTrue(e.scale() >= 201.0 / 5 - 1e-9, "scale " + e.scale());
    }

    /** A small sweep is measured on its own batch, unscaled (nothing reduced). */
    @Test
    void aSmallSweepIsNotReduced() {
        SweepSpec spec = SweepSpec.builder().trainSize(50).testSize(50)
                .model(new ModelSpec(new int[] {784, 4, 10}, org.gdchaos.backend.Activation.TANH, true, org.gdchaos.backend.Loss.CROSS_ENTROPY)).learningRates(0.1, 1)
                .inits(1).lyapunov(LyapunovConfig.paper().withReplicas(2)).steps(5).build();
        Calibration.Estimate e = estimate(spec);
        checkShape(e, spec);
        assertEquals("", e.reduced());
        assertEquals(1.0, e.scale());
        assertEquals(5, e.steps());
    }
}
