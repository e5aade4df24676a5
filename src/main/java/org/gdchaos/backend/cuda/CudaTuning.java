package org.gdchaos.backend.cuda;

/** Tunables of the CUDA backend, in one place (launch geometry: {@link org.gdchaos.backend.kernels.Kernel.Geometry}). */
final class CudaTuning {
    private CudaTuning() {
    }

    /** Bytes of each of the two pinned staging buffers used for host↔device transfers. */
    static final int STAGING_BYTES = 4 << 20;

    /**
     * Fraction of the usable device memory (free memory plus what the backend's own buffers hold)
     * reported by {@code memoryBytes()}; the rest is headroom for the cuBLAS workspace and
     * fragmentation.
     */
    static final double MEMORY_FRACTION = 0.85;
}
