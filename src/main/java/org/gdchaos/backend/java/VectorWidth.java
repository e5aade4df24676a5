package org.gdchaos.backend.java;

import java.util.concurrent.atomic.AtomicBoolean;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * Decides the vector width (in bits) the Java backend hands to {@link org.gdchaos.backend.java.gemm.JavaGemm}, without
 * loading any {@code jdk.incubator.vector} class itself, so the backend also runs on a JVM
 * started without {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Order: the backend option {@code vectorBits} (or system property
 * {@code gdchaos.java.vectorBits}); else system property {@value #PROPERTY}; else the preferred
 * species size when the module is present; else 0 (scalar). Allowed widths: 0, 64, 128, 256,
 * 512. A positive width without the module falls back to 0; {@link org.gdchaos.backend.java.gemm.JavaGemm} further clamps
 * the width to what the platform supports.
 */
public final class VectorWidth {
    /** System property forcing the width, 0 = scalar code path. */
    public static final String PROPERTY = "gdchaos.vector.width";

    /** The exact line printed (once per JVM) when the module is missing. */
    public static final String MISSING_MESSAGE = "gdchaos: jdk.incubator.vector not found; Java backend "
            + "uses scalar code. Run java with --add-modules jdk.incubator.vector";

    private static final String MODULE = "jdk.incubator.vector";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private VectorWidth() {
    }

    /** Whether {@code jdk.incubator.vector} is in the boot layer. */
    public static boolean moduleAvailable() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** The preferred species size in bits ({@link VectorSupport#preferredBits()}), 0 without the module. */
    public static int preferredBits() {
        return moduleAvailable() ? VectorSupport.preferredBits() : 0;
    }

    /**
     * The width to use.
     *
     * @param option the {@code vectorBits} backend option, or null when not given
     * @throws IllegalArgumentException for a width other than 0, 64, 128, 256, 512
     */
    public static int resolve(String option) {
        String requested = option != null ? option : System.getProperty(PROPERTY);
        int bits;
        if (requested == null || requested.isBlank()) {
            if (!moduleAvailable()) {
                warnMissingOnce();
                return 0;
            }
            bits = preferredBits();
        } else {
            bits = parse(requested.trim());
        }
        if (bits > 0 && !moduleAvailable()) {
            warnMissingOnce();
            return 0;
        }
        return bits;
    }

    private static int parse(String s) {
        int bits;
        try {
            bits = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vector width '" + s + "' is not a number (use 0, 64, 128, 256 or 512)");
        }
        if (bits != 0 && bits != 64 && bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("vector width " + bits + " bits not supported (use 0 = scalar, 64, 128, 256 or 512)");
        }
        return bits;
    }

    /** Prints {@link #MISSING_MESSAGE} to stderr the first time it is called in this JVM. */
    static void warnMissingOnce() {
        if (WARNED.compareAndSet(false, true)) System.err.println(MISSING_MESSAGE);
    }

    /** "Vector API 256-bit" or "scalar". */
    static String describe(int bits) {
        return bits > 0 ? "Vector API " + bits + "-bit" : "scalar";
    }
}
