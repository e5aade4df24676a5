package org.gdchaos.cli;

import java.io.PrintWriter;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;

/**
 * Opens the backend for a command ({@link Backends.Registry#open}): an explicit name must be
 * available, open and support the dtype; {@code auto} takes the highest-ranked available backend
 * that supports it, and when opening one fails prints one warning line and tries the next.
 */
final class BackendChoice {
    private BackendChoice() {
    }

    static Backend open(String name, DType dtype, PrintWriter out, PrintWriter err, boolean quiet) {
        Backend chosen;
        try {
            chosen = Backends.registry().open(name, dtype, w -> {
                err.println("gdchaos: warning: " + w);
                err.flush();
            });
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new BackendException(e.getMessage(), e);
        }
        if (!quiet) out.println("backend: " + chosen.name() + " — " + chosen.device());
        return chosen;
    }
}
