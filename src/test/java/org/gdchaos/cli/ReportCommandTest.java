package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gdchaos report DIR} and the figure flags on the command line. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void rebuildsAFinishedSweepsPageAndFiguresInTheAskedFormats() throws Exception {
        Path out = tmp.resolve("out");
        Cli s = Cli.tinySweep(out, Flags.PLOT_FORMAT, "png", Flags.PLOT_SIZE, "640x400");
        assertEquals(ExitCodes.OK, s.code(), s.err());
        assertTrue(Files.exists(out.resolve("curves.png")) && Files.exists(out.resolve("report.html")));
        assertFalse(Files.exists(out.resolve("curves.svg")), "only the asked formats");
        assertTrue(s.out().contains("report.html"), s.out());
        Files.delete(out.resolve("report.html"));
        Cli r = Cli.run("report", out.toString(), Flags.PLOT_FORMAT, "svg,pdf");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("report.html"), r.out());
        assertTrue(Files.exists(out.resolve("report.html")) && Files.exists(out.resolve("curves.pdf"))
                && Files.exists(out.resolve("curves.svg")));
    }

    @Test
    void aFolderThatIsNotAGdchaosOutputExitsWithBadInput() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli r = Cli.run("report", empty.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("gdchaos: error: ") && r.err().contains("no run.json"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("report", tmp.resolve("missing").toString()).code());
        assertEquals(ExitCodes.USAGE, Cli.run("report").code(), "DIR is required");
    }

    @Test
    void badFigureOptionsNameTheirFlag() {
        Cli size = Cli.run("report", tmp.toString(), Flags.PLOT_SIZE, "big");
        assertEquals(ExitCodes.BAD_INPUT, size.code(), size.err());
        assertTrue(size.err().contains(Flags.PLOT_SIZE + ": "), size.err());
        Cli fmt = Cli.tinySweep(tmp.resolve("x"), Flags.PLOT_FORMAT, "png,gif");
        assertEquals(ExitCodes.BAD_INPUT, fmt.code(), fmt.err());
        assertTrue(fmt.err().contains(Flags.PLOT_FORMAT + ": unknown figure format 'gif'"), fmt.err());
        assertFalse(Files.exists(tmp.resolve("x/results.csv")), "checked before the sweep runs");
    }
}
