package org.gdchaos.analysis;

import org.gdchaos.Setting;
import java.util.Locale;
import java.util.Objects;

/**
 * Fits a Lyapunov exponent λ from a free-divergence curve {@code y(t) = ln⟨d(t)⟩}
 * (d = distance between reference and perturbed replica, ⟨·⟩ = mean over replicas, never
 * renormalised): λ is the least-squares slope of y against t over a window of consecutive
 * points, chosen by one of two documented rules ({@link Method}).
 *
 * <h2>Common steps</h2>
 * <ol>
 * <li><b>Divergence.</b> Only the prefix before the first non-finite y is used
 *     ({@code validPoints}); the rest is counted as {@code ignoredPoints} (a run that blew up, or
 *     d = 0, i.e. ln d = −∞). Fewer than 3 valid points: no fit (λ = NaN, with the reason).</li>
 * <li><b>Window fit.</b> {@link LinearFit}: slope, R², standard error of the slope.</li>
 * </ol>
 *
 * <h2>{@link Method#GROWTH_PHASE} (default)</h2>
 * Without renormalisation d(t) saturates at the size of the attractor, and a window on the
 * plateau reports λ ≈ 0. This rule fits only the exponential-growth phase, trimmed at both
 * ends (like a 10–90% rise time, in ln units):
 * <ol>
 * <li><b>Growth detection.</b> The largest rise {@code R = max_{i ≤ j}(y_j − y_i)}, with
 *     {@code i*, j*} the first pair attaining it. If
 *     {@code R < minRise} (default 2.0: d never grows by a factor e² ≈ 7.4) there is no growth
 *     phase (converging or neutral dynamics): the whole valid curve is fitted, giving λ &lt; 0 or
 *     λ ≈ 0, and {@code growthPhaseFound = false}.</li>
 * <li><b>Fast rise.</b> A plateau that keeps creeping up would pull the top far past the
 *     end of growth, so the rise is refined once: with {@code c = R / (2·(t_{j*} − t_{i*}))}
 *     (half its mean rate), {@code i*, j*} are re-chosen to maximise
 *     {@code (y_j − c·t_j) − (y_i − c·t_i)}: the top then sits where the local slope of
 *     ln d falls below c (the knee into the plateau). The refined rise R' is at least R/2.</li>
 * <li><b>Trimming.</b> With {@code μ = min(margin, R'/4)} (default margin 2.0):
 *     the window starts at {@code a} = the first index ≥ i* with {@code y ≥ y_{i*} + μ} (the
 *     perturbation has aligned with the growing direction: the initial flat or dipping transient
 *     is dropped) and ends at {@code b} = the first index ≥ a with {@code y ≥ y_{j*} − μ}
 *     (saturation begins: the bend into the plateau is dropped). If {@code [a, b]} has fewer
 *     than 3 points it is widened to 3 (right first, then left).</li>
 * <li><b>Fit.</b> λ = least-squares slope of y over {@code [a, b]}; its R² is reported (and
 *     {@code note} says when it is below {@code r2Threshold}, default 0.9).</li>
 * </ol>
 * Why: between the transient and saturation, ln d of a chaotic run is a straight line of slope
 * λ₁. Fitting the whole trimmed rise averages the fluctuations over the longest stretch;
 * rules that pick the steepest or straightest sub-window were tried and rejected: they select
 * chance fluctuations (logistic map: 1.25 instead of ln 2 from a 5-point window) and the
 * super-exponential rebound after the dip of non-normal maps. With margin μ a logistic bend
 * into the plateau ({@code d = d0·e^{λt}/(1 + d0(e^{λt} − 1)/D)}) lies below the growth line by
 * {@code −ln(1 − e^{−μ})} at the window end: 0.145 for μ = 2 (0.46 for μ = 1).
 * Comparing with the maximum rather than a plateau median keeps curves that never saturate (the
 * fit loses the last μ/λ steps) and curves that rise and fall again (transient chaos).
 * Known limitation: polynomial growth of d (ln d ∝ ln t, e.g. drift along flat directions)
 * rises too and is fitted as if exponential — the R² and the window reported let users judge.
 *
 * <h2>{@link Method#MAX_R2}</h2>
 * The predecessor's rule, for fidelity with the paper: over all windows of the valid curve with
 * at least {@code L = min(n, max(minWindow, ⌈minWindowFraction·n⌉))} points (n = valid points),
 * the window of maximal R² (ties: the longer, then the earlier). The predecessor kept fits with
 * R² &gt; 0.9. On a long, slowly drifting plateau this rule picks the plateau and reports λ ≈ 0
 * (see the tests), which is why GROWTH_PHASE is the default.
 *
 * <p>Cost: GROWTH_PHASE is O(n); MAX_R2 is O(n²) window fits (each O(1) by extending a
 * streaming accumulator), about 20 000 for 202 points.
 */
public final class GrowthFit {

