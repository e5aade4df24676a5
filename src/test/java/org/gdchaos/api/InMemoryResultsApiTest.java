package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.cli.Main;
import org.gdchaos.lyapunov.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API run without an output folder keeps its results in memory (the sweep's in-memory sink): it writes
 * no file, and its rows, curves and summaries are the numbers the command line writes for the same sweep.
 * The files write each double as {@link Double#toString}, so the two are compared as that text: equal
 * text is the same double.
 */
class InMemoryResultsApiTest {
    private static final String[] COMMON = {"sweep", "--data", SweepApiTest.DATA, "--layers", "3,6,2", "--loss", "mse",
        "--inits", "2", "--steps", "25", "--backend", "java", "--quiet"};

    /** results.csv columns a {@link SweepRow} does not hold (grid indices, the fit window, derived seeds, labels). */
    private static final Set<String> NOT_IN_A_ROW = Set.of("wd_index", "optimizer", "momentum_index", "fit_start",
            "fit_end", "init_seed", "perturb_seed");

    /**
     * GD with weight decay, a diverging learning rate (NaN exponents, diverged steps) and the extra
     * measurements (sharpness every 5 steps, balance: extra columns and curves).
     */
    @Test
    void gdWithExtrasAndDivergenceEqualsTheCommandLine(@TempDir Path tmp) throws Exception {
        Sweep sweep = SweepApiTest.tiny().learningRates(0.3, 2, 1e30).weightDecays(0, 0.05).method(Method.BENETTIN)
                .sharpness(true).sharpnessEvery(5).balance(true).build();
        SweepResults mem = compare(sweep, tmp, "--lr", "0.3,2,1e30", "--weight-decay", "0,0.05", "--method", "benettin",
                "--sharpness", "--sharpness-every", "5", "--balance");
        assertTrue(mem.rows().stream().anyMatch(SweepRow::diverged), "a diverged cell is compared");
        assertTrue(mem.rows().get(0).extras().containsKey("sharpness"), mem.rows().get(0).extras().toString());
    }

    /** The momentum axis (optimizer columns in both files). */
    @Test
    void momentumAxisEqualsTheCommandLine(@TempDir Path tmp) throws Exception {
        Sweep sweep = SweepApiTest.tiny().optimizer(Optimizer.momentum(0.9)).momenta(0, 0.5).build();
        compare(sweep, tmp, "--lr", "0.3,2", "--optimizer", "momentum", "--momentum", "0,0.5");
    }

    /**
     * Runs {@code sweep} on the command line into a folder and in memory through the API, and checks that
     * the API's rows (cell by cell, every column a row holds), curves (every value) and summaries equal
     * the folder's results.csv, curves.csv and, through an API run that writes the folder, its summary.
     */
    private static SweepResults compare(Sweep sweep, Path tmp, String... flags) throws Exception {
        Path cli = tmp.resolve("cli"), api = tmp.resolve("api");
        List<String> args = new ArrayList<>(List.of(COMMON));
        args.addAll(List.of(flags));
        args.addAll(List.of("--out", cli.toString()));
        StringWriter o = new StringWriter(), e = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(o), new PrintWriter(e), args.toArray(String[]::new)), e.toString());
        SweepResults mem, disk;
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            mem = sweep.on(be).curves(true).run();
            disk = sweep.on(be).writeTo(api).run();
        }
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(cli.resolve("run.json").toFile()).get("spec"),
                json.readTree(api.resolve("run.json").toFile()).get("spec"), "the API's sweep is the command line's");
        assertTrue(mem.folder().isEmpty());

        List<Map<String, String>> results = table(cli.resolve("results.csv"));
        assertEquals(results.size(), mem.rows().size());
        Map<String, SweepRow> byKey = new HashMap<>();
        for (SweepRow r : mem.rows()) byKey.put(key(r.lrIndex(), r.weightDecay(), r.momentum(), r.init()), r);
        Set<String> header = results.get(0).keySet();
        for (Map<String, String> line : results) {
            String k = key(Integer.parseInt(line.get("lr_index")), Double.parseDouble(line.get("weight_decay")),
                    line.containsKey("momentum") ? Double.parseDouble(line.get("momentum")) : 0, Integer.parseInt(line.get("init")));
            SweepRow r = byKey.get(k);
            Map<String, String> want = columns(r);
            Set<String> compared = new LinkedHashSet<>(header);
            compared.removeAll(NOT_IN_A_ROW);
            for (String c : compared) {
                assertTrue(want.containsKey(c), "column " + c + " is compared");
                assertEquals(line.get(c), want.get(c), "cell " + k + ", column " + c);
            }
        }

        // curves.csv: every value of every cell and step
        List<Map<String, String>> curves = table(cli.resolve("curves.csv"));
        int checked = 0;
        for (Map<String, String> line : curves) {
            SweepRow r = byKey.get(key(Integer.parseInt(line.get("lr_index")), Double.parseDouble(line.get("weight_decay")),
                    line.containsKey("momentum") ? Double.parseDouble(line.get("momentum")) : 0,
                    Integer.parseInt(line.get("init"))));
            int step = Integer.parseInt(line.get("step"));
            assertEquals(r.curves().keySet(), curveNames(line.keySet()), "the curves of the cell");
            for (String name : r.curves().keySet()) {
                assertEquals(line.get(name), Double.toString(r.curves().get(name)[step]), name + " at step " + step);
                checked++;
            }
        }
        for (SweepRow r : mem.rows()) assertEquals(26, r.curves().get("loss").length, "steps 0 … S, no more");
        assertTrue(checked > 0);

        // the per-(η, λ) summaries: those of the rows read back from the written folder (as before the sink)
        assertEquals(disk.summary(), mem.summary());
        assertEquals(disk.rows().size(), mem.rows().size());
        return mem;
    }

    /** The text results.csv holds for each column of a row (Double.toString, NaN for absent steps). */
    private static Map<String, String> columns(SweepRow r) {
        Map<String, String> v = new HashMap<>();
        v.put("lr_index", Integer.toString(r.lrIndex()));
        v.put("lr", Double.toString(r.lr()));
        v.put("weight_decay", Double.toString(r.weightDecay()));
        v.put("momentum", Double.toString(r.momentum()));
        v.put("init", Integer.toString(r.init()));
        v.put("seed", Long.toString(r.seed()));
        for (int k = 0; k < r.exponents().length; k++) {
            v.put("lambda_" + (k + 1), Double.toString(r.exponents()[k]));
            v.put("lambda_" + (k + 1) + "_stderr", Double.toString(r.exponentStdErrs()[k]));
        }
        v.put("fit_r2", Double.toString(r.fitR2()));
        v.put("fit_points", Integer.toString(r.fitPoints()));
        v.put("fit_few_points", Boolean.toString(r.fitFewPoints()));
        v.put("kaplan_yorke", Double.toString(r.kaplanYorke()));
        v.put("final_loss", Double.toString(r.finalLoss()));
        v.put("train_acc", Double.toString(r.trainAccuracy()));
        v.put("test_loss", Double.toString(r.testLoss()));
        v.put("test_acc", Double.toString(r.testAccuracy()));
        v.put("steps_to_threshold", r.reached() ? Integer.toString(r.stepsToThreshold()) : "NaN");
        v.put("reached", Boolean.toString(r.reached()));
        v.put("diverged", Boolean.toString(r.diverged()));
        v.put("diverged_step", r.divergedStep() < 0 ? "NaN" : Integer.toString(r.divergedStep()));
        v.put("grad_norm", Double.toString(r.gradNorm()));
        v.put("converged", Boolean.toString(r.converged()));
        v.put("precision_lost", Boolean.toString(r.precisionLost()));
        r.extras().forEach((name, x) -> v.put(name, Double.toString(x)));
        return v;
    }

    private static Set<String> curveNames(Set<String> header) {
        List<String> h = new ArrayList<>(header);
        return new LinkedHashSet<>(h.subList(h.indexOf("step") + 1, h.size()));
    }

    private static String key(int lrIndex, double weightDecay, double momentum, int init) {
        return lrIndex + "/" + weightDecay + "/" + momentum + "/" + init;
    }

    /** A CSV file's lines as column → text maps, in header order. */
    private static List<Map<String, String>> table(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] h = lines.get(0).split(",", -1);
        List<Map<String, String>> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            assertEquals(h.length, f.length, l);
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < h.length; i++) m.put(h[i], f[i]);
            out.add(m);
        }
        return out;
    }

    /**
     * Without {@link SweepRun#writeTo}, a run creates no file: a separate JVM whose temporary folder and
     * working directory are empty folders runs a sweep (with curves) and leaves both empty.
     */
    @Test
    void anInMemoryRunWritesNoFile(@TempDir Path tmp) throws Exception {
        Path tmpdir = Files.createDirectory(tmp.resolve("tmpdir")), cwd = Files.createDirectory(tmp.resolve("cwd"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-Djava.io.tmpdir=" + tmpdir,
                "-cp", System.getProperty("java.class.path"), InMemoryRun.class.getName()));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("rows 4, curves 4"), output);
        try (Stream<Path> a = Files.list(tmpdir); Stream<Path> b = Files.list(cwd)) {
            assertEquals(List.of(), a.toList(), "nothing in the temporary folder");
            assertEquals(List.of(), b.toList(), "nothing in the working directory");
        }
    }

    /** The child JVM of {@link #anInMemoryRunWritesNoFile}. */
    static final class InMemoryRun {
        public static void main(String[] args) {
            try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
                SweepResults r = SweepApiTest.tiny().build().on(be).curves(true).run();
                System.out.println("rows " + r.rows().size() + ", curves "
                        + r.rows().stream().filter(x -> x.curves().containsKey("loss")).count());
            }
        }
    }
}
