package org.gdchaos.backend.java;

import java.util.Map;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendConformanceTest;
import org.gdchaos.backend.BackendOptions;

/** The conformance suite on the Java backend with the platform's preferred vector width. */
class JavaVectorConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        String bits = Integer.toString(VectorWidth.preferredBits());
        return new JavaBackendProvider().create(new BackendOptions(Map.of("vectorBits", bits)));
    }

    @Override
    protected String unavailableReason() {
        return VectorWidth.preferredBits() > 0 ? null
                : "no vector species here (run java with --add-modules jdk.incubator.vector); the scalar suite still runs";
    }

    /** Surefire passes --add-modules jdk.incubator.vector, so CI must exercise the vector path. */
    @Override
    protected boolean requiredInCi() {
        return true;
    }
}
