package org.gdchaos.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a constructor from leaking what it allocated when a later allocation fails (device out
 * of memory is the likely case: the largest buffer usually comes last). Use in
 * try-with-resources; everything passed to {@link #add} is closed, in reverse order, when the
 * block is left by an exception, and kept when {@link #keep} was called first:
 * <pre>
 *   try (Allocations a = new Allocations()) {
 *       x = a.add(backend.allocate(…));
 *       y = a.add(backend.allocate(…));
 *       a.keep();            // success: the object now owns x and y and closes them itself
 *   }
 * </pre>
 * A close that throws while unwinding is added to the first one as suppressed.
 */
public final class Allocations implements AutoCloseable {
    private final List<AutoCloseable> owned = new ArrayList<>();
    private boolean kept;

    /** Registers {@code resource} for closing on failure; returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        owned.add(resource);
        return resource;
    }

    /** Construction succeeded: nothing is closed. */
    public void keep() {
        kept = true;
    }

    @Override
    public void close() {
        if (kept) return;
        RuntimeException first = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
