package org.gdchaos.backend;

import java.util.Objects;

/**
 * What every backend's {@link Buffer} shares: dtype, length, the owning backend, the closed state
 * and an idempotent {@link #close()}. A backend's buffer class adds only its storage (a Java array,
 * a device pointer, a {@code cl_mem}) and {@link #free()}; the backend checks an operand with
 * {@link Checks#live}, so every backend rejects a foreign or closed buffer with the same exception
 * and message (the rules are in {@link Backend}'s class comment).
 */
public abstract class AbstractBuffer implements Buffer {
    private final Backend owner;
    private final DType dtype;
    private final long length;
    private boolean closed;

    /**
     * @throws NullPointerException     when owner or dtype is null
     * @throws IllegalArgumentException when length is negative ({@link Checks#bufferLength})
     */
    protected AbstractBuffer(Backend owner, DType dtype, long length) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.length = Checks.bufferLength(length);
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final long length() {
        return length;
    }

    /** The backend that allocated this buffer. */
    protected final Backend owner() {
        return owner;
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Marks the buffer closed and frees its storage the first time; later calls do nothing. */
    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        free();
    }

    /** Releases the storage; called once, by the first {@link #close()}. */
    protected abstract void free();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + dtype.label() + " × " + length + (closed ? ", closed]" : "]");
    }
}
