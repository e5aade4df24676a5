package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gdchaos onset}: the answer on the terminal, bad input as one line and exit 3, resume checks (exit 4). */
class OnsetCommandTest {
    static Cli scalar(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("onset", "--model", "linear", "--width", "1", "--data",
                "scalar:x=1,y=1", "--init", "values:0.5,0.5", "--method", "benettin", "--steps", "800", "--transient",
                "200", "--inits", "2", "--backend", "java", "--quiet", "--out", out.toString()));
        a.addAll(List.of(extra));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void printsTheAnswerInTwoLinesAndWritesTheFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("o");
        Cli c = scalar(out, "--lr-range", "lin:1:2", "--points", "6");
        assertEquals(0, c.code(), c.toString());
        String[] lines = c.out().strip().split("\n");
        assertTrue(lines[lines.length - 2].startsWith("onset of chaos: η in ("), c.out());
        assertTrue(lines[lines.length - 1].startsWith("fastest training: not measured"), c.out());
        for (String f : List.of("onset.json", "results.csv", "curves.csv", "summary.csv", "run.json", "report.html",
                "onset_lambda.png", "onset_lambda.svg")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("onset_steps.png")), "no accuracy (regression): no steps panel");
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(page.contains("Onset search: onset of chaos"), "the answer leads the page");
        assertTrue(page.contains("learning rates visited (of a 51-point lattice)"), "the facts say what was visited");
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"onset\""));

        // gdchaos report rebuilds the search's own page and onset.json (same bytes), not a sweep's
        byte[] onset = Files.readAllBytes(out.resolve("onset.json"));
        Files.delete(out.resolve("onset.json"));
        Files.delete(out.resolve("report.html"));
        Cli rep = Cli.run("report", out.toString());
        assertEquals(0, rep.code(), rep.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(onset, Files.readAllBytes(out.resolve("onset.json")));
        String rebuilt = Files.readString(out.resolve("report.html"));
        assertTrue(rebuilt.contains("Onset search: onset of chaos") && !rebuilt.contains("Partial results"), rebuilt);

        // a search cut short: the page shows the finished rounds and says it is not finished
        List<String> rowsCsv = Files.readAllLines(out.resolve("results.csv"));
        Files.write(out.resolve("results.csv"), rowsCsv.subList(0, rowsCsv.size() - 2));
        Cli cut = Cli.run("report", out.toString());
        assertEquals(0, cut.code(), cut.toString());
        assertTrue(cut.err().contains("not finished") && cut.err().contains("--resume"), cut.err());
        assertTrue(Files.readString(out.resolve("report.html")).contains("not finished"));
    }

    @Test
    void badSettingsAreOneLineAndExit3(@TempDir Path dir) {
        String[][] bad = {
            {"--lr-range", "2:1"}, {"--lr-range", "1:1"}, {"--lr-range", "0:1"}, {"--lr-range", "-1:2"},
            {"--lr-range", "a:b"}, {"--lr-range", "lin:1:2", "--points", "1"},
            {"--lr-range", "lin:1:2", "--tolerance", "0"}, {"--lr-range", "lin:1:2", "--tolerance", "1"},
            {"--lr-range", "lin:1:2", "--max-inits", "1"}, {"--lr-range", "lin:1:2", "--max-rounds", "0"},
            {"--lr", "0.1,1"}, {"--lr-range", "lin:1:2", "--shard", "0/2"},
            {"--lr-range", "lin:1:2", "--weight-decay", "0,0.1"},
        };
        for (String[] b : bad) {
            Cli c = scalar(dir.resolve("never"), b);
            assertEquals(ExitCodes.BAD_INPUT, c.code(), String.join(" ", b) + "\n" + c);
            assertEquals(1, c.err().strip().lines().count(), "one line: " + c.err());
            assertFalse(c.err().contains("Exception"), c.err());
        }
        assertFalse(Files.exists(dir.resolve("never").resolve("results.csv")));
    }

    @Test
    void resumeWithOtherSettingsNamesEachOptionAndExits4(@TempDir Path dir) {
        Path out = dir.resolve("o");
        assertEquals(0, scalar(out, "--lr-range", "lin:1:2", "--points", "4", "--max-rounds", "1").code());
        Cli again = scalar(out, "--lr-range", "lin:1:2", "--points", "4");
        assertEquals(ExitCodes.OUTPUT, again.code(), again.toString());
        assertTrue(again.err().contains("resume"), again.err());
        Cli other = scalar(out, "--lr-range", "lin:1:1.8", "--points", "5", "--tolerance", "0.05", "--resume");
        assertEquals(ExitCodes.OUTPUT, other.code(), other.toString());
        for (String flag : List.of("--lr-range", "--points", "--tolerance")) {
            assertTrue(other.err().contains(flag), flag + " named: " + other.err());
        }
        Cli steps = scalar(out, "--lr-range", "lin:1:2", "--points", "4", "--seed", "2", "--resume");
        assertEquals(ExitCodes.OUTPUT, steps.code(), steps.toString());
        assertTrue(steps.err().contains("--seed"), steps.err());
        Cli fresh = scalar(out, "--lr-range", "lin:1:2", "--points", "4", "--max-rounds", "1", "--new");
        assertEquals(0, fresh.code(), fresh.toString());
        assertTrue(Files.exists(dir.resolve("o-2").resolve("onset.json")), "--new: a numbered folder beside it");
        Cli more = scalar(out, "--lr-range", "lin:1:2", "--points", "4", "--max-rounds", "3", "--resume");
        assertEquals(0, more.code(), "a larger round budget goes on with the search: " + more);
    }
}
