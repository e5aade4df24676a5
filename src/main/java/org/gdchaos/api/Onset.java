package org.gdchaos.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.gdchaos.backend.Backend;
import org.gdchaos.onset.OnsetResult;
import org.gdchaos.onset.OnsetRunner;
import org.gdchaos.onset.OnsetSettings;

/**
 * The onset search of {@code gdchaos onset} from code (docs/science.md#onset): where λ1 leaves 0
 * for a {@link Sweep}'s network, data, training and method, and which learning rate trains
 * fastest. The sweep's learning rates are not used (the search chooses its own in the range); its
 * {@code inits} is the number of initialisations each new learning rate starts with.
 *
 * <pre>{@code
 * OnsetResult r = Onset.of(sweep, 0.5, 20).tolerance(0.02).run(backend);
 * System.out.println(r.answer().onsetLine());   // onset of chaos: η in (…, …] …
 * System.out.println(r.answer().fastestLine()); // fastest training: η = …, … below/inside/above …
 * }</pre>
 * The defaults are those of the command line: log spacing, K filling one device batch (4 … 16),
 * 8 rounds, tolerance 0.02, λ* 0.02 for the paper method and 0.01 for the others, 4 × inits at most.
 */
public final class Onset {
    private final Sweep sweep;
    private final double lo;
    private final double hi;
    private boolean log = true;
    private int points;
    private int maxRounds = OnsetSettings.DEFAULT_MAX_ROUNDS;
    private double tolerance = OnsetSettings.DEFAULT_TOLERANCE;
    private Double chaosThreshold;
    private Integer maxInits;
    private int maxBatch;

    private Onset(Sweep sweep, double lo, double hi) {
        this.sweep = Objects.requireNonNull(sweep, "sweep");
        this.lo = lo;
        this.hi = hi;
    }

    /** A search of {@code sweep}'s settings over the learning rates [lo, hi]. */
    public static Onset of(Sweep sweep, double lo, double hi) {
        return new Onset(sweep, lo, hi);
    }

    /** Linear spacing of the range instead of logarithmic. */
    public Onset linear() {
        log = false;
        return this;
    }

    /** K, the new learning rates per round (≥ 2). */
    public Onset points(int k) {
        if (k < 2) throw new IllegalArgumentException("a round needs at least 2 new learning rates, got " + k);
        points = k;
        return this;
    }

    public Onset maxRounds(int rounds) {
        maxRounds = rounds;
        return this;
    }

    /** Relative width at which a bracket counts as located (0 &lt; tol &lt; 1). */
    public Onset tolerance(double tol) {
        tolerance = tol;
        return this;
    }

    /** λ*: chaotic when λ1 &gt; λ* with confidence, regular when λ1 &lt; λ*. */
    public Onset chaosThreshold(double lambda) {
        chaosThreshold = lambda;
        return this;
    }

    /** The most initialisations an undecided learning rate gets. */
    public Onset maxInits(int n) {
        maxInits = n;
        return this;
    }

    /** At most this many trajectories per device batch (0 = from memory). */
    public Onset maxBatch(int trajectories) {
        maxBatch = trajectories;
        return this;
    }

    /** The settings as they stand (K = 0: resolved when the search runs). */
    public OnsetSettings settings() {
        int n0 = sweep.inits();
        return new OnsetSettings(lo, hi, log, points, maxRounds, tolerance,
                chaosThreshold == null ? OnsetSettings.defaultThreshold(sweep.method()) : chaosThreshold, n0,
                maxInits == null ? Math.max(2, 4 * n0) : maxInits);
    }

    /** Runs the search in a temporary folder, deleted afterwards; the result holds every row. */
    public OnsetResult run(Backend backend) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("gdchaos-onset");
            return run(backend, dir, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    /** Runs (or with {@code resume}, goes on with) the search in {@code folder}, as {@code gdchaos onset --out} does. */
    public OnsetResult run(Backend backend, Path folder, boolean resume) {
        return new OnsetRunner(backend, sweep.spec(), settings(), folder, resume, maxBatch).run();
    }

    /** Deletes the search's temporary folder, quietly: one left behind is not worth failing a finished search. */
    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // left behind
        }
    }
}
