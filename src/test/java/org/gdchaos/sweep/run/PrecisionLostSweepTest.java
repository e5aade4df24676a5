package org.gdchaos.sweep.run;

import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a 4-16-2 tanh MSE net on {@code teacher:in=4,hidden=8,out=2,n=64,seed=3} at η 0.6–1.5
 * grows huge but finite weights (loss 1e120–1e280 after 150 steps). Benettin's replicas, placed
 * δ0 from the reference, round back onto it; the tracker used to see d = 0, call the cell
 * "collapsed" and report λ1 = −∞ with diverged = false (summary: NaN, 0% diverged). Now such a
 * cell is {@code precision_lost} with λ NaN, counted in {@code precision_lost_fraction}; the spectrum
 * method (finite replicas too) is flagged likewise, while the tangent method (no finite
 * perturbation) measures the exponent: positive, as the paper method's fit of ln d also finds.
 */
public class PrecisionLostSweepTest {
    public static final String DATA = "teacher:in=4,hidden=8,out=2,n=64,seed=3";
    public static final ModelSpec MODEL = new ModelSpec(new int[] {4, 16, 2}, Activation.TANH, true, Loss.MSE);

    @TempDir
    Path tmp;

    static SweepResult run(Method method, Path out) {
        SweepSpec spec = SweepSpec.builder().data(DATA).model(MODEL).learningRates(0.6, 1, 1.5).inits(2)
                .lyapunov(LyapunovConfig.of(method)).steps(150).build();
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            return new SweepRunner(be, spec, SweepRunner.Options.builder().out(out).build()).run();
        }
    }

    @Test
    void benettinFlagsTheCellsInsteadOfReportingMinusInfinity() {
        SweepResult r = run(Method.BENETTIN, tmp.resolve("benettin"));
        assertEquals(6, r.rows().size());
        for (CellRow row : r.rows()) {
            assertFalse(row.diverged(), row.toString());
            assertTrue(row.finalLoss() > 1e100 && Double.isFinite(row.finalLoss()), "huge but finite: " + row.finalLoss());
            assertTrue(row.precisionLost(), row.toString());
            assertTrue(Double.isNaN(row.lambda1()), "λ1 = " + row.lambda1());
            assertTrue(Double.isNaN(row.exponentStdErrs()[0]));
        }
        for (SummaryCsv.Row s : r.summary()) {
            assertEquals(1.0, s.precisionLostFraction(), 0);
            assertEquals(0.0, s.divergedFraction(), 0);
            assertEquals(0, s.lambda1().n());
        }
        List<CellRow> read = ResultsCsv.of(SweepSpec.builder().data(DATA).model(MODEL).learningRates(0.6, 1, 1.5)
                .inits(2).lyapunov(LyapunovConfig.of(Method.BENETTIN)).steps(150).build())
                .read(tmp.resolve("benettin").resolve(ResultStore.RESULTS));
        assertTrue(read.stream().allMatch(CellRow::precisionLost), "written and read back");
    }

    @Test
    void spectrumIsFlaggedTooWhileTangentAndPaperMeasureAPositiveExponent() {
        for (CellRow row : run(Method.SPECTRUM, tmp.resolve("spectrum")).rows()) {
            assertTrue(row.precisionLost(), row.toString());
            for (double l : row.exponents()) assertTrue(Double.isNaN(l), row.toString());
        }
        SweepResult tangent = run(Method.TANGENT, tmp.resolve("tangent"));
        SweepResult paper = run(Method.PAPER, tmp.resolve("paper"));
        for (int i = 0; i < 6; i++) {
            CellRow t = tangent.rows().get(i);
            CellRow p = paper.rows().get(i);
            assertFalse(t.precisionLost() || p.precisionLost(), t + " / " + p);
            assertTrue(t.lambda1() > 0.5 && p.lambda1() > 0.5, "λ1 tangent " + t.lambda1() + ", paper " + p.lambda1());
            assertEquals(t.lambda1(), p.lambda1(), 0.1 * t.lambda1(), "two methods, one exponent");
            assertTrue(t.exponentStdErrs()[0] > 0 && p.exponentStdErrs()[0] > 0);
            assertEquals(150, t.fitPoints(), "τ = 1: one counted interval per step");
            assertEquals(p.fitEnd() - p.fitStart() + 1, p.fitPoints());
        }
    }
}
