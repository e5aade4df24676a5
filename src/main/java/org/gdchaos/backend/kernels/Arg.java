package org.gdchaos.backend.kernels;

import java.util.Objects;

/**
 * One host argument of a {@link Kernel} launch, in the kinds of {@link Kernel.Param}. The device
 * memory is opaque here: a {@code CudaDriver.Memory} on CUDA, a {@code cl_mem} on OpenCL.
 * {@link Kernel#call} checks a launch's arguments against the table and expands each
 * {@link Operand} into its three kernel parameters, so a {@link KernelCall} holds only
 * {@link Int}, {@link Off}, {@link Real} and {@link Pointer}.
 */
public sealed interface Arg {

    /** {@code int}. */
    record Int(int value) implements Arg {
    }

    /** {@code OFF_T}: a 64-bit integer ({@code long} in OpenCL, {@code long long} in CUDA). */
    record Off(long value) implements Arg {
    }

    /** {@code REAL}: float in f32 kernels, double in f64 kernels (the backend narrows). */
    record Real(double value) implements Arg {
    }

    /** {@code GLOBAL REAL*}: the start of a device allocation. */
    record Pointer(Object memory) implements Arg {
        public Pointer {
            Objects.requireNonNull(memory, "memory");
        }
    }

    /**
     * A batched operand, the three parameters {@code (GLOBAL REAL* X, OFF_T offX, OFF_T strideX)}:
     * entry b starts at element {@code offset + b·stride} of {@code memory}; stride 0 shares it.
     */
    record Operand(Object memory, long offset, long stride) implements Arg {
        public Operand {
            Objects.requireNonNull(memory, "memory");
        }
    }

    static Arg i(int v) {
        return new Int(v);
    }

    /** A flag as {@code int}: 1 or 0. */
    static Arg flag(boolean v) {
        return new Int(v ? 1 : 0);
    }

    static Arg off(long v) {
        return new Off(v);
    }

    static Arg real(double v) {
        return new Real(v);
    }

    static Arg pointer(Object memory) {
        return new Pointer(memory);
    }

    /** The table kind this argument fills. */
    default Kernel.Kind kind() {
        if (this instanceof Int) return Kernel.Kind.INT;
        if (this instanceof Off) return Kernel.Kind.OFF;
        if (this instanceof Real) return Kernel.Kind.REAL;
        if (this instanceof Pointer) return Kernel.Kind.POINTER;
        return Kernel.Kind.OPERAND;
    }
}
