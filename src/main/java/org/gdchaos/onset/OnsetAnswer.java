package org.gdchaos.onset;

import java.util.Locale;
import org.gdchaos.onset.OnsetSearch.FastestStatus;
import org.gdchaos.onset.OnsetSearch.OnsetStatus;

/**
 * The answer of a search in words and numbers: where the onset of chaos lies, which η trains
 * fastest, and where the second lies relative to the first (the paper's claim: at the onset).
 *
 * @param onsetLow     η of the bracket's lower end R (NaN when none)
 * @param onsetHigh    η of its upper end C (NaN when none)
 * @param fastestLow   lowest η with the smallest median steps (NaN when none)
 * @param fastestHigh  highest such η
 * @param fastestSteps the smallest median steps (NaN when none)
 * @param relation     where the fastest η lies relative to the onset bracket: below, inside, above,
 *                     overlapping, or n/a
 * @param onsetLine    the first line of the answer
 * @param fastestLine  the second
 */
public record OnsetAnswer(double onsetLow, double onsetHigh, double fastestLow, double fastestHigh, double fastestSteps,
                          String relation, String onsetLine, String fastestLine) {

    static OnsetAnswer of(OnsetSearch search, OnsetSearch.Replay replay) {
        return of(search, replay.state(), switch (replay.stop()) {
            case LOCATED -> "tolerance met";
            case NOTHING_LEFT -> "nothing left to decide";
            case ROUND_BUDGET -> "round budget of " + search.settings().maxRounds() + " spent";
        });
    }

    /** The answer so far of a search not finished (killed, or still running). */
    static OnsetAnswer unfinished(OnsetSearch search, OnsetSearch.Replay replay) {
        if (replay.state() == null) {
            return new OnsetAnswer(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "n/a",
                    "not finished: round 0 has not finished yet", "fastest training: not known yet");
        }
        return of(search, replay.state(), "not finished: round " + replay.pending().round() + " still to run");
    }

    private static OnsetAnswer of(OnsetSearch search, OnsetSearch.State st, String stop) {
        OnsetSettings s = search.settings();
        Lattice l = search.lattice();
        String thr = "λ* = " + g(s.chaosThreshold());
        OnsetSearch.Onset o = st.onset();
        double lo = o.low() >= 0 ? l.value(o.low()) : Double.NaN;
        double hi = o.high() >= 0 ? l.value(o.high()) : Double.NaN;
        long undecided = st.points().values().stream().filter(p -> p.verdict() == Verdict.UNDECIDED).count();
        String onsetLine = switch (o.status()) {
            case BRACKETED, OPEN -> String.format(Locale.ROOT, "onset of chaos: η in (%s, %s] — λ1 < %s at η = %s, "
                    + "λ1 > λ* at η = %s; relative width %.3f %s tolerance %s (%s)", g(lo), g(hi), thr, g(lo), g(hi),
                    l.relativeWidth(o.low(), o.high()), o.status() == OnsetStatus.BRACKETED ? "≤" : ">",
                    g(s.tolerance()), stop);
            case NO_REGULAR_BELOW -> String.format(Locale.ROOT, "onset of chaos: at or below η = %s (λ1 > %s there); "
                    + "no η below it was decided regular (%d undecided; %s)", g(hi), thr, undecided, stop);
            case BELOW_LO -> String.format(Locale.ROOT, "onset of chaos: below η = %s — λ1 > %s already at the low end "
                    + "of the range: lower it (--lr-range)", g(s.lo()), thr);
            case NONE_BELOW_HI -> String.format(Locale.ROOT, "no onset below η = %s: no learning rate in the range is "
                    + "chaotic (λ1 > %s with confidence)%s", g(s.hi()), thr,
                    undecided > 0 ? "; " + undecided + " stayed undecided" : "");
        };
        OnsetSearch.Fastest f = st.fastest();
        double fLo = f.lowest() >= 0 ? l.value(f.lowest()) : Double.NaN;
        double fHi = f.highest() >= 0 ? l.value(f.highest()) : Double.NaN;
        String relation = "n/a";
        String fastestLine;
        if (f.status() == FastestStatus.NOT_APPLICABLE) {
            fastestLine = "fastest training: not measured (the task has no accuracy)";
        } else if (f.status() == FastestStatus.NEVER_REACHED) {
            fastestLine = "fastest training: no learning rate reached the accuracy threshold (median) within the steps";
        } else {
            relation = relation(o, f);
            String where = f.lowest() == f.highest() ? "η = " + g(fLo) : "η in [" + g(fLo) + ", " + g(fHi) + "] (tied)";
            String rel = switch (relation) {
                case "below" -> String.format(Locale.ROOT, "below the onset bracket (%.2f× its upper end)", fHi / hi);
                case "inside" -> "inside the onset bracket";
                case "above" -> Double.isNaN(hi) ? "above the onset (below LO)"
                        : String.format(Locale.ROOT, "above the onset bracket (%.2f× its upper end)", fLo / hi);
                case "below-range-onset" -> "below η = " + g(s.hi()) + ", with no onset in the range";
                default -> "overlapping the onset bracket";
            };
            if (relation.equals("below-range-onset")) relation = "below";
            fastestLine = String.format(Locale.ROOT, "fastest training: %s, median %s steps to the accuracy threshold, %s",
                    where, g(f.steps()), rel) + (f.status() == FastestStatus.OPEN ? " (its ends not yet located to the "
                    + "tolerance: " + stop + ")" : "");
        }
        return new OnsetAnswer(lo, hi, fLo, fHi, f.steps(), relation, onsetLine, fastestLine);
    }

    private static String relation(OnsetSearch.Onset o, OnsetSearch.Fastest f) {
        switch (o.status()) {
            case NONE_BELOW_HI:
                return "below-range-onset";
            case BELOW_LO:
                return "above";
            default:
                break;
        }
        int c = o.high(), r = o.low();
        if (f.highest() < c && (r < 0 || f.highest() <= r)) return r < 0 ? "overlapping" : "below";
        if (f.lowest() > c) return "above";
        if ((r >= 0 && f.lowest() > r) && f.highest() <= c) return "inside";
        return "overlapping";
    }

    /** Four significant digits, no trailing zeros. */
    static String g(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return "never";
        if (v == Math.rint(v) && Math.abs(v) < 1e7) return Long.toString((long) v);
        String t = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return t;
    }
}
