package org.gdchaos.backend.opencl;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendConformanceTest;
import org.gdchaos.backend.BackendOptions;

/** The conformance suite on the OpenCL backend (PoCL in CI, where it must run: CI=true fails if unavailable). */
class OpenClConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new OpenClBackendProvider().create(BackendOptions.defaults());
    }

    @Override
    protected String unavailableReason() {
        return reasonIfUnavailable(new OpenClBackendProvider());
    }

    @Override
    protected boolean requiredInCi() {
        return true;
    }
}
