package org.gdchaos.plot;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.knowm.xchart.XYChart;

/**
 * Tick labels of one axis with one number format: on a linear axis every label has the same number
 * of decimals — as many as the finest tick needs ({@code 1.0, 1.2, 1.4}, {@code 0.05, 0.10}; never
 * {@code 1} beside {@code 1.2} or {@code .05}); on a logarithmic axis the plain shortest form of each
 * power of ten ({@code 0.1, 1, 10}). XChart asks for labels while it lays out the axis, before the
 * tick positions are final, so {@link Panels} draws each chart once to learn the ticks
 * ({@link #fix}), then again with the fixed format. Every label handed out is remembered
 * ({@link #shown}) so that {@link TextOutlines} can recognise it in the drawing.
 */
final class TickLabels implements Function<Double, String> {
    private final XYChart chart;
    private final boolean xAxis;
    private int decimals = -1;
    private final Set<String> shown = new LinkedHashSet<>();

    TickLabels(XYChart chart, boolean xAxis) {
        this.chart = chart;
        this.xAxis = xAxis;
    }

    /**
     * Installs a {@code TickLabels} on each linear axis of {@code chart} (XChart draws a formatted axis
     * with linear ticks, so a logarithmic axis keeps XChart's powers of ten).
     */
    static void install(XYChart chart) {
        if (!chart.getStyler().isXAxisLogarithmic()) {
            chart.getStyler().setxAxisTickLabelsFormattingFunction(new TickLabels(chart, true));
        }
        if (!chart.getStyler().isYAxisLogarithmic()) {
            chart.getStyler().setyAxisTickLabelsFormattingFunction(new TickLabels(chart, false));
        }
    }

    private boolean log() {
        return xAxis ? chart.getStyler().isXAxisLogarithmic() : chart.getStyler().isYAxisLogarithmic();
    }

    /**
     * Fixes the decimals to those the finest of {@code labels} (this function's plain labels of a first
     * layout) shows, at most 6; labels in exponent form do not count.
     */
    void fix(List<String> labels) {
        int d = 0;
        for (String l : labels) {
            int dot = l.indexOf('.');
            if (dot >= 0 && !l.contains("e")) d = Math.max(d, l.length() - dot - 1);
        }
        decimals = Math.min(6, d);
    }

    /** Every label handed out so far. */
    Set<String> shown() {
        return shown;
    }

    @Override
    public String apply(Double value) {
        double v = value;
        String s;
        if (!Double.isFinite(v)) {
            s = Double.toString(v);
        } else if (log() || decimals < 0 || Math.abs(v) >= 1e6) {
            s = plain(v);
        } else {
            s = String.format(Locale.ROOT, "%." + decimals + "f", v);
            if (s.matches("-0(\\.0*)?")) s = s.substring(1);
        }
        s = s.replace('-', '\u2212'); // a minus sign, as wide as the plus
        shown.add(s);
        return s;
    }

    /** {@code v} in its shortest plain form at 12 significant digits ({@code 0.1}, {@code 20}, {@code 1e-5}). */
    static String plain(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e6) return Charts.sig3(v);
        return new BigDecimal(v).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
    }
}
