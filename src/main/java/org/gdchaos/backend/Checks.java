package org.gdchaos.backend;

import java.util.Objects;

/**
 * The operand checks every {@link Backend} runs before it touches memory, so that all backends
 * reject a bad call with the same exception type (the rules are in {@link Backend}'s class
 * comment and enforced by the conformance suite's {@code error/} cases). Buffer operands go
 * through {@link #live}, which runs the null, ownership and closed checks on the
 * {@link AbstractBuffer} every backend's buffer extends.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * The optimizer and step of a fused optimizer call: {@code op} = "optimizerUpdate" takes any
     * non-GD optimizer, "adamTangent" and "adamPrecondition" take Adam; the step t ≥ 1.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static void optimizerStep(String op, Optimizer opt, long t) {
        if (op.equals("optimizerUpdate")) {
            if (opt.isGd()) throw new IllegalArgumentException("optimizerUpdate needs a non-GD optimizer (GD is update)");
        } else if (opt.kind() != Optimizer.Kind.ADAM) {
            throw new IllegalArgumentException(op + " needs Adam, got " + opt);
        }
        if (t < 1) throw new IllegalArgumentException("step t must be ≥ 1, got " + t);
    }

    /**
     * An element range {@code [offset, offset + n)} of a buffer or host array of {@code length}
     * elements.
     *
     * @throws IllegalArgumentException when the range is negative or does not fit
     */
    public static void range(long offset, long n, long length, String name) {
        if (offset < 0 || n < 0 || offset + n > length) {
            throw new IllegalArgumentException(name + ": range [" + offset + ", " + (offset + n) + ") outside length "
                    + length);
        }
    }

    /** @throws IllegalArgumentException when a size is negative (zero is a call that does nothing) */
    public static void sizes(int batch, long rows, long cols) {
        if (batch < 0 || rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative size: batch=" + batch + " rows=" + rows + " cols=" + cols);
        }
    }

    /** @throws IllegalArgumentException when a size is negative (zero is a call that does nothing) */
    public static void sizes(int batch, long n) {
        if (batch < 0 || n < 0) throw new IllegalArgumentException("negative size: batch=" + batch + " n=" + n);
    }

    /**
     * A buffer operand: {@code buffer} allocated by {@code backend} (so of its buffer class
     * {@code type}) and not closed; returns it as {@code type}. The backend checks that it is open
     * itself, first.
     *
     * @throws NullPointerException     when buffer is null (naming {@code name})
     * @throws IllegalArgumentException when another backend allocated it
     * @throws IllegalStateException    when it was closed ({@link #closed(String, Buffer)})
     */
    public static <B extends AbstractBuffer> B live(Backend backend, Class<B> type, Buffer buffer, String name) {
        Objects.requireNonNull(buffer, name);
        if (!(buffer instanceof AbstractBuffer ab) || ab.owner() != backend || !type.isInstance(buffer)) {
            throw new IllegalArgumentException(name + ": " + buffer + " was not allocated by this " + backend.name()
                    + " backend");
        }
        if (ab.isClosed()) throw closed(name, buffer);
        return type.cast(buffer);
    }

    /**
     * A buffer length as {@link Backend#allocate} takes it; returns it.
     *
     * @throws IllegalArgumentException when it is negative (zero is a valid, empty buffer)
     */
    public static long bufferLength(long length) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        return length;
    }

    /** The error for a buffer used after {@link Buffer#close()}: an {@link IllegalStateException}. */
    public static IllegalStateException closed(String name, Buffer buffer) {
        return new IllegalStateException(name + ": buffer is closed (" + buffer + ")");
    }

    /** The error for a backend used after {@link Backend#close()}: an {@link IllegalStateException}. */
    public static IllegalStateException closed(Backend backend) {
        return new IllegalStateException(backend.name() + " backend is closed");
    }
}
