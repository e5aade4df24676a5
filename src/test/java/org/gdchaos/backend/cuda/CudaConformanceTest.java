package org.gdchaos.backend.cuda;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendConformanceTest;
import org.gdchaos.backend.BackendOptions;

/**
 * The conformance suite on the CUDA backend (float64 and float32 against the reference). Runs
 * where a CUDA device, driver and CUDA 12 libraries are present; skips with the probe's reason
 * elsewhere (no machine of this project has a GPU, so it is not required in CI).
 */
class CudaConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CudaBackendProvider().create(BackendOptions.defaults());
    }

    @Override
    protected String unavailableReason() {
        return reasonIfUnavailable(new CudaBackendProvider());
    }

    @Override
    protected boolean requiredInCi() {
        return false;
    }
}
