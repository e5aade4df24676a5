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

    /**
     * Whether the backend {@link #create} would make supports {@code dtype}, as far as the probe
     * can tell (only meaningful when available; the created {@link Backend#supports} has the last
     * word). Automatic selection skips providers that answer false. Default: true.
     */
    default boolean supports(DType dtype) {
        return true;
    }

    /** Creates a backend; only called when {@link #probe()} said available. */
    Backend create(BackendOptions options);
}
