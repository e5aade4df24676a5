package org.gdchaos.onset;

import org.gdchaos.Setting;
import java.util.Locale;
import org.gdchaos.InputException;
import org.gdchaos.lyapunov.Method;

/**
 * The settings of an onset search (docs/science.md#onset): where it looks, how finely, and how it
 * decides.
 *
 * @param lo             lower end of the learning-rate range (&gt; 0)
 * @param hi             upper end (&gt; lo)
 * @param log            log spacing (default) or linear
 * @param points         K: new learning rates per round (≥ 2; 0 = the default, resolved by {@link OnsetRunner});
 *                       round 0 places K points evenly over the range
 * @param maxRounds      round budget (≥ 1), round 0 included
 * @param tolerance      relative width (b − a)/a at which a bracket [a, b] counts as located (0 &lt; tol &lt; 1)
 * @param chaosThreshold λ*: a learning rate is chaotic when λ1 exceeds it with confidence across
 *                       initialisations, regular when λ1 is below it with confidence
 * @param inits          initialisations every new learning rate starts with (≥ 1)
 * @param maxInits       the most initialisations an undecided learning rate gets (≥ 2, ≥ inits)
 */
public record OnsetSettings(double lo, double hi, boolean log, int points, int maxRounds, double tolerance,
                            double chaosThreshold, int inits, int maxInits) {
    /** Default relative width of the final brackets. */
    public static final double DEFAULT_TOLERANCE = 0.02;
    /** Default round budget. */
    public static final int DEFAULT_MAX_ROUNDS = 8;
    /** Fewest and most new points a round gets by default ({@link #defaultPoints}). */
    public static final int MIN_DEFAULT_POINTS = 4;
    public static final int MAX_DEFAULT_POINTS = 16;
    /** Most lattice intervals a search may need ({@link Lattice}). */
    public static final int MAX_INTERVALS = 20_000;

    public OnsetSettings {
        if (!(lo > 0) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new InputException(Setting.ONSET_RANGE.key(), "the learning-rate range needs finite bounds LO > 0, got "
                    + num(lo) + ":" + num(hi));
        }
        if (!(hi > lo)) {
            throw new InputException(Setting.ONSET_RANGE.key(), "the learning-rate range needs LO < HI, got " + num(lo) + ":"
                    + num(hi));
        }
        if (points != 0 && points < 2) {
            throw new InputException(Setting.ONSET_POINTS.key(), "a round needs at least 2 new learning rates, got " + points);
        }
        if (maxRounds < 1) throw new InputException(Setting.ONSET_MAX_ROUNDS.key(), "the round budget must be ≥ 1, got " + maxRounds);
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new InputException(Setting.ONSET_TOLERANCE.key(), "the tolerance is a relative width: it must lie strictly "
                    + "between 0 and 1, got " + num(tolerance));
        }
        if (!Double.isFinite(chaosThreshold)) {
            throw new InputException(Setting.ONSET_CHAOS_THRESHOLD.key(), "the chaos threshold λ* must be finite, got "
                    + num(chaosThreshold));
        }
        if (inits < 1) throw new InputException(Setting.INITS.key(), "a search needs ≥ 1 initialisation per η, got " + inits);
        if (maxInits < 2 || maxInits < inits) {
            throw new InputException(Setting.ONSET_MAX_INITS.key(), "the most initialisations per η must be ≥ 2 (a confidence "
                    + "interval needs two) and ≥ the initial " + inits + ", got " + maxInits);
        }
        if (maxInits > 1024) {
            throw new InputException(Setting.ONSET_MAX_INITS.key(), "at most 1024 initialisations per η, got " + maxInits);
        }
    }

    /**
     * The default λ* of a Lyapunov method (docs/science.md#onset explains the numbers): 0.02 for
     * the paper method, whose finite-time fit of a regular run reads 0.003–0.009 (a slope of
     * ln d(t) over 150–200 steps is never exactly 0), and 0.01 for Benettin, the spectrum and
     * the tangent method, which measure λ1 ≈ 0 (a neutral direction) or below in regular runs.
     */
    public static double defaultThreshold(Method method) {
        return method == Method.PAPER ? 0.02 : 0.01;
    }

    /**
     * The default K: as many learning rates as fill one device batch with {@code inits} cells each
     * ({@code cellsPerBatch / inits}), at least {@value #MIN_DEFAULT_POINTS} and at most
     * {@value #MAX_DEFAULT_POINTS} (more points per round than that refine a bracket 17-fold, past
     * what a 2% tolerance needs on most ranges, and only add cells).
     */
    public static int defaultPoints(int cellsPerBatch, int inits) {
        int k = Math.max(1, cellsPerBatch) / Math.max(1, inits);
        return Math.max(MIN_DEFAULT_POINTS, Math.min(MAX_DEFAULT_POINTS, k));
    }

    /**
     * Parses {@code LO:HI} (log spacing) or {@code lin:LO:HI} / {@code log:LO:HI}.
     *
     * @return {lo, hi, 1 for log / 0 for linear}
     */
    public static double[] parseRange(String text) {
        String s = text == null ? "" : text.trim();
        boolean log = true;
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("lin:")) {
            log = false;
            s = s.substring(4);
        } else if (lower.startsWith("log:")) {
            s = s.substring(4);
        }
        String[] p = s.split(":", -1);
        if (p.length != 2) {
            throw new InputException(Setting.ONSET_RANGE.key(), "bad learning-rate range '" + text + "': expected LO:HI, "
                    + "lin:LO:HI or log:LO:HI");
        }
        try {
            return new double[] {Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()), log ? 1 : 0};
        } catch (NumberFormatException e) {
            throw new InputException(Setting.ONSET_RANGE.key(), "bad learning-rate range '" + text + "': not a number ("
                    + e.getMessage() + "); expected LO:HI, lin:LO:HI or log:LO:HI");
        }
    }

    /** These settings with K = {@code k}. */
    public OnsetSettings withPoints(int k) {
        return new OnsetSettings(lo, hi, log, k, maxRounds, tolerance, chaosThreshold, inits, maxInits);
    }

    /** The range as {@code --lr-range} writes it. */
    public String rangeText() {
        return (log ? "" : "lin:") + num(lo) + ":" + num(hi);
    }

    /** The lattice the search's learning rates lie on. */
    public Lattice lattice() {
        return Lattice.of(lo, hi, log, tolerance);
    }

    static String num(double v) {
        return Double.toString(v);
    }
}
