package org.gdchaos.cli;

import org.gdchaos.backend.BackendProvider;
import org.gdchaos.backend.cuda.CudaBackendProvider;

/** The sweep equivalence on CUDA, where an NVIDIA GPU and driver are present (skipped elsewhere, also in CI). */
class CudaEquivalenceTest extends SweepEquivalenceTest {
    @Override
    protected String backend() {
        return "cuda";
    }

    @Override
    protected BackendProvider provider() {
        return new CudaBackendProvider();
    }

    @Override
    protected boolean requiredInCi() {
        return false;
    }
}
