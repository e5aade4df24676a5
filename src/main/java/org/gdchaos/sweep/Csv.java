package org.gdchaos.sweep;

import java.util.List;

/** Number formatting for the CSV outputs: shortest round-trip decimal, so values read back exactly. */
final class Csv {
    private Csv() {
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "Infinity";
        if (v == Double.NEGATIVE_INFINITY) return "-Infinity";
        return Double.toString(v);
    }

    /** A step or count that may be absent: the number, or {@code NaN} for {@link CellRow#NONE}. */
    static String step(int v) {
        return v < 0 ? "NaN" : Integer.toString(v);
    }

    static double parse(String s) {
        return Double.parseDouble(s.trim());
    }

    static String join(List<String> cells) {
        return String.join(",", cells);
    }
}
