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
        for (String m : new String[] {"benettin", "spectrum", "tangent"}) {
            Cli c = sweep(tmp.resolve("out"), "--optimizer", "adam", "--method", m);
            BadInputTest.fails(c, ExitCodes.BAD_INPUT, "--optimizer: the " + m + " method cannot follow Adam",
                    "use --method paper");
            assertEquals(1, c.err().strip().lines().count(), c.err());
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
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
