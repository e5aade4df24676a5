package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gdchaos.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Error kinds: a user mistake ({@link InputException}) is exit 3 and one line, prefixed with the
 * flag of the setting it names; any other {@link IllegalArgumentException} or
 * {@link IllegalStateException} is an internal error, exit 1 with one line naming a log file that
 * holds the stack trace.
 */
class ErrorKindsTest {
    @TempDir
    Path tmp;

    /** A command planted into the real command line, throwing what it is given, with a folder for the log. */
    @CommandLine.Command(name = "plant")
    static final class Plant implements Callable<Integer>, Main.HasOutputFolder {
        private final java.util.function.Supplier<RuntimeException> toThrow;
        private final Path folder;

        Plant(java.util.function.Supplier<RuntimeException> toThrow, Path folder) {
            this.toThrow = toThrow;
            this.folder = folder;
        }

        @Override
        public Integer call() {
            throw toThrow.get(); // created here, so its stack trace shows this frame
        }

        @Override
        public Path outputFolder() {
            return folder;
        }
    }

    private record Result(int code, String err) {
    }

    private Result plant(java.util.function.Supplier<RuntimeException> ex) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code;
        try (PrintWriter po = new PrintWriter(o); PrintWriter pe = new PrintWriter(e)) {
            CommandLine cl = Main.commandLine(po, pe);
            cl.addSubcommand("plant", new Plant(ex, tmp));
            cl.getSubcommands().get("plant").setOut(po).setErr(pe);
            code = cl.execute("plant");
        }
        return new Result(code, e.toString());
    }

    @Test
    void aUserMistakeIsExit3WithOneLineNamingTheFlagAndNoLog() {
        Result r = plant(() -> new InputException("training.steps", "the number of steps must be ≥ 1, got 0"));
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("gdchaos: error: --steps: the number of steps must be ≥ 1, got 0", r.err().strip());
        assertFalse(Files.exists(tmp.resolve(Main.ERROR_LOG)), "no log for a user mistake");
    }

    @Test
    void aUserMistakeThroughTheRealSweepCommandIsOneLine() {
        Cli c = Cli.tinySweep(tmp.resolve("out"), "--lr", "0.1", "--inits", "1", "--steps", "0", "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, c.code(), c.toString());
        assertEquals("gdchaos: error: --steps: the number of steps must be ≥ 1, got 0", c.err().strip());
    }

    @Test
    void aPlantedInvariantFailureIsExit1WithALogFile() throws IOException {
        for (RuntimeException ex : new RuntimeException[] {new IllegalArgumentException("layout/ensemble mismatch"),
            new IllegalStateException("tracker started twice")}) {
            Result r = plant(() -> ex.getClass() == IllegalStateException.class
                    ? new IllegalStateException(ex.getMessage()) : new IllegalArgumentException(ex.getMessage()));
            assertEquals(ExitCodes.FAILURE, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            Path log = tmp.resolve(Main.ERROR_LOG).toAbsolutePath();
            assertTrue(r.err().startsWith("gdchaos: error: internal error: " + ex.getClass().getName() + ": "
                    + ex.getMessage()), r.err());
            assertTrue(r.err().contains("(stack trace in " + log + ")"), r.err());
            String text = Files.readString(log);
            assertTrue(text.contains(ex.getClass().getName() + ": " + ex.getMessage()), text);
            assertTrue(text.contains("at org.gdchaos.cli.ErrorKindsTest$Plant.call"), text);
            Files.delete(log);
        }
    }

    @Test
    void everyLyapunovSettingHasAFlag() {
        for (org.gdchaos.lyapunov.LyapunovSetting s : org.gdchaos.lyapunov.LyapunovSetting.values()) {
            assertTrue(Flags.find(s.key()).isPresent(), s.key());
        }
    }

    /** Every kind of bad sweep option is a user mistake: exit 3 and one line, never an internal error. */
    @Test
    void everyBadSweepOptionIsExit3AndOneLine() {
        String[][] bad = {{"--method", "nosuch"}, {"--norm", "l3"}, {"--dtype", "f16"}, {"--activation", "foo"},
            {"--init", "foo:1"}, {"--lr", "0.1,,1"}, {"--fit", "nosuch"}, {"--shard", "5/2"}, {"--replicas", "0"},
            {"--renorm-every", "0"}, {"--transient", "-1"}, {"--epsilon", "0"}, {"--method", "spectrum", "--exponents",
                "0"}, {"--eval-every", "-1"}, {"--accuracy-threshold", "2"}, {"--batch", "0"}, {"--layers", "784,0,10"},
            {"--loss", "mse", "--data", "scalar:x=NaN,y=1", "--layers", "1,1"}, {"--preset", "nosuch"},
            {"--sharpness-every", "-1"}, {"--model", "linear", "--layers", "1,1"}};
        for (String[] opts : bad) {
            String[] all = Cli.with(new String[] {"--lr", "0.1", "--inits", "1", "--steps", "2", "--quiet"}, opts);
            Cli c = Cli.tinySweep(tmp.resolve("bad"), all);
            String what = String.join(" ", opts) + ": " + c;
            assertEquals(ExitCodes.BAD_INPUT, c.code(), what);
            assertEquals(1, c.err().strip().lines().count(), what);
            assertTrue(c.err().startsWith("gdchaos: error: "), what);
        }
        assertFalse(Files.exists(tmp.resolve("bad").resolve(Main.ERROR_LOG)));
    }

    @Test
    void anOutputFolderErrorThatSaysToResumeNamesTheFlag() {
        String m = Main.inputMessage(org.gdchaos.sweep.store.OutputFolderException.resumable(
                "cannot write d/curves.csv: No space left on device; free space, then resume the sweep"));
        assertTrue(m.endsWith("then resume the sweep (--resume)"), m);
        String named = "d holds a sweep; resume it with --resume";
        assertEquals(named, Main.inputMessage(new org.gdchaos.sweep.store.OutputFolderException(named)));
    }
}