    /** The window rule. */
    public enum Method {
        /** The exponential-growth phase, trimmed at both ends (default). */
        GROWTH_PHASE("growth"),
        /** Plain window of maximal R² (the predecessor's rule). */
        MAX_R2("max-r2");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /** Short name for command lines and files (run.json too): {@code growth} or {@code max-r2}. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return label;
        }

        /**
         * Parses {@link #label()} (case-insensitive; {@code maxr2} and {@code max_r2} accepted, and the
         * constant names that run.json of earlier versions holds, {@code GROWTH_PHASE}).
         */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static Method parse(String s) {
            String k = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Method m : values()) {
                if (m.label.equals(k) || m.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(k)) {
                    return m;
                }
            }
            if (k.equals("maxr2")) {
                return MAX_R2;
            }
            throw new org.gdchaos.InputException(Setting.FIT.key(), "unknown fit rule '" + s + "' (use growth or max-r2)");
        }
    }

    /**
     * Fit settings.
     *
     * @param method            window rule
     * @param minWindow         MAX_R2: minimum window length in points, at least 3
     * @param minWindowFraction MAX_R2: minimum window length as a fraction of the valid points, in [0, 1]
     * @param r2Threshold       R² below which the note flags the fit (the predecessor's 0.9), in [0, 1]
     * @param margin            GROWTH_PHASE: ln-units trimmed above the bottom and below the top, &gt; 0
     * @param minRise           GROWTH_PHASE: smallest rise of ln d that counts as growth, &gt; 0
     */
    public record Options(Method method, int minWindow, double minWindowFraction, double r2Threshold,
                          double margin, double minRise) {
        public Options {
            Objects.requireNonNull(method, "method");
            if (minWindow < 3) {
                throw new IllegalArgumentException("minWindow must be >= 3, got " + minWindow);
            }
            if (!(minWindowFraction >= 0.0 && minWindowFraction <= 1.0)) {
                throw new IllegalArgumentException("minWindowFraction must be in [0, 1], got " + minWindowFraction);
            }
            if (!(r2Threshold >= 0.0 && r2Threshold <= 1.0)) {
                throw new IllegalArgumentException("r2Threshold must be in [0, 1], got " + r2Threshold);
            }
            if (!(margin > 0.0) || Double.isInfinite(margin)) {
                throw new IllegalArgumentException("margin must be finite and > 0, got " + margin);
            }
            if (!(minRise > 0.0) || Double.isInfinite(minRise)) {
                throw new IllegalArgumentException("minRise must be finite and > 0, got " + minRise);
            }
        }

        /** Defaults for a method: minWindow 5, fraction 0.1, R² 0.9, margin 2.0, minRise 2.0. */
        public static Options defaults(Method method) {
            return new Options(method, 5, 0.1, 0.9, 2.0, 2.0);
        }

        /** The same options with another method. */
        public Options withMethod(Method m) {
            return new Options(m, minWindow, minWindowFraction, r2Threshold, margin, minRise);
        }
    }

    private GrowthFit() {
    }

    /** Fits {@code lnD[i]} against {@code t = i} with the default growth-phase rule. */
    public static GrowthFitResult fit(double[] lnD) {
        return fit(indexTimes(lnD.length), lnD, Options.defaults(Method.GROWTH_PHASE));
    }

    /** Fits {@code lnD[i]} against {@code t = i} with the default options of {@code method}. */
    public static GrowthFitResult fit(double[] lnD, Method method) {
        return fit(indexTimes(lnD.length), lnD, Options.defaults(method));
    }

    /** Fits the distances {@code d[i]} (mean over replicas) after taking {@code ln}; d ≤ 0 counts as non-finite. */
    public static GrowthFitResult fitDistances(double[] t, double[] d, Options options) {
        double[] y = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            y[i] = d[i] > 0.0 ? Math.log(d[i]) : Double.NaN;
        }
        return fit(t, y, options);
    }

    /**
     * Fits {@code lnD} against strictly increasing finite times {@code t}.
     *
     * @throws IllegalArgumentException when lengths differ or t is not finite and strictly increasing
     */
    public static GrowthFitResult fit(double[] t, double[] lnD, Options options) {
        Objects.requireNonNull(options, "options");
        if (t.length != lnD.length) {
            throw new IllegalArgumentException("t and ln d differ in length: " + t.length + " vs " + lnD.length);
        }
        for (int i = 0; i < t.length; i++) {
            if (!Double.isFinite(t[i]) || (i > 0 && !(t[i] > t[i - 1]))) {
                throw new IllegalArgumentException("times must be finite and strictly increasing (index " + i + ")");
            }
        }
        int valid = 0;
        while (valid < lnD.length && Double.isFinite(lnD[valid])) {
            valid++;
        }
        int ignored = lnD.length - valid;
        Method method = options.method();
        if (valid < 3) {
            String why = ignored > 0
                ? "only " + valid + " finite point(s) before the first non-finite ln d at index " + valid
                    + " (diverged, or d = 0)"
                : "only " + valid + " point(s); at least 3 are needed";
            return GrowthFitResult.noFit(method, valid, ignored, why);
        }
        String prefix = ignored > 0 ? ignored + " point(s) from index " + valid + " ignored (non-finite). " : "";
        return method == Method.MAX_R2
            ? maxR2(t, lnD, valid, ignored, options, prefix)
            : growthPhase(t, lnD, valid, ignored, options, prefix);
    }

    private static GrowthFitResult growthPhase(double[] t, double[] y, int valid, int ignored, Options o, String prefix) {
        int[] first = maxRise(t, y, valid, 0.0);
        double rise = y[first[1]] - y[first[0]];
        if (rise < o.minRise()) {
            LinearFit f = LinearFit.fit(t, y, 0, valid);
            return result(f, 0, valid - 1, t, Method.GROWTH_PHASE, valid, ignored, false,
                prefix + String.format(Locale.ROOT,
                    "no growth phase (largest rise of ln d %.3g < %.3g): whole curve fitted", rise, o.minRise()));
        }
        // refine: discount a slow drift (plateau creeping up) by half the mean rate of the rise
        double c = 0.5 * rise / (t[first[1]] - t[first[0]]);
        int[] fast = maxRise(t, y, valid, c);
        int bestI = fast[0];
        int bestJ = fast[1];
        rise = y[bestJ] - y[bestI];
        double mu = Math.min(o.margin(), rise / 4.0);
        int a = bestI;
        while (y[a] < y[bestI] + mu) {
            a++;                                     // terminates at bestJ at the latest
        }
        int b = a;
        while (y[b] < y[bestJ] - mu) {
            b++;                                     // terminates at bestJ at the latest
        }
        while (b - a + 1 < 3 && b < valid - 1) {
            b++;
        }
        while (b - a + 1 < 3 && a > 0) {
            a--;
        }
        LinearFit f = LinearFit.fit(t, y, a, b + 1);
        String note = prefix + String.format(Locale.ROOT,
            "growth phase: rise %.3g of ln d from t=%s to t=%s, trimmed by %.3g at both ends",
            rise, fmt(t[bestI]), fmt(t[bestJ]), mu);
        if (f.r2() < o.r2Threshold()) {
            note += String.format(Locale.ROOT, "; R² below %.3g", o.r2Threshold());
        }
        return result(f, a, b, t, Method.GROWTH_PHASE, valid, ignored, true, note);
    }

    /** {@code (i, j)}, i ≤ j, maximising {@code (y_j − c·t_j) − (y_i − c·t_i)}; first pair on ties. */
    private static int[] maxRise(double[] t, double[] y, int n, double c) {
        int low = 0;
        int bestI = 0;
        int bestJ = 0;
        double best = 0.0;
        for (int j = 1; j < n; j++) {
            if (y[j] - c * t[j] < y[low] - c * t[low]) {
                low = j;
            }
            double r = (y[j] - c * t[j]) - (y[low] - c * t[low]);
            if (r > best) {
                best = r;
                bestI = low;
                bestJ = j;
            }
        }
        return new int[] {bestI, bestJ};
    }

    private static GrowthFitResult maxR2(double[] t, double[] y, int valid, int ignored, Options o, String prefix) {
        int minLen = minLength(valid, o);
        LinearFit bestFit = null;
        int bestS = -1;
        int bestE = -1;
        for (int s = 0; s + minLen - 1 < valid; s++) {
            LinearFit.Accumulator acc = new LinearFit.Accumulator();
            for (int e = s; e < valid; e++) {
                acc.add(t[e], y[e]);
                if (e - s + 1 < minLen) {
                    continue;
                }
                LinearFit f = acc.result();
                if (bestFit == null || f.r2() > bestFit.r2() || (f.r2() == bestFit.r2() && f.n() > bestFit.n())) {
                    bestFit = f;
                    bestS = s;
                    bestE = e;
                }
            }
        }
        String note = prefix + "window of maximal R² among windows of >= " + minLen + " points";
        if (bestFit.r2() < o.r2Threshold()) {
            note += String.format(Locale.ROOT, "; R² below %.3g (the predecessor discarded such fits)", o.r2Threshold());
        }
        return result(bestFit, bestS, bestE, t, Method.MAX_R2, valid, ignored, false, note);
    }

    private static int minLength(int range, Options o) {
        int l = Math.max(o.minWindow(), (int) Math.ceil(o.minWindowFraction() * range));
        return Math.max(3, Math.min(range, l));
    }

    private static GrowthFitResult result(LinearFit f, int s, int e, double[] t, Method method, int valid,
                                          int ignored, boolean growth, String note) {
        return new GrowthFitResult(f.slope(), f.intercept(), f.r2(), s, e, t[s], t[e], method, e - s + 1,
            valid, ignored, growth, note);
    }

    private static double[] indexTimes(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
