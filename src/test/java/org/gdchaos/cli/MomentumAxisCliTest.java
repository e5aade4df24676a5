package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --momentum LIST} on the command line, and plain GD sweeps byte-identical to the files of the
 * code before the momentum axis (golden files in {@code src/test/resources/org/gdchaos/cli/gd-golden},
 * written by the jar of commit 8417e81 with the same command lines).
 */
class MomentumAxisCliTest {
    @TempDir
    Path tmp;

    static final List<String> TEACHER = List.of("sweep", "--data", "teacher:in=3,hidden=4,out=2,n=20,seed=2", "--layers",
            "3,5,2", "--activation", "tanh", "--loss", "mse", "--lr", "0.1,1.5", "--inits", "2", "--steps", "15", "--seed",
            "5");

    static Cli teacher(Path out, String... extra) {
        List<String> a = new ArrayList<>(TEACHER);
        a.addAll(List.of(extra));
        if (!a.contains("--backend")) a.addAll(List.of("--backend", "java"));
        a.addAll(List.of("--out", out.toString()));
        return Cli.run(a.toArray(String[]::new));
    }

    static byte[] golden(String dir, String file) throws IOException {
        try (InputStream in = MomentumAxisCliTest.class.getResourceAsStream("gd-golden/" + dir + "/" + file)) {
            assertTrue(in != null, "golden file " + dir + "/" + file);
            return in.readAllBytes();
        }
    }

