package org.gdchaos.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.junit.jupiter.api.Assumptions;

/**
 * Opening a backend in a test: an unavailable one skips the test (a JUnit assumption) — unless
 * the environment variable {@code CI} is {@code true} and the backend is one CI must run
 * (Java, and OpenCL on PoCL), in which case the test fails with the probe's reason.
 */
public final class TestBackends {
    private TestBackends() {
    }

    /** Whether CI must run this backend: java and opencl (PoCL is installed there), not cuda. */
    public static boolean requiredInCi(String name) {
        return "java".equals(name) || "opencl".equals(name);
    }

    /** Opens backend {@code name}, or skips (fails under CI=true for a required backend) with the reason. */
    public static Backend openOrSkip(String name) {
        try {
            return Backends.create(name);
        } catch (RuntimeException e) {
            String reason = name + " unavailable: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI")) && requiredInCi(name)) {
                fail("backend required in CI (CI=true) but unavailable: " + reason);
            }
            Assumptions.abort(reason);
            throw e; // not reached
        }
    }
}
