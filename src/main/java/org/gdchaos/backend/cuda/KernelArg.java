package org.gdchaos.backend.cuda;

import java.util.Objects;
import org.gdchaos.backend.DType;

/**
 * One kernel argument, typed exactly as the kernel parameter: a device pointer, a 32-bit int,
 * a 64-bit offset ({@code OFF_T}, {@code long long} in CUDA), or a {@code REAL} scalar (float
 * for F32 kernels, double for F64). The driver packs each as a pointer to a value of that size.
 */
public sealed interface KernelArg {

    /** Device pointer to the start of an allocation. */
    record Ptr(CudaDriver.Memory memory) implements KernelArg {
        public Ptr {
            Objects.requireNonNull(memory, "memory");
        }
    }

    /** {@code int}. */
    record I32(int value) implements KernelArg {
    }

    /** {@code OFF_T} (64-bit). */
    record I64(long value) implements KernelArg {
    }

    /** {@code float} (REAL of an F32 kernel). */
    record F32(float value) implements KernelArg {
    }

    /** {@code double} (REAL of an F64 kernel). */
    record F64(double value) implements KernelArg {
    }

    static KernelArg ptr(CudaDriver.Memory m) {
        return new Ptr(m);
    }

    static KernelArg i32(int v) {
        return new I32(v);
    }

    static KernelArg i64(long v) {
        return new I64(v);
    }

    /** A REAL scalar: float for F32 kernels, double for F64. */
    static KernelArg real(DType dtype, double v) {
        return dtype == DType.F32 ? new F32((float) v) : new F64(v);
    }

    /** Size of the packed value in bytes. */
    default int bytes() {
        if (this instanceof I32 || this instanceof F32) return 4;
        return 8;
    }
}
