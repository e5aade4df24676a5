package org.gdchaos.backend;

/**
 * The operand checks every {@link Backend} runs before it touches memory, so that all backends
 * reject a bad call with the same exception type (the rules are in {@link Backend}'s class
 * comment and enforced by the conformance suite's {@code error/} cases). A backend keeps its own
 * ownership test (a buffer of another backend is an {@link IllegalArgumentException}) and calls
 * these for the rest.
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

    /** The error for a buffer used after {@link Buffer#close()}: an {@link IllegalStateException}. */
    public static IllegalStateException closed(String name, Buffer buffer) {
        return new IllegalStateException(name + ": buffer is closed (" + buffer + ")");
    }

    /** The error for a backend used after {@link Backend#close()}: an {@link IllegalStateException}. */
    public static IllegalStateException closed(Backend backend) {
        return new IllegalStateException(backend.name() + " backend is closed");
    }
}
