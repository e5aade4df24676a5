package org.gdchaos.backend.kernels;

import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;

/**
 * Host side of the shared GEMM kernels ({@code kernels/ops.cl}): which kernel a {@link GemmShape}
 * runs on and with what launch geometry, for every dialect (OpenCL sizes are {@code global =
 * groups × local}; CUDA takes {@code grid = groups}, {@code block = local}).
 *
 * <p>Contract: the choice depends only on the dtype and the shape of one product (m, n, k,
 * transposes), never on the batch size, so a trajectory's result does not depend on how the
 * trajectories are batched; the batch only sets the third grid dimension, {@code min(batch,
 * 65535)}, over which every kernel loops with a grid stride. Each kernel sums every element of C
 * in one work-item in the order p = 0 … k−1, so results are bit-for-bit reproducible.
 *
 * <p>Today there is one kernel, {@code gemm_tiled}: local {@code (GEMM_WG_X, GEMM_WG_Y, 1)} =
 * (16, 16, 1), groups {@code (⌈n/GEMM_TN⌉, ⌈m/GEMM_TM⌉, min(batch, 65535))} with 64×64 tiles of C
 * (kernels/README.md explains the choice).
 */
public final class GemmKernels {
    /** Every GEMM entry point in {@code ops.cl}: the {@link Kernel} entries of geometry GEMM. */
    public static final List<String> KERNELS = java.util.Arrays.stream(Kernel.values())
            .filter(k -> k.geometry() == Kernel.Geometry.GEMM).map(Kernel::kernelName).toList();

    private GemmKernels() {
    }

    /**
     * One launch: kernel name, work-group size and group counts (x, y, z).
     *
     * @param kernel entry point in ops.cl
     * @param local  work-items per group in x, y, z (CUDA: block)
     * @param groups groups in x, y, z (CUDA: grid)
     */
    public record Launch(String kernel, int[] local, long[] groups) {
        /** OpenCL global size: groups × local per dimension. */
        public long[] global() {
            return new long[] {groups[0] * local[0], groups[1] * local[1], groups[2] * local[2]};
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Launch l && kernel.equals(l.kernel) && java.util.Arrays.equals(local, l.local)
                    && java.util.Arrays.equals(groups, l.groups);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kernel, java.util.Arrays.hashCode(local), java.util.Arrays.hashCode(groups));
        }

        @Override
        public String toString() {
            return kernel + " local " + java.util.Arrays.toString(local) + " groups " + java.util.Arrays.toString(groups);
        }
    }

    /**
     * The kernel and geometry for {@code s} in element type {@code dtype}.
     */
    public static Launch select(DType dtype, GemmShape s) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(s, "shape");
        return new Launch("gemm_tiled", new int[] {KernelSource.GEMM_WG_X, KernelSource.GEMM_WG_Y, 1},
                new long[] {ceilDiv(s.n(), KernelSource.GEMM_TN), ceilDiv(s.m(), KernelSource.GEMM_TM),
                        Math.min(s.batch(), KernelSource.MAX_GRID_YZ)});
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
