package org.gdchaos.sweep;

import org.gdchaos.Setting;
import org.gdchaos.InputException;
import java.util.Locale;

/**
 * Learning-rate grids: a comma list {@code 0.1,0.5,1}, {@code log:A:B:N} (N values geometrically
 * spaced from A to B inclusive, A, B &gt; 0) or {@code lin:A:B:N} (N values evenly spaced).
 */
public final class LearningRates {
    /** The paper's 16 learning rates (docs/science.md#paper-protocol). */
    public static final double[] PAPER = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 7.5, 10, 12.5,
        15, 17.5, 20};

    private LearningRates() {
    }

    /**
     * Parses a grid.
     *
     * @throws IllegalArgumentException with the accepted forms, for malformed or impossible grids
     */
    public static double[] parse(String spec) {
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        double[] out;
        try {
            if (lower.startsWith("log:") || lower.startsWith("lin:")) {
                String[] p = s.substring(4).split(":");
                if (p.length != 3) throw bad(spec, "expected " + lower.substring(0, 3) + ":A:B:N");
                double a = Double.parseDouble(p[0]), b = Double.parseDouble(p[1]);
                int n = Integer.parseInt(p[2].trim());
                if (n < 1) throw bad(spec, "N must be ≥ 1");
                if (n > 1_000_000) throw bad(spec, "N = " + n + " is not a sensible grid");
                boolean log = lower.startsWith("log:");
                if (log && (a <= 0 || b <= 0)) throw bad(spec, "a log grid needs A > 0 and B > 0");
                out = new double[n];
                for (int i = 0; i < n; i++) {
                    double f = n == 1 ? 0 : (double) i / (n - 1);
                    out[i] = log ? Math.exp(Math.log(a) + f * (Math.log(b) - Math.log(a))) : a + f * (b - a);
                }
                if (n > 1) {
                    out[0] = a;
                    out[n - 1] = b;
                }
            } else {
                String[] items = s.split(",", -1);
                out = new double[items.length];
                for (int i = 0; i < items.length; i++) {
                    String x = items[i].trim();
                    if (x.isEmpty()) {
                        boolean none = s.replace(",", "").isBlank();
                        throw bad(spec, none ? "no values" : "value " + (i + 1) + " of " + items.length + " is empty");
                    }
                    out[i] = Double.parseDouble(x);
                }
            }
        } catch (NumberFormatException e) {
            throw bad(spec, "not a number: " + e.getMessage());
        }
        for (double v : out) {
            if (!(v >= 0) || !Double.isFinite(v)) throw bad(spec, "learning rates must be finite and ≥ 0, got " + v);
        }
        return out;
    }

    private static InputException bad(String spec, String why) {
        return new InputException(Setting.LEARNING_RATES.key(), "bad learning-rate grid '" + spec + "': " + why
                + " (use a list 0.1,0.5,1 or log:A:B:N or lin:A:B:N)");
    }
}
