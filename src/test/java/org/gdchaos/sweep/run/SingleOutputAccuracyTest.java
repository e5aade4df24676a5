package org.gdchaos.sweep.run;

import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.report.SweepPlots;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accuracy (argmax) is undefined for a single output: argmax over one value always "matches".
 * Such sweeps must write NaN accuracies and {@code n/a} steps to threshold — also for diverged
 * cells, which used to report accuracy 1.0 reached at step 0 — while multi-output MSE keeps its
 * argmax accuracy.
 */
class SingleOutputAccuracyTest {
    @TempDir
    Path tmp;

    static SweepSpec spec(String data, ModelSpec model, double[] rates) {
        return SweepSpec.builder().data(data).trainSize(0).testSize(0).model(model)
                .init(InitSpec.parse("normal:1")).learningRates(rates).inits(2).seed(5L).steps(30).batchSize(0)
                .dtype(DType.F64)
                .lyapunov(new LyapunovConfig(Method.PAPER, 2, 1, 1e-8, 1, 0, Norm.L1, false, GrowthFit.Method.GROWTH_PHASE))
                .accuracyThreshold(0.5).evalEvery(1).extras(null).build();
    }

    static SweepResult run(SweepSpec s, Path out) {
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            return new SweepRunner(be, s, SweepRunner.Options.builder().out(out).build()).run();
        }
    }

    static List<Map<String, String>> csv(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f);
        String[] h = lines.get(0).split(",", -1);
        return lines.subList(1, lines.size()).stream().map(l -> {
            String[] v = l.split(",", -1);
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < h.length; i++) m.put(h[i], v[i]);
            return m;
        }).toList();
    }

    @Test
    void scalarLinearNetworkHasNoAccuracyEvenWhenItDiverges() throws IOException {
        Path out = tmp.resolve("scalar");
        SweepResult r = run(spec("scalar:x=1,y=1", ModelSpec.linear(2), new double[] {0.1, 3.0}), out);
        List<Map<String, String>> rows = csv(out.resolve("results.csv"));
        assertEquals(4, rows.size());
        assertTrue(rows.stream().anyMatch(m -> m.get("diverged").equals("true")), "η = 3 diverges: " + rows);
        assertTrue(rows.stream().anyMatch(m -> m.get("diverged").equals("false")), rows.toString());
        for (Map<String, String> m : rows) {
            assertEquals("NaN", m.get("train_acc"), m.toString());
            assertEquals("NaN", m.get("test_acc"), m.toString());
            assertEquals("NaN", m.get("steps_to_threshold"), m.toString());
            assertEquals("false", m.get("reached"), m.toString()); // accuracy undefined: never "reached"
        }
        for (Map<String, String> m : csv(out.resolve("summary.csv"))) {
            assertEquals("NaN", m.get("steps_to_threshold_median"), m.toString());
            assertEquals("NaN", m.get("reached_fraction"), m.toString());
            assertEquals("NaN", m.get("test_acc_mean"), m.toString());
        }
        for (Map<String, String> m : csv(out.resolve("curves.csv"))) assertEquals("NaN", m.get("test_acc"));
        for (CellRow row : r.rows()) {
            assertEquals(CellRow.NOT_APPLICABLE, row.stepsToThreshold());
            assertFalse(row.reachedThreshold());
        }
        assertEquals(1, SweepPlots.lambdaVsLrChart(r.summary(), 0.5).charts().size(), "no steps-to-threshold panel");
        assertTrue(Files.exists(out.resolve("lambda_vs_lr.png")));
        // the rows read back as they were written
        ResultsCsv format = new ResultsCsv(1, List.of());
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        for (String l : lines.subList(1, lines.size())) {
            assertEquals(l, format.line(format.parse(l)));
            assertEquals(CellRow.NOT_APPLICABLE, format.parse(l).stepsToThreshold(), "NaN with test_acc NaN: n/a");
        }
    }

    @Test
    void singleOutputTeacherHasNoAccuracy() throws IOException {
        Path out = tmp.resolve("teacher1");
        run(spec("teacher:in=3,hidden=2,out=1,n=20,seed=4",
                new ModelSpec(new int[] {3, 4, 1}, Activation.TANH, true, Loss.MSE), new double[] {0.1}), out);
        for (Map<String, String> m : csv(out.resolve("results.csv"))) {
            assertEquals("NaN", m.get("train_acc"));
            assertEquals("NaN", m.get("test_acc"));
            assertEquals("NaN", m.get("steps_to_threshold"));
            assertEquals("false", m.get("reached"));
        }
    }

    @Test
    void multiOutputRegressionKeepsArgmaxAccuracy() throws IOException {
        Path out = tmp.resolve("teacher2");
        SweepResult r = run(spec("teacher:in=4,hidden=3,out=2,n=30,seed=3",
                new ModelSpec(new int[] {4, 6, 2}, Activation.TANH, true, Loss.MSE), new double[] {0.1, 1.0}), out);
        boolean someReached = false;
        for (Map<String, String> m : csv(out.resolve("results.csv"))) {
            double a = Double.parseDouble(m.get("test_acc"));
            assertTrue(a >= 0 && a <= 1, m.toString());
            // argmax over 2 outputs on 30 samples: a multiple of 1/30, and not trivially 1 everywhere
            assertEquals(0, Math.abs(a * 30 - Math.rint(a * 30)), 1e-9);
            String st = m.get("steps_to_threshold");
            boolean reached = Boolean.parseBoolean(m.get("reached"));
            assertEquals(!reached, st.equals("NaN"), m.toString());
            assertTrue(st.equals("NaN") || Integer.parseInt(st) >= 0, st);
            someReached |= reached;
        }
        assertTrue(someReached);
        assertTrue(r.rows().stream().anyMatch(row -> row.trainAcc() < 1), "argmax accuracy is not trivially 1");
        assertTrue(SweepPlots.lambdaVsLrChart(r.summary(), 0.5).charts().get(1).getSeriesMap()
                .containsKey(SweepPlots.MEDIAN_STEPS));
    }
}
