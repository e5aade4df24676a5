package org.gdchaos.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
 * unavailable) and marks the one a run without {@code --backend} would open, through the same
 * resolution runs use ({@link Backends#plan}: property / environment override, dtype);
 * {@code --verify} runs the conformance suite — every primitive against the reference
 * implementation, float32 and float64 — on each available backend.
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

    @Option(names = "--dtype", description = "f64 | f32: the element type the * marker is for (default f64)")
    String dtype;

    private final Supplier<Backends.Registry> registry;

    public BackendsCommand() {
        this(Backends::registry);
    }

    /** With other providers (tests). */
    BackendsCommand(Supplier<Backends.Registry> registry) {
        this.registry = registry;
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        DType dt = DType.parse(dtype == null ? "f64" : dtype);
        List<Backends.Entry> all = registry.get().list();
        Backends.Plan plan = Backends.plan(null, dt, all);
        o.println(String.format(Locale.ROOT, "%-8s %-5s %-12s %s", "backend", "rank", "status", "device / reason"));
        for (Backends.Entry e : all) {
            o.println(String.format(Locale.ROOT, "%-8s %-5d %-12s %s", e.name(), e.provider().rank(),
                    e.availability().available() ? (e.name().equals(plan.backend()) ? "available*" : "available")
                            : "unavailable", e.availability().detail()));
        }
        String override = Backends.override();
        String how = override != null ? "forced by " + override
                : "auto: the highest-ranked available backend that supports " + dt.label();
        if (plan.backend() != null) {
            o.println("* used by runs without --backend (" + dt.label() + "): " + plan.backend() + ", " + how);
        } else {
            o.println("! runs without --backend (" + dt.label() + ") fail (" + how + "): " + plan.problem());
        }
        o.println("  choose with --backend NAME, -Dgdchaos.backend=NAME or GDCHAOS_BACKEND=NAME (NAME: auto, "
                + String.join(", ", all.stream().map(Backends.Entry::name).toList()) + ")");
        if (!verify) {
            o.flush();
            return ExitCodes.OK;
        }
        boolean failed = false;
        o.println();
        o.println(String.format(Locale.ROOT, "%-8s %-4s %7s %7s %8s %9s %9s %10s  %s", "backend", "type", "passed",
                "failed", "skipped", "max abs", "max rel", "worst/tol", "worst case"));
        for (Backends.Entry e : all) {
            if (!e.availability().available()) continue;
            try (Backend b = e.provider().create(BackendOptions.defaults())) {
                for (DType t : DType.values()) {
                    List<CaseResult> rs = Conformance.run(b, t);
                    long pass = rs.stream().filter(CaseResult::passed).count();
                    long fail = rs.stream().filter(CaseResult::failed).count();
                    long skip = rs.size() - pass - fail;
                    CaseResult worst = null;
                    double ratio = 0, maxAbs = Double.NaN, maxRel = Double.NaN;
                    for (CaseResult r : rs) {
                        if (r.status() == CaseResult.Status.SKIPPED) continue;
                        if (!Double.isNaN(r.maxAbs())) maxAbs = Double.isNaN(maxAbs) ? r.maxAbs() : Math.max(maxAbs, r.maxAbs());
                        if (!Double.isNaN(r.maxRel())) maxRel = Double.isNaN(maxRel) ? r.maxRel() : Math.max(maxRel, r.maxRel());
                        double q = r.maxRel() / r.tolerance();
                        if (worst == null || r.failed() || q > ratio) {
                            if (worst != null && worst.failed() && !r.failed()) continue;
                            worst = r;
                            ratio = q;
                        }
                    }
                    failed |= fail > 0;
                    o.println(String.format(Locale.ROOT, "%-8s %-4s %7d %7d %8d %9s %9s %10s  %s", e.name(), t.label(),
                            pass, fail, skip, num(maxAbs), num(maxRel),
                            worst == null ? "-" : String.format(Locale.ROOT, "%.2g", ratio),
                            worst == null ? (skip > 0 ? "(" + t.label() + " unsupported)" : "-") : worst.name()));
                    if (verbose || fail > 0) o.println(Conformance.table(verbose ? rs
                            : rs.stream().filter(CaseResult::failed).toList()));
                }
            } catch (RuntimeException ex) {
                failed = true;
                o.println(e.name() + ": could not run: " + ex.getMessage());
            }
        }
        o.println("max abs / max rel: the largest absolute and scaled error over all cases (the scaled error is what"
                + " is compared with the tolerance); worst/tol: the case closest to failing");
        o.println(failed ? "VERIFY FAILED: a backend disagrees with the reference" : "all available backends agree with "
                + "the reference");
        o.flush();
        return failed ? ExitCodes.VERIFY_FAILED : ExitCodes.OK;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2e", v);
    }
}
