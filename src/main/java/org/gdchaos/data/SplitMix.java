package org.gdchaos.data;

/**
 * SplitMix64 (Steele, Lea, Flood 2014) with a fully specified Gaussian, so synthetic data is
 * bit-identical across JDKs: {@code nextDouble = (z >>> 11)·2⁻⁵³},
 * {@code nextGaussian = √(−2 ln(1 − u₁))·cos(2π u₂)} (Box–Muller, one value per pair).
 */
final class SplitMix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    SplitMix(long seed, long stream) {
        this.state = mix(seed ^ mix(stream * GOLDEN + 0x632BE59BD9B4E019L));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal. */
    double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
