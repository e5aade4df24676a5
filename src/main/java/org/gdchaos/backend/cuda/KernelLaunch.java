package org.gdchaos.backend.cuda;

import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.kernels.Arg;
import org.gdchaos.backend.kernels.KernelCall;

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
     * The CUDA form of a checked launch from the kernel table: grid = groups, block = local
     * (missing dimensions are 1), each parameter packed as its C type ({@code REAL} as float in
     * an F32 module, double in F64), no dynamic shared memory.
     */
    public static KernelLaunch of(KernelCall c) {
        List<KernelArg> args = new java.util.ArrayList<>(c.args().size());
        for (Arg a : c.args()) {
            if (a instanceof Arg.Int v) args.add(KernelArg.i32(v.value()));
            else if (a instanceof Arg.Off v) args.add(KernelArg.i64(v.value()));
            else if (a instanceof Arg.Real v) args.add(KernelArg.real(c.dtype(), v.value()));
            else if (a instanceof Arg.Pointer p) args.add(KernelArg.ptr((CudaDriver.Memory) p.memory()));
            else throw new IllegalArgumentException("unexpanded operand in " + c);
        }
        long[] block = java.util.Arrays.stream(c.local()).asLongStream().toArray();
        return new KernelLaunch(c.dtype(), c.kernel().kernelName(), Dim3.of(c.groups()), Dim3.of(block), 0, args);
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

        /** From 1 to 3 extents, missing ones 1. */
        public static Dim3 of(long[] e) {
            if (e.length < 1 || e.length > 3) throw new IllegalArgumentException("1 to 3 extents, got " + e.length);
            return new Dim3(Math.toIntExact(e[0]), e.length > 1 ? Math.toIntExact(e[1]) : 1,
                    e.length > 2 ? Math.toIntExact(e[2]) : 1);
        }

        public long count() {
            return (long) x * y * z;
        }
    }
}
