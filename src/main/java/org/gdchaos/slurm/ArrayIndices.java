package org.gdchaos.slurm;

import org.gdchaos.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Slurm array index lists: {@code "0-3,5,7-8"}, optionally with a step {@code "1-7:2"} or a limit {@code "%2"}. */
public final class ArrayIndices {
    private ArrayIndices() {
    }

    /** Compact form of a set of indices, e.g. {0,1,2,3,5} → {@code "0-3,5"}. */
    public static String format(SortedSet<Integer> indices) {
        if (indices.isEmpty()) throw new InputException("no array indices");
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int i : indices) {
            if (start == null) {
                start = i;
            } else if (i != prev + 1) {
                parts.add(start.equals(prev) ? start.toString() : start + "-" + prev);
                start = i;
            }
            prev = i;
        }
        parts.add(start.equals(prev) ? start.toString() : start + "-" + prev);
        return String.join(",", parts);
    }

    /** The indices of a list such as {@code "0-3,5"}, {@code "1-7:2"} or {@code "0-9%2"}. */
    public static SortedSet<Integer> parse(String s) {
        String v = s.strip();
        int pct = v.indexOf('%');
        if (pct >= 0) v = v.substring(0, pct);
        SortedSet<Integer> out = new TreeSet<>();
        if (v.isEmpty()) return out;
        try {
            for (String part : v.split(",")) {
                int step = 1;
                int colon = part.indexOf(':');
                if (colon >= 0) {
                    step = Integer.parseInt(part.substring(colon + 1));
                    part = part.substring(0, colon);
                }
                int dash = part.indexOf('-');
                int a = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int b = dash < 0 ? a : Integer.parseInt(part.substring(dash + 1));
                if (step < 1 || b < a) throw new InputException("bad array index list '" + s + "'");
                for (int i = a; i <= b; i += step) out.add(i);
            }
        } catch (NumberFormatException e) {
            throw new InputException("bad array index list '" + s + "'");
        }
        return out;
    }
}
