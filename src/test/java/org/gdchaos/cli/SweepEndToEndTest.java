package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.analysis.GrowthFit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gdchaos sweep} end to end through {@link Main#run}: 2 learning rates × 2
 * initialisations × (1 + 2 replicas), 20 steps, and every output file checked for its shape and
 * for consistency between files (results against curves, summary against results, λ against a
 * refit of the stored curve).
 */
class SweepEndToEndTest {
    static final int STEPS = 20;
    @TempDir
    static Path tmp;
    static Path out;
    static Cli cli;

    @BeforeAll
    static void sweep() {
        out = tmp.resolve("run");
        cli = Cli.tinySweep(out, "--lr", "0.1,10", "--inits", "2", "--replicas", "2", "--steps",
                Integer.toString(STEPS), "--eval-every", "5", "--accuracy-threshold", "0.3");
    }

    static List<String> lines(String file) throws IOException {
        return Files.readAllLines(out.resolve(file), StandardCharsets.UTF_8);
    }

    static Map<String, Integer> columns(String header) {
        Map<String, Integer> m = new HashMap<>();
        String[] h = header.split(",");
        for (int i = 0; i < h.length; i++) m.put(h[i], i);
        return m;
    }

    @Test
    void succeedsAndReports() {
        assertEquals(ExitCodes.OK, cli.code(), cli.toString());
        assertTrue(cli.out().contains("backend: java"), cli.out());
        assertTrue(cli.out().contains("plan: 4 cells × 3 trajectories = 12 trajectories"), cli.out());
        assertTrue(cli.out().contains("done: 4 cells run, 0 skipped"), cli.out());
    }

    @Test
    void resultsHaveOneRowPerLearningRateAndInit() throws IOException {
        List<String> r = lines("results.csv");
        assertEquals(5, r.size(), "header + 2 lr × 2 init");
        Map<String, Integer> col = columns(r.get(0));
        for (String c : List.of("lr", "init", "lambda_1", "fit_r2", "final_loss", "train_acc", "test_acc",
                "steps_to_threshold", "diverged")) {
            assertTrue(col.containsKey(c), "column " + c + " in " + r.get(0));
        }
        int width = r.get(0).split(",").length;
        String[][] keys = {{"0.1", "0"}, {"0.1", "1"}, {"10.0", "0"}, {"10.0", "1"}};
        for (int i = 0; i < 4; i++) {
            String[] f = r.get(i + 1).split(",", -1);
            assertEquals(width, f.length, r.get(i + 1));
            assertEquals(keys[i][0], f[col.get("lr")]);
            assertEquals(keys[i][1], f[col.get("init")]);
            double acc = Double.parseDouble(f[col.get("test_acc")]);
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
            String st = f[col.get("steps_to_threshold")];
            assertEquals(st.equals("NaN"), f[col.get("reached")].equals("false"), r.get(i + 1));
            assertTrue(st.equals("NaN") || (Integer.parseInt(st) % 5 == 0 && Integer.parseInt(st) <= STEPS), st);
            assertTrue(f[col.get("diverged")].equals("false") || f[col.get("diverged")].equals("true"));
        }
        double small = Double.parseDouble(r.get(1).split(",")[col.get("lambda_1")]);
        double large = Double.parseDouble(r.get(3).split(",")[col.get("lambda_1")]);
        assertTrue(Math.abs(small) < 0.05 && large > 0.3, "λ(0.1) = " + small + ", λ(10) = " + large);
    }

    /** Every cell's λ is the growth-phase fit of its stored ln⟨d⟩ curve; final loss and accuracy match the curves. */
    @Test
    void resultsAgreeWithCurves() throws IOException {
        List<String> r = lines("results.csv"), c = lines("curves.csv");
        Map<String, Integer> rc = columns(r.get(0)), cc = columns(c.get(0));
        assertEquals(List.of("lr_index", "lr", "wd_index", "weight_decay", "init", "step"),
                Arrays.asList(c.get(0).split(",")).subList(0, 6));
        assertEquals(1 + 4 * (STEPS + 1), c.size(), "one row per cell and step 0.." + STEPS);
        for (int i = 0; i < 4; i++) {
            String[] row = r.get(i + 1).split(",");
            double[] lnD = new double[STEPS + 1];
            double lossEnd = Double.NaN, accEnd = Double.NaN;
            for (int s = 0; s <= STEPS; s++) {
                String[] f = c.get(1 + i * (STEPS + 1) + s).split(",");
                assertEquals(row[rc.get("lr")], f[cc.get("lr")]);
                assertEquals(row[rc.get("init")], f[cc.get("init")]);
                assertEquals(s, Integer.parseInt(f[cc.get("step")]));
                lnD[s] = Double.parseDouble(f[cc.get("ln_d_l1")]);
                if (s == STEPS) {
                    lossEnd = Double.parseDouble(f[cc.get("loss")]);
                    accEnd = Double.parseDouble(f[cc.get("test_acc")]);
                }
            }
            assertEquals(GrowthFit.fit(lnD, GrowthFit.Method.GROWTH_PHASE).lambda(),
                    Double.parseDouble(row[rc.get("lambda_1")]), 1e-12, "refit of cell " + i);
            assertEquals(Double.parseDouble(row[rc.get("final_loss")]), lossEnd, 0);
            assertEquals(Double.parseDouble(row[rc.get("test_acc")]), accEnd, 0);
        }
    }

    @Test
    void summaryHasOneRowPerLearningRate() throws IOException {
        List<String> s = lines("summary.csv"), r = lines("results.csv");
        assertEquals(3, s.size());
        Map<String, Integer> sc = columns(s.get(0)), rc = columns(r.get(0));
        for (String c : List.of("lambda_1_mean", "lambda_1_sd", "lambda_1_ci_low", "lambda_1_ci_high",
                "steps_to_threshold_median", "diverged_fraction")) {
            assertTrue(sc.containsKey(c), c);
        }
        for (int lr = 0; lr < 2; lr++) {
            String[] f = s.get(lr + 1).split(",");
            double a = Double.parseDouble(r.get(2 * lr + 1).split(",")[rc.get("lambda_1")]);
            double b = Double.parseDouble(r.get(2 * lr + 2).split(",")[rc.get("lambda_1")]);
            double mean = Double.parseDouble(f[sc.get("lambda_1_mean")]);
            assertEquals((a + b) / 2, mean, 1e-12);
            assertEquals(Math.abs(a - b) / Math.sqrt(2), Double.parseDouble(f[sc.get("lambda_1_sd")]), 1e-12);
            // 95% t interval with 1 degree of freedom: t = 12.706
            double half = 12.706204736174707 * Math.abs(a - b) / 2;
            assertEquals(mean - half, Double.parseDouble(f[sc.get("lambda_1_ci_low")]), 1e-9);
            assertEquals(mean + half, Double.parseDouble(f[sc.get("lambda_1_ci_high")]), 1e-9);
        }
    }

    @Test
    void runJsonRecordsSpecBackendAndThroughput() throws IOException {
        JsonNode j = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals("complete", j.get("status").asText());
        assertEquals("java", j.get("backend").get("name").asText());
        assertTrue(j.get("backend").get("device").asText().length() > 0);
        JsonNode spec = j.get("spec");
        assertEquals(20, spec.get("training").get("steps").asInt());
        assertEquals(2, spec.get("training").get("inits").asInt());
        assertEquals("mnist-10k", spec.get("data").get("spec").asText());
        assertEquals(2, spec.get("training").get("learningRates").size());
        assertEquals(2, spec.get("lyapunov").get("replicas").asInt());
        assertEquals(4L * 3 * STEPS, j.get("trajectory_steps").asLong());
        assertTrue(j.get("trajectory_steps_per_second").asDouble() > 0);
        assertTrue(j.get("wall_seconds").asDouble() > 0);
        assertTrue(j.has("plan") && j.has("version") && j.has("java"));
    }

    /**
     * Provenance: the version and commit of the build (Maven writes org/gdchaos/build.properties, which
     * the test classpath holds), host, Java, backend and device, the command line as typed, and the
     * start and end of the run.
     */
    @Test
    void runJsonRecordsProvenance() throws IOException {
        JsonNode j = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        java.util.Properties build = new java.util.Properties();
        try (var in = getClass().getResourceAsStream("/org/gdchaos/build.properties")) {
            assertTrue(in != null, "the build writes org/gdchaos/build.properties");
            build.load(in);
        }
        assertEquals(build.getProperty("version"), j.get("version").asText());
        assertTrue(j.get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), j.get("version").asText());
        String commit = build.getProperty("commit", "");
        if (commit.isEmpty()) { // built outside a git checkout: unknown, said so
            assertTrue(j.get("commit").isNull(), j.toString());
        } else {
            assertEquals(commit, j.get("commit").asText());
            assertTrue(commit.matches("[0-9a-f]{40}"), commit);
            assertTrue(j.get("uncommitted_changes").isBoolean());
        }
        assertEquals(java.net.InetAddress.getLocalHost().getHostName(), j.get("host").asText());
        assertTrue(j.get("java").asText().startsWith(System.getProperty("java.version")), j.get("java").asText());
        assertEquals("command line", j.at("/command/via").asText());
        JsonNode args = j.at("/command/args");
        assertEquals("sweep", args.get(0).asText());
        List<String> typed = new java.util.ArrayList<>();
        args.forEach(a -> typed.add(a.asText()));
        for (List<String> pair : List.of(List.of("--steps", "20"), List.of("--eval-every", "5"),
                List.of("--lr", "0.1,10"), List.of("--out", out.toString()))) {
            assertEquals(pair.get(1), typed.get(typed.indexOf(pair.get(0)) + 1), typed.toString());
        }
        JsonNode runs = j.get("runs");
        assertEquals(1, runs.size());
        JsonNode run = runs.get(0);
        java.time.Instant started = java.time.Instant.parse(run.get("started").asText());
        java.time.Instant ended = java.time.Instant.parse(run.get("ended").asText());
        assertTrue(!ended.isBefore(started) && ended.isBefore(java.time.Instant.now().plusSeconds(1)), run.toString());
        assertTrue(java.time.Duration.between(started, ended).toMillis() / 1000.0 + 1 >= run.get("wall_seconds").asDouble(),
                run.toString());
        assertEquals("java", run.get("backend").asText());
        assertEquals(j.at("/backend/device").asText(), run.get("device").asText());
        assertEquals(j.get("host"), run.get("host"));
        assertEquals(j.get("command"), run.get("command"));
    }

    @Test
    void plotsArePngAndSvg() throws IOException {
        for (String name : List.of("lambda_vs_lr", "curves")) {
            byte[] png = Files.readAllBytes(out.resolve(name + ".png"));
            assertTrue(png.length > 1000, name + ".png size " + png.length);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), name + ".png magic");
            String svg = Files.readString(out.resolve(name + ".svg"), StandardCharsets.UTF_8);
            assertTrue(svg.contains("<svg") && svg.trim().endsWith("</svg>"), name + ".svg");
        }
        assertTrue(cli.err().isEmpty(), "no warnings: " + cli.err());
    }
}
