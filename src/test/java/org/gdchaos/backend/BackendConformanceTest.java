package org.gdchaos.backend;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.gdchaos.backend.conformance.CaseResult;
import org.gdchaos.backend.conformance.Conformance;
import org.gdchaos.backend.conformance.ConformanceCase;
import org.gdchaos.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite ({@link Conformance}) as JUnit tests: one dynamic test per case and dtype,
 * named after the case, each comparing the backend under test with {@link ReferenceBackend} (or
 * with hand-computed numbers).
 *
 * <p>A backend's test is a three-line subclass:
 * <pre>{@code
 * class OpenClConformanceTest extends BackendConformanceTest {
 *     protected Backend createBackend() { return new OpenClBackendProvider().create(BackendOptions.defaults()); }
 *     protected String unavailableReason() { return reasonIfUnavailable(new OpenClBackendProvider()); }
 * }
 * }</pre>
 * When {@link #unavailableReason()} is not null the suite is skipped (a JUnit assumption), and a
 * dtype the backend does not support skips its cases — unless the environment variable {@code CI}
 * is {@code true} and {@link #requiredInCi()} says the backend must run there, in which case both
 * fail with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {
    /**
     * System property: when set, only cases whose name contains a match of this regular expression
     * run, e.g. {@code mvn test -Dtest=JavaVectorConformanceTest -Dgdchaos.conformance.filter='^(conv|pool)/'}.
     */
    public static final String FILTER_PROPERTY = "gdchaos.conformance.filter";

    private Backend candidate;
    private ReferenceBackend reference;

    /** Creates the backend under test; called once per test class, closed after all cases. */
    protected abstract Backend createBackend();

    /** Null when the backend can run here, else why not (and how to fix it). Default: available. */
    protected String unavailableReason() {
        return null;
    }

    /** Whether an unavailable backend fails instead of skipping when {@code CI=true}. */
    protected boolean requiredInCi() {
        return false;
    }

    /** Helper for {@link #unavailableReason()}: the provider's probe detail when unavailable. */
    protected static String reasonIfUnavailable(BackendProvider provider) {
        Availability a = provider.probe();
        return a.available() ? null : provider.name() + " unavailable: " + a.detail();
    }

    /** Dtypes to run, F64 then F32; a dtype the backend does not support is reported skipped. */
    protected List<DType> dtypes() {
        return List.of(DType.F64, DType.F32);
    }

    @TestFactory
    List<DynamicNode> conformance() {
        String reason = unavailableReason();
        if (reason != null) {
            if (ciRequires()) {
                fail("backend required in CI (CI=true) but unavailable: " + reason);
            }
            // a dynamic test rather than an aborted factory, so reports count it as skipped with the reason
            return List.of(DynamicTest.dynamicTest("backend unavailable", () -> Assumptions.abort(reason)));
        }
        String only = System.getProperty(FILTER_PROPERTY);
        Pattern filter = only == null || only.isBlank() ? null : Pattern.compile(only);
        candidate = createBackend();
        reference = new ReferenceBackend();
        List<DynamicNode> containers = new ArrayList<>();
        for (DType dtype : dtypes()) {
            List<DynamicTest> tests = new ArrayList<>();
            for (ConformanceCase c : Conformance.cases()) {
                if (filter != null && !filter.matcher(c.name()).find()) continue;
                tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c, dtype)));
            }
            containers.add(DynamicContainer.dynamicContainer(candidate.name() + " " + dtype.label(), tests));
        }
        return containers;
    }

    private void check(ConformanceCase c, DType dtype) {
        CaseResult r = Conformance.run(c, candidate, reference, dtype);
        if (r.status() == CaseResult.Status.SKIPPED) {
            if (ciRequires()) {
                fail("backend required in CI (CI=true) must run every case, but " + c.name() + " [" + dtype.label()
                        + "] was " + r.detail() + " on " + candidate.device());
            }
            Assumptions.abort(r.detail());
        }
        if (!r.passed()) fail(r.toString());
    }

    /** CI=true and this backend must run there: nothing may be skipped. */
    private boolean ciRequires() {
        return "true".equalsIgnoreCase(System.getenv("CI")) && requiredInCi();
    }

    @AfterAll
    void closeBackends() {
        if (candidate != null) candidate.close();
        if (reference != null) reference.close();
    }
}
