package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 13: folders that hold a torn or foreign sweep are refused with what to do (items 3, 4);
 * sizes are checked up front with one line (item 7); unclear answers are clear (item 8); an
 * internal error is one line naming a log file with the stack trace.
 */
class RobustnessTest {
    @TempDir
    Path tmp;

    static final String[] SMALL = {"--lr", "0.1,1", "--inits", "2", "--replicas", "2", "--steps", "6", "--quiet"};

    static void fails(Cli c, int code, String... fragments) {
        BadInputTest.fails(c, code, fragments);
        assertEquals(1, c.err().strip().lines().count(), "one line: " + c.err());
    }

    static String curvesWithTornLastLine() {
        return "lr_index,lr,init,step,loss,test_acc,ln_d_l1,ln_d_l2\n0,0.1,0,0,2.3,0.1,-18.4,-20.1\n0,0.1,0,1,2.2";
    }

    /** Item 3: only a hand-written curves.csv with a cut last line, no results.csv, no run.json. */
    @Test
    void aFolderWithPartialFilesButNoRunJsonIsRefusedAndUntouched() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("partial"));
        Path curves = dir.resolve("curves.csv");
        Files.writeString(curves, curvesWithTornLastLine());
        Cli plain = Cli.tinySweep(dir, SMALL);
        fails(plain, ExitCodes.OUTPUT, "holds curves.csv but no run.json", "delete " + curves,
                "or choose an empty output folder");
        assertEquals(curvesWithTornLastLine(), Files.readString(curves), "nothing appended to the torn file");
        // item 4: --resume without run.json adopts nothing either
        Cli resumed = Cli.tinySweep(dir, Cli.with(SMALL, "--resume", null));
        fails(resumed, ExitCodes.OUTPUT, "holds curves.csv but no run.json", "resuming cannot use them");
        assertEquals(curvesWithTornLastLine(), Files.readString(curves));
        assertFalse(Files.exists(dir.resolve("results.csv")));
        assertFalse(Files.exists(dir.resolve("run.json")), "no run.json claiming these files");
    }

    /** Item 3: a sweep killed in its first batch leaves run.json and curves.csv; a plain rerun must not append. */
    @Test
    void aPlainRerunIntoAStartedSweepIsRefusedWithTheHintToResume() throws IOException {
        Path dir = tmp.resolve("started");
        assertEquals(ExitCodes.OK, Cli.tinySweep(dir, SMALL).code());
        Files.delete(dir.resolve("results.csv"));
        Files.writeString(dir.resolve("curves.csv"), curvesWithTornLastLine());
        fails(Cli.tinySweep(dir, SMALL), ExitCodes.OUTPUT, "already holds a sweep", "with --resume");
        assertEquals(curvesWithTornLastLine(), Files.readString(dir.resolve("curves.csv")));
        Cli resumed = Cli.tinySweep(dir, Cli.with(SMALL, "--resume", null));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.toString());
        List<String> lines = Files.readAllLines(dir.resolve("curves.csv"));
        assertEquals(1 + 4 * 7, lines.size(), "header + 4 cells × 7 steps, the torn leftovers gone");
    }

    /**
     * Item 2 as an older gdchaos left it: after a full disk, rows whose curves were partly lost
     * (one cell short of lines, another with none). --resume runs those cells again instead of
     * reporting success; every cell then has its rows and curves exactly as an uninterrupted run.
     */
    @Test
    void resumeRerunsCellsWhoseCurvesWereLost() throws IOException {
        Path reference = tmp.resolve("reference");
        assertEquals(ExitCodes.OK, Cli.tinySweep(reference, SMALL).code());
        Path dir = tmp.resolve("lost");
        assertEquals(ExitCodes.OK, Cli.tinySweep(dir, SMALL).code());
        List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        List<String> damaged = new java.util.ArrayList<>();
        for (String l : curves) {
            // columns lr_index, lr, wd_index, weight_decay, init, step, …
            boolean cell01 = l.startsWith("0,0.1,0,0.0,1,"), cell10 = l.startsWith("1,1.0,0,0.0,0,");
            if (cell10 || (cell01 && !l.startsWith("0,0.1,0,0.0,1,0,") && !l.startsWith("0,0.1,0,0.0,1,1,"))) continue;
            damaged.add(l);
        }
        Files.write(dir.resolve("curves.csv"), damaged);
        Cli resumed = Cli.tinySweep(dir, Cli.with(SMALL, "--resume", null));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.toString());
        assertTrue(resumed.err().contains("2 cell(s) in " + dir.resolve("results.csv") + " did not have exactly 7 "
                + "curve lines (lost or duplicated); they run again: 0/1 1/0"), resumed.err());
        for (String f : List.of("results.csv", "curves.csv")) {
            List<String> want = new java.util.ArrayList<>(Files.readAllLines(reference.resolve(f)));
            List<String> got = new java.util.ArrayList<>(Files.readAllLines(dir.resolve(f)));
            assertEquals(want.get(0), got.get(0));
            java.util.Collections.sort(want);
            java.util.Collections.sort(got);
            assertEquals(want, got, f + ": the same lines (the rerun cells come last)");
        }
    }

    @Test
    void sizesAreCheckedUpFrontWithOneLine() {
        Path out = tmp.resolve("sizes");
        fails(Cli.tinySweep(out, Cli.with(SMALL, "--steps", "2147483647")), ExitCodes.BAD_INPUT,
                "--steps: 2,147,483,647 steps is more than");
        fails(Cli.tinySweep(out, Cli.with(SMALL, "--steps", "200000000")), ExitCodes.BAD_INPUT,
                "--steps: 200,000,000 steps: one cell's per-step curves", "Java heap", "-Xmx");
        long t0 = System.nanoTime();
        fails(Cli.tinySweep(out, Cli.with(SMALL, "--lr", "log:0.01:10:1000000", "--inits", "1000")),
                ExitCodes.BAD_INPUT, "1,000,000,000 cells");
        fails(Cli.tinySweep(out, Cli.with(SMALL, "--inits", "2147483647")), ExitCodes.BAD_INPUT, "4,294,967,294 cells");
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "refused without building the grid");
        assertFalse(Files.exists(out.resolve("run.json")));
    }

    @Test
    void unclearInputsAreRefusedClearly() throws IOException {
        Path out = tmp.resolve("unclear");
        fails(Cli.tinySweep(out, Cli.with(SMALL, "--max-batch", "0")), ExitCodes.BAD_INPUT, "--max-batch must be ≥ 1, got 0");
        fails(Cli.tinySweep(out, Cli.with(SMALL, "--lr", "0.1,,0.2")), ExitCodes.BAD_INPUT, "value 2 of 3 is empty");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        fails(Cli.tinySweep(file, SMALL), ExitCodes.OUTPUT, "--out " + file + " is a file, not a folder");
        fails(Cli.tinySweep(out, Cli.with(SMALL, "--data", "idx:" + file)), ExitCodes.BAD_INPUT,
                file + " is a file, not a folder");
    }

    @Test
    void resumeWithOtherSettingsNamesTheDifferenceAndExits4() {
        Path dir = tmp.resolve("other");
        assertEquals(ExitCodes.OK, Cli.tinySweep(dir, SMALL).code());
        fails(Cli.tinySweep(dir, Cli.with(SMALL, "--resume", null, "--steps", "7")), ExitCodes.OUTPUT,
                "was started with different settings (--steps: 6 in the folder, 7 now)");
    }

    /** run.json keeps every run: the first (killed after one batch) and the resume. */
    @Test
    void runJsonKeepsTheHistoryOfRuns() throws IOException {
        Path dir = tmp.resolve("history");
        String[] opts = Cli.with(SMALL, "--max-batch", "3");
        assertEquals(ExitCodes.OK, Cli.tinySweep(dir, opts).code());
        // as if killed after the first batch: rows and curves of cell 0/0 only, run.json of a running sweep
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(dir.resolve("run.json").toFile());
        assertEquals(1, first.get("runs").size());
        assertEquals(4, first.get("runs").get(0).get("cells_done").asInt());
        List<String> res = Files.readAllLines(dir.resolve("results.csv"));
        List<String> cur = Files.readAllLines(dir.resolve("curves.csv"));
        Files.write(dir.resolve("results.csv"), res.subList(0, 2));
        Files.write(dir.resolve("curves.csv"), cur.subList(0, 1 + 7));
        ((com.fasterxml.jackson.databind.node.ObjectNode) first.get("runs").get(0)).put("status", "running")
                .put("cells_done", 1);
        json.writeValue(dir.resolve("run.json").toFile(), first);

        Cli resumed = Cli.tinySweep(dir, Cli.with(opts, "--resume", null));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.toString());
        JsonNode info = json.readTree(dir.resolve("run.json").toFile());
        JsonNode runs = info.get("runs");
        assertEquals(2, runs.size(), info.toPrettyString());
        assertEquals("interrupted", runs.get(0).get("status").asText());
        assertEquals(1, runs.get(0).get("cells_done").asInt());
        assertEquals("complete", runs.get(1).get("status").asText());
        assertEquals(3, runs.get(1).get("cells_planned").asInt());
        assertEquals(3, runs.get(1).get("cells_done").asInt());
        assertTrue(runs.get(1).get("plan").asText().startsWith("3 cells"), runs.get(1).toString());
        for (JsonNode r : runs) assertTrue(r.get("started").asText().matches("\\d{4}-.*Z"), r.toString());
        assertEquals(runs.get(0).get("wall_seconds").asDouble() + runs.get(1).get("wall_seconds").asDouble(),
                info.get("wall_seconds").asDouble(), 1e-9);
        assertEquals(runs.get(0).get("trajectory_steps").asLong() + runs.get(1).get("trajectory_steps").asLong(),
                info.get("trajectory_steps").asLong());
    }

    /** A command that fails with an internal error in a known folder. */
    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer>, Main.HasOutputFolder {
        Path dir;
        RuntimeException failure;

        @Override
        public Path outputFolder() {
            return dir;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    static Cli runBoom(Path dir, RuntimeException failure) {
        Boom b = new Boom();
        b.dir = dir;
        b.failure = failure;
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code;
        try (PrintWriter po = new PrintWriter(o); PrintWriter pe = new PrintWriter(e)) {
            CommandLine cl = Main.commandLine(po, pe);
            cl.addSubcommand("boom", b);
            cl.setOut(po); // settings reach the subcommands present when they are set
            cl.setErr(pe);
            code = cl.execute("boom");
        }
        return new Cli(code, o.toString(), e.toString());
    }

    @Test
    void anInternalErrorIsOneLineAndItsStackTraceGoesToALogFile() throws IOException {
        Cli c = runBoom(tmp, new IllegalStateException("a bug\nwith a second line"));
        Path log = tmp.resolve(Main.ERROR_LOG).toAbsolutePath();
        fails(c, ExitCodes.FAILURE, "internal error: java.lang.IllegalStateException: a bug", "stack trace in " + log);
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("java.lang.IllegalStateException: a bug") && text.contains("\tat "), text);

        // no folder: a temporary file; an out-of-memory error says what to do
        Cli oom = runBoom(null, new Main.Fatal(new OutOfMemoryError("Java heap space")));
        fails(oom, ExitCodes.FAILURE, "out of memory (Java heap space)", "-Xmx", "stack trace in ");
        Path tmpLog = Path.of(oom.err().replaceAll("(?s).*stack trace in (\\S+)\\).*", "$1"));
        assertTrue(Files.readString(tmpLog).contains("OutOfMemoryError"));
        Files.delete(tmpLog);
    }
}
