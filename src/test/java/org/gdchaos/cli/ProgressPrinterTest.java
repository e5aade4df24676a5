package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress: one updating line on a terminal; one line per 10% (and per finished batch) when piped. */
class ProgressPrinterTest {
    static String drive(boolean terminal) {
        StringWriter w = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(w), terminal);
        for (long done = 0; done < 1000; done += 7) p.advanced(done, 1000);
        p.advanced(1000, 1000);
        p.batchDone(1, 1, 4);
        return w.toString();
    }

    @Test
    void pipedPrintsOneLinePerTenPercent() {
        String out = drive(false);
        assertFalse(out.contains("\r"), out);
        assertEquals(11, out.lines().filter(l -> l.startsWith("progress: ")).count(), out);
        // one line as each tenth is reached: 0-9%, 10-19%, ..., 100%
        assertEquals(java.util.List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), out.lines()
                .filter(l -> l.startsWith("progress: "))
                .map(l -> Integer.parseInt(l.substring(10, l.indexOf('%')).trim()) / 10).toList(), out);
        assertTrue(out.contains("batch 1/1 done (4 cells saved)"), out);
    }

    @Test
    void terminalRedrawsOneLine() {
        String out = drive(true);
        assertTrue(out.startsWith("\r["), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line, ended once at 100%: " + out);
        assertTrue(out.substring(out.lastIndexOf('\r')).contains("] 100.0%"), "the last redraw is 100%: " + out);
        assertFalse(out.contains("progress:"), out);
    }
}
