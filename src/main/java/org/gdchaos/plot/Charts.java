package org.gdchaos.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A thin, headless-safe layer over XChart for the plots gdchaos writes: line and scatter
 * series with an optional logarithmic x axis, a shaded error band between a lower and an
 * upper curve, a series on a second (right-hand) y axis, and saving as PNG and SVG.
 *
 * <p>Points that cannot be drawn are dropped, not fatal: non-finite x or y, and x ≤ 0 on a
 * log axis (diverged runs give NaN exponents; a plot of the rest is still useful). A series
 * with no drawable point is not added and the helper returns {@code null}.
 *
 * <p>SVG is written by XChart's {@code VectorGraphicsEncoder} through VectorGraphics2D
 * (a transitive dependency of xchart, so nothing extra is needed at run time).
 */
public final class Charts {

    /** Default size in pixels. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 600;

    /** File formats {@link #save} can write. */
    public enum Format {
        PNG("png"), SVG("svg");

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
    }

    /** An empty XY chart: white background, legend in one row below the plot, optional log-x axis. */
    public static XYChart xyChart(String title, String xLabel, String yLabel, boolean logX) {
        ensureHeadless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setAntiAlias(true);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    /** A line series with small round markers; {@code null} when no point is drawable. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = add(chart, name, x, y);
        if (s != null) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return s;
    }

    /** A line without markers (for long curves such as d(t)). */
    public static XYSeries curve(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = add(chart, name, x, y);
        if (s != null) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
        }
        return s;
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
        XYSeries s = chart.addSeries(name, px, py);
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
     * Saves the chart as {@code base.png} and/or {@code base.svg} (creating parent folders).
     *
     * @param base    the path without extension
     * @param formats the formats to write; none = both PNG and SVG
     * @return the files written
     * @throws UncheckedIOException when a file cannot be written
     */
    public static List<Path> save(XYChart chart, Path base, Format... formats) {
        ensureHeadless();
        Format[] fs = formats == null || formats.length == 0 ? Format.values() : formats;
        if (chart.getSeriesMap().isEmpty()) {
            // XChart cannot lay out axes without data; draw an invisible point.
            XYSeries s = chart.addSeries(" ", new double[] {1}, new double[] {0});
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
        }
        List<Path> written = new ArrayList<>();
        try {
            Path parent = base.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            for (Format f : fs) {
                Path file = base.resolveSibling(base.getFileName() + "." + f.extension());
                try (OutputStream out = Files.newOutputStream(file)) {
                    if (f == Format.PNG) {
                        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
                    } else {
                        VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                    }
                }
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + base + ": " + e.getMessage(), e);
        }
        return written;
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
        return chart.addSeries(name, java.util.Arrays.copyOf(fx, m), java.util.Arrays.copyOf(fy, m));
    }

    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }
}
