package org.gdchaos.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gdchaos.sweep.merge.Merger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gdchaos merge DIR}: combines the shards in DIR/shards/ into DIR's results, summary, curves and plots. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combine the shards of a sweep (DIR/shards/I-of-N/, written by 'gdchaos sweep --shard I/N "
                + "--out DIR') into DIR/results.csv, summary.csv, curves.csv, run.json, the figures and report.html, exactly as "
                + "a single-process sweep writes them.",
            "Reports missing cells (exit code " + MergeCommand.INCOMPLETE + ", the found cells are still written) "
                + "and duplicated cells (identical duplicates are kept once; different numbers for the same cell "
                + "are an error). Idempotent: parts are only read."})
public final class MergeCommand implements Callable<Integer>, Main.HasOutputFolder {
    /** Exit code when cells are missing (the merge wrote what it found). */
    public static final int INCOMPLETE = ExitCodes.INCOMPLETE;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the sweep's --out folder")
    String dirText;
    Path dir;

    @Option(names = "--allow-missing", description = "exit 0 even when cells are missing")
    boolean allowMissing;

    @picocli.CommandLine.Mixin
    PlotFlags plot = new PlotFlags();

    /** An internal error's log goes into the merged folder. */
    @Override
    public Path outputFolder() {
        return dir;
    }

    @Override
    public Integer call() {
        dir = PathArgs.folder("DIR", dirText);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Merger.Outcome r = Merger.merge(dir,
                org.gdchaos.sweep.store.Invocation.commandLine(Main.originalArgs(spec.commandLine())), plot.options());
        for (String w : r.warnings()) err.println("gdchaos: warning: " + w);
        o.println("merged " + r.merged() + "/" + r.expected() + " cells from " + r.parts() + " shard folder"
                + (r.parts() == 1 ? "" : "s") + " into " + r.dir().toAbsolutePath());
        if (r.duplicates() > 0) {
            o.println(r.duplicates() + " cell(s) found in more than one shard with identical rows (kept once)");
        }
        if (!r.complete()) {
            List<String> m = r.missing();
            err.println("gdchaos: " + m.size() + " cell(s) missing (" + org.gdchaos.sweep.Cell.keyLegend(m) + "): "
                    + String.join(" ", m.subList(0, Math.min(20, m.size()))) + (m.size() > 20 ? " …" : ""));
            err.println("gdchaos: run the missing shards again ('gdchaos slurm resubmit " + dir + "' or "
                    + "'gdchaos sweep ... --shard I/N --resume --out " + dir + "'), then merge again");
        }
        o.println("wrote " + String.join(", ", r.files().stream().map(p -> p.getFileName().toString()).toList()));
        o.flush();
        err.flush();
        return r.complete() || allowMissing ? ExitCodes.OK : INCOMPLETE;
    }
}
