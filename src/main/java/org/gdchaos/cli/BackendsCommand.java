package org.gdchaos.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.conformance.CaseResult;
import org.gdchaos.backend.conformance.Conformance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gdchaos backends}: lists every backend with its availability (and the reason when
 * unavailable); {@code --verify} runs the conformance suite — every primitive against the
 * reference implementation, float32 and float64 — on each available backend.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"List compute backends, their devices, and why a backend is unavailable.",
            "--verify checks every available backend against the reference implementation."})
public final class BackendsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--verify", description = "run the conformance suite on each available backend")
    boolean verify;

    @Option(names = "--verbose", description = "with --verify: print every case, not just the summary")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        List<Backends.Entry> all = Backends.list();
        String auto = all.stream().filter(e -> e.availability().available()).map(Backends.Entry::name).findFirst()
                .orElse("none");
        o.println(String.format(Locale.ROOT, "%-8s %-5s %-12s %s", "backend", "rank", "status", "device / reason"));
        for (Backends.Entry e : all) {
            o.println(String.format(Locale.ROOT, "%-8s %-5d %-12s %s", e.name(), e.provider().rank(),
                    e.availability().available() ? (e.name().equals(auto) ? "available*" : "available")
                            : "unavailable", e.availability().detail()));
        }
        o.println("* chosen by --backend auto (override: --backend NAME, -Dgdchaos.backend=NAME or GDCHAOS_BACKEND)");
        if (!verify) return ExitCodes.OK;
        boolean failed = false;
        o.println();
        o.println(String.format(Locale.ROOT, "%-8s %-4s %7s %7s %8s %12s  %s", "backend", "type", "passed", "failed",
                "skipped", "worst/tol", "worst case"));
        for (Backends.Entry e : all) {
            if (!e.availability().available()) continue;
            try (Backend b = e.provider().create(BackendOptions.defaults())) {
                for (DType dt : DType.values()) {
                    List<CaseResult> rs = Conformance.run(b, dt);
                    long pass = rs.stream().filter(CaseResult::passed).count();
                    long fail = rs.stream().filter(CaseResult::failed).count();
                    long skip = rs.size() - pass - fail;
                    CaseResult worst = null;
                    double ratio = 0;
                    for (CaseResult r : rs) {
                        if (r.status() == CaseResult.Status.SKIPPED) continue;
                        double q = r.maxRel() / r.tolerance();
                        if (worst == null || r.failed() || q > ratio) {
                            if (worst != null && worst.failed() && !r.failed()) continue;
                            worst = r;
                            ratio = q;
                        }
                    }
                    failed |= fail > 0;
                    o.println(String.format(Locale.ROOT, "%-8s %-4s %7d %7d %8d %12s  %s", e.name(), dt.label(), pass,
                            fail, skip, worst == null ? "-" : String.format(Locale.ROOT, "%.2g", ratio),
                            worst == null ? (skip > 0 ? "(" + dt.label() + " unsupported)" : "-") : worst.name()));
                    if (verbose || fail > 0) o.println(Conformance.table(verbose ? rs
                            : rs.stream().filter(CaseResult::failed).toList()));
                }
            } catch (RuntimeException ex) {
                failed = true;
                o.println(e.name() + ": could not run: " + ex.getMessage());
            }
        }
        o.println(failed ? "VERIFY FAILED: a backend disagrees with the reference" : "all available backends agree with "
                + "the reference");
        o.flush();
        return failed ? ExitCodes.VERIFY_FAILED : ExitCodes.OK;
    }
}
