package org.gdchaos.backend.cuda;

/**
 * Runs every release step even when earlier ones fail, keeps the first failure and adds the
 * later ones to it as suppressed exceptions ({@link #finish()} rethrows it). Used by
 * {@code close()} after a device fault, when every CUDA call may report the same sticky error.
 */
final class Cleanup {
    private Throwable first;

    /** Runs {@code step}, remembering what it throws. */
    void run(Runnable step) {
        try {
            step.run();
        } catch (Throwable t) {
            if (first == null) first = t;
            else if (t != first) first.addSuppressed(t);
        }
    }

    /** Records a failure that happened elsewhere (first wins). */
    void add(Throwable t) {
        if (first == null) first = t;
        else if (t != first) first.addSuppressed(t);
    }

    /** The first failure, or null. */
    Throwable first() {
        return first;
    }

    /** Rethrows the first failure (with the others suppressed), if any. */
    void finish() {
        if (first == null) return;
        if (first instanceof RuntimeException r) throw r;
        if (first instanceof Error e) throw e;
        throw new IllegalStateException(first);
    }
}
