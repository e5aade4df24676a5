package org.gdchaos.backend.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;

/**
 * A case run twice with the same seed — on the reference backend, then on the candidate — whose
 * outputs are compared element by element ({@link Output}, {@link ErrorStats}). The seed is a
 * fixed function of the case name, so a failure reproduces exactly.
 *
 * @param name case name
 * @param body what to run
 */
public record DifferentialCase(String name, CaseBody body) implements ConformanceCase {

    public DifferentialCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    /** The input seed of a case: FNV-1a of its name, mixed with a fixed constant. */
    public static long seedOf(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h ^ 0x9e3779b97f4a7c15L;
    }

    @Override
    public CaseResult run(Backend candidate, Backend reference, DType dtype) {
        List<Output> want;
        try (Fixture fx = new Fixture(reference, dtype, seedOf(name), true)) {
            body.run(fx);
            want = fx.outputs();
        } catch (RuntimeException e) {
            return CaseResult.threw(name, dtype, "reference", e, 0);
        }
        List<Output> got;
        long start = System.nanoTime();
        try (Fixture fx = new Fixture(candidate, dtype, seedOf(name), false)) {
            body.run(fx);
            got = fx.outputs();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            return CaseResult.threw(name, dtype, candidate.name(), e, (System.nanoTime() - start) / 1e6);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (got.size() != want.size()) {
            return new CaseResult(name, dtype, CaseResult.Status.FAIL, Double.NaN, Double.NaN, Double.NaN,
                    millis, "candidate produced " + got.size() + " outputs, reference " + want.size());
        }
        List<ErrorStats> stats = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
            Output ref = want.get(i);
            stats.add(ErrorStats.measure(ref, got.get(i).values(), ref.values(),
                    Conformance.tolerance(dtype)));
        }
        return summarize(name, dtype, stats, millis);
    }

    /** One result from the per-output errors: the worst ratio to tolerance decides. */
    static CaseResult summarize(String name, DType dtype, List<ErrorStats> stats, double millis) {
        if (stats.isEmpty()) {
            return new CaseResult(name, dtype, CaseResult.Status.FAIL, Double.NaN, Double.NaN, Double.NaN,
                    millis, "case produced no outputs");
        }
        ErrorStats worst = stats.get(0);
        double maxAbs = 0;
        boolean pass = true;
        for (ErrorStats s : stats) {
            maxAbs = Math.max(maxAbs, s.maxAbs());
            pass &= s.passed();
            if (s.ratio() > worst.ratio() || Double.isNaN(s.ratio())) worst = s;
        }
        String detail = worst.worst() < 0 ? "exact"
                : String.format(java.util.Locale.ROOT, "worst %s[%d]: got %.17g, want %.17g",
                        worst.output(), worst.worst(), worst.got(), worst.want());
        return new CaseResult(name, dtype, pass ? CaseResult.Status.PASS : CaseResult.Status.FAIL, maxAbs,
                worst.maxRel(), worst.tolerance(), millis, detail);
    }
}
