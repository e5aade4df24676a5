package org.gdchaos.sweep.store;

import org.gdchaos.sweep.run.PrecisionLostSweepTest;

import org.gdchaos.sweep.run.ProgressListener;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output files of real small sweeps — every method, with the extra measurements, with a
 * diverged cell, a single-output model, a growth fit on few points, a cell that never reached the accuracy threshold and cells whose perturbation was
 * lost in rounding — read with a strict CSV reader and checked column by column against the
 * schema the writers declare ({@link ResultsCsv#columns()}, {@link SummaryCsv#columns},
 * {@link CurvesCsv#documented()}): every value of an {@code int} column a whole number, of an
 * {@code int or NaN} column a whole number or NaN, of a {@code double} column a number (NaN, ±Infinity
 * included), of a {@code boolean} column true/false — no words, no −1 placeholders, no empty fields.
 */
class OutputSchemaTest {
    @TempDir
    static Path tmp;
    static final List<Path> FOLDERS = new ArrayList<>();
    static final Map<Path, SweepSpec> SPECS = new HashMap<>();

    static final ModelSpec SMALL = new ModelSpec(new int[] {3, 6, 2}, Activation.TANH, true, Loss.MSE);
    static final String SMALL_DATA = "teacher:in=3,hidden=4,out=2,n=24,seed=2";

    @BeforeAll
    static void sweeps() {
        SweepSpec.Extras all = new SweepSpec.Extras(true, 5, true, true);
        // paper with every extra; η = 1e6 diverges, the threshold 0.99 is never reached at η = 0.05
        sweep("paper-extras", SweepSpec.builder().data(SMALL_DATA).model(SMALL).learningRates(0.05, 1e6).inits(2)
                .lyapunov(LyapunovConfig.of(Method.PAPER)).steps(20).evalEvery(5).accuracyThreshold(0.99)
                .extras(all).build());
        sweep("spectrum", SweepSpec.builder().data(SMALL_DATA).model(SMALL).learningRates(0.05, 1e6).inits(2)
                .lyapunov(LyapunovConfig.of(Method.SPECTRUM).withExponents(2)).steps(20).accuracyThreshold(0.99)
                .build());
        sweep("tangent", SweepSpec.builder().data(SMALL_DATA).model(SMALL).learningRates(0.05, 1e6).inits(2)
                .lyapunov(LyapunovConfig.of(Method.TANGENT).withExponents(2)).steps(20).accuracyThreshold(0.99)
                .extras(new SweepSpec.Extras(true, 0, false, false, 2)).build());
        // a single-output linear model: accuracy undefined; η = 3 diverges
        sweep("linear-diverged", SweepSpec.builder().data("scalar:x=1,y=1").model(ModelSpec.linear(2))
                .learningRates(0.1, 3).inits(2).lyapunov(LyapunovConfig.of(Method.BENETTIN)).steps(30).build());
        // ReLU at η = 100: some growth fits rest on 4 points (fit_few_points)
        sweep("relu-few-points", SweepSpec.builder().data("mnist-10k").trainSize(200).testSize(200)
                .model(new ModelSpec(new int[] {784, 32, 10}, Activation.RELU, true, Loss.CROSS_ENTROPY))
                .learningRates(100).inits(3).lyapunov(LyapunovConfig.of(Method.PAPER)).steps(60).build());
        // the precision-lost set-up of PrecisionLostSweepTest
        sweep("benettin-lost", SweepSpec.builder().data(PrecisionLostSweepTest.DATA).model(PrecisionLostSweepTest.MODEL)
                .learningRates(0.6, 1.5).inits(1).lyapunov(LyapunovConfig.of(Method.BENETTIN)).steps(150).build());
    }

    static void sweep(String name, SweepSpec spec) {
        Path out = tmp.resolve(name);
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            new SweepRunner(be, spec, SweepRunner.Options.builder().out(out).build()).run();
        }
        FOLDERS.add(out);
        SPECS.put(out, spec);
    }

    /**
     * A strict reader: UTF-8, '\n' line ends with a final newline, no quotes, no blanks around or
     * instead of values, every line as many fields as the header, header names unique.
     */
    static List<Map<String, String>> strictRead(Path file, List<String> header) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), file + " ends without a newline");
        assertFalse(text.contains("\r") || text.contains("\"") || text.contains(" ,") || text.contains(", "),
                file + " has carriage returns, quotes or blanks");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        String[] h = lines[0].split(",", -1);
        assertEquals(header, List.of(h), file + " header");
        assertEquals(h.length, new java.util.HashSet<>(List.of(h)).size(), "unique names in " + file);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            assertEquals(h.length, f.length, file + " line " + (i + 1));
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (int k = 0; k < f.length; k++) {
                assertFalse(f[k].isEmpty(), file + " line " + (i + 1) + " column " + h[k] + " is empty");
                m.put(h[k], f[k]);
            }
            rows.add(m);
        }
        assertFalse(rows.isEmpty(), file + " has no rows");
        return rows;
    }

    static void checkTypes(Path file, List<Map<String, String>> rows, List<Column> columns) {
        for (Map<String, String> r : rows) {
            for (Column c : columns) {
                String v = r.get(c.name());
                if (!c.type().accepts(v)) fail(file + ": column " + c.name() + " is " + c.type().label() + " but holds '"
                        + v + "' in " + r);
            }
        }
    }

    @Test
    void resultsColumnsHaveTheirDeclaredTypes() throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        for (Path dir : FOLDERS) {
            ResultsCsv format = ResultsCsv.of(SPECS.get(dir));
            List<Map<String, String>> rows = strictRead(dir.resolve(ResultStore.RESULTS), format.names());
            checkTypes(dir.resolve(ResultStore.RESULTS), rows, format.columns());
            for (Map<String, String> r : rows) {
                for (String flag : List.of("diverged", "reached", "precision_lost", "fit_few_points", "converged")) {
                    if (r.get(flag).equals("true")) seen.merge(flag, 1, Integer::sum);
                }
                if (r.get("reached").equals("false") && !r.get("test_acc").equals("NaN")) {
                    seen.merge("never reached", 1, Integer::sum);
                }
                if (r.get("fit_start").equals("NaN")) seen.merge("fit_start NaN", 1, Integer::sum);
                if (!r.get("fit_start").equals("NaN")) seen.merge("fit_start number", 1, Integer::sum);
                if (r.get("diverged_step").matches("[0-9]+")) seen.merge("diverged_step number", 1, Integer::sum);
                // the rows read back to the same line
                assertEquals(format.line(format.parse(String.join(",", r.values()))), String.join(",", r.values()));
                // reached ⇔ a step; the step is NaN otherwise
                assertEquals(r.get("reached").equals("true"), !r.get("steps_to_threshold").equals("NaN"), r.toString());
                assertEquals(r.get("diverged").equals("true"), !r.get("diverged_step").equals("NaN"), r.toString());
            }
        }
        for (String want : List.of("diverged", "reached", "precision_lost", "fit_few_points", "never reached", "fit_start NaN",
                "fit_start number", "diverged_step number")) {
            assertTrue(seen.containsKey(want), "the sweeps cover '" + want + "': " + seen);
        }
    }

    @Test
    void summaryColumnsHaveTheirDeclaredTypes() throws IOException {
        for (Path dir : FOLDERS) {
            SweepSpec spec = SPECS.get(dir);
            List<String> q = SummaryCsv.quantities(spec.lyapunov().reportedExponents(), ResultsCsv.extraColumns(spec));
            List<Column> columns = SummaryCsv.columns(q);
            List<Map<String, String>> rows = strictRead(dir.resolve("summary.csv"),
                    columns.stream().map(Column::name).toList());
            checkTypes(dir.resolve("summary.csv"), rows, columns);
            assertEquals(spec.training().learningRates().length, rows.size(), "one row per learning rate");
            for (String extra : ResultsCsv.extraColumns(spec)) {
                assertTrue(rows.get(0).containsKey(extra + "_mean"), extra + " summarised in " + dir);
            }
        }
    }

    @Test
    void curvesColumnsAreDocumentedAndNumeric() throws IOException {
        for (Path dir : FOLDERS) {
            Path file = dir.resolve(ResultStore.CURVES);
            String header = Files.readAllLines(file).get(0);
            List<Column> columns = new ArrayList<>();
            for (String name : header.split(",", -1)) {
                List<Column> m = CurvesCsv.documented().stream().filter(c -> c.matches(name)).toList();
                assertEquals(1, m.size(), "curves column " + name + " documented once: " + m);
                columns.add(m.get(0).named(name));
            }
            checkTypes(file, strictRead(file, List.of(header.split(",", -1))), columns);
        }
    }
}
