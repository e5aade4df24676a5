package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Lyapunov option given explicitly that the chosen method does not use is reported with one
 * warning line on stderr and the sweep runs; values a preset supplies never warn.
 */
class IgnoredOptionsTest {
    @TempDir
    Path tmp;

    static List<String> warnings(Cli c) {
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        return c.err().lines().filter(l -> l.startsWith("gdchaos: warning: ")).toList();
    }

    @Test
    void explicitOptionsTheMethodIgnoresAreWarnedAboutOnce() {
        Cli spectrum = Cli.tinySweep(tmp.resolve("a"), "--lr", "0.1", "--inits", "1", "--steps", "2", "--quiet",
                "--method", "spectrum", "--exponents", "2", "--norm", "l1", "--replicas", "3", "--fit", "max-r2");
        assertEquals(List.of(
                "gdchaos: warning: --replicas has no effect with --method spectrum (used by paper, benettin); ignored",
                "gdchaos: warning: --norm has no effect with --method spectrum (used by paper, benettin); ignored",
                "gdchaos: warning: --fit has no effect with --method spectrum (used by paper); ignored"),
                warnings(spectrum));

        Cli paper = Cli.tinySweep(tmp.resolve("b"), "--lr", "0.1", "--inits", "1", "--steps", "2", "--quiet",
                "--method", "paper", "--replicas", "2", "--exponents", "3", "--norm", "l2");
        assertEquals(List.of("gdchaos: warning: --exponents has no effect with --method paper (used by spectrum, "
                + "tangent); ignored"), warnings(paper));

        Cli benettin = Cli.tinySweep(tmp.resolve("c"), "--lr", "0.1", "--inits", "1", "--steps", "2", "--quiet",
                "--method", "benettin", "--replicas", "1", "--norm", "l1", "--transient", "1");
        assertEquals(List.of(), warnings(benettin), "every option used");
    }

    /** The quick preset sets --replicas; switching its method to spectrum must not blame the user. */
    @Test
    void presetValuesDoNotWarn() {
        Cli c = Cli.tinySweep(tmp.resolve("p"), "--preset", "quick", "--train-size", "100", "--test-size", "50",
                "--lr", "0.1", "--inits", "1", "--steps", "2", "--quiet", "--method", "tangent", "--exponents", "2");
        List<String> w = warnings(c);
        assertTrue(w.isEmpty(), w.toString());
        assertFalse(c.err().contains("--replicas"), c.err());
    }
}
