package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --optimizer} on the command line: bad values and unsupported method combinations are one
 * line with exit 3 before anything is written; the optimizer is recorded in run.json and resuming
 * with another one is refused (exit 4, naming the option); heavy ball with β = 0 writes the same
 * bytes as GD (its update {@code w + (0·v − η·g)} rounds like {@code w − η·g}), and β = 0.9 does not.
 */
class OptimizerCliTest {
    @TempDir
    Path tmp;

    static final String[] OPTS = {"--lr", "0.1,2", "--inits", "1", "--replicas", "2", "--steps", "6", "--quiet"};

    Cli sweep(Path out, String... extra) {
        return Cli.tinySweep(out, Cli.with(OPTS, extra));
    }

    @Test
    void outOfRangeValuesAndUnsupportedCombinationsAreOneLineExit3() {
        String[][] bad = {
            {"momentum:1", "the momentum coefficient β must be in [0, 1), got 1.0"},
            {"nesterov:-0.5", "the nesterov coefficient β must be in [0, 1), got -0.5"},
            {"adam:1,0.999,1e-8", "Adam's β1 must be in [0, 1), got 1.0"},
            {"adam:0.9,1,1e-8", "Adam's β2 must be in (0, 1), got 1.0"},
            {"adam:0.9,0,1e-8", "Adam's β2 must be in (0, 1), got 0.0"},
            {"adam:0.9,0.999,0", "Adam's ε must be a finite number > 0, got 0.0"},
            {"adam:0.9,0.999,-1", "Adam's ε must be a finite number > 0"},
            {"rmsprop", "unknown optimizer 'rmsprop'"},
            {"momentum:fast", "bad optimizer 'momentum:fast': 'fast' is not a number"},
        };
        for (String[] b : bad) {
            BadInputTest.fails(sweep(tmp.resolve("out"), "--optimizer", b[0]), ExitCodes.BAD_INPUT, "--optimizer: " + b[1]);
        }
        Cli spectrum = sweep(tmp.resolve("out"), "--optimizer", "adam", "--method", "spectrum");
        BadInputTest.fails(spectrum, ExitCodes.BAD_INPUT, "--optimizer: the spectrum method cannot follow Adam",
                "second moment s negative", "use --method tangent");
        assertEquals(1, spectrum.err().strip().lines().count(), spectrum.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    /** Adam with benettin (replicas over (w, m, s), s ≥ 0) and tangent (its exact tangent map) runs: λ1 finite. */
    @Test
    void adamRunsWithBenettinAndTangent() throws IOException {
        for (String m : new String[] {"benettin", "tangent"}) {
            Path dir = tmp.resolve("adam-" + m);
            Cli c = sweep(dir, "--optimizer", "adam", "--method", m);
            assertEquals(ExitCodes.OK, c.code(), c.toString());
            java.util.List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
            int col = java.util.Arrays.asList(rows.get(0).split(",")).indexOf("lambda_1");
            assertTrue(col >= 0, rows.get(0));
            for (String row : rows.subList(1, rows.size())) {
                double l = Double.parseDouble(row.split(",")[col]);
                assertTrue(Double.isFinite(l), m + ": " + row);
            }
        }
    }

    /**
     * {@code --optimizer adam --sharpness}: the sharpness column is Adam's preconditioned sharpness
     * (finite, and far above the raw Hessian's at ε = 1e-8, where D ≈ c1/(√(c2·s) + ε) is large),
     * and sharpness_vs_lr says "preconditioned sharpness" and draws Adam's edge (2+2β1)/((1−β1)η),
     * not GD's 2/η. With {@code -Dgdchaos.keepFigure=PATH} the PNG is copied there (to look at).
     */
    @Test
    void adamSharpnessIsPreconditionedAndDrawnAgainstAdamsEdge() throws IOException {
        Path adam = tmp.resolve("adam-sharp"), gd = tmp.resolve("gd-sharp");
        Cli c = sweep(adam, "--optimizer", "adam", "--sharpness", null, "--sharpness-every", "3");
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        assertEquals(ExitCodes.OK, sweep(gd, "--sharpness", null).code());
        String sa = column(adam.resolve("results.csv"), "sharpness"), sg = column(gd.resolve("results.csv"), "sharpness");
        double[] pa = sa.lines().mapToDouble(Double::parseDouble).toArray();
        double[] pg = sg.lines().mapToDouble(Double::parseDouble).toArray();
        for (int i = 0; i < pa.length; i++) {
            System.out.printf("Adam sweep cell %d: preconditioned sharpness %.6g, GD sweep's sharpness %.6g%n", i, pa[i],
                    pg[i]);
            assertTrue(Double.isFinite(pa[i]) && pa[i] > 10 * pg[i], "preconditioned " + pa[i] + " vs GD's " + pg[i]);
        }
        String html = Files.readString(adam.resolve("report.html"));
        assertTrue(html.contains("Adam&#39;s preconditioned sharpness λ_max(D·H)")
                || html.contains("Adam's preconditioned sharpness λ_max(D·H)"), "caption");
        assertTrue(html.contains("(2+2β1)/((1−β1)η), β1 = 0.9"), "Adam's edge in the caption");
        assertFalse(html.contains("which is not measured"), "the old caption is gone");
        String gdHtml = Files.readString(gd.resolve("report.html"));
        assertTrue(gdHtml.contains("stability edge 2/η of GD"), "GD's caption unchanged");
        String keep = System.getProperty("gdchaos.keepFigure");
        if (keep != null) {
            Files.copy(adam.resolve("sharpness_vs_lr.png"), Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Benettin spreads δ0 over the weights and v with momentum (2n components): the start-time check
     * counts them, so an f32 ε 1.2 times GD's smallest acceptable one (enough for n, not for 2n)
     * runs with GD and is refused with heavy ball and with Adam (w and m perturbed).
     */
    @Test
    void resolvabilityCountsTheOptimizerStateAmongThePerturbedComponents() {
        Cli gdTiny = sweep(tmp.resolve("tiny"), "--method", "benettin", "--dtype", "f32", "--epsilon", "1e-12");
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("at least ([0-9.eE+-]+) here").matcher(gdTiny.err());
        assertTrue(mt.find(), gdTiny.err());
        String eps = Double.toString(1.2 * Double.parseDouble(mt.group(1)));
        assertEquals(ExitCodes.OK, sweep(tmp.resolve("gd"), "--method", "benettin", "--dtype", "f32", "--epsilon", eps)
                .code(), "GD: n components");
        for (String opt : new String[] {"momentum:0.9", "adam"}) {
            Cli c = sweep(tmp.resolve(opt.substring(0, 4)), "--method", "benettin", "--dtype", "f32", "--epsilon", eps,
                    "--optimizer", opt);
            BadInputTest.fails(c, ExitCodes.BAD_INPUT, "--epsilon: ε = ", "perturbed components (the parameters and "
                    + "the optimizer's " + (opt.equals("adam") ? "m" : "v") + ")");
        }
    }

    @Test
    void recordedInRunJsonAndResumingWithAnotherOptimizerIsRefused() throws IOException {
        Path dir = tmp.resolve("nesterov");
        assertEquals(ExitCodes.OK, sweep(dir, "--optimizer", "nesterov:0.5").code());
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"optimizer\" : \"nesterov:0.5\""));
        byte[] before = Files.readAllBytes(dir.resolve("results.csv"));
        Cli c = sweep(dir, "--optimizer", "momentum:0.5", "--resume", null);
        assertEquals(ExitCodes.OUTPUT, c.code(), c.toString());
        assertTrue(c.err().contains("--optimizer: nesterov:0.5 in the folder, momentum:0.5 now"), c.err());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("results.csv")), "nothing touched");
        assertEquals(ExitCodes.OK, sweep(dir, "--optimizer", "nesterov:0.5", "--resume", null).code(), "same optimizer resumes");
    }

    @Test
    void heavyBallWithBetaZeroWritesTheBytesOfGd() throws IOException {
        Path gd = tmp.resolve("gd"), hb0 = tmp.resolve("hb0"), hb9 = tmp.resolve("hb9");
        assertEquals(ExitCodes.OK, sweep(gd, "--method", "benettin").code());
        assertEquals(ExitCodes.OK, sweep(hb0, "--method", "benettin", "--optimizer", "momentum:0").code());
        assertEquals(ExitCodes.OK, sweep(hb9, "--method", "benettin", "--optimizer", "momentum:0.9").code());
        // Benettin perturbs (w, v) for momentum: the velocity's share of δ0 changes λ; compare the training columns
        for (String f : new String[] {"results.csv"}) {
            String a = column(gd.resolve(f), "final_loss"), b = column(hb0.resolve(f), "final_loss");
            assertEquals(a, b, "β = 0 trains exactly like GD");
            assertNotEquals(a, column(hb9.resolve(f), "final_loss"), "β = 0.9 does not");
        }
        assertEquals(ExitCodes.OK, sweep(tmp.resolve("p-gd")).code());
        assertEquals(ExitCodes.OK, sweep(tmp.resolve("p-hb0"), "--optimizer", "momentum:0").code());
        // byte for byte but for the optimizer columns a non-GD sweep writes (optimizer, momentum_index, momentum)
        for (String f : new String[] {"results.csv", "curves.csv", "summary.csv"}) {
            assertEquals(Files.readString(tmp.resolve("p-gd").resolve(f)),
                    withoutOptimizerColumns(tmp.resolve("p-hb0").resolve(f)), "paper method, " + f + ": byte for byte");
        }
    }

    /** The file's text without its columns optimizer, momentum_index and momentum. */
    static String withoutOptimizerColumns(Path csv) throws IOException {
        var lines = Files.readAllLines(csv);
        java.util.List<String> h = java.util.Arrays.asList(lines.get(0).split(",", -1));
        java.util.Set<Integer> drop = new java.util.HashSet<>();
        for (String n : new String[] {"optimizer", "momentum_index", "momentum"}) drop.add(h.indexOf(n));
        assertTrue(!drop.contains(-1), "the optimizer columns are written: " + h);
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            String[] f = l.split(",", -1);
            java.util.List<String> keep = new java.util.ArrayList<>();
            for (int i = 0; i < f.length; i++) if (!drop.contains(i)) keep.add(f[i]);
            sb.append(String.join(",", keep)).append('\n');
        }
        return sb.toString();
    }

    static String column(Path csv, String name) throws IOException {
        var lines = Files.readAllLines(csv);
        int k = java.util.Arrays.asList(lines.get(0).split(",")).indexOf(name);
        StringBuilder sb = new StringBuilder();
        for (String l : lines.subList(1, lines.size())) sb.append(l.split(",")[k]).append('\n');
        return sb.toString();
    }
}
