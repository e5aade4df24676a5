package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26 items 6 and 7 (a second run that does not surprise; the terminal summary's numbers) and
 * issue 22 items 8 and 9 (values that print alike; figures that cannot be written).
 */
class SecondRunTest {
    @TempDir
    Path tmp;

    static final String[] TINY = {"--lr", "0.1,1", "--inits", "2", "--steps", "12", "--quiet"};

    /** Item 6: the same command twice names --resume and --out NEW_FOLDER; --new writes OUT-2 and leaves OUT alone. */
    @Test
    void aSecondRunSaysWhatToTypeAndNewStartsANumberedFolder() throws IOException {
        Path out = tmp.resolve("gdchaos-out");
        assertEquals(ExitCodes.OK, Cli.tinySweep(out, TINY).code());
        byte[] results = Files.readAllBytes(out.resolve("results.csv"));
        Cli again = Cli.tinySweep(out, TINY);
        assertEquals(ExitCodes.OUTPUT, again.code(), again.toString());
        for (String what : List.of("--resume", "--out NEW_FOLDER", "--new", "gdchaos-out-2")) {
            assertTrue(again.err().contains(what), what + " in " + again.err());
        }
        assertEquals(1, again.err().strip().lines().count(), "one line: " + again.err());
        // --plan says the same before a run
        Cli plan = Cli.tinySweep(out, Cli.with(TINY, "--plan", null));
        assertEquals(ExitCodes.OK, plan.code(), plan.toString());
        assertTrue(plan.out().contains("would stop (exit 4)") && plan.out().contains("--new"), plan.out());
        Cli planNew = Cli.tinySweep(out, Cli.with(TINY, "--plan", null, "--new", null));
        assertTrue(planNew.out().contains(tmp.resolve("gdchaos-out-2") + " (" + out + " holds an earlier sweep; --new)"),
                planNew.out());
        assertFalse(Files.exists(tmp.resolve("gdchaos-out-2")), "--plan writes nothing");
        // --new: the next free numbered folder, the earlier sweep untouched
        Cli fresh = Cli.tinySweep(out, Cli.with(TINY, "--new", null));
        assertEquals(ExitCodes.OK, fresh.code(), fresh.toString());
        assertTrue(fresh.err().contains("writes into " + tmp.resolve("gdchaos-out-2")), fresh.err());
        assertTrue(Files.exists(tmp.resolve("gdchaos-out-2/results.csv")));
        assertTrue(java.util.Arrays.equals(results, Files.readAllBytes(out.resolve("results.csv"))));
        assertEquals(ExitCodes.OK, Cli.tinySweep(out, Cli.with(TINY, "--new", null)).code());
        assertTrue(Files.exists(tmp.resolve("gdchaos-out-3/results.csv")), "then gdchaos-out-3");
        // an empty folder needs no number
        Path empty = tmp.resolve("empty");
        assertEquals(ExitCodes.OK, Cli.tinySweep(empty, Cli.with(TINY, "--new", null)).code());
        assertTrue(Files.exists(empty.resolve("results.csv")));
        // contradictions are refused up front
        assertEquals(ExitCodes.BAD_INPUT, Cli.tinySweep(out, Cli.with(TINY, "--new", null, "--resume", null)).code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.tinySweep(out, Cli.with(TINY, "--new", null, "--shard", "0/2")).code());
    }

    /** Item 7: the terminal summary prints η as the figures do and a median of steps unrounded. */
    @Test
    void theTerminalSummaryKeepsItsNumbers() {
        assertEquals("17.5", SweepCommand.medianSteps(17.5));
        assertEquals("18", SweepCommand.medianSteps(18));
        assertEquals("never", SweepCommand.medianSteps(Double.POSITIVE_INFINITY));
        assertEquals("n/a", SweepCommand.medianSteps(Double.NaN));
        Path out = tmp.resolve("summary");
        Cli c = Cli.tinySweep(out, "--lr", "0.1,1", "--inits", "2", "--steps", "12", "--weight-decay", "0,0.01");
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        List<String> rows = c.out().lines().filter(l -> l.matches("\\s+(0\\.1|1)\\s+(0|0\\.01)\\s.*")).toList();
        assertEquals(4, rows.size(), "η and wd as 0.1, 1 and 0, 0.01:\n" + c.out());
        assertFalse(c.out().contains("0.1000") || c.out().contains("0.000 ") || c.out().contains("0.01000"), c.out());
    }

    /** Issue 22 item 8: a value listed twice is refused; values that print alike still get every figure. */
    @Test
    void valuesThatPrintAlikeKeepTheirFigures() throws IOException {
        Cli dupLr = Cli.tinySweep(tmp.resolve("dup-lr"), Cli.with(TINY, "--lr", "0.1,0.1"));
        assertEquals(ExitCodes.BAD_INPUT, dupLr.code(), dupLr.toString());
        assertTrue(dupLr.err().contains("--lr") && dupLr.err().contains("listed twice"), dupLr.err());
        Cli dupWd = Cli.tinySweep(tmp.resolve("dup-wd"), Cli.with(TINY, "--weight-decay", "0,0"));
        assertEquals(ExitCodes.BAD_INPUT, dupWd.code(), dupWd.toString());
        assertFalse(Files.exists(tmp.resolve("dup-lr/run.json")), "refused before anything is written");
        Path close = tmp.resolve("close");
        Cli c = Cli.tinySweep(close, Cli.with(TINY, "--lr", "0.1,0.1000001"));
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        assertTrue(c.err().isBlank(), c.err());
        for (String f : List.of("lambda_vs_lr.png", "lambda_vs_lr.svg", "curves.png", "report.html")) {
            assertTrue(Files.exists(close.resolve(f)), f);
        }
        String curves = Files.readString(close.resolve("curves.svg"));
        assertTrue(curves.contains(">η = 0.1</text>") && curves.contains(">η = 0.1000001</text>"), "two legend entries");
        assertEquals(ExitCodes.OK, Cli.run("report", close.toString()).code());
    }

    /** Issue 22 item 9: a figure that cannot be written ends in exit 4 with one line, no partial file. */
    @Test
    void figuresThatCannotBeWrittenExit4() throws IOException {
        Path out = tmp.resolve("blocked");
        Files.createDirectories(out.resolve("lambda_vs_lr.png.tmp")); // stands in for a full disk at that file
        Files.writeString(out.resolve("lambda_vs_lr.png.tmp/x"), "keeps the folder");
        Cli c = Cli.tinySweep(out, TINY);
        assertEquals(ExitCodes.OUTPUT, c.code(), c.toString());
        assertTrue(c.err().contains("lambda_vs_lr") && c.err().contains("gdchaos report"), c.err());
        assertFalse(c.err().contains("\tat "), "no stack trace: " + c.err());
        assertFalse(Files.exists(out.resolve("lambda_vs_lr.png")), "no partial PNG");
        assertTrue(Files.exists(out.resolve("results.csv")), "the results stand");
        Cli report = Cli.run("report", out.toString());
        assertEquals(ExitCodes.OUTPUT, report.code(), report.toString());
        assertEquals(1, report.err().strip().lines().count(), report.err());
        // once the path is free, report draws them
        Files.delete(out.resolve("lambda_vs_lr.png.tmp/x"));
        Files.delete(out.resolve("lambda_vs_lr.png.tmp"));
        assertEquals(ExitCodes.OK, Cli.run("report", out.toString()).code());
        assertTrue(ImageIO.read(out.resolve("lambda_vs_lr.png").toFile()) != null);
    }

    /** Issue 22 item 9: without anywhere to write a log, an internal error is still one line, no stack trace. */
    @Test
    void anInternalErrorWithoutALogIsOneLine() {
        java.io.StringWriter w = new java.io.StringWriter();
        try (java.io.PrintWriter e = new java.io.PrintWriter(w)) {
            Main.reportFailure(e, new IllegalStateException("boom"), null);
        }
        assertEquals(1, w.toString().strip().lines().count(), w.toString());
        assertFalse(w.toString().contains("\tat "), w.toString());
        assertTrue(w.toString().contains("-Dgdchaos.debug=true"), w.toString());
    }

    /** Issue 22 item 9: figures need no temporary folder (ImageIO's disk cache); a separate JVM without one. */
    @Test
    void figuresNeedNoTemporaryFolder() throws Exception {
        Path out = tmp.resolve("notmp");
        assertEquals(ExitCodes.OK, Cli.tinySweep(out, TINY).code());
        Files.delete(out.resolve("lambda_vs_lr.png"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.io.tmpdir=" + tmp.resolve("no-such-tmp"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "report", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), text);
        assertTrue(ImageIO.read(out.resolve("lambda_vs_lr.png").toFile()) != null, "a whole PNG");
        assertFalse(text.contains("Exception"), text);
    }
}
