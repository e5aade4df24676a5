package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.run.ProgressListener;
import org.gdchaos.sweep.report.SweepPlots;
import org.gdchaos.sweep.run.SweepResult;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * {@code grad_norm} and {@code converged} against the balanced scalar network (docs/science.md#o8)
 * (a = b = s, Φ = 1: s' = s − η(s² − 1)s), computed on the host: a stable fixed point for η &lt; 1,
 * a period-2 orbit just above η = 1 (here 1.05 and 1.15, below the next period doubling; not
 * converged, though finite and bounded), divergence far beyond. And the sharpness plot averages
 * converged cells only.
 */
class ConvergedColumnTest {
    static final int STEPS = 400;
    static final double S0 = 0.9;

    /** Host iteration of the balanced map; returns s after {@code steps}. */
    static double hostS(double eta, int steps) {
        double s = S0;
        for (int t = 0; t < steps; t++) s = s - eta * (s * s - 1) * s;
        return s;
    }

    /** ‖∇L‖ at a = b = s: ∇ = (r·b, r·a) with r = s² − 1, so ‖∇L‖ = √2·|r|·|s|. */
    static double hostGradNorm(double s) {
        return Math.sqrt(2) * Math.abs(s * s - 1) * Math.abs(s);
    }

    @Test
    void fixedPointsConvergeOrbitsDoNot(@TempDir Path dir) throws IOException {
        double[] rates = {0.3, 0.9, 1.05, 1.15, 3.0};
        SweepSpec spec = SweepSpec.builder().data("scalar:x=1,y=1").trainSize(0).testSize(0)
                .model(ModelSpec.linear(1)).init(InitSpec.values(S0, S0)).learningRates(rates).inits(1).seed(1L)
                .steps(STEPS).batchSize(0).dtype(DType.F64)
                .lyapunov(new LyapunovConfig(Method.PAPER, 1, 1, 1e-8, 1, 0, Norm.L1, false, GrowthFit.Method.GROWTH_PHASE))
                .accuracyThreshold(0.5).evalEvery(0).extras(new SweepSpec.Extras(true, 0, false, false)).build();
        SweepResult r;
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            r = new SweepRunner(be, spec, SweepRunner.Options.builder().out(dir).build()).run();
        }
        double tol = CellRow.convergenceTolerance(DType.F64);
        assertEquals(Math.sqrt(0x1p-53), tol);
        for (CellRow row : r.rows()) {
            double eta = row.cell().lr();
            if (eta == 3.0) {
                assertTrue(row.diverged());
                assertFalse(row.converged());
                assertTrue(Double.isNaN(row.gradNorm()));
                continue;
            }
            assertFalse(row.diverged(), "η = " + eta);
            double s = hostS(eta, STEPS);
            double g = hostGradNorm(s);
            if (eta < 1) {
                assertTrue(row.converged(), "η = " + eta + ": " + row);
                assertTrue(row.gradNorm() <= tol && g <= tol, row.gradNorm() + " host " + g);
            } else {
                // a period-2 orbit: s alternates between two values, neither a fixed point
                assertEquals(s, hostS(eta, STEPS + 2), 1e-9, "period 2 at η = " + eta);
                assertTrue(Math.abs(s - hostS(eta, STEPS + 1)) > 0.05, "not a fixed point at η = " + eta);
                assertFalse(row.converged(), "η = " + eta + ": " + row);
                assertEquals(g, row.gradNorm(), 1e-9 * g, "η = " + eta);
                assertTrue(row.gradNorm() > 0.1);
            }
        }
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertTrue(lines.get(0).contains(",diverged,diverged_step,grad_norm,converged,"), lines.get(0));
        ResultsCsv format = new ResultsCsv(1, List.of("sharpness"));
        for (String l : lines.subList(1, lines.size())) assertEquals(l, format.line(format.parse(l)));

        // the plot: GD mean over the converged cells only; the orbits are drawn as separate marks
        XYChart chart = SweepPlots.sharpnessVsLrChart(r.rows());
        assertNotNull(chart);
        Map<String, XYSeries> series = chart.getSeriesMap();
        double[] gdX = series.get(SweepPlots.GD_CONVERGED).getXData();
        assertEquals(List.of(0.3, 0.9), box(gdX));
        List<Double> orbitX = box(series.get(SweepPlots.GD_NOT_CONVERGED).getXData());
        assertEquals(List.of(1.05, 1.15), orbitX);
        for (double y : series.get(SweepPlots.GD_NOT_CONVERGED).getYData()) {
            assertTrue(y > 0 && Double.isFinite(y));
        }
    }

    @Test
    void sharpnessPlotMeanUsesConvergedCellsAndTheirFlowOnly() {
        List<CellRow> rows = new ArrayList<>();
        rows.add(row(0, 0.5, 0, true, 2.0, 3.0));
        rows.add(row(0, 0.5, 1, true, 2.2, 3.4));
        rows.add(row(0, 0.5, 2, false, 9.0, 100.0));   // an orbit: left out of both means
        XYChart c = SweepPlots.sharpnessVsLrChart(rows);
        assertEquals(2.1, c.getSeriesMap().get(SweepPlots.GD_CONVERGED).getYData()[0], 1e-12);
        assertEquals(3.2, c.getSeriesMap().get(SweepPlots.GF_SAME_CELLS).getYData()[0], 1e-12);
        assertEquals(9.0, c.getSeriesMap().get(SweepPlots.GD_NOT_CONVERGED).getYData()[0], 0);
        List<CellRow> allConverged = rows.subList(0, 2);
        assertNull(SweepPlots.sharpnessVsLrChart(allConverged).getSeriesMap().get(SweepPlots.GD_NOT_CONVERGED));
    }

    static CellRow row(int lrIndex, double lr, int init, boolean converged, double s, double gf) {
        return CellRow.builder(new Cell(lrIndex, lr, init), 1).exponents(0).finalLoss(0).testLoss(0)
                .stepsToThreshold(CellRow.NOT_APPLICABLE).gradNorm(converged ? 0 : 1).converged(converged)
                .extras(Map.of("sharpness", s, "gf_sharpness", gf)).build();
    }

    static List<Double> box(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double v : a) l.add(v);
        return l;
    }
}