    /** Catches any change to a GD sweep's files: columns added for GD, a changed cell order, key or number. */
    @Test
    void plainGdSweepsAreByteIdenticalToBeforeTheMomentumAxis() throws IOException {
        String[][] runs = {
                {"tangent", "--method", "tangent", "--exponents", "2", "--flow"},
                {"paper", "--method", "paper", "--replicas", "2", "--weight-decay", "0,0.1"}};
        for (String[] r : runs) {
            Path out = tmp.resolve(r[0]);
            Cli c = teacher(out, java.util.Arrays.copyOfRange(r, 1, r.length));
            assertEquals(0, c.code(), c.toString());
            for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
                assertArrayEquals(golden(r[0], f), Files.readAllBytes(out.resolve(f)), r[0] + "/" + f);
            }
            JsonNode spec = new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("spec");
            assertEquals(new ObjectMapper().readTree(golden(r[0], "spec.json")), spec, r[0] + ": run.json's spec");
        }
    }

    @Test
    void badMomentaAreRefusedInOneLineNamingTheOption() {
        String[][] bad = {{"--momentum", "1"}, {"--momentum", "-0.1"}, {"--momentum", "0.5,0.5"}, {"--momentum", "abc"},
                {"--momentum", "0,,0.9"}, {"--momentum", "NaN"}, {"--momentum", ""},
                {"--optimizer", "momentum:0.9", "--momentum", "0,0.5"}, {"--optimizer", "adam:0.9", "--momentum", "0.5"}};
        for (String[] b : bad) {
            Cli c = teacher(tmp.resolve("bad"), b);
            assertEquals(ExitCodes.BAD_INPUT, c.code(), String.join(" ", b) + ": " + c);
            assertTrue(c.err().startsWith("gdchaos: error: --momentum"), String.join(" ", b) + ": " + c.err());
            assertEquals(1, c.err().strip().lines().count(), "one line: " + c.err());
        }
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing written");
    }

    /**
     * The axis end to end: columns, run.json, and each cell's row equal to the row of a one-value sweep
     * {@code --optimizer momentum:β} (a cell's numbers depend on the cell alone; sharpness included, so
     * the random start vectors are keyed by value).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"java", "opencl"})
    void eachCellOfTheAxisEqualsItsOneValueSweep(String backend) throws IOException {
        if (backend.equals("opencl")) {
            org.gdchaos.backend.Availability a = new org.gdchaos.backend.opencl.OpenClBackendProvider().probe();
            if (!a.available() && "true".equalsIgnoreCase(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail("OpenCL required in CI: " + a.detail());
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(a.available(), a.detail());
        }
        Path axis = tmp.resolve("axis");
        Cli c = teacher(axis, "--backend", backend, "--method", "tangent", "--exponents", "2", "--sharpness",
                "--optimizer", "momentum", "--momentum", "0,0.9");
        assertEquals(0, c.code(), c.toString());
        List<String> rows = Files.readAllLines(axis.resolve("results.csv"));
        assertEquals(1 + 2 * 2 * 2, rows.size());
        assertTrue(rows.get(0).startsWith("lr_index,lr,wd_index,weight_decay,optimizer,momentum_index,momentum,init,"),
                rows.get(0));
        assertTrue(rows.get(3).startsWith("0,0.1,0,0.0,momentum:0.9,1,0.9,0,"), rows.get(3));
        JsonNode training = new ObjectMapper().readTree(axis.resolve("run.json").toFile()).path("spec").path("training");
        assertEquals("[0.0,0.9]", training.path("momenta").toString());
        assertEquals("momentum:0.0", training.path("optimizer").asText());
        assertTrue(Files.readAllLines(axis.resolve("curves.csv")).get(0)
                .startsWith("lr_index,lr,wd_index,weight_decay,optimizer,momentum_index,momentum,init,step,"));
        List<String> summary = Files.readAllLines(axis.resolve("summary.csv"));
        assertEquals(1 + 2 * 2, summary.size(), "one summary row per (η, β)");
        assertTrue(summary.get(0).startsWith("lr_index,lr,wd_index,weight_decay,optimizer,momentum_index,momentum,cells,"));
        for (String beta : List.of("0.0", "0.9")) {
            Path one = tmp.resolve("one-" + beta);
            Cli o = teacher(one, "--backend", backend, "--method", "tangent", "--exponents", "2", "--sharpness",
                    "--optimizer", "momentum:" + beta);
            assertEquals(0, o.code(), o.toString());
            List<String> oneRows = Files.readAllLines(one.resolve("results.csv"));
            assertEquals(rows.get(0), oneRows.get(0));
            String index = beta.equals("0.0") ? "0" : "1";
            List<String> mine = rows.stream().filter(l -> l.split(",")[5].equals(index))
                    .map(l -> l.replaceFirst("^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)" + index + ",", "$10,")).toList();
            assertEquals(oneRows.subList(1, oneRows.size()), mine, "β = " + beta + ": the same bytes, sharpness included");
        }
        // heavy ball when --momentum comes with GD (the default optimizer)
        Path gd = tmp.resolve("gd");
        Cli g = teacher(gd, "--backend", backend, "--method", "tangent", "--exponents", "2", "--sharpness",
                "--momentum", "0,0.9");
        assertEquals(0, g.code(), g.toString());
        assertArrayEquals(Files.readAllBytes(axis.resolve("results.csv")), Files.readAllBytes(gd.resolve("results.csv")));
        // a resume with another list is refused, naming the option
        Cli r = teacher(axis, "--backend", backend, "--method", "tangent", "--exponents", "2", "--sharpness",
                "--optimizer", "momentum", "--momentum", "0,0.5", "--resume");
        assertEquals(ExitCodes.OUTPUT, r.code(), r.toString());
        assertTrue(r.err().contains("--momentum"), r.err());
    }

    /**
     * Adam with β1 as the axis, under the two whole-state methods that follow it per cell (tangent:
     * its Jacobian step once per run of equal β1; benettin: replicas over (w, m, s)): each cell's row
     * equals the row of the one-value sweep {@code --optimizer adam:β1,0.999,1e-08}, but for the
     * optimizer column's spelling, the preconditioned sharpness included. Fails when a run's launch
     * (tangent step, Adam's preconditioner) takes another run's β1.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tangent", "benettin"})
    void adamBeta1AxisCellsEqualTheirOneValueSweeps(String method) throws IOException {
        Path axis = tmp.resolve("adam-axis-" + method);
        Cli c = teacher(axis, "--method", method, "--optimizer", "adam", "--momentum", "0.5,0.9", "--sharpness");
        assertEquals(0, c.code(), c.toString());
        List<String> rows = Files.readAllLines(axis.resolve("results.csv"));
        for (String beta : List.of("0.5", "0.9")) {
            Path one = tmp.resolve("adam-one-" + method + beta);
            Cli o = teacher(one, "--method", method, "--optimizer", "adam:" + beta + ",0.999,1e-8", "--sharpness");
            assertEquals(0, o.code(), o.toString());
            List<String> oneRows = Files.readAllLines(one.resolve("results.csv"));
            String index = beta.equals("0.5") ? "0" : "1";
            List<String> mine = rows.stream().skip(1).filter(l -> l.split(",")[5].equals(index))
                    .map(l -> l.replaceFirst("^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)" + index + ",", "$10,")).toList();
            assertEquals(oneRows.size() - 1, mine.size());
            for (int i = 0; i < mine.size(); i++) {
                String[] a = mine.get(i).split(",", -1), b = oneRows.get(i + 1).split(",", -1);
                a[4] = b[4] = ""; // the optimizer's label: the axis writes β1 as given, e.g. adam:0.5;0.999;1e-08
                assertEquals(String.join(",", b), String.join(",", a), "β1 = " + beta + ", row " + i);
            }
        }
    }

    /** A file as an earlier gdchaos wrote it for a non-GD sweep: without the columns optimizer, momentum_index, momentum. */
    static void stripOptimizerColumns(Path csv, int keepRows) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> h = List.of(lines.get(0).split(",", -1));
        java.util.Set<Integer> drop = new java.util.HashSet<>();
        for (String n : new String[] {"optimizer", "momentum_index", "momentum"}) drop.add(h.indexOf(n));
        assertFalse(drop.contains(-1), h.toString());
        StringBuilder sb = new StringBuilder();
        for (String l : lines.subList(0, Math.min(lines.size() - 1, keepRows) + 1)) {
            String[] f = l.split(",", -1);
            List<String> keep = new ArrayList<>();
            for (int i = 0; i < f.length; i++) if (!drop.contains(i)) keep.add(f[i]);
            sb.append(String.join(",", keep)).append('\n');
        }
        Files.writeString(csv, sb.toString());
    }

    /**
     * A folder (or a shard) of a non-GD sweep written before the momentum axis — no optimizer columns —
     * is resumed and merged, its rows completed to equal a fresh run's (catches refusing such folders or
     * completing them with another β).
     */
    @Test
    void foldersFromBeforeTheAxisResumeAndMerge() throws IOException {
        String[] opts = {"--method", "tangent", "--exponents", "2", "--optimizer", "nesterov:0.5"};
        Path whole = tmp.resolve("whole");
        assertEquals(0, teacher(whole, opts).code());
        Path old = tmp.resolve("old");
        assertEquals(0, teacher(old, opts).code());
        stripOptimizerColumns(old.resolve("results.csv"), 2); // killed after 2 of 4 cells
        stripOptimizerColumns(old.resolve("curves.csv"), Integer.MAX_VALUE);
        List<String> resume = new ArrayList<>(List.of(opts));
        resume.add("--resume");
        Cli r = teacher(old, resume.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        Path shards = tmp.resolve("shards");
        for (String sh : List.of("0/2", "1/2")) {
            List<String> a = new ArrayList<>(List.of(opts));
            a.addAll(List.of("--shard", sh));
            assertEquals(0, teacher(shards, a.toArray(String[]::new)).code());
        }
        Path first = shards.resolve("shards").resolve("0-of-2");
        stripOptimizerColumns(first.resolve("results.csv"), Integer.MAX_VALUE);
        stripOptimizerColumns(first.resolve("curves.csv"), Integer.MAX_VALUE);
        Cli m = Cli.run("merge", shards.toString());
        assertEquals(ExitCodes.OK, m.code(), m.toString());
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(Files.readString(whole.resolve(f)), Files.readString(old.resolve(f)), "resumed " + f);
            assertEquals(Files.readString(whole.resolve(f)), Files.readString(shards.resolve(f)), "merged " + f);
        }
    }
}
