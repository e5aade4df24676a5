package org.gdchaos.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Legend labels of a set of values (learning rates, weight decays) that tell every value apart: the
 * fewest significant digits, at least 3, at which no two distinct values print the same
 * ({@code 0.1} and {@code 0.1000001} become {@code 0.1} and {@code 0.1000001}, not twice {@code 0.1}).
 * Values that are equal print the same; sweeps refuse such duplicates up front.
 */
public final class Labels {
    private final int digits;

    private Labels(int digits) {
        this.digits = digits;
    }

    /** Labels for {@code values} (non-finite values are ignored when choosing the digits). */
    public static Labels of(Collection<Double> values) {
        Set<Double> distinct = new TreeSet<>();
        for (Double v : values) if (v != null && Double.isFinite(v)) distinct.add(v == 0 ? 0.0 : v);
        for (int d = 3; d < 17; d++) {
            Set<String> seen = new HashSet<>();
            boolean unique = true;
            for (double v : distinct) unique &= seen.add(format(v, d));
            if (unique) return new Labels(d);
        }
        return new Labels(17);
    }

    /** Labels for {@code values}. */
    public static Labels of(double... values) {
        java.util.List<Double> l = new java.util.ArrayList<>();
        for (double v : values) l.add(v);
        return of(l);
    }

    /** Significant digits the labels use. */
    public int digits() {
        return digits;
    }

    /** The label of {@code v}. */
    public String of(double v) {
        return format(v, digits);
    }

    /** {@code v} to {@code d} significant digits, plain ({@link Charts#sig3} for 3). */
    static String format(double v, int d) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == 0) return "0";
        if (d <= 3) return Charts.sig3(v);
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e6) {
            return String.format(java.util.Locale.ROOT, "%." + (d - 1) + "e", v).replaceAll("\\.?0+e", "e")
                    .replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        return new BigDecimal(v).round(new MathContext(d)).stripTrailingZeros().toPlainString();
    }
}
