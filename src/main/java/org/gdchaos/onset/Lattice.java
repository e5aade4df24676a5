package org.gdchaos.onset;

import org.gdchaos.Setting;
import java.util.Locale;
import org.gdchaos.InputException;

/**
 * The fixed set of learning rates an onset search may visit: N + 1 values from LO to HI,
 * <pre>
 *   log:    η_j = exp(ln LO + (j/N)·(ln HI − ln LO))      N = ⌈ln(HI/LO) / ln(1 + tol)⌉
 *   linear: η_j = LO + (j/N)·(HI − LO)                    N = ⌈(HI − LO) / (tol·LO)⌉
 * </pre>
 * (the formulas of {@code log:LO:HI:N+1} and {@code lin:LO:HI:N+1}), so two neighbours η_j &lt; η_{j+1}
 * are at most a relative {@code tol} apart: refining down to neighbours always meets the tolerance.
 * N depends on the range and the tolerance only, never on the rounds, so a learning rate's index
 * {@code j} (its {@code lr_index} in the files) is as fixed as its value — adding points never
 * renumbers the cells already on disk.
 *
 * @param lo        LO
 * @param hi        HI
 * @param log       log spacing
 * @param intervals N
 */
public record Lattice(double lo, double hi, boolean log, int intervals) {
    public Lattice {
        if (intervals < 1) throw new IllegalArgumentException("a lattice needs ≥ 1 interval");
    }

    static Lattice of(double lo, double hi, boolean log, double tol) {
        double n = log ? Math.log(hi / lo) / Math.log1p(tol) : (hi - lo) / (tol * lo);
        double ceil = Math.ceil(n - 1e-9);
        if (!(ceil <= OnsetSettings.MAX_INTERVALS)) {
            throw new InputException(Setting.ONSET_TOLERANCE.key(), String.format(Locale.ROOT, "locating the onset in %s:%s to a "
                    + "relative %s needs %.0f learning-rate intervals, more than the %,d a search supports: narrow the "
                    + "range%s, or raise the tolerance", Double.toString(lo), Double.toString(hi), Double.toString(tol),
                    n, OnsetSettings.MAX_INTERVALS, log ? "" : " or use log spacing"));
        }
        return new Lattice(lo, hi, log, (int) Math.max(1, ceil));
    }

    /** η_j (exactly LO and HI at the ends). */
    public double value(int j) {
        if (j < 0 || j > intervals) throw new IndexOutOfBoundsException("lattice index " + j + " of 0.." + intervals);
        if (j == 0) return lo;
        if (j == intervals) return hi;
        double f = (double) j / intervals;
        return log ? Math.exp(Math.log(lo) + f * (Math.log(hi) - Math.log(lo))) : lo + f * (hi - lo);
    }

    /** Every η_j, j = 0 … N (the sweep grid the search's cells belong to). */
    public double[] values() {
        double[] v = new double[intervals + 1];
        for (int j = 0; j <= intervals; j++) v[j] = value(j);
        return v;
    }

    /** The relative width (η_b − η_a)/η_a of a bracket of lattice indices a &lt; b. */
    public double relativeWidth(int a, int b) {
        return (value(b) - value(a)) / value(a);
    }
}
