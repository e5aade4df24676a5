package org.gdchaos.onset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gdchaos.plot.Charts;
import org.gdchaos.plot.PlotOptions;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.report.Report;
import org.gdchaos.sweep.report.SweepPlots;
import org.gdchaos.sweep.SweepSpec;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The onset search's figures and report.html: {@code onset_lambda} (λ1 against η, one marker per
 * round, the 95% interval as whiskers, λ* as a dashed line, the onset bracket and the fastest
 * bracket as shaded bands) and {@code onset_steps} (median steps to the accuracy threshold on the same
 * η axis), then the sweep's usual figures; the answer in one paragraph at the top of the page.
 */
final class OnsetReport {
    static final Color ONSET = new Color(214, 39, 40);
    static final Color FAST = new Color(44, 160, 44);
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS};

    private OnsetReport() {
    }

    static List<Path> write(Path dir, JsonNode runJson, SweepSpec spec, OnsetSearch search, OnsetSearch.Replay replay,
                            OnsetAnswer answer, List<Cell> visited, List<CellRow> rows, PlotOptions options,
                            List<String> warnings) {
        List<SweepPlots.Figure> figures = new ArrayList<>();
        OnsetAnswer shown = answer != null ? answer : OnsetAnswer.unfinished(search, replay);
        try {
            figures.addAll(figures(search, replay, shown, options));
        } catch (RuntimeException e) {
            warnings.add("onset figures not drawn: " + e);
        }
        if (runJson == null) runJson = new ObjectMapper().createObjectNode();
        List<String> notes = List.of("Onset search: " + shown.onsetLine() + ". " + capital(shown.fastestLine()) + ". "
                + replay.rounds().size() + " rounds, " + visited.size() + " cells (a uniform grid at the same resolution: "
                + (long) (search.lattice().intervals() + 1) * search.settings().inits() + "); every round in "
                + OnsetRunner.FILE + ".");
        try {
            return Report.write(dir, spec, visited, runJson, rows, options, notes, figures);
        } catch (RuntimeException e) {
            warnings.add("plots or " + Report.FILE + " not written: " + e);
            return List.of();
        }
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static List<SweepPlots.Figure> figures(OnsetSearch search, OnsetSearch.Replay replay, OnsetAnswer answer,
                                           PlotOptions options) {
        Lattice l = search.lattice();
        OnsetSearch.State st = replay.state();
        if (st == null) return List.of();
        boolean log = l.log();
        XYChart lam = Charts.xyChart("λ1 against the learning rate: onset search", "learning rate η", "λ1 (per step)",
                log, options);
        XYChart steps = Charts.xyChart("Steps to the accuracy threshold", "learning rate η",
                "median steps to threshold", log, options);
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (PointResult p : st.points().values()) {
            if (Double.isFinite(p.lambda1().mean())) {
                yMin = Math.min(yMin, finiteOr(p.lambda1().ciLow(), p.lambda1().mean()));
                yMax = Math.max(yMax, finiteOr(p.lambda1().ciHigh(), p.lambda1().mean()));
            }
        }
        double thr = search.settings().chaosThreshold();
        yMin = Math.min(Double.isFinite(yMin) ? yMin : thr, thr);
        yMax = Math.max(Double.isFinite(yMax) ? yMax : thr, thr);
        double pad = 0.05 * Math.max(yMax - yMin, 1e-3);
        yMin -= pad;
        yMax += pad;
        lam.getStyler().setYAxisMin(yMin);
        lam.getStyler().setYAxisMax(yMax);
        double sMax = st.points().values().stream().mapToDouble(PointResult::medianSteps).filter(Double::isFinite)
                .max().orElse(1);
        double sTop = sMax * 1.1 + 1;
        steps.getStyler().setYAxisMin(0.0);
        steps.getStyler().setYAxisMax(sTop);
        OnsetSearch.Onset o = st.onset();
        if (o.high() >= 0) {
            double a = o.low() >= 0 ? l.value(o.low()) : l.lo(), b = l.value(o.high());
            verticalBand(lam, "onset bracket", a, b, yMin, yMax, ONSET);
            verticalBand(steps, "onset bracket", a, b, 0, sTop, ONSET);
        }
        OnsetSearch.Fastest f = st.fastest();
        if (f.lowest() >= 0) { // the fastest bracket: from the visited η below the fastest set to the one above it
            double a = l.value(f.below() >= 0 ? f.below() : f.lowest()), b = l.value(f.above() >= 0 ? f.above()
                    : f.highest());
            if (a == b) { // a single η at an end of the range: a band ±1.5% wide so it shows
                a /= 1.015;
                b *= 1.015;
            }
            verticalBand(lam, "fastest bracket", a, b, yMin, yMax, FAST);
            verticalBand(steps, "fastest bracket", a, b, 0, sTop, FAST);
        }
        Charts.color(Charts.curve(lam, "λ* = " + OnsetAnswer.g(thr), new double[] {l.lo(), l.hi()},
                new double[] {thr, thr}), Color.GRAY);
        int n = replay.rounds().size();
        for (OnsetSearch.Done d : replay.rounds()) {
            int r = d.round().round();
            List<Integer> mine = new ArrayList<>(d.round().newPoints());
            if (mine.isEmpty()) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>(), e = new ArrayList<>(), sx = new ArrayList<>(),
                    sy = new ArrayList<>();
            for (int j : mine) {
                PointResult p = st.points().get(j); // the final verdict and interval, with every init it got
                if (Double.isFinite(p.lambda1().mean())) {
                    x.add(p.lr());
                    y.add(p.lambda1().mean());
                    double h = p.lambda1().ciHalfWidth();
                    e.add(Double.isFinite(h) ? h : 0);
                }
                if (Double.isFinite(p.medianSteps())) {
                    sx.add(p.lr());
                    sy.add(p.medianSteps());
                }
            }
            Color color = Charts.ordered(r, Math.max(2, n));
            Marker m = MARKERS[r % MARKERS.length];
            String name = "round " + r;
            if (!x.isEmpty()) {
                // the 95% intervals as whiskers (XChart's error bars refuse a logarithmic η axis)
                for (int i = 0; i < x.size(); i++) {
                    if (e.get(i) <= 0) continue;
                    XYSeries w = lam.addSeries("ci " + r + "/" + i, new double[] {x.get(i), x.get(i)},
                            new double[] {y.get(i) - e.get(i), y.get(i) + e.get(i)});
                    w.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    w.setMarker(SeriesMarkers.NONE);
                    w.setShowInLegend(false);
                    w.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 140));
                    w.setLineStyle(new java.awt.BasicStroke(2f));
                }
                XYSeries s = Charts.scatter(lam, name, arr(x), arr(y));
                s.setMarker(m);
                Charts.color(s, color);
            }
            if (!sx.isEmpty()) {
                XYSeries s = Charts.scatter(steps, name, arr(sx), arr(sy));
                s.setMarker(m);
                Charts.color(s, color);
            }
        }
        for (XYChart c : List.of(lam, steps)) {
            if (log) { // the same η axis for both panels, a little wider than the range
                c.getStyler().setXAxisMin(l.lo() / 1.15);
                c.getStyler().setXAxisMax(l.hi() * 1.15);
            } else {
                Charts.niceXRange(c, l.lo(), l.hi());
            }
        }
        String cap = answer.onsetLine() + ". Markers: the round in which each η was first visited; whiskers: 95% "
                + "interval of the mean λ1 over its initialisations; red band: the onset bracket; green: the fastest bracket (the visited η on either side of the fastest).";
        SweepPlots.Figure lamFigure = new SweepPlots.Figure("onset_lambda", cap, lam);
        if (st.points().values().stream().noneMatch(p -> Double.isFinite(p.medianSteps()))) {
            return List.of(lamFigure); // no η reached the threshold, or the task has no accuracy
        }
        return List.of(lamFigure,
                new SweepPlots.Figure("onset_steps", answer.fastestLine() + ". Median over initialisations; η whose "
                        + "median never reached the threshold are not drawn.", steps));
    }

    /** A band over η in [a, b] across the plot's height [lo, hi]. */
    private static void verticalBand(XYChart c, String name, double a, double b, double lo, double hi, Color color) {
        Charts.band(c, name, new double[] {a, b}, new double[] {lo, lo}, new double[] {hi, hi}, color);
    }

    private static double finiteOr(double v, double other) {
        return Double.isFinite(v) ? v : other;
    }

    private static double[] arr(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) a[i] = v.get(i);
        return a;
    }
}
