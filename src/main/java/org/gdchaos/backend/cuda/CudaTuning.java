package org.gdchaos.backend.cuda;

import org.gdchaos.backend.kernels.KernelSource;

/** Tunables of the CUDA backend, in one place. */
final class CudaTuning {
    private CudaTuning() {
    }

    /** Threads per block of the 1-D kernels; must equal {@code GDC_WG} in kernels/prelude.h. */
    static final int BLOCK = KernelSource.WG;

    /**
     * Most blocks along x for an element-wise kernel; the kernels loop with a grid stride, so
     * this only bounds parallelism per entry (1024 blocks × 256 threads = 262144 threads).
     */
    static final int MAX_EW_BLOCKS = KernelSource.MAX_EW_GROUPS;

    /** Most blocks along grid y or z (CUDA's limit); kernels loop over further batch entries. */
    static final int MAX_GRID_YZ = KernelSource.MAX_GRID_YZ;

    /** Bytes of each of the two pinned staging buffers used for host↔device transfers. */
    static final int STAGING_BYTES = 4 << 20;

    /**
     * Fraction of the usable device memory (free memory plus what the backend's own buffers hold)
     * reported by {@code memoryBytes()}; the rest is headroom for the cuBLAS workspace and
     * fragmentation.
     */
    static final double MEMORY_FRACTION = 0.85;
}
