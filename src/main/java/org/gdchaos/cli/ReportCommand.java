package org.gdchaos.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gdchaos.sweep.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gdchaos report DIR}: rebuilds the figures and report.html of an output folder, without training. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rebuild summary.csv, the figures and report.html of a gdchaos output folder (a finished, "
                + "partial — killed mid-way — or merged sweep) from its run.json, results.csv and curves.csv. "
                + "Trains nothing; results.csv and curves.csv are only read.",
            "Exit code " + ExitCodes.BAD_INPUT + " when DIR is not a gdchaos output folder, " + ExitCodes.OUTPUT
                + " when another gdchaos process is writing it, it is damaged (results or curves not UTF-8 or with "
                + "CRLF line endings, rows that are not distinct cells of the grid) or a file cannot be written."})
public final class ReportCommand implements Callable<Integer>, Main.HasOutputFolder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the --out folder of a sweep or merge")
    String dirText;
    Path dir;

    @Mixin
    PlotFlags plot = new PlotFlags();

    @Override
    public Path outputFolder() {
        return dir != null && java.nio.file.Files.isDirectory(dir) ? dir : null;
    }

    @Override
    public Integer call() {
        dir = PathArgs.folder("DIR", dirText);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (dir != null && org.gdchaos.onset.OnsetRunner.isOnsetFolder(dir)) { // the search's own page and figures
            java.util.List<String> warnings = new java.util.ArrayList<>();
            java.util.List<java.nio.file.Path> files;
            try (org.gdchaos.sweep.store.FolderLock lock = org.gdchaos.sweep.store.FolderLock.acquire(dir)) {
                files = org.gdchaos.onset.OnsetRunner.rebuildReport(dir, plot.options(), warnings);
            }
            for (String w : warnings) err.println("gdchaos: warning: " + w);
            o.println("wrote " + String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList())
                    + " in " + dir.toAbsolutePath().normalize());
            o.flush();
            err.flush();
            return ExitCodes.OK;
        }
        Report.Result r = Report.rebuild(dir, plot.options());
        for (String w : r.warnings()) err.println("gdchaos: warning: " + w);
        if (r.partial()) {
            err.println("gdchaos: note: partial results: " + r.cells() + " of " + r.expected() + " cells are in "
                    + dir.resolve("results.csv") + " (the page says so)");
        }
        o.println("wrote " + r.dir().toAbsolutePath().normalize().resolve(Report.FILE) + " and "
                + String.join(", ", r.files().stream().map(p -> p.getFileName().toString())
                .filter(n -> !n.equals(Report.FILE)).toList()) + " (" + r.cells() + " of " + r.expected() + " cells)");
        o.flush();
        err.flush();
        return ExitCodes.OK;
    }
}
