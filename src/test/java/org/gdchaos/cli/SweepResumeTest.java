package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.ResultsCsv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} after a kill. "Exactly the rows of an uninterrupted run" is defined as: the
 * files {@code results.csv}, {@code curves.csv} and {@code summary.csv} are line-for-line,
 * string-equal to those of a sweep that was never interrupted — same lines, same order (cells in
 * grid order), no duplicates. A kill is simulated by cutting the files where a kill can leave
 * them: the curves of a batch are appended before its rows, and a write can stop mid-line.
 */
class SweepResumeTest {
    /** 3 learning rates × 2 inits = 6 cells of 3 trajectories; --max-batch 6 = 2 cells per batch, 3 batches. */
    static final String[] OPTS = {"--lr", "0.1,1,10", "--inits", "2", "--replicas", "2", "--steps", "12",
        "--eval-every", "4", "--max-batch", "6", "--quiet"};
    static final int CURVE_ROWS_PER_CELL = 13;
    @TempDir
    static Path tmp;
    static Path reference;

    @BeforeAll
    static void uninterrupted() {
        reference = tmp.resolve("reference");
        Cli c = Cli.tinySweep(reference, OPTS);
        assertEquals(ExitCodes.OK, c.code(), c.toString());
    }

    /** OPTS without --quiet, to see the progress lines. */
    static String[] loud() {
        return java.util.Arrays.stream(OPTS).filter(o -> !o.equals("--quiet")).toArray(String[]::new);
    }

    static List<String> lines(Path dir, String file) throws IOException {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    }

