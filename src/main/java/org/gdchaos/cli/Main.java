package org.gdchaos.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.gdchaos.InputException;
import org.gdchaos.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gdchaos} command: subcommands for sweeps, backends, merging and Slurm. */
@Command(name = "gdchaos", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Chaos in gradient-descent training: batched Lyapunov sweeps on CPU, OpenCL and CUDA.",
        subcommands = {SweepCommand.class, OnsetCommand.class, BackendsCommand.class, MergeCommand.class, ReportCommand.class, SlurmCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command that knows its output folder, where an internal error's log goes. */
    interface HasOutputFolder {
        /** The folder, or null when not known yet. */
        Path outputFolder();
    }

    /** The log file an internal error's stack trace is written to, inside the output folder. */
    public static final String ERROR_LOG = "gdchaos-error.log";

    /**
     * Builds the command line with its error handling; {@code out}/{@code err} receive all output.
     *
     * <p>Errors: bad input ({@link DataException}, {@link InputException}) exits 3 (the message of an
     * InputException is prefixed with the flag of its setting, {@link #inputMessage}), an unusable output folder (also a
     * full disk) 4, an unavailable backend 5, each with one line. Anything else is an internal error:
     * exit 1 with one line naming a log file that holds the stack trace ({@value #ERROR_LOG} in the
     * output folder, else a temporary file). {@code -Dgdchaos.debug=true} also prints every stack trace.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            int code = exitCodeOf(ex);
            PrintWriter e = cmd.getErr();
            if (code == ExitCodes.FAILURE) {
                Path folder = cmd.getCommand() instanceof HasOutputFolder h ? h.outputFolder() : null;
                Path log = writeLog(folder, ex, parseResult == null ? List.of() : parseResult.originalArgs());
                reportFailure(e, ex, log);
            } else {
                e.println("gdchaos: error: " + inputMessage(ex));
            }
            if (Boolean.getBoolean("gdchaos.debug")) ex.printStackTrace(e);
            e.flush();
            return code;
        });
        return cl;
    }

    /** Writes the stack trace to {@code folder/gdchaos-error.log}, else a temporary file; null if neither works. */
    static Path writeLog(Path folder, Throwable ex, List<String> args) {
        StringWriter sw = new StringWriter();
        try (PrintWriter pw = new PrintWriter(sw)) {
            pw.println("gdchaos " + org.gdchaos.sweep.store.RunInfo.version() + ", Java " + System.getProperty("java.version")
                    + ", " + Instant.now());
            pw.println("arguments: " + String.join(" ", args));
            ex.printStackTrace(pw);
        }
        String text = sw.toString();
        if (folder != null && Files.isDirectory(folder)) {
            Path log = folder.resolve(ERROR_LOG);
            try {
                org.gdchaos.io.AtomicFiles.writeString(log, text);
                return log.toAbsolutePath();
            } catch (IOException | RuntimeException ignored) {
                // a full or read-only folder: fall back to a temporary file
            }
        }
        Path log = null;
        try {
            log = Files.createTempFile("gdchaos-error-", ".log");
            Files.writeString(log, text, StandardCharsets.UTF_8);
            return log;
        } catch (IOException | RuntimeException e) { // a full or read-only temporary folder: no empty log left behind
            try {
                if (log != null) Files.deleteIfExists(log);
            } catch (IOException | RuntimeException ignored) {
                // nothing more to do
            }
            return null;
        }
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof org.gdchaos.sweep.store.OutputFolderException) return ExitCodes.OUTPUT;
        if (ex instanceof BackendException) return ExitCodes.BACKEND;
        if (ex instanceof DataException || ex instanceof InputException) return ExitCodes.BAD_INPUT;
        return ExitCodes.FAILURE;
    }

    /**
     * The one line of a user-input error: an {@link InputException} about a setting that a flag
     * sets is prefixed with that flag ("--steps: the number of steps must be ≥ 1, got 0"), unless
     * the message already names it; a message about several settings (two sweeps that differ) names
     * each by its flag. An output-folder error whose fix is resuming the sweep names the flag that
     * does it ({@code --resume}).
     */
    static String inputMessage(Throwable ex) {
        String m = ex instanceof InputException ie ? ie.message(Flags::of)
                : ex instanceof org.gdchaos.sweep.store.OutputFolderException ofe ? ofe.message(Flags::of) : message(ex);
        if (m == null) m = ex.toString();
        if (ex instanceof org.gdchaos.sweep.store.OutputFolderException ofe && ofe.resumeFixes()
                && !m.contains(Flags.RESUME)) {
            return m + " (" + Flags.RESUME + ")";
        }
        if (ex instanceof InputException ie && ie.setting().isPresent()) {
            String flag = Flags.find(ie.setting().get()).orElse(null);
            if (flag != null && !m.startsWith(flag)) return flag + ": " + m;
        }
        return m;
    }

    /** The arguments the command line was started with (after {@code gdchaos}), for run.json's provenance. */
    static List<String> originalArgs(CommandLine cl) {
        CommandLine root = cl;
        while (root.getParent() != null) root = root.getParent();
        CommandLine.ParseResult parsed = root.getParseResult();
        return parsed == null ? List.of() : parsed.originalArgs();
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null ? ex.toString() : m;
    }

    /** The one line of an internal error (exit 1), naming the log that holds its stack trace. */
    static void reportFailure(PrintWriter e, Throwable ex, Path log) {
        if (ex instanceof Fatal && ex.getCause() != null) ex = ex.getCause();
        Throwable oom = ex;
        while (oom != null && !(oom instanceof OutOfMemoryError)) oom = oom.getCause();
        String m = message(ex).lines().findFirst().orElse("");
        String what = oom != null ? "out of memory (" + message(oom) + "): this run needs more than the Java heap; use "
                + "a larger heap (JAVA_OPTS=-Xmx…) or a smaller sweep"
                : "internal error: " + ex.getClass().getName() + ": " + m;
        e.println("gdchaos: error: " + what + (log == null ? " (no log file could be written, the disk may be full; "
                + "rerun with -Dgdchaos.debug=true for the stack trace)" : " (stack trace in " + log + ")"));
    }

    /** An {@link Error} (out of memory, …) escaping a command: carried to the handler as an internal error. */
    static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fatal(Error cause) {
            super(message(cause), cause);
        }
    }

    /** Runs the command line and returns the exit code (no System.exit). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            return commandLine(out, err).execute(args);
        } catch (Error fatal) { // escaped a command without a folder to log to: still one line and a log
            reportFailure(err, fatal, writeLog(null, fatal, List.of(args)));
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    public static void main(String[] args) {
        // in the terminal's charset, with ASCII spellings where it cannot show a symbol (LC_ALL=C)
        PrintWriter out = Terminal.writer(System.out, Terminal.stdoutCharset());
        PrintWriter err = Terminal.writer(Terminal.stderrStream(), Terminal.stderrCharset());
        System.exit(run(out, err, args));
    }

    /** Version from the jar manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gdchaos " + org.gdchaos.sweep.store.RunInfo.version(),
                "Java " + System.getProperty("java.version")};
        }
    }
}
