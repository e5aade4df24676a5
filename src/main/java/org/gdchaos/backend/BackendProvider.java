package org.gdchaos.backend;

/**
 * Service-provider entry for one backend, found with {@link java.util.ServiceLoader}
 * (see {@code META-INF/services/org.gdchaos.backend.BackendProvider}). Providers must be
 * cheap to construct: no native loading or device work before {@link #probe()}.
 */
public interface BackendProvider {

    /** Name used by {@code --backend} and {@code gdchaos.backend}: java, opencl, cuda. */
    String name();

    /** Higher rank wins in automatic selection (cuda 300, opencl 200, java 100). */
    int rank();

    /**
     * Checks whether the backend can run here. Must not throw: missing drivers, ICD loaders or
     * native libraries ({@link LinkageError}s included) become an unavailable result with a
     * one-line reason and fix. Implementations should cache the answer.
     */
    Availability probe();

    /** Creates a backend; only called when {@link #probe()} said available. */
    Backend create(BackendOptions options);
}
