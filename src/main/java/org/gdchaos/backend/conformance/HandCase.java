package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;

/**
 * A case with numbers worked out by hand (the reference can be wrong too): its body records
 * {@link Fixture#expect} checks, each compared normwise with the per-dtype tolerance.
 *
 * @param name case name, "hand/…"
 * @param body what to run; must record at least one expectation
 */
public record HandCase(String name, CaseBody body) implements ConformanceCase {

    public HandCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public CaseResult run(Backend candidate, Backend reference, DType dtype) {
        long start = System.nanoTime();
        List<Output> got;
        try (Fixture fx = new Fixture(candidate, dtype, DifferentialCase.seedOf(name), false)) {
            body.run(fx);
            got = fx.outputs();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            return CaseResult.threw(name, dtype, candidate.name(), e, (System.nanoTime() - start) / 1e6);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        List<ErrorStats> stats = new ArrayList<>();
        for (Output o : got) {
            if (o.expected() == null) throw new IllegalStateException(name + ": output without expectation");
            stats.add(ErrorStats.measure(o, o.values(), o.expected(), Conformance.tolerance(dtype)));
        }
        return DifferentialCase.summarize(name, dtype, stats, millis);
    }
}
