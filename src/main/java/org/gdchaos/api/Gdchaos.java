package org.gdchaos.api;

import java.util.List;
import java.util.function.Consumer;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;

/**
 * Entry points: open a compute backend by name, list the backends. A backend is one
 * {@link Backend}: allocate buffers, upload, run batched primitives over many trajectories,
 * download, close (see the package documentation for a batched GEMM).
 * <pre>{@code
 * try (Backend backend = Gdchaos.openBackend("auto", DType.F64)) {
 *     System.out.println(backend.name() + ": " + backend.device());
 * }
 * }</pre>
 */
public final class Gdchaos {
    private Gdchaos() {
    }

    /**
     * Opens a backend for {@code dtype}: {@code java}, {@code opencl}, {@code cuda}, or {@code auto}
     * (the highest-ranked available backend that supports the dtype, falling back to the next when one
     * fails to open). With {@code auto} (or null), the system property {@code gdchaos.backend} or the
     * environment variable {@code GDCHAOS_BACKEND} can force the choice. Fallback warnings are
     * dropped; use {@link #openBackend(String, DType, Consumer)} to see them.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException    when the named backend is unavailable, fails to open or lacks the
     *                                  dtype, or when no backend can be opened
     */
    public static Backend openBackend(String name, DType dtype) {
        return openBackend(name, dtype, w -> { });
    }

    /** As {@link #openBackend(String, DType)}, with one line to {@code warnings} per backend skipped. */
    public static Backend openBackend(String name, DType dtype, Consumer<String> warnings) {
        return Backends.registry().open(name, dtype, warnings);
    }

    /** The known backends, highest rank first, with whether each is available here and why not. */
    public static List<String> backends() {
        return Backends.list().stream().map(e -> e.name() + (e.availability().available() ? ": available"
                : ": unavailable (" + e.availability().detail() + ")")).toList();
    }
}
