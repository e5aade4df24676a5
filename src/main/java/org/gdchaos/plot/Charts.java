package org.gdchaos.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A thin, headless-safe layer over XChart for the plots gdchaos writes: line and scatter
 * series with an optional logarithmic x axis, a shaded error band between a lower and an
 * upper curve, a series on a second (right-hand) y axis, error bars, and saving figures of one or
 * more stacked charts ({@link Panels}) as PNG, SVG and PDF.
 *
 * <p>Points that cannot be drawn are dropped, not fatal: non-finite x or y, and x ≤ 0 on a
 * log axis (diverged runs give NaN exponents; a plot of the rest is still useful). A series
 * with no drawable point is not added and the helper returns {@code null}.
 *
 * <p>SVG is written through VectorGraphics2D, PDF through PdfBoxGraphics2D (both transitive
 * dependencies of xchart, so nothing extra is needed at run time). XChart draws every
 * text as glyph outlines and every line segment as its own {@code <line>} with its full style, and
 * VectorGraphics2D writes 16-digit coordinates and turns each dash of a dashed stroke into a filled
 * outline; a 900×600 curves plot was 850 KB. So charts use solid grid lines (no dashes anywhere),
 * and {@link #compactSvg} joins chained segments of one style into one {@code <polyline>} and rounds
 * coordinates to 0.01: the same picture in ~10% of the bytes. Labels are written as text, not outlines
 * ({@link TextOutlines}): editable and searchable in SVG and PDF.
 *
 * <p>Sizes and fonts follow {@link PlotOptions}: fonts are sized for a 1600-pixel-wide figure and
 * scale with {@link PlotOptions#scale()}.
 */
public final class Charts {

    /** Default size in pixels ({@link PlotOptions#DEFAULT}). */
    public static final int WIDTH = PlotOptions.DEFAULT.width();
    public static final int HEIGHT = PlotOptions.DEFAULT.height();

    /** File formats {@link #save} can write. */
    public enum Format {
        PNG("png"), SVG("svg"), PDF("pdf");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    private Charts() {
    }

    /** Sets {@code java.awt.headless=true} unless the user chose otherwise. */
    static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // ImageIO caches streams in java.io.tmpdir by default: a full or read-only /tmp then breaks
        // every PNG ("Can't create cache file!"); figures are encoded in memory instead
        javax.imageio.ImageIO.setUseCache(false);
    }

    /**
     * An empty XY chart of {@code width} × {@code height} pixels with fonts for the scale {@code k}
     * (a panel of a figure whose size, and so font scale, is given elsewhere).
     */
    public static XYChart xyChart(String title, String xLabel, String yLabel, boolean logX, int width, int height,
                                  double k) {
        ensureHeadless();
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        return styled(chart, logX, k);
    }

    /** An empty XY chart of the default size ({@link PlotOptions#DEFAULT}); see {@link #xyChart(String, String, String, boolean, PlotOptions)}. */
    public static XYChart xyChart(String title, String xLabel, String yLabel, boolean logX) {
        return xyChart(title, xLabel, yLabel, logX, PlotOptions.DEFAULT);
    }

    /**
     * An empty XY chart: white background, solid light grid, legend in one row below the plot,
     * optional log-x axis, fonts sized for a talk (title 34 px, axis titles 28 px, tick labels and
     * legend 24 px at 1600 px wide, scaled by {@link PlotOptions#scale()}).
     */
    public static XYChart xyChart(String title, String xLabel, String yLabel, boolean logX, PlotOptions size) {
        return xyChart(title, xLabel, yLabel, logX, size.width(), size.height(), size.scale());
    }

    private static XYChart styled(XYChart chart, boolean logX, double k) {
        XYStylerAccess.style(chart, k);
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setAntiAlias(true);
        chart.getStyler().setXAxisLogarithmic(logX);
        TickLabels.install(chart);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setPlotGridLinesStroke(new BasicStroke((float) Math.max(1, k)));
        chart.getStyler().setMarkerSize((int) Math.round(11 * k));
        return chart;
    }

    /** Fonts, paddings and strokes of a chart for the font scale {@code k}. */
    private static final class XYStylerAccess {
        static void style(XYChart chart, double k) {
            var s = chart.getStyler();
            s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, px(34, k)));
            s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, px(28, k)));
            s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, px(24, k)));
            s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, px(24, k)));
            s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, px(22, k)));
            s.setChartTitlePadding(px(12, k));
            s.setChartPadding(px(16, k));
            s.setLegendPadding(px(10, k));
            s.setAxisTickPadding(px(8, k));
            s.setAxisTickMarkLength(px(8, k));
            s.setAxisTitlePadding(px(14, k));
            s.setXAxisTickMarkSpacingHint(px(140, k));
            s.setYAxisTickMarkSpacingHint(px(110, k));
            s.setAxisTickMarksStroke(new BasicStroke((float) Math.max(1, 1.5 * k)));
        }
    }

    private static int px(double size, double k) {
        return (int) Math.max(1, Math.round(size * k));
    }

    /** The line width of data series at font scale {@code k} (3 px at 1600 px wide). */
    public static BasicStroke stroke(XYChart chart) {
        float w = (float) Math.max(1.5, 3 * chart.getWidth() / 1600.0);
        return new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /**
     * Sets {@code factor} × the data line width of {@link #stroke} on a series (no-op for null); returns
     * it. Butt caps: XChart strokes each segment on its own, and round caps of a translucent line
     * would overlap into dots at every point.
     */
    public static XYSeries thick(XYChart chart, XYSeries series, double factor) {
        if (series != null) {
            BasicStroke b = stroke(chart);
            series.setLineStyle(new BasicStroke((float) (b.getLineWidth() * factor), BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_ROUND));
        }
        return series;
    }

    /**
     * The viridis colour map (perceptually uniform, ordered dark blue → green → yellow, readable in
     * grey and by most colour-blind readers) at {@code t} ∈ [0, 1], linearly interpolated between 9
     * samples of the matplotlib table; values outside are clamped.
     */
    public static Color viridis(double t) {
        double[][] v = {{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
            {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};
        double x = Double.isFinite(t) ? Math.max(0, Math.min(1, t)) * (v.length - 1) : 0;
        int i = Math.min(v.length - 2, (int) Math.floor(x));
        double f = x - i;
        return new Color((int) Math.round(v[i][0] + f * (v[i + 1][0] - v[i][0])),
                (int) Math.round(v[i][1] + f * (v[i + 1][1] - v[i][1])),
                (int) Math.round(v[i][2] + f * (v[i + 1][2] - v[i][2])));
    }

    /**
     * Ten colours in order (purple, blue, cyan, teal, green, olive, amber, orange, red, maroon), each dark
     * enough to read on white and unlike its neighbours in hue — viridis's dark end gave five curves
     * nearly one colour, and its light end little contrast on white.
     */
    private static final int[][] ORDERED = {{84, 39, 143}, {31, 90, 200}, {0, 160, 215}, {0, 140, 120},
        {60, 165, 45}, {150, 160, 0}, {235, 165, 0}, {240, 100, 20}, {205, 30, 40}, {125, 15, 60}};

    /**
     * The colour of the {@code i}-th of {@code n} ordered values (e.g. learning rates, ascending): with
     * up to ten values every one a different colour of {@link #ORDERED} spread over the whole range, more
     * interpolated between them.
     */
    public static Color ordered(int i, int n) {
        if (n <= 1) return new Color(ORDERED[1][0], ORDERED[1][1], ORDERED[1][2]);
        double x = Math.max(0, Math.min(1, i / (double) (n - 1))) * (ORDERED.length - 1);
        int k = Math.min(ORDERED.length - 2, (int) Math.floor(x));
        double f = x - k;
        int[] a = ORDERED[k], b = ORDERED[k + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }

    /** {@code v} to 3 significant digits, plain ({@code 0.468}, {@code 20}, {@code 1.5e-5} below 1e-4 or from 1e6). */
    public static String sig3(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e6) return String.format(Locale.ROOT, "%.2e", v).replace("e+0", "e").replace("e-0", "e-");
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /**
     * A "nice" tick spacing (1, 2 or 5 × 10^k) for about {@code target} intervals over {@code span}.
     */
    public static double niceStep(double span, int target) {
        if (!(span > 0) || target < 1) return 1;
        double raw = span / target;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }

    /**
     * Fixes a linear x axis to [{@code min}, {@code max}], {@code min} rounded down to a multiple of a
     * nice step (1, 2 or 5 × 10^k, about 8 intervals), and asks XChart for ticks about that far apart, so
     * that ticks fall on round numbers (0, 50, 100 … rather than 201, 296 …).
     */
    public static void niceXRange(XYChart chart, double min, double max) {
        if (!(max > min)) return;
        double step = niceStep(max - min, 8);
        double lo = Math.floor(min / step) * step, hi = max; // the axis ends where the data end (e.g. the last step)
        chart.getStyler().setXAxisMin(lo);
        chart.getStyler().setXAxisMax(hi);
        // XChart picks a 1-2-5 spacing whose pixel width is at least the hint: ask for one step's width
        double plotWidth = 0.8 * chart.getWidth();
        chart.getStyler().setXAxisTickMarkSpacingHint((int) Math.max(20, 0.9 * plotWidth * step / (hi - lo)));
        // When every x value lies on one equally spaced grid (steps 0, 1, 2 …), XChart puts ticks on data
        // values instead (every k-th step from the first: 201, 296, 391 …). One invisible point off that
        // grid makes it use the 1-2-5 ticks above.
        for (XYSeries s : chart.getSeriesMap().values()) {
            double[] y = s.getYData();
            if (y.length == 0) continue;
            XYSeries off = chart.addSeries("\u2009", new double[] {lo + 0.37 * step}, new double[] {y[0]});
            off.setMarker(SeriesMarkers.NONE);
            off.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            off.setShowInLegend(false);
            break;
        }
    }

    /** A line series with small round markers; {@code null} when no point is drawable. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = add(chart, name, x, y);
        if (s != null) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(stroke(chart));
        }
        return s;
    }

    /** Most points a {@link #curve} keeps; longer curves are reduced by {@link #decimate}. */
    public static final int CURVE_POINTS = 800;

    /**
     * A line without markers (for long curves such as d(t)); more than {@value #CURVE_POINTS} drawable
     * points are reduced to the first and last point, and the minimum and maximum of each of
     * {@value #CURVE_POINTS}/2 − 1 consecutive buckets (in x order): the drawn envelope is the same at
     * any resolution up to ~{@value #CURVE_POINTS}/2 pixels per axis, the file a fraction.
     */
    public static XYSeries curve(XYChart chart, String name, double[] x, double[] y) {
        double[][] d = decimate(x, y, CURVE_POINTS);
        XYSeries s = add(chart, name, d[0], d[1]);
        if (s != null) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(stroke(chart));
        }
        return s;
    }

    /**
     * At most {@code max} points of a curve (x ascending): non-finite points are dropped, then, if more
     * than {@code max} remain, the first and last point and each bucket's minimum and maximum (in x
     * order) are kept; fewer points are returned unchanged.
     */
    public static double[][] decimate(double[] x, double[] y, int max) {
        int n = 0;
        for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) n++;
        if (n <= max || max < 4) return new double[][] {x, y};
        double[] fx = new double[n], fy = new double[n];
        int m = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                fx[m] = x[i];
                fy[m++] = y[i];
            }
        }
        int buckets = (max - 2) / 2;
        double[] ox = new double[2 * buckets + 2], oy = new double[2 * buckets + 2];
        int k = 0;
        ox[k] = fx[0];
        oy[k++] = fy[0];
        for (int b = 0; b < buckets; b++) {
            int lo = 1 + (int) ((long) b * (n - 2) / buckets), hi = 1 + (int) ((long) (b + 1) * (n - 2) / buckets);
            if (hi <= lo) continue;
            int imin = lo, imax = lo;
            for (int i = lo; i < hi; i++) {
                if (fy[i] < fy[imin]) imin = i;
                if (fy[i] > fy[imax]) imax = i;
            }
            int a = Math.min(imin, imax), c = Math.max(imin, imax);
            ox[k] = fx[a];
            oy[k++] = fy[a];
            if (c != a) {
                ox[k] = fx[c];
                oy[k++] = fy[c];
            }
        }
        ox[k] = fx[n - 1];
        oy[k++] = fy[n - 1];
        return new double[][] {java.util.Arrays.copyOf(ox, k), java.util.Arrays.copyOf(oy, k)};
    }

    /**
     * Whether learning rates (or any positive x values) are better shown on a log axis: all positive
     * spanning more than a factor of 20, and not equally spaced (a {@code log:} grid or a list); a
     * narrow or equally spaced ({@code lin:}) grid stays linear.
     */
    public static boolean logScale(double[] x) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double v : x) {
            if (!Double.isFinite(v)) continue;
            if (v <= 0) return false;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (x.length >= 3) { // an equally spaced (lin:) grid reads best on a linear axis
            double d = x[1] - x[0];
            boolean even = d > 0;
            for (int i = 2; i < x.length && even; i++) even = Math.abs(x[i] - x[i - 1] - d) <= 1e-9 * Math.abs(hi);
            if (even) return false;
        }
        return hi > 20 * lo;
    }

    /** A diamond drawn as its outline (a λ1 resting on few points: seen, but not as solid as the others). */
    public static final org.knowm.xchart.style.markers.Marker HOLLOW_DIAMOND = new org.knowm.xchart.style.markers.Marker() {
        @Override
        public void paint(java.awt.Graphics2D g, double x, double y, int size) {
            g.setStroke(new BasicStroke(Math.max(1.5f, size / 6f)));
            double h = size / 2.0 + 1;
            java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
            p.moveTo(x, y - h);
            p.lineTo(x + h, y);
            p.lineTo(x, y + h);
            p.lineTo(x - h, y);
            p.closePath();
            g.draw(p);
        }
    };

    /**
     * A legend entry without data (a style several series share, e.g. "95% CI" for bands of several
     * colours): one point of the chart's first series drawn invisibly; {@code band} shows a filled box.
     */
    public static XYSeries legendOnly(XYChart chart, String name, org.knowm.xchart.style.markers.Marker marker,
                                      Color color, boolean band) {
        XYSeries s = chart.addSeries(uniqueName(chart, name), new double[] {Double.NaN}, new double[] {Double.NaN});
        if (band) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 60));
            s.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 0));
            s.setMarker(SeriesMarkers.NONE);
        } else {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(marker);
            s.setMarkerColor(color);
        }
        return s;
    }

    /**
     * A line with markers and symmetric error bars ±{@code err[i]} (e.g. a 95% interval's half-width);
     * points whose value is not drawable are dropped, a non-finite error is drawn as none.
     */
    public static XYSeries lineWithErrors(XYChart chart, String name, double[] x, double[] y, double[] err) {
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        int m = 0;
        double[] fx = new double[x.length], fy = new double[x.length], fe = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (drawable(x[i], logX) && Double.isFinite(y[i])) {
                fx[m] = x[i];
                fy[m] = y[i];
                fe[m++] = Double.isFinite(err[i]) ? Math.abs(err[i]) : 0;
            }
        }
        if (m == 0) return null;
        XYSeries s = chart.addSeries(uniqueName(chart, name), java.util.Arrays.copyOf(fx, m), java.util.Arrays.copyOf(fy, m),
                java.util.Arrays.copyOf(fe, m));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(stroke(chart));
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        return s;
    }

    /**
     * {@code name}, or, when the chart has a series of that name already (two values that print the
     * same), {@code name} followed by " (2)", " (3)" …: XChart refuses a name twice.
     */
    static String uniqueName(XYChart chart, String name) {
        if (!chart.getSeriesMap().containsKey(name)) return name;
        for (int k = 2; ; k++) if (!chart.getSeriesMap().containsKey(name + " (" + k + ")")) return name + " (" + k + ")";
    }

    /** A scatter series (markers only). */
    public static XYSeries scatter(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = add(chart, name, x, y);
        if (s != null) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return s;
    }

    /**
     * A shaded band between {@code lower[i]} and {@code upper[i]} (e.g. a 95 % interval),
     * drawn as a filled polygon: upper curve left to right, then lower curve right to left.
     * Points where either bound is not drawable are dropped. Add it before the mean line so
     * the line is drawn on top.
     */
    public static XYSeries band(XYChart chart, String name, double[] x, double[] lower,
                                double[] upper, Color color) {
        if (x.length != lower.length || x.length != upper.length) {
            throw new IllegalArgumentException("band '" + name + "': x, lower and upper lengths"
                    + " differ: " + x.length + ", " + lower.length + ", " + upper.length);
        }
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (drawable(x[i], logX) && drawable(lower[i], logY) && drawable(upper[i], logY)) {
                pts.add(new double[] {x[i], lower[i], upper[i]});
            }
        }
        if (pts.isEmpty()) {
            return null;
        }
        int m = pts.size();
        double[] px = new double[2 * m];
        double[] py = new double[2 * m];
        for (int i = 0; i < m; i++) {
            px[i] = pts.get(i)[0];
            py[i] = pts.get(i)[2];
            px[2 * m - 1 - i] = pts.get(i)[0];
            py[2 * m - 1 - i] = pts.get(i)[1];
        }
        XYSeries s = chart.addSeries(uniqueName(chart, name), px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        Color c = color == null ? new Color(31, 119, 180) : color;
        s.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
        s.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
        s.setLineStyle(new BasicStroke(0f));
        return s;
    }

    /**
     * A line series on the second y axis (right-hand side), titled {@code axisTitle}.
     * Note: XChart applies the log-x setting to both axes groups alike.
     */
    public static XYSeries secondAxisLine(XYChart chart, String name, double[] x, double[] y,
                                          String axisTitle) {
        XYSeries s = add(chart, name, x, y);
        if (s != null) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.SQUARE);
            s.setLineStyle(stroke(chart));
            s.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, axisTitle);
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        return s;
    }

    /** Sets line and marker colour of a series (no-op for {@code null}); returns it. */
    public static XYSeries color(XYSeries series, Color color) {
        if (series != null && color != null) {
            series.setLineColor(color);
            series.setMarkerColor(color);
        }
        return series;
    }

    /**
     * Saves the chart as {@code base.png}, {@code base.svg} (compacted, {@link #compactSvg}) and/or
     * {@code base.pdf} (creating parent folders).
     *
     * @param base    the path without extension
     * @param formats the formats to write; none = PNG and SVG
     * @return the files written
     * @throws UncheckedIOException when a file cannot be written
     */
    public static List<Path> save(XYChart chart, Path base, Format... formats) {
        Format[] fs = formats == null || formats.length == 0 ? new Format[] {Format.PNG, Format.SVG} : formats;
        return save(Panels.of(chart), base, java.util.Arrays.asList(fs), null);
    }

    /** {@link #save(XYChart, Path, Format...)} for the formats of {@code options} (in {@link Format} order). */
    public static List<Path> save(XYChart chart, Path base, PlotOptions options) {
        return save(Panels.of(chart), base, options, null);
    }

    /**
     * Saves a figure in the formats of {@code options} with its SVG already drawn by {@link #svg}
     * (null: draw it here), so a caller that also needs the SVG text draws it once.
     */
    public static List<Path> save(Panels figure, Path base, PlotOptions options, String svg) {
        List<Format> fs = new ArrayList<>();
        for (Format f : Format.values()) if (options.formats().contains(f)) fs.add(f);
        return save(figure, base, fs, svg);
    }

    /**
     * Each file is drawn in memory and then written next to its place under a temporary name and
     * moved there in one step (a full disk leaves the old file or none, never a truncated one); no
     * temporary folder is used ({@link #ensureHeadless} turns ImageIO's disk cache off).
     */
    private static List<Path> save(Panels figure, Path base, List<Format> fs, String drawnSvg) {
        ensureHeadless();
        List<Path> written = new ArrayList<>();
        try {
            Path parent = base.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            for (Format f : fs) {
                Path file = base.resolveSibling(base.getFileName() + "." + f.extension());
                byte[] bytes = switch (f) {
                    case PNG -> png(figure);
                    case SVG -> (drawnSvg != null ? drawnSvg : svg(figure)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    case PDF -> pdf(figure);
                };
                org.gdchaos.io.AtomicFiles.write(file, bytes);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + base + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** The figure as PNG bytes (drawn in memory). */
    static byte[] png(Panels figure) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(figure.width(), figure.height(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            figure.paint(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!javax.imageio.ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
        return out.toByteArray();
    }

    /** A VectorGraphics2D whose fills of text outlines become text ({@link TextOutlines}). */
    private static final class TextVectorGraphics extends de.erichseifert.vectorgraphics2d.VectorGraphics2D {
        private final TextOutlines texts;

        TextVectorGraphics(TextOutlines texts) {
            this.texts = texts;
        }

        @Override
        public void fill(java.awt.Shape s) {
            texts.fill(this, s, super::fill);
        }
    }

    /** A PdfBoxGraphics2D whose fills of text outlines become text ({@link TextOutlines}). */
    private static final class TextPdfGraphics extends de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D {
        private final TextOutlines texts;

        TextPdfGraphics(org.apache.pdfbox.pdmodel.PDDocument doc, int w, int h, TextOutlines texts) throws IOException {
            super(doc, w, h);
            this.texts = texts;
        }

        @Override
        public void fill(java.awt.Shape s) {
            texts.fill(this, s, super::fill);
        }
    }

    /**
     * PDF text in DejaVu Sans (embedded as a subset; Greek letters included) when the system has it,
     * else in the PDF's standard Helvetica where it can encode the text.
     */
    private static final class PdfFonts extends de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawerDefaultFonts {
        private final java.util.Map<Boolean, org.apache.pdfbox.pdmodel.font.PDFont> loaded = new java.util.HashMap<>();

        @Override
        protected org.apache.pdfbox.pdmodel.font.PDFont mapFont(Font font, IFontTextDrawerEnv env)
                throws IOException, java.awt.FontFormatException {
            boolean bold = font.isBold();
            Path ttf = Path.of("/usr/share/fonts/truetype/dejavu", bold ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf");
            if (Files.isRegularFile(ttf)) {
                org.apache.pdfbox.pdmodel.font.PDFont f = loaded.get(bold);
                if (f == null) {
                    f = org.apache.pdfbox.pdmodel.font.PDType0Font.load(env.getDocument(), ttf.toFile());
                    loaded.put(bold, f);
                }
                return f;
            }
            return super.mapFont(font, env);
        }
    }

    /** The figure as a PDF document, text as text. */
    static byte[] pdf(Panels figure) throws IOException {
        figure.prepare();
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage(
                    new org.apache.pdfbox.pdmodel.common.PDRectangle(figure.width(), figure.height()));
            doc.addPage(page);
            TextPdfGraphics g = new TextPdfGraphics(doc, figure.width(), figure.height(), figure.texts());
            g.setFontTextDrawer(new PdfFonts());
            figure.paint(g);
            g.dispose();
            try (org.apache.pdfbox.pdmodel.PDPageContentStream cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc,
                    page)) {
                cs.drawForm(g.getXFormObject());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** XChart cannot lay out axes without data: an empty chart gets one invisible point. */
    static void ensureDrawable(XYChart chart) {
        if (chart.getSeriesMap().isEmpty()) {
            XYSeries s = chart.addSeries(" ", new double[] {1}, new double[] {0});
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
        }
    }

    /** The chart as a compact SVG document ({@link #compactSvg}). */
    public static String svg(XYChart chart) {
        return svg(Panels.of(chart));
    }

    /**
     * The figure as a compact SVG document ({@link #compactSvg}) with its labels as {@code <text>}
     * elements (editable and searchable in Inkscape, Illustrator or a LaTeX pipeline).
     */
    public static String svg(Panels figure) {
        ensureHeadless();
        figure.prepare();
        TextOutlines texts = figure.texts();
        TextVectorGraphics g = new TextVectorGraphics(texts);
        figure.paint(g);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new de.erichseifert.vectorgraphics2d.svg.SVGProcessor()
                    .getDocument(g.getCommands(), new de.erichseifert.vectorgraphics2d.util.PageSize(0.0, 0.0,
                            figure.width(), figure.height()))
                    .writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw figure: " + e.getMessage(), e);
        }
        return compactSvg(textWidths(out.toString(java.nio.charset.StandardCharsets.UTF_8), texts.advances()));
    }

    /**
     * Each {@code <text>} gets the width the figure was laid out with ({@code textLength}, glyphs and
     * spacing adjusted) and a generic fallback font, so that a viewer with other fonts keeps labels
     * inside their legend boxes and off the axes; unchanged when the counts do not match.
     */
    static String textWidths(String svg, List<Double> advances) {
        Matcher m = Pattern.compile("<text style=\"([^\"]*)\"").matcher(svg);
        List<int[]> at = new ArrayList<>();
        while (m.find()) at.add(new int[] {m.start(), m.end()});
        if (at.size() != advances.size()) return svg;
        StringBuilder b = new StringBuilder(svg.length() + 64 * at.size());
        int pos = 0;
        for (int i = 0; i < at.size(); i++) {
            String tag = svg.substring(at.get(i)[0], at.get(i)[1]);
            tag = tag.replaceFirst("font-family:(&quot;[^&]*&quot;|[^;\"&]*);", "font-family:$1,sans-serif;");
            b.append(svg, pos, at.get(i)[0]).append(tag).append(String.format(Locale.ROOT,
                    " textLength=\"%.1f\" lengthAdjust=\"spacingAndGlyphs\"", advances.get(i)));
            pos = at.get(i)[1];
        }
        return b.append(svg.substring(pos)).toString();
    }

    private static final Pattern LONG_NUMBER = Pattern.compile("(-?\\d+\\.\\d)\\d+");
    private static final Pattern LINE = Pattern.compile(
            "<line style=\"([^\"]*)\" x1=\"([^\"]*)\" x2=\"([^\"]*)\" y1=\"([^\"]*)\" y2=\"([^\"]*)\"/>");

    /**
     * The same drawing in fewer bytes: numbers cut to 1 decimal (0.1 px; not in {@code <text>} lines), and each run of
     * consecutive {@code <line>} elements of one style whose segments chain (end = next start) — how
     * XChart draws a series — written as one {@code <polyline>}, without repeated points and without
     * the inner points of horizontal or vertical runs (which lie on the line anyway). Elements, order
     * and styles are otherwise unchanged.
     */
    public static String compactSvg(String svg) {
        StringBuilder r = new StringBuilder(svg.length() / 2);
        for (String line : svg.split("\n", -1)) {
            if (r.length() > 0) r.append('\n');
            if (line.contains("<text")) { // a label's digits are its text, not coordinates
                r.append(line);
                continue;
            }
            Matcher m = LONG_NUMBER.matcher(line);
            while (m.find()) {
                String v = m.group(1); // truncated to 0.1: at most 0.1 px off, and the same for every point
                if (v.endsWith(".0")) v = v.substring(0, v.length() - 2);
                if (v.equals("-0")) v = "0";
                m.appendReplacement(r, v);
            }
            m.appendTail(r);
        }
        String s = r.toString();
        StringBuilder out = new StringBuilder(s.length());
        int pos = 0;
        String[] lines = s.split("\n", -1);
        StringBuilder pending = null; // points of the polyline being built
        String style = null, indent = null, lastX = null, lastY = null;
        int count = 0;
        for (String line : lines) {
            Matcher l = LINE.matcher(line.strip());
            if (l.matches()) {
                String st = l.group(1), x1 = l.group(2), x2 = l.group(3), y1 = l.group(4), y2 = l.group(5);
                if (pending != null && st.equals(style) && x1.equals(lastX) && y1.equals(lastY)) {
                    pending.append(' ').append(x2).append(',').append(y2);
                    count++;
                } else {
                    flush(out, pending, style, indent, count);
                    pending = new StringBuilder().append(x1).append(',').append(y1).append(' ').append(x2).append(',')
                            .append(y2);
                    style = st;
                    indent = line.substring(0, line.indexOf('<'));
                    count = 1;
                }
                lastX = x2;
                lastY = y2;
                continue;
            }
            flush(out, pending, style, indent, count);
            pending = null;
            out.append(line).append('\n');
        }
        flush(out, pending, style, indent, count);
        pos = out.length();
        if (pos > 0 && !s.endsWith("\n")) out.setLength(pos - 1);
        return out.toString();
    }

    /** Polyline points without repeats and without inner points of axis-parallel runs. */
    static String simplify(String points) {
        String[] p = points.split(" ");
        List<String[]> kept = new ArrayList<>();
        for (String q : p) {
            String[] xy = q.split(",");
            int k = kept.size();
            if (k > 0 && kept.get(k - 1)[0].equals(xy[0]) && kept.get(k - 1)[1].equals(xy[1])) continue;
            if (k >= 2) {
                String[] a = kept.get(k - 2), b = kept.get(k - 1);
                boolean horizontal = a[1].equals(b[1]) && b[1].equals(xy[1]);
                boolean vertical = a[0].equals(b[0]) && b[0].equals(xy[0]);
                if (horizontal || vertical) {
                    double t0 = Double.parseDouble(horizontal ? a[0] : a[1]);
                    double t1 = Double.parseDouble(horizontal ? b[0] : b[1]);
                    double t2 = Double.parseDouble(horizontal ? xy[0] : xy[1]);
                    if ((t1 - t0) * (t2 - t1) > 0) kept.remove(k - 1); // b lies between a and the new point
                }
            }
            kept.add(xy);
        }
        StringBuilder b = new StringBuilder(points.length());
        for (String[] xy : kept) {
            if (b.length() > 0) b.append(' ');
            b.append(xy[0]).append(',').append(xy[1]);
        }
        return b.toString();
    }

    private static void flush(StringBuilder out, StringBuilder points, String style, String indent, int count) {
        if (points == null) return;
        if (count == 1) {
            String[] p = points.toString().split("[ ,]");
            out.append(indent).append("<line style=\"").append(style).append("\" x1=\"").append(p[0]).append("\" x2=\"")
                    .append(p[2]).append("\" y1=\"").append(p[1]).append("\" y2=\"").append(p[3]).append("\"/>\n");
        } else {
            out.append(indent).append("<polyline style=\"").append(style).append("\" points=\"")
                    .append(simplify(points.toString())).append("\"/>\n");
        }
    }

    private static XYSeries add(XYChart chart, String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length
                    + " points, y has " + y.length);
        }
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        int m = 0;
        double[] fx = new double[x.length];
        double[] fy = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (drawable(x[i], logX) && drawable(y[i], logY)) {
                fx[m] = x[i];
                fy[m] = y[i];
                m++;
            }
        }
        if (m == 0) {
            return null;
        }
        return chart.addSeries(uniqueName(chart, name), java.util.Arrays.copyOf(fx, m), java.util.Arrays.copyOf(fy, m));
    }

    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }
}
