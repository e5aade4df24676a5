package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: the defects an audit of bad inputs and faults found, each through the command line
 * (items 2–6, 10, 11 and 14; item 4's rule itself is in {@code sweep/GridRowsTest}, item 7 in
 * {@code data/IdxPrefixReadTest}, item 13 in {@code sweep/StartupRaceTest}). Each case checks the
 * exit code, one line naming the input and no stack trace, and that no file was damaged.
 */
class AuditDefectsTest {
    /** The S: 50 + 50 digits, 784-8-10, 2 inits, 20 steps (here 6, to keep the test short). */
    static final List<String> S = List.of("--data", "mnist-10k", "--train-size", "50", "--test-size", "50", "--layers",
            "784,8,10", "--inits", "2", "--steps", "6", "--backend", "java", "--quiet");
    @TempDir
    static Path tmp;
    /** A finished sweep: --lr 0.1,1,10, --replicas 2 (6 cells); copied by tests that damage it. */
    static Path finished;

    /** sweep S with {@code extra} options added or overriding S's (an option followed by another is a flag). */
    static Cli sweep(Path out, String... extra) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < extra.length; i++) {
            boolean flag = i + 1 == extra.length || extra[i + 1].startsWith("--");
            pairs.add(extra[i]);
            pairs.add(flag ? null : extra[++i]);
        }
        if (out != null) pairs.addAll(List.of("--out", out.toString()));
        List<String> base = new ArrayList<>(List.of("sweep"));
        base.addAll(S);
        return Cli.run(Cli.with(base.toArray(String[]::new), pairs.toArray(String[]::new)));
    }

    static void fails(Cli c, int code, String... fragments) {
        assertEquals(code, c.code(), c.toString());
        assertTrue(c.err().startsWith("gdchaos: error: "), c.toString());
        assertEquals(1, c.err().strip().lines().count(), "one line: " + c.err());
        for (String f : fragments) assertTrue(c.err().contains(f), "'" + f + "' in\n" + c.err());
        assertFalse(c.err().contains("\tat ") || c.err().contains("internal error"), "no stack trace: " + c.err());
    }

    /** Every file of a folder (relative path → bytes as text), to check that nothing changed. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return m;
    }

    static Path copy(Path from, String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }

    @BeforeAll
    static void finishedSweep() {
        finished = tmp.resolve("finished");
        Cli c = sweep(finished, "--replicas", "2", "--lr", "0.1,1,10");
        assertEquals(ExitCodes.OK, c.code(), c.toString());
    }

    // ---------------------------------------------------------------- item 2

    /** Item 2: shards of another sweep are refused in a folder holding a finished sweep, and merge never replaces it. */
    @Test
    void shardRunsAndMergeRefuseAFolderHoldingAnotherSweep() throws IOException {
        Path a = copy(finished, "item2");
        Map<String, String> before = snapshot(a);
        fails(sweep(a, "--lr", "0.1,1", "--shard", "0/2"), ExitCodes.OUTPUT, a + " holds another sweep", "--lr");
        assertEquals(before, snapshot(a), "the refused shard wrote nothing");
        // shards written elsewhere and moved in (or written by an older gdchaos): merge refuses too
        Path other = tmp.resolve("item2-other");
        for (int i = 0; i < 2; i++) assertEquals(ExitCodes.OK, sweep(other, "--lr", "0.1,1", "--shard", i + "/2").code());
        Files.move(other.resolve("shards"), a.resolve("shards"));
        Map<String, String> withShards = snapshot(a);
        fails(Cli.run("merge", a.toString()), ExitCodes.OUTPUT, "holds another sweep", "choose another output folder");
        assertEquals(withShards, snapshot(a), "the 6-cell sweep is intact");
        assertEquals(7, Files.readAllLines(a.resolve("results.csv")).size());
        // the same sweep sharded into its own folder still merges (and merging again is allowed)
        Files.move(a.resolve("shards"), other.resolve("shards"));
        Cli ok = Cli.run("merge", other.toString());
        assertEquals(ExitCodes.OK, ok.code(), ok.toString());
        assertEquals(ExitCodes.OK, Cli.run("merge", other.toString()).code(), "merging again");
    }

    /** Item 2: a shard whose sibling shards hold a sweep with other settings is refused (exit 4). */
    @Test
    void aShardOfAnotherSweepBesideExistingShardsIsRefused() {
        Path o = tmp.resolve("item2-siblings");
        assertEquals(ExitCodes.OK, sweep(o, "--lr", "0.1,1", "--shard", "0/2").code());
        fails(sweep(o, "--lr", "0.1,2", "--shard", "1/2"), ExitCodes.OUTPUT, "shards of a sweep with different settings",
                "--lr");
        assertFalse(Files.exists(o.resolve("shards/1-of-2/results.csv")));
    }

    // ---------------------------------------------------------------- item 3

    /** Item 3: a run.json without a spec is as good as none: --resume refuses the rows (exit 4), touching nothing. */
    @Test
    void resumeRefusesRowsBesideARunJsonWithoutASpec() throws IOException {
        for (String json : List.of("{}", "{\"tool\":\"gdchaos\"}", "{\"tool\":\"gdchaos\",\"spec\":7}")) {
            Path b = copy(finished, "item3-" + Integer.toHexString(json.hashCode()));
            Files.writeString(b.resolve("run.json"), json);
            Map<String, String> before = snapshot(b);
            fails(sweep(b, "--replicas", "2", "--lr", "0.1,1", "--resume"), ExitCodes.OUTPUT, "records no sweep");
            before.remove(".gdchaos.lock");
            Map<String, String> after = snapshot(b);
            after.remove(".gdchaos.lock");
            assertEquals(before, after, json);
        }
    }

    // ---------------------------------------------------------------- item 4 (through --resume and report)

    /** Item 4: duplicated, contradictory and out-of-grid rows are refused by --resume (exit 4) and report. */
    @Test
    void resumeAndReportRefuseRowsThatAreNotDistinctGridCells() throws IOException {
        List<String> rows = Files.readAllLines(finished.resolve("results.csv"));
        String row2 = rows.get(3); // lr_index 1 (lr 1.0), init 0
        assertTrue(row2.startsWith("1,1.0,0,0.0,0,"), row2);
        Map<String, String> cases = Map.of(
                "dup", String.join("\n", rows) + "\n" + rows.get(1) + "\n",
                "lr", String.join("\n", rows).replace(row2, "1,0.5," + row2.substring("1,1.0,".length())) + "\n",
                "init", String.join("\n", rows).replace(row2, "1,1.0,0,0.0,5," + row2.substring("1,1.0,0,0.0,0,".length()))
                        + "\n");
        Map<String, String> why = Map.of("dup", "cell 0/0 again (first on line 2)", "lr",
                "lr 0.5 contradicts lr_index 1", "init", "init 5 is outside the grid's 2 initialisations");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path d = copy(finished, "item4-" + e.getKey());
            Files.writeString(d.resolve("results.csv"), e.getValue());
            Map<String, String> before = snapshot(d);
            fails(sweep(d, "--replicas", "2", "--lr", "0.1,1,10", "--resume"), ExitCodes.OUTPUT, why.get(e.getKey()),
                    "cells of this sweep's grid");
            fails(Cli.run("report", d.toString()), ExitCodes.OUTPUT, why.get(e.getKey()));
            Map<String, String> after = snapshot(d);
            assertEquals(before.get("results.csv"), after.get("results.csv"), e.getKey());
            assertEquals(before.get("curves.csv"), after.get("curves.csv"), e.getKey());
        }
    }

    // ---------------------------------------------------------------- item 5

    /** Item 5: impossible models and minibatches are one line and exit 3, and leave no run.json behind. */
    @Test
    void impossibleModelsAndBatchesAreBadInput() {
        String[][] cases = {
            {"--arch", "dense:100000000,dense:10"},
            {"--arch", "conv:1000000@3x3,dense:10"},
            {"--arch", "conv:4@2147483647x2147483647:same,dense:10"},
            {"--model", "linear", "--width", "2000000000", "--layers", null},
        };
        int i = 0;
        for (String[] c : cases) {
            Path o = tmp.resolve("item5-" + i++);
            List<String> a = new ArrayList<>(List.of("--train-size", "20", "--test-size", "20", "--steps", "3", "--inits",
                    "1", "--lr", "0.1"));
            for (int k = 0; k < c.length; k += 2) if (c[k + 1] != null) a.addAll(List.of(c[k], c[k + 1]));
            if (c[0].equals("--model")) a.addAll(List.of("--data", "scalar:x=1,y=1", "--train-size", "0", "--test-size", "0"));
            List<String> args = new ArrayList<>(List.of("sweep", "--backend", "java", "--quiet", "--out", o.toString()));
            java.util.LinkedHashMap<String, String> opts = new java.util.LinkedHashMap<>();
            for (int k = 0; k < a.size(); k += 2) opts.put(a.get(k), a.get(k + 1));
            opts.forEach((k, v) -> args.addAll(List.of(k, v)));
            fails(Cli.run(args.toArray(String[]::new)), ExitCodes.BAD_INPUT, "parameters; at most 2147483639",
                    c[0].equals("--model") ? "--width 2000000000" : "--arch");
            assertFalse(Files.exists(o.resolve("run.json")), "nothing written for " + java.util.Arrays.toString(c));
        }
        Path o = tmp.resolve("item5-batch");
        fails(sweep(o, "--batch", "999999"), ExitCodes.BAD_INPUT, "--batch", "999999", "50 training samples");
        assertFalse(Files.exists(o.resolve("run.json")));
    }

    /**
     * Item 5: a folder name the system cannot represent (here a NUL character; non-ASCII under
     * LC_ALL=C takes the same path) is one line and exit 3 for sweep --out, merge and report, not
     * picocli's usage screen (exit 2).
     */
    @Test
    void unrepresentablePathsAreBadInput() {
        fails(Cli.run("sweep", "--out", "a\0b", "--lr", "0.1"), ExitCodes.BAD_INPUT, "--out", "not a valid path here");
        fails(Cli.run("merge", "a\0b"), ExitCodes.BAD_INPUT, "DIR", "not a valid path here");
        fails(Cli.run("report", "a\0b"), ExitCodes.BAD_INPUT, "DIR", "not a valid path here");
    }

    /** Item 5: bytes that are not UTF-8 in results.csv or curves.csv: one line naming the file, exit 4 (damaged folder). */
    @Test
    void nonUtf8ResultsOrCurvesAreADamagedFolder() throws IOException {
        Path r = copy(finished, "item5-utf8-results");
        Files.write(r.resolve("results.csv"), new byte[] {'0', ',', (byte) 0xff, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        fails(Cli.run("report", r.toString()), ExitCodes.OUTPUT, "results.csv is not UTF-8 text: byte 0xFF");
        fails(sweep(r, "--replicas", "2", "--lr", "0.1,1,10", "--resume"), ExitCodes.OUTPUT,
                "results.csv is not UTF-8 text");
        Path c = copy(finished, "item5-utf8-curves");
        Files.write(c.resolve("curves.csv"), new byte[] {(byte) 0xfe, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        fails(Cli.run("report", c.toString()), ExitCodes.OUTPUT, "curves.csv is not UTF-8 text");
        Path m = tmp.resolve("item5-utf8-merge");
        assertEquals(ExitCodes.OK, sweep(m, "--lr", "0.1", "--shard", "0/1").code());
        Files.write(m.resolve("shards/0-of-1/curves.csv"), new byte[] {(byte) 0xc3, '\n'},
                java.nio.file.StandardOpenOption.APPEND);
        fails(Cli.run("merge", m.toString()), ExitCodes.OUTPUT, "curves.csv is not UTF-8 text");
    }

    // ---------------------------------------------------------------- item 6

    /** Item 6: report refuses a curves line whose step lies outside 0..steps instead of allocating for it. */
    @Test
    void reportRefusesCurveStepsOutsideTheSweep() throws IOException {
        Path d = copy(finished, "item6");
        List<String> curves = Files.readAllLines(d.resolve("curves.csv"));
        String last = curves.get(curves.size() - 1);
        String[] f = last.split(",", -1);
        f[5] = "300000000";
        Files.writeString(d.resolve("curves.csv"), String.join(",", f) + "\n", java.nio.file.StandardOpenOption.APPEND);
        long t0 = System.nanoTime();
        fails(Cli.run("report", d.toString()), ExitCodes.BAD_INPUT, "step 300000000 is outside 0..6",
                "line " + (curves.size() + 1));
        assertTrue((System.nanoTime() - t0) / 1e9 < 60, "refused before any allocation of the step's size");
    }

    // ---------------------------------------------------------------- item 10

    /** Item 10: an empty --out (or DIR) would mean the current directory: refused, exit 3. */
    @Test
    void emptyFolderNamesAreRefused() {
        fails(Cli.run("sweep", "--out", "", "--lr", "0.1"), ExitCodes.BAD_INPUT, "--out: the folder name is empty");
        fails(Cli.run("sweep", "--out", " ", "--lr", "0.1"), ExitCodes.BAD_INPUT, "--out: the folder name is empty");
        fails(Cli.run("merge", ""), ExitCodes.BAD_INPUT, "DIR: the folder name is empty");
        fails(Cli.run("report", ""), ExitCodes.BAD_INPUT, "DIR: the folder name is empty");
    }

    // ---------------------------------------------------------------- item 11

    /** Item 11: negative sizes are refused (on the command line and in the API), not read as "all". */
    @Test
    void negativeSizesAreRefused() {
        fails(Cli.run("sweep", "--train-size", "-1", "--lr", "0.1", "--plan"), ExitCodes.BAD_INPUT, "--train-size",
                "got -1");
        fails(Cli.run("sweep", "--test-size", "-5", "--lr", "0.1", "--plan"), ExitCodes.BAD_INPUT, "--test-size", "got -5");
        org.gdchaos.InputException e = org.junit.jupiter.api.Assertions.assertThrows(org.gdchaos.InputException.class,
                () -> org.gdchaos.sweep.SweepSpec.builder().learningRates(0.1).trainSize(-5).build());
        assertEquals("data.trainSize", e.setting().orElse(null));
        org.junit.jupiter.api.Assertions.assertThrows(org.gdchaos.data.DataException.class,
                () -> org.gdchaos.data.DataSpec.parse("mnist-10k").load(-1, 10));
    }

    // ---------------------------------------------------------------- item 14

    /** Item 14: the smaller validation holes, each one line and the right exit code. */
    @Test
    void smallerValidationHoles() throws IOException {
        fails(Cli.run("sweep", "--data", "scalar:x=1,y=1", "--model", "linear", "--init", "values:NaN,0", "--lr", "0.1",
                "--plan"), ExitCodes.BAD_INPUT, "--init", "finite", "NaN");
        Path big = tmp.resolve("item14-big");
        fails(sweep(big, "--init", "normal:1e308", "--lr", "0.1"), ExitCodes.BAD_INPUT, "--init",
                "initial parameters overflow");
        assertFalse(Files.exists(big.resolve("run.json")));
        fails(sweep(tmp.resolve("item14-transient"), "--method", "benettin", "--transient", "10", "--steps", "5",
                "--lr", "0.1"), ExitCodes.BAD_INPUT, "--transient", "10 steps", "none of the 5 steps");
        fails(Cli.run("sweep", "--arch", "dense:８,dense:10", "--lr", "0.1", "--plan"), ExitCodes.BAD_INPUT, "--arch",
                "not a whole number (digits 0-9)");
        // CRLF line endings: one message that says so, for resume and report
        Path crlf = copy(finished, "item14-crlf");
        Files.writeString(crlf.resolve("results.csv"), Files.readString(crlf.resolve("results.csv")).replace("\n", "\r\n"));
        fails(sweep(crlf, "--replicas", "2", "--lr", "0.1,1,10", "--resume"), ExitCodes.OUTPUT, "Windows line endings");
        fails(Cli.run("report", crlf.toString()), ExitCodes.OUTPUT, "Windows line endings");
        // a shard's run.json truncated: one line; a shard's run.json of {}: damaged, not "missing"
        Path sh = tmp.resolve("item14-shards");
        for (int i = 0; i < 2; i++) assertEquals(ExitCodes.OK, sweep(sh, "--lr", "0.1", "--shard", i + "/2").code());
        Path info = sh.resolve("shards/1-of-2/run.json");
        String json = Files.readString(info);
        Files.writeString(info, json.substring(0, json.length() / 2));
        fails(Cli.run("merge", sh.toString()), ExitCodes.OUTPUT, "shards/1-of-2/run.json", "damaged");
        Files.writeString(info, "{}");
        Cli m = Cli.run("merge", sh.toString());
        fails(m, ExitCodes.OUTPUT, "shards/1-of-2/run.json records no sweep");
        assertFalse(m.err().contains("missing") || m.out().contains("never started"), m.toString());
    }
}
