package org.gdchaos.cli;

import java.io.PrintWriter;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;

/**
 * Opens the backend for a command ({@link Backends.Registry#open}): an explicit name must be
 * available, open and support the dtype; {@code auto} takes the highest-ranked available backend
 * that supports it, and when opening one fails prints one warning line and tries the next. The
 * library names settings; the errors shown here name the flags that set them.
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
            throw new BackendException(message(e), e);
        }
        if (!quiet) out.println("backend: " + chosen.name() + " — " + chosen.device());
        return chosen;
    }

    /** The error's message, a missing dtype's fix worded with flags ("use --dtype f32 or another --backend"). */
    static String message(RuntimeException e) {
        return e instanceof Backends.DTypeUnsupportedException d
                ? d.message(k -> k.equals(Backends.DTypeUnsupportedException.BACKEND_SETTING) ? Flags.BACKEND : Flags.of(k))
                : e.getMessage();
    }
}
