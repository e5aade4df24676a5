package org.gdchaos.backend.java;

import java.util.Map;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendConformanceTest;
import org.gdchaos.backend.BackendOptions;

/** The conformance suite on the Java backend's scalar code path (vectorBits 0). */
class JavaScalarConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new JavaBackendProvider().create(new BackendOptions(Map.of("vectorBits", "0")));
    }

    @Override
    protected boolean requiredInCi() {
        return true;
    }
}
