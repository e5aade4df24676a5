package org.gdchaos.cli;

import java.io.PrintWriter;
import org.gdchaos.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gdchaos} command: subcommands for sweeps, backends, merging and Slurm. */
@Command(name = "gdchaos", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Chaos in gradient-descent training: batched Lyapunov sweeps on CPU, OpenCL and CUDA.",
        subcommands = {SweepCommand.class, BackendsCommand.class, MergeCommand.class, SlurmCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with its error handling; {@code out}/{@code err} receive all output. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            int code = exitCodeOf(ex);
            cmd.getErr().println("gdchaos: error: " + message(ex));
            if (Boolean.getBoolean("gdchaos.debug") || code == ExitCodes.FAILURE) ex.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
            return code;
        });
        return cl;
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof org.gdchaos.sweep.OutputFolderException) return ExitCodes.OUTPUT;
        if (ex instanceof BackendException) return ExitCodes.BACKEND;
        if (ex instanceof DataException || ex instanceof IllegalArgumentException) return ExitCodes.BAD_INPUT;
        return ExitCodes.FAILURE;
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null ? ex.toString() : m;
    }

    /** Runs the command line and returns the exit code (no System.exit). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Version from the jar manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gdchaos " + org.gdchaos.sweep.RunInfo.version(),
                "Java " + System.getProperty("java.version")};
        }
    }
}
