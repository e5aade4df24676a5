package org.gdchaos.backend.cuda;

import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.DType;

/**
 * One kernel launch: {@code kernel<<<grid, block, sharedBytes, stream>>>(args...)} from the
 * module compiled for {@code dtype}.
 *
 * @param dtype       REAL of the module the kernel comes from
 * @param kernel      kernel name (as in {@code kernels/ops.cl})
 * @param grid        blocks per dimension
 * @param block       threads per block per dimension
 * @param sharedBytes dynamic shared memory in bytes
 * @param args        arguments, in parameter order
 */
public record KernelLaunch(DType dtype, String kernel, Dim3 grid, Dim3 block, int sharedBytes,
                           List<KernelArg> args) {

    /** Hardware limit on threads per block (all CUDA devices since sm_20). */
    public static final int MAX_THREADS_PER_BLOCK = 1024;

    public KernelLaunch {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(block, "block");
        args = List.copyOf(args);
        if (block.count() > MAX_THREADS_PER_BLOCK || block.z() > 64) {
            throw new IllegalArgumentException(kernel + ": block " + block + " exceeds the CUDA limits");
        }
        if (sharedBytes < 0) throw new IllegalArgumentException("negative shared memory");
    }

    /**
     * Grid or block extents. CUDA limits grid x to 2³¹−1 and grid y, z to 65535.
     */
    public record Dim3(int x, int y, int z) {
        public Dim3 {
            if (x < 1 || y < 1 || z < 1 || y > 65535 || z > 65535) {
                throw new IllegalArgumentException("launch extents out of range: (" + x + ", " + y + ", " + z + ")");
            }
        }

        public static Dim3 of(int x) {
            return new Dim3(x, 1, 1);
        }

        public static Dim3 of(int x, int y) {
            return new Dim3(x, y, 1);
        }

        public long count() {
            return (long) x * y * z;
        }
    }
}
