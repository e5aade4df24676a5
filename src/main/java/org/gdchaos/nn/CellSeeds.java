package org.gdchaos.nn;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Deterministic random streams per sweep cell. Every stream is a JDK {@code L64X128MixRandom}
 * (a splittable {@link java.util.random} generator) seeded with a SplitMix64 hash of
 * {@code (seed, purpose, init, replica)}, so the numbers of a cell never depend on which
 * other cells share its device batch, on the backend, or on sharding. Initial weights depend
 * only on (seed, init) — the same initialisation is reused across learning rates (common
 * random numbers) — and perturbations on (seed, init, replica).
 */
public final class CellSeeds {
    /** Stream purposes. */
    public static final int INIT = 1;
    public static final int PERTURB = 2;
    public static final int DATA = 3;
    public static final int TANGENT = 4;

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY =
            RandomGeneratorFactory.of("L64X128MixRandom");

    private CellSeeds() {
    }

    /** Generator for one purpose of one cell: an {@code L64X128MixRandom} seeded with {@link #key}. */
    public static RandomGenerator stream(long seed, int purpose, long init, long replica) {
        return FACTORY.create(key(seed, purpose, init, replica));
    }

    /**
     * The 64-bit seed of the generator of {@link #stream}: SplitMix64 of
     * {@code (seed, purpose, init, replica)} (written to {@code results.csv} as {@code init_seed} and
     * {@code perturb_seed}, so one cell's random numbers can be regenerated on their own).
     */
    public static long key(long seed, int purpose, long init, long replica) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ purpose);
        h = mix(h ^ init * 0xBF58476D1CE4E5B9L);
        return mix(h ^ replica * 0x94D049BB133111EBL);
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
