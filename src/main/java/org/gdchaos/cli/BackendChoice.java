package org.gdchaos.cli;

import java.io.PrintWriter;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;

/**
 * Opens the backend for a command: an explicit name must be available and support the dtype;
 * {@code auto} takes the highest-ranked available backend that supports it.
 */
final class BackendChoice {
    private BackendChoice() {
    }

    static Backend open(String name, DType dtype, PrintWriter out, boolean quiet) {
        String want = Backends.requested(name);
        Backend chosen = null;
        try {
            if (!want.equalsIgnoreCase("auto")) {
                Backend b = Backends.select(want).provider().create(BackendOptions.defaults());
                if (!b.supports(dtype)) {
                    String dev = b.device();
                    b.close();
                    throw new BackendException("backend " + want + " (" + dev + ") does not support " + dtype.label()
                            + "; use --dtype f32 or another --backend", null);
                }
                chosen = b;
            } else {
                for (Backends.Entry e : Backends.list()) {
                    if (!e.availability().available()) continue;
                    Backend b = e.provider().create(BackendOptions.defaults());
                    if (b.supports(dtype)) {
                        chosen = b;
                        break;
                    }
                    b.close();
                }
                if (chosen == null) throw new BackendException("no available backend supports " + dtype.label(), null);
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new BackendException(e.getMessage(), e);
        }
        if (!quiet) out.println("backend: " + chosen.name() + " — " + chosen.device());
        return chosen;
    }
}
