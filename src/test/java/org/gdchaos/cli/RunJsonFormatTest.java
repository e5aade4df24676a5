package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gdchaos.sweep.store.RunJsonUpgrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 8: run.json records its format, and a folder written before the format existed
 * (main afadb97, format 0) resumes through the one upgrade step ({@link RunJsonUpgrade}).
 */
class RunJsonFormatTest {
    static final Path FIXTURE = Path.of("src/test/resources/org/gdchaos/cli/resume-from-afadb97");
    static final String[] ARGS = {"sweep", "--data", "teacher:in=4,hidden=3,out=2,n=30,seed=3", "--train-size", "30",
        "--test-size", "30", "--layers", "4,6,2", "--loss", "mse", "--backend", "java", "--lr", "0.1,1,3", "--inits",
        "2", "--replicas", "2", "--steps", "8", "--eval-every", "4", "--max-batch", "6", "--quiet"};

    @TempDir
    Path tmp;

    static Cli sweep(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(ARGS));
        a.addAll(List.of("--out", out.toString()));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    static JsonNode json(Path f) throws IOException {
        return new ObjectMapper().readTree(f.toFile());
    }

    @Test
    void aFolderOfFormat0ResumesToTheUninterruptedFilesAndIsRewrittenInTodaysFormat() throws IOException {
        Path fresh = tmp.resolve("fresh");
        Cli f = sweep(fresh);
        assertEquals(ExitCodes.OK, f.code(), f.toString());
        assertEquals(RunJsonUpgrade.FORMAT, json(fresh.resolve("run.json")).path("format").asInt(-1),
                "a new sweep records the format");

        Path dir = Files.createDirectories(tmp.resolve("afadb97"));
        for (String n : List.of("run.json", "results.csv", "curves.csv")) Files.copy(FIXTURE.resolve(n), dir.resolve(n));
        JsonNode before = json(dir.resolve("run.json"));
        assertFalse(before.has("format"), "the fixture is of format 0");
        Cli r = sweep(dir, "--resume");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        for (String n : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(Files.readString(fresh.resolve(n), StandardCharsets.UTF_8),
                    Files.readString(dir.resolve(n), StandardCharsets.UTF_8), n);
        }
        JsonNode after = json(dir.resolve("run.json"));
        assertEquals(RunJsonUpgrade.FORMAT, after.path("format").asInt(-1));
        assertEquals(before.get("spec"), after.get("spec"), "the spec is recorded as it was");
        assertEquals(2, after.get("runs").size());
        assertEquals(before.get("runs").get(0).get("started"), after.get("runs").get(0).get("started"));
    }

    @Test
    void aRunJsonOfANewerFormatIsNotResumed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("newer"));
        for (String n : List.of("run.json", "results.csv", "curves.csv")) Files.copy(FIXTURE.resolve(n), dir.resolve(n));
        com.fasterxml.jackson.databind.node.ObjectNode run = (com.fasterxml.jackson.databind.node.ObjectNode)
                json(dir.resolve("run.json"));
        run.put("format", RunJsonUpgrade.FORMAT + 1);
        Files.writeString(dir.resolve("run.json"), run.toString());
        String results = Files.readString(dir.resolve("results.csv"));
        Cli r = sweep(dir, "--resume");
        assertEquals(ExitCodes.OUTPUT, r.code(), r.toString());
        assertEquals(true, r.toString().contains("written by a newer gdchaos"), r.toString());
        assertEquals(results, Files.readString(dir.resolve("results.csv")), "nothing is touched");
    }

    /** A copy of the fixture (format 0) in {@code dir}, its run.json given {@code format} (null: as it is). */
    Path fixture(Path dir, Integer format) throws IOException {
        Files.createDirectories(dir);
        for (String n : List.of("run.json", "results.csv", "curves.csv")) Files.copy(FIXTURE.resolve(n), dir.resolve(n));
        if (format != null) newerFormat(dir, format);
        return dir;
    }

    static void newerFormat(Path dir, int format) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode run = (com.fasterxml.jackson.databind.node.ObjectNode)
                json(dir.resolve("run.json"));
        run.put("format", format);
        Files.writeString(dir.resolve("run.json"), run.toString());
    }

    static void refusedAsNewer(Cli c, int code) {
        assertEquals(code, c.code(), c.toString());
        org.junit.jupiter.api.Assertions.assertTrue(c.err().contains("run.json has format 99, written by a newer "
                + "gdchaos (this version reads formats up to " + RunJsonUpgrade.FORMAT + ")"), c.toString());
    }

    /** Every reader of run.json reads it through the one upgrade step, so each refuses a newer format alike. */
    @Test
    void aRunJsonOfANewerFormatIsRefusedByReportMergeAndOnsetResume() throws IOException {
        Path dir = fixture(tmp.resolve("report"), 99);
        refusedAsNewer(Cli.run("report", dir.toString()), ExitCodes.BAD_INPUT);
        assertFalse(Files.exists(dir.resolve("report.html")), "nothing written");

        Path merged = tmp.resolve("merge");
        fixture(merged.resolve("shards").resolve("0-of-1"), 99);
        refusedAsNewer(Cli.run("merge", merged.toString()), ExitCodes.BAD_INPUT);
        assertFalse(Files.exists(merged.resolve("results.csv")), "nothing merged");
        Path intoNewer = fixture(tmp.resolve("merge-into-newer"), 99); // the merge folder's own run.json
        fixture(intoNewer.resolve("shards").resolve("0-of-1"), null);
        String own = Files.readString(intoNewer.resolve("results.csv"));
        refusedAsNewer(Cli.run("merge", intoNewer.toString()), ExitCodes.OUTPUT);
        assertEquals(own, Files.readString(intoNewer.resolve("results.csv")), "its results are not replaced");

        Path onset = tmp.resolve("onset");
        Cli o = OnsetCommandTest.scalar(onset, "--lr-range", "lin:1:2", "--points", "4");
        assertEquals(ExitCodes.OK, o.code(), o.toString());
        newerFormat(onset, 99);
        String results = Files.readString(onset.resolve("results.csv"));
        refusedAsNewer(OnsetCommandTest.scalar(onset, "--lr-range", "lin:1:2", "--points", "4", "--resume"),
                ExitCodes.OUTPUT);
        refusedAsNewer(Cli.run("report", onset.toString()), ExitCodes.BAD_INPUT);
        assertEquals(results, Files.readString(onset.resolve("results.csv")), "nothing is touched");
    }

    /** A folder of format 0 still reports, and merges as a shard, through the upgrade. */
    @Test
    void aFolderOfFormat0ReportsAndMerges() throws IOException {
        Path dir = fixture(tmp.resolve("report"), null);
        Cli r = Cli.run("report", dir.toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(dir.resolve("report.html")));

        Path merged = tmp.resolve("merge");
        fixture(merged.resolve("shards").resolve("0-of-1"), null);
        Cli m = Cli.run("merge", merged.toString());
        assertEquals(ExitCodes.INCOMPLETE, m.code(), m.toString()); // the fixture holds 4 of the 6 cells
        assertEquals(Files.readString(FIXTURE.resolve("results.csv")), Files.readString(merged.resolve("results.csv")));
        assertEquals(Files.readString(FIXTURE.resolve("curves.csv")), Files.readString(merged.resolve("curves.csv")));
    }
}