    static void write(Path dir, String file, List<String> lines, String torn) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        sb.append(torn);
        Files.writeString(dir.resolve(file), sb.toString(), StandardCharsets.UTF_8);
    }

    static void assertSameAsUninterrupted(Path dir) throws IOException {
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            List<String> want = lines(reference, f), got = lines(dir, f);
            assertEquals(want, got, f + " differs from the uninterrupted run");
            assertEquals(got.size(), new HashSet<>(got).size(), f + " has duplicate lines");
        }
    }

    /**
     * Killed in the middle of batch 2's writes: its curves are complete and half of the next
     * cell's curve line is torn; results hold batch 1, the first row of batch 2, and half a row.
     */
    @Test
    void resumeAfterAKillMidWriteGivesExactlyTheUninterruptedRows() throws IOException {
        Path dir = tmp.resolve("killed");
        Cli first = Cli.tinySweep(dir, OPTS);
        assertEquals(ExitCodes.OK, first.code(), first.toString());
        List<String> results = lines(dir, "results.csv");
        List<String> curves = lines(dir, "curves.csv");
        assertEquals(7, results.size());
        int curvesKept = 1 + 4 * CURVE_ROWS_PER_CELL; // header + batches 1 and 2
        write(dir, "results.csv", results.subList(0, 4), results.get(4).substring(0, results.get(4).length() / 2));
        write(dir, "curves.csv", curves.subList(0, curvesKept), curves.get(curvesKept).substring(0, 7));
        Files.delete(dir.resolve("summary.csv"));

        Cli resumed = Cli.tinySweep(dir, Cli.with(OPTS, "--resume", null));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.toString());
        assertSameAsUninterrupted(dir);
        Cli again = Cli.tinySweep(dir, Cli.with(OPTS, "--resume", null, "--max-batch", "30"));
        assertEquals(ExitCodes.OK, again.code(), "resuming a finished sweep is a no-op: " + again);
        assertSameAsUninterrupted(dir);
        // run.json keeps each run: its start and end, and the command line it was started with
        com.fasterxml.jackson.databind.JsonNode runs = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("run.json").toFile()).get("runs");
        assertEquals(3, runs.size(), runs.toString());
        java.time.Instant previousEnd = java.time.Instant.MIN;
        for (int i = 0; i < 3; i++) {
            com.fasterxml.jackson.databind.JsonNode r = runs.get(i);
            java.time.Instant started = java.time.Instant.parse(r.get("started").asText());
            java.time.Instant ended = java.time.Instant.parse(r.get("ended").asText());
            assertTrue(!started.isBefore(previousEnd) && !ended.isBefore(started), runs.toString());
            previousEnd = ended;
            assertEquals("complete", r.get("status").asText());
            List<String> args = new java.util.ArrayList<>();
            r.at("/command/args").forEach(a -> args.add(a.asText()));
            assertEquals(i > 0, args.contains("--resume"), args.toString());
            assertEquals(i == 2 ? "30" : "6", args.get(args.indexOf("--max-batch") + 1));
        }
    }

    /** Killed between batches (only batch 1 on disk) and resumed with a different batching: same rows. */
    @Test
    void resumeAfterAKillBetweenBatchesWithOtherBatchingGivesTheSameRows() throws IOException {
        Path dir = tmp.resolve("between");
        Cli first = Cli.tinySweep(dir, OPTS);
        assertEquals(ExitCodes.OK, first.code(), first.toString());
        write(dir, "results.csv", lines(dir, "results.csv").subList(0, 3), "");
        write(dir, "curves.csv", lines(dir, "curves.csv").subList(0, 1 + 2 * CURVE_ROWS_PER_CELL), "");
        Cli resumed = Cli.tinySweep(dir, Cli.with(loud(), "--resume", null, "--max-batch", "9"));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("resume: 2 cells already done, skipped"), resumed.out());
        assertTrue(resumed.out().contains("plan: 4 cells × 3 trajectories"), resumed.out());
        assertTrue(resumed.out().contains("done: 4 cells run, 2 skipped"), resumed.out());
        assertSameAsUninterrupted(dir);
    }

    @Test
    void resumeWithDifferentOptionsIsRefusedAndTouchesNothing() throws IOException {
        Path dir = tmp.resolve("other-options");
        assertEquals(ExitCodes.OK, Cli.tinySweep(dir, OPTS).code());
        write(dir, "results.csv", lines(dir, "results.csv").subList(0, 3), "");
        List<String> before = lines(dir, "results.csv");
        Cli c = Cli.tinySweep(dir, Cli.with(OPTS, "--resume", null, "--steps", "13"));
        assertEquals(ExitCodes.OUTPUT, c.code(), c.toString()); // README: 4, a folder holding another sweep
        assertTrue(c.err().contains("cannot resume: the sweep in " + dir + " was started with different settings "
                + "(--steps: 12 in the folder, 13 now)"), c.err());
        assertEquals(before, lines(dir, "results.csv"));
    }

    /**
     * Each differing option is named as typed, with its value in the folder and now; the folder's
     * spec is compared as a value, so options that give the same spec (a grid written another way)
     * resume.
     */
    @Test
    void resumeNamesEachDifferingOptionAndAcceptsTheSameSpecWrittenOtherwise() throws IOException {
        Path dir = tmp.resolve("two-differences");
        assertEquals(ExitCodes.OK, Cli.tinySweep(dir, OPTS).code());
        Cli c = Cli.tinySweep(dir, Cli.with(OPTS, "--resume", null, "--steps", "13", "--lr", "0.1,1",
                "--activation", "relu"));
        assertEquals(ExitCodes.OUTPUT, c.code(), c.toString());
        assertTrue(c.err().contains("(--activation: tanh in the folder, relu now; --lr: 0.1,1.0,10.0 in the folder, "
                + "0.1,1.0 now; --steps: 12 in the folder, 13 now)"), c.err());
        Cli same = Cli.tinySweep(dir, Cli.with(OPTS, "--resume", null, "--lr", "1e-1,1.0,1e1", "--dtype", "float64"));
        assertEquals(ExitCodes.OK, same.code(), same.toString());
        assertTrue(same.out().contains("done: 0 cells run, 6 skipped"), same.out());
    }

    @Test
    void rerunWithoutResumeIntoAFolderWithResultsIsRefused() throws IOException {
        Path dir = tmp.resolve("no-resume");
        assertEquals(ExitCodes.OK, Cli.tinySweep(dir, OPTS).code());
        List<String> before = lines(dir, "results.csv");
        Cli c = Cli.tinySweep(dir, OPTS);
        assertEquals(ExitCodes.OUTPUT, c.code(), c.toString());
        // issue 26 item 6: exactly what to type, for finishing it and for a new run
        assertTrue(c.err().contains(dir + " already holds a sweep (run.json status: complete)"), c.err());
        for (String what : List.of("run the same command with --resume", "--out NEW_FOLDER", "add --new",
                "(" + dir.getFileName() + "-2)")) {
            assertTrue(c.err().contains(what), what + " in " + c.err());
        }
        assertEquals(before, lines(dir, "results.csv"));
    }


    /**
     * A folder written by the previous version (its run.json, results.csv and curves.csv, cut after
     * two of three batches; see the fixture's README) is not resumed: its rows lack columns this
     * version writes (standard errors, fit points, reached, precision lost, seeds) and could not be
     * completed to equal a fresh run, so resuming is refused with the columns that differ and what
     * to do, and the folder is left as it was.
     */
    @Test
    void aFolderWrittenByThePreviousVersionIsRefusedNamingTheColumns() throws IOException {
        Path dir = previousVersionFolder("previous-version");
        List<String> before = lines(dir, "results.csv");
        Cli c = Cli.tinySweep(dir, Cli.with(OPTS, "--resume", null));
        assertEquals(ExitCodes.OUTPUT, c.code(), c.toString());
        for (String want : List.of("earlier gdchaos", "lambda_1_stderr", "fit_points", "reached", "precision_lost",
                "seed", "never/n/a", "run the sweep again into an empty folder")) {
            assertTrue(c.err().contains(want), want + " in: " + c.err());
        }
        assertEquals(before, lines(dir, "results.csv"));
    }

    /**
     * The previous version's results.csv still reads (for reporting and merging): by header, its
     * {@code never} as NaN steps with reached false, its {@code -1} steps as absent, the fit points
     * from its window, the seed from its sweep — and every value it shares with today's columns
     * equals that of the same cell in a fresh run.
     */
    @Test
    void thePreviousVersionsResultsReadInTodaysConventions() throws IOException {
        Path dir = previousVersionFolder("previous-version-read");
        ResultsCsv format = new ResultsCsv(1, List.of(), 1);
        List<CellRow> old = format.read(dir.resolve("results.csv"));
        assertEquals(4, old.size());
        java.util.Map<String, CellRow> fresh = new java.util.HashMap<>();
        for (CellRow r : format.read(reference.resolve("results.csv"))) fresh.put(r.cell().key(), r);
        for (CellRow r : old) {
            CellRow f = fresh.get(r.cell().key());
            assertEquals(CellRow.NEVER, r.stepsToThreshold(), r.toString());
            assertEquals(f.stepsToThreshold(), r.stepsToThreshold());
            assertEquals(CellRow.NONE, r.divergedStep());
            assertEquals(f.fitPoints(), r.fitPoints(), "points of the window " + r.fitStart() + ".." + r.fitEnd());
            assertEquals(f.seed(), r.seed());
            assertEquals(f.initSeed(), r.initSeed());
            assertEquals(f.lambda1(), r.lambda1());
            assertEquals(f.finalLoss(), r.finalLoss());
            assertEquals(f.testAcc(), r.testAcc());
            assertEquals(f.gradNorm(), r.gradNorm());
            assertTrue(Double.isNaN(r.exponentStdErrs()[0]), "the previous version had no standard error");
            java.util.Map<String, String> today = new java.util.LinkedHashMap<>();
            String[] h = format.header().split(","), v = format.line(r).split(",", -1);
            for (int i = 0; i < h.length; i++) today.put(h[i], v[i]);
            assertEquals("NaN", today.get("steps_to_threshold"));
            assertEquals("false", today.get("reached"));
            assertEquals("NaN", today.get("diverged_step"));
        }
    }

    static Path previousVersionFolder(String name) throws IOException {
        Path fixture = Path.of("src/test/resources/org/gdchaos/cli/resume-from-previous-version");
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of("run.json", "results.csv", "curves.csv")) {
            Files.copy(fixture.resolve(f), dir.resolve(f));
        }
        return dir;
    }
}
