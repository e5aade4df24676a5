package org.gdchaos.cli;

import org.gdchaos.backend.BackendProvider;
import org.gdchaos.backend.opencl.OpenClBackendProvider;

/** {@link SweepBatchingTest} on OpenCL (PoCL in CI, where it must run: CI=true fails if unavailable). */
class OpenClSweepBatchingTest extends SweepBatchingTest {
    @Override
    protected String backend() {
        return "opencl";
    }

    @Override
    protected BackendProvider provider() {
        return new OpenClBackendProvider();
    }

    @Override
    protected boolean requiredInCi() {
        return true;
    }
}
