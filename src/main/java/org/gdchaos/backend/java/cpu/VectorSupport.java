package org.gdchaos.backend.java.cpu;

/**
 * Detection of the JDK Vector API ({@code jdk.incubator.vector}), done once.
 *
 * <p>The module is only resolved when the JVM is started with
 * {@value #FLAG}. This class never touches a Vector API type itself: the species live in the
 * nested {@link Species} holder, which the JVM loads only when it is first used, and callers
 * use it only after {@link #available()} returned {@code true}. So this class is safe to load
 * (and {@link #available()} safe to call) on a JVM without the module.
 */
public final class VectorSupport {
    /** The JVM flag that makes the Vector API available. */
    public static final String FLAG = "--add-modules jdk.incubator.vector";

    private static final boolean AVAILABLE = detect();

    private VectorSupport() {
    }

    /** @return true when {@code jdk.incubator.vector} is in the boot layer and usable; never throws */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * @return the platform's preferred vector width in bits (e.g. 256 for AVX2, 512 for AVX-512),
     *         or 0 when the Vector API is unavailable
     */
    public static int preferredBits() {
        return AVAILABLE ? Species.PREFERRED_BITS : 0;
    }

    /**
     * Clamps a requested vector width to one this backend's kernels support on this platform:
     * the largest of 512, 256, 128 that is ≤ both the request and {@link #preferredBits()}.
     *
     * @param requestedBits requested width; ≤ 0 means scalar
     * @return 0 (scalar) or 128, 256 or 512
     */
    public static int clampBits(int requestedBits) {
        int limit = Math.min(requestedBits, preferredBits());
        for (int w : new int[] {512, 256, 128}) {
            if (w <= limit) {
                return w;
            }
        }
        return 0;
    }

    private static boolean detect() {
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return false;
            }
            return Species.PREFERRED_BITS >= 128;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** The preferred vector size; loaded only when the module is present. */
    private static final class Species {
        static final int PREFERRED_BITS = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.vectorBitSize();

        private Species() {
        }
    }
}
