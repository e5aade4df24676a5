package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Terminal text under a charset that cannot show the symbols (US-ASCII, as under LC_ALL=C): ASCII
 * spellings instead of '?'; under UTF-8 the text is unchanged. The whole command line is run
 * against writers in a forced charset, as {@link Main#main} builds them from the locale.
 */
class TerminalTest {
    @Test
    void symbolsGetAsciiSpellingsWhereTheCharsetCannotEncodeThem() {
        String text = "3 × 4 — λ ≤ 1, η ≥ 0, ±2, ∞, … ‖W‖ ε é";
        assertEquals("3 x 4 - lambda <= 1, eta >= 0, +/-2, inf, ... ||W|| eps e",
                Terminal.encodable(text, StandardCharsets.US_ASCII));
        assertEquals(text, Terminal.encodable(text, StandardCharsets.UTF_8));
        assertEquals("3 × 4 - lambda <= 1, eta >= 0, ±2, inf, ... ||W|| eps é",
                Terminal.encodable(text, StandardCharsets.ISO_8859_1), "Latin-1 keeps × ± é");
        assertEquals("?", Terminal.ascii('\u4e2d'), "no spelling: a question mark, as the encoder would write");
    }

    @Test
    void thePrintStreamForSystemErrSpellsSymbolsToo() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        java.io.PrintStream p = Terminal.printStream(b, StandardCharsets.US_ASCII);
        p.println("λ ≤ 1");
        p.print("ε → 0");
        p.flush();
        assertEquals("lambda <= 1" + System.lineSeparator() + "eps -> 0", b.toString(StandardCharsets.US_ASCII));
    }

    /** Runs the command line with stdout and stderr in {@code cs}; returns {exit code, out, err}. */
    static Object[] run(Charset cs, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code;
        try (PrintWriter po = Terminal.writer(o, cs); PrintWriter pe = Terminal.writer(e, cs)) {
            code = Main.run(po, pe, args);
        }
        return new Object[] {code, o.toByteArray(), e.toByteArray()};
    }

    static void assertAscii(byte[] bytes) {
        for (byte b : bytes) assertTrue(b >= 0, () -> "non-ASCII byte in: " + new String(bytes, StandardCharsets.US_ASCII));
    }

    @Test
    void helpAndErrorsUnderUsAsciiAreReadable() {
        Object[] help = run(StandardCharsets.US_ASCII, "sweep", "--help");
        assertEquals(0, help[0]);
        assertAscii((byte[]) help[1]);
        String h = new String((byte[]) help[1], StandardCharsets.US_ASCII);
        assertTrue(h.contains("U(-eps,eps)"), h);
        assertTrue(h.contains("(1/2N)*sum||f(x)-y||^2"), h);
        assertTrue(h.contains("0 <= I < N"), h);

        Object[] bad = run(StandardCharsets.US_ASCII, "sweep", "--steps", "0");
        assertEquals(ExitCodes.BAD_INPUT, bad[0]);
        assertAscii((byte[]) bad[2]);
        assertTrue(new String((byte[]) bad[2], StandardCharsets.US_ASCII)
                .contains("--steps: the number of steps must be >= 1, got 0"), new String((byte[]) bad[2]));

        Object[] utf8 = run(StandardCharsets.UTF_8, "sweep", "--steps", "0");
        assertTrue(new String((byte[]) utf8[2], StandardCharsets.UTF_8).contains("must be ≥ 1, got 0"));
    }

    @Test
    void theStreamsCharsetComesFromTheJvmsProperties() {
        String key = "sun.stdout.encoding";
        String before = System.getProperty(key);
        String before19 = System.getProperty("stdout.encoding");
        try {
            System.clearProperty("stdout.encoding");
            System.setProperty(key, "US-ASCII");
            assertEquals(StandardCharsets.US_ASCII, Terminal.stdoutCharset());
            System.setProperty(key, "UTF-8");
            assertEquals(StandardCharsets.UTF_8, Terminal.stdoutCharset());
        } finally {
            if (before == null) System.clearProperty(key);
            else System.setProperty(key, before);
            if (before19 != null) System.setProperty("stdout.encoding", before19);
        }
    }
}
