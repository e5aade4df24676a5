package org.gdchaos.backend.cuda;

import org.gdchaos.backend.Availability;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.BackendProvider;

/**
 * Service provider of the CUDA backend: name {@code cuda}, rank 300 (preferred when
 * available). Construction is free; {@link #probe()} loads the native libraries once per
 * process ({@link CudaProbe}).
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int rank() {
        return 300;
    }

    @Override
    public Availability probe() {
        return CudaProbe.result();
    }

    /** Opens the device of option {@code device} (property {@code gdchaos.cuda.device}, default 0). */
    @Override
    public Backend create(BackendOptions options) {
        Availability a = probe();
        if (!a.available()) throw new IllegalStateException("CUDA backend is unavailable: " + a.detail());
        return CudaBackend.open(options);
    }
}
