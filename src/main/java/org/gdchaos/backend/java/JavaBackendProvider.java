package org.gdchaos.backend.java;

import org.gdchaos.backend.Availability;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.BackendProvider;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * Provider of the pure-Java backend: name {@code java}, rank 100, always available. The probe
 * reports the JVM, the vector width the default options would use and the thread count.
 */
public final class JavaBackendProvider implements BackendProvider {
    private volatile Availability cached;

    @Override
    public String name() {
        return "java";
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public Availability probe() {
        Availability a = cached;
        if (a == null) {
            String detail;
            try {
                BackendOptions o = BackendOptions.defaults();
                String t = o.get("java", "threads", null);
                int threads = t == null || t.isBlank() ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(t.trim());
                String bits = o.get("java", "vectorBits", System.getProperty(VectorWidth.PROPERTY));
                int requested = bits == null || bits.isBlank() ? VectorWidth.preferredBits() : Integer.parseInt(bits.trim());
                int width = VectorSupport.clampBits(requested); // what JavaGemm will use; 0 without the module
                detail = JavaBackend.describe(width, threads)
                        + (VectorWidth.moduleAvailable() ? "" : "; for the Vector API run java with --add-modules jdk.incubator.vector");
            } catch (RuntimeException e) { // a malformed property must not hide the backend
                detail = JavaBackend.describe(0, Runtime.getRuntime().availableProcessors()) + " (" + e.getMessage() + ")";
            }
            a = Availability.yes(detail);
            cached = a;
        }
        return a;
    }

    @Override
    public Backend create(BackendOptions options) {
        return new JavaBackend(options == null ? BackendOptions.defaults() : options);
    }
}
