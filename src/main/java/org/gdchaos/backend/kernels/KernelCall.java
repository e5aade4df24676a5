package org.gdchaos.backend.kernels;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.DType;

/**
 * One checked launch of a {@link Kernel}, made by {@link Kernel#call}: the module's dtype, the
 * geometry and the kernel parameters in order (only {@link Arg.Int}, {@link Arg.Off},
 * {@link Arg.Real} and {@link Arg.Pointer}; operands are already expanded). The CUDA host turns
 * it into a {@code KernelLaunch} (grid = groups, block = local), the OpenCL host sets the
 * arguments and enqueues {@link #global()} × {@link #local()}.
 *
 * @param kernel table entry
 * @param dtype  REAL of the module the kernel comes from
 * @param local  work-items per group per dimension (CUDA: block), 2 or 3 dimensions
 * @param groups groups per dimension (CUDA: grid), as many dimensions as {@code local}
 * @param args   kernel parameters in order
 */
public record KernelCall(Kernel kernel, DType dtype, int[] local, long[] groups, List<Arg> args) {
    public KernelCall {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(dtype, "dtype");
        if (local.length != groups.length) {
            throw new IllegalArgumentException(kernel.kernelName() + ": local and groups differ in dimensions");
        }
        local = local.clone();
        groups = groups.clone();
        args = List.copyOf(args);
    }

    @Override
    public int[] local() {
        return local.clone();
    }

    @Override
    public long[] groups() {
        return groups.clone();
    }

    /** OpenCL global size: groups × local per dimension. */
    public long[] global() {
        long[] g = new long[groups.length];
        for (int i = 0; i < g.length; i++) g[i] = groups[i] * local[i];
        return g;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelCall c && kernel == c.kernel && dtype == c.dtype && Arrays.equals(local, c.local)
                && Arrays.equals(groups, c.groups) && args.equals(c.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kernel, dtype, Arrays.hashCode(local), Arrays.hashCode(groups), args);
    }

    @Override
    public String toString() {
        return kernel.kernelName() + " (" + dtype.label() + ", local " + Arrays.toString(local) + ", groups "
                + Arrays.toString(groups) + ")";
    }
}
