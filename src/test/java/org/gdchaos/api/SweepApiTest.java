package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.cli.Main;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sweep facade: same numbers and defaults as the command line, results in memory, progress, errors. */
class SweepApiTest {
    static final String DATA = "teacher:in=3,hidden=4,out=2,n=24,seed=5";
    static final ModelSpec MODEL = new ModelSpec(new int[] {3, 6, 2}, Activation.TANH, true, Loss.MSE);

    static Sweep.Builder tiny() {
        return Sweep.builder().data(DATA).model(MODEL).learningRates(0.3, 2).inits(2).steps(25);
    }

    /**
     * A sweep built with only the settings the command line is given explicitly runs with the same
     * specification (run.json) and writes byte-identical results.csv: the builder's defaults,
     * method-dependent ones included, are the CLI's.
     */
    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"PAPER", "BENETTIN", "SPECTRUM"})
    void sameDefaultsAndRowsAsTheCommandLine(Method method, @TempDir Path tmp) throws Exception {
        Path cliDir = tmp.resolve("cli"), apiDir = tmp.resolve("api");
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "sweep", "--data", DATA, "--layers", "3,6,2",
                "--loss", "mse", "--lr", "0.3,2", "--inits", "2", "--steps", "25", "--method", method.label(),
                "--backend", "java", "--quiet", "--out", cliDir.toString());
        assertEquals(0, code, e.toString());
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            SweepResults r = tiny().method(method).build().on(be).writeTo(apiDir).run();
            assertEquals(apiDir, r.folder().orElseThrow());
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode cliSpec = json.readTree(cliDir.resolve("run.json").toFile()).get("spec");
        JsonNode apiSpec = json.readTree(apiDir.resolve("run.json").toFile()).get("spec");
        assertEquals(cliSpec, apiSpec);
        JsonNode apiInfo = json.readTree(apiDir.resolve("run.json").toFile());
        assertEquals("Java API", apiInfo.at("/command/via").asText(), "a sweep built in code says so");
        assertTrue(apiInfo.at("/command/args").isMissingNode(), apiInfo.toString());
        assertEquals("command line", json.readTree(cliDir.resolve("run.json").toFile()).at("/command/via").asText());
        assertEquals(Files.readString(cliDir.resolve("results.csv")), Files.readString(apiDir.resolve("results.csv")));
    }

    /**
     * Weight decay from code: the same spec and rows as {@code --weight-decay} on the command line,
     * each row and summary naming its λ.
     */
    @Test
    void weightDecayGridAsTheCommandLine(@TempDir Path tmp) throws Exception {
        Path cliDir = tmp.resolve("cli"), apiDir = tmp.resolve("api");
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "sweep", "--data", DATA, "--layers", "3,6,2",
                "--loss", "mse", "--lr", "0.3,2", "--weight-decay", "0,0.05", "--inits", "2", "--steps", "25",
                "--backend", "java", "--quiet", "--out", cliDir.toString());
        assertEquals(0, code, e.toString());
        SweepResults r;
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            r = tiny().weightDecays(0, 0.05).build().on(be).writeTo(apiDir).run();
        }
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(cliDir.resolve("run.json").toFile()).get("spec"),
                json.readTree(apiDir.resolve("run.json").toFile()).get("spec"));
        assertEquals(Files.readString(cliDir.resolve("results.csv")), Files.readString(apiDir.resolve("results.csv")));
        assertEquals(8, r.rows().size());
        assertEquals(List.of(0.0, 0.05), r.rows().stream().map(SweepRow::weightDecay).distinct().sorted().toList());
        assertEquals(4, r.summary().size(), "one summary row per (η, λ)");
        assertEquals(List.of(0.0, 0.05), r.summary().stream().map(LearningRateSummary::weightDecay).distinct()
                .sorted().toList());
    }

    /** Without a folder: rows and summary in memory, no temporary folder, the numbers as when writing. */
    @Test
    void inMemoryRunMatchesWrittenRunAndKeepsCurves(@TempDir Path tmp) throws Exception {
        Sweep sweep = tiny().method(Method.BENETTIN).build();
        SweepResults mem, disk;
        List<Path> before = temporaryFolders();
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            mem = sweep.on(be).curves(true).run();
            disk = sweep.on(be).writeTo(tmp.resolve("out")).run();
        }
        assertTrue(mem.folder().isEmpty());
        assertEquals(before, temporaryFolders(), "no temporary folder is left");
        assertEquals(4, mem.rows().size());
        assertEquals(4, mem.cellsRun());
        List<String> order = new ArrayList<>();
        for (SweepRow r : mem.rows()) order.add(r.lrIndex() + "/" + r.init());
        assertEquals(List.of("0/0", "0/1", "1/0", "1/1"), order);
        for (int i = 0; i < 4; i++) {
            SweepRow m = mem.rows().get(i), d = disk.rows().get(i);
            assertArrayEquals(d.exponents(), m.exponents());
            assertEquals(d.finalLoss(), m.finalLoss());
            assertTrue(d.curves().isEmpty(), "curves only on request");
            double[] loss = m.curve("loss");
            assertEquals(26, loss.length, "steps 0..S");
            assertEquals(m.finalLoss(), loss[25], 1e-12 * Math.abs(m.finalLoss()), "the loss curve ends at the final loss");
            assertTrue(loss[0] != loss[25], "the curve moves");
        }
        assertEquals(2, mem.summary().size());
        assertEquals(0.3, mem.summary().get(0).lr());
        double mean = (mem.row(0, 0).lambda1() + mem.row(0, 1).lambda1()) / 2;
        assertEquals(mean, mem.summary().get(0).lambda1Mean(), 1e-15);
        assertTrue(mem.summary().get(0).lambda1CiLow() <= mean && mean <= mem.summary().get(0).lambda1CiHigh());
        // the rows and summaries mirror results.csv and summary.csv column for column
        java.util.Map<String, java.util.Map<String, String>> csv = new java.util.HashMap<>();
        List<String> lines = Files.readAllLines(tmp.resolve("out").resolve("results.csv"));
        String[] h = lines.get(0).split(",");
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (int k = 0; k < h.length; k++) m.put(h[k], f[k]);
            csv.put(m.get("lr_index") + "/" + m.get("init"), m);
        }
        for (SweepRow r : disk.rows()) {
            java.util.Map<String, String> m = csv.get(r.lrIndex() + "/" + r.init());
            assertEquals(Double.parseDouble(m.get("lambda_1_stderr")), r.exponentStdErrs()[0]);
            assertEquals(Integer.parseInt(m.get("fit_points")), r.fitPoints());
            assertEquals(Boolean.parseBoolean(m.get("fit_few_points")), r.fitFewPoints());
            assertEquals(Boolean.parseBoolean(m.get("reached")), r.reached());
            assertEquals(Boolean.parseBoolean(m.get("precision_lost")), r.precisionLost());
            assertEquals(Long.parseLong(m.get("seed")), r.seed());
            assertTrue(r.diverged() || r.precisionLost() || r.exponentStdErrs()[0] > 0,
                    "benettin: the spread of the local exponents " + m);
        }
        List<String> summary = Files.readAllLines(tmp.resolve("out").resolve("summary.csv"));
        List<String> sh = List.of(summary.get(0).split(","));
        String[] s0 = summary.get(1).split(",", -1);
        LearningRateSummary first = disk.summary().get(0);
        assertEquals(Double.parseDouble(s0[sh.indexOf("final_loss_mean")]), first.quantities().get("final_loss").mean());
        assertEquals(Double.parseDouble(s0[sh.indexOf("lambda_1_sd")]), first.quantities().get("lambda_1").sd());
        assertEquals(Double.parseDouble(s0[sh.indexOf("precision_lost_fraction")]), first.precisionLostFraction());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> disk.rows().get(0).curve("loss"));
        assertTrue(e.getMessage().contains("curves(true)"), e.getMessage());
    }

    static List<Path> temporaryFolders() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("gdchaos-sweep")).sorted().toList();
        }
    }

    /** Progress: planned once, every step counted up to the total, every batch reported. */
    @Test
    void progressReachesTheTotal() {
        long[] last = {-1, -1};
        List<String> events = new ArrayList<>();
        SweepProgress p = new SweepProgress() {
            @Override
            public void advanced(long done, long total) {
                assertTrue(done > last[0], "monotone");
                last[0] = done;
                last[1] = total;
            }

            @Override
            public void planned(int cellsToRun, int cellsAlreadyDone, int batches) {
                events.add("planned " + cellsToRun + " " + cellsAlreadyDone);
            }

            @Override
            public void batchDone(int batchIndex, int batches, int cellsInBatch) {
                events.add("batch " + batchIndex + "/" + batches);
            }
        };
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            // paper method: 1 + 5 replicas per cell; at most 12 trajectories per batch → 2 batches of 2 cells
            tiny().build().on(be).progress(p).maxBatch(12).run();
        }
        assertEquals(4L * 6 * 25, last[1]);
        assertEquals(last[1], last[0]);
        assertEquals(List.of("planned 4 0", "batch 1/2", "batch 2/2"), events);
    }

    @Test
    void badSettingsFailWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiny().learningRates().build());
        assertTrue(e.getMessage().contains("learning-rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tiny().steps(0).build());
        assertThrows(IllegalArgumentException.class, () -> tiny().sharpnessK(3).build());
        // the data's 3 features do not match a 5-input model: found when the run loads the data
        Sweep wrong = tiny().model(new ModelSpec(new int[] {5, 6, 2}, Activation.TANH, true, Loss.MSE)).build();
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            e = assertThrows(IllegalArgumentException.class, () -> wrong.on(be).run());
            assertTrue(e.getMessage().contains("3 input features"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> tiny().build().on(be).resume(true).run());
        }
    }

    /** The Javadoc's CNN: built from its arch text; on data of another shape the run refuses it, naming both shapes. */
    @Test
    void aCnnFromItsArchText() {
        ModelSpec cnn = ModelSpec.parse("conv:8@5x5,tanh,avgpool:2,dense:10", new org.gdchaos.data.Shape(28, 28, 1), true,
                Loss.CROSS_ENTROPY);
        assertEquals(new org.gdchaos.data.Shape(12, 12, 8), cnn.shape(2));
        Sweep sweep = Sweep.builder().data("mnist-10k").model(cnn).init(org.gdchaos.nn.InitSpec.parse("xavier"))
                .learningRates(0.1, 1).build();
        assertEquals(2 * sweep.inits(), sweep.cells());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(
                "conv:8@29x29,dense:10", new org.gdchaos.data.Shape(28, 28, 1), true, Loss.CROSS_ENTROPY));
        assertTrue(e.getMessage().startsWith("layer 1 (conv:8@29x29) does not fit its 28x28x1 input"), e.getMessage());
        Sweep flat = Sweep.builder().data("teacher:in=784,hidden=0,out=10,n=20,seed=1").model(ModelSpec.parse(
                "conv:8@5x5,tanh,avgpool:2,dense:10", new org.gdchaos.data.Shape(28, 28, 1), true, Loss.MSE))
                .learningRates(0.1).inits(1).steps(1).build();
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            e = assertThrows(IllegalArgumentException.class, () -> flat.on(be).run());
            assertTrue(e.getMessage().contains("shape 1x1x784 but the network reads 28x28x1"), e.getMessage());
        }
    }

    @Test
    void backendsByName() {
        try (Backend be = Gdchaos.openBackend("java", DType.F32)) {
            assertEquals("java", be.name());
            assertTrue(be.supports(DType.F32));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gdchaos.openBackend("nosuch", DType.F64));
        assertTrue(e.getMessage().contains("unknown backend"), e.getMessage());
        List<String> names = Gdchaos.backends();
        assertTrue(names.stream().anyMatch(s -> s.startsWith("java: available")), names.toString());
        assertFalse(names.isEmpty());
    }
}
