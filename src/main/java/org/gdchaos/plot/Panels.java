package org.gdchaos.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;

/**
 * One figure made of XY charts stacked top to bottom that share the x axis: the panels' plot areas
 * are aligned left and right (each chart is drawn narrower and moved so that its plot area spans
 * the same pixels as the others'), so one x position is one η in every panel. A single chart is a
 * figure of one panel.
 *
 * <p>Before drawing, {@link #prepare} lays every chart out once to learn its ticks (so that every
 * label of an axis gets one number format, {@link TickLabels}) and its plot area. Drawing to a
 * vector graphics turns XChart's glyph outlines back into text ({@link TextOutlines}).
 */
public final class Panels {
    private final int width;
    private final int height;
    private final List<XYChart> charts;
    private final int[] tops;
    private final int[] heights;
    private double[] left;  // per chart: move right by this
    private double[] shrink; // per chart: draw this much narrower
    private boolean prepared;

    private Panels(int width, List<XYChart> charts, int[] heights) {
        this.width = width;
        this.charts = List.copyOf(charts);
        this.heights = heights.clone();
        this.tops = new int[heights.length];
        int h = 0;
        for (int i = 0; i < heights.length; i++) {
            tops[i] = h;
            h += heights[i];
        }
        this.height = h;
    }

    /** A figure of one chart. */
    public static Panels of(XYChart chart) {
        return new Panels(chart.getWidth(), List.of(chart), new int[] {chart.getHeight()});
    }

    /** Charts stacked top to bottom, each as high as it was built; all as wide as the first. */
    public static Panels stacked(List<XYChart> charts) {
        int[] h = new int[charts.size()];
        for (int i = 0; i < h.length; i++) h[i] = charts.get(i).getHeight();
        return new Panels(charts.get(0).getWidth(), charts, h);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public List<XYChart> charts() {
        return charts;
    }

    /** The first (top) chart. */
    public XYChart first() {
        return charts.get(0);
    }

    /** Every series of every panel, top panel first. */
    public List<XYSeries> series() {
        List<XYSeries> out = new ArrayList<>();
        for (XYChart c : charts) out.addAll(c.getSeriesMap().values());
        return out;
    }

    /** Lays every chart out (twice: ticks, then their format) and aligns the plot areas; idempotent. */
    synchronized void prepare() {
        if (prepared) return;
        Charts.ensureHeadless();
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int n = charts.size();
        double[] l = new double[n], r = new double[n];
        for (int i = 0; i < n; i++) {
            XYChart c = charts.get(i);
            Charts.ensureDrawable(c);
            for (int pass = 0; pass < 2; pass++) {
                Graphics2D g = scratch.createGraphics();
                c.paint(g, width, heights[i]);
                g.dispose();
                if (pass == 0) fixTicks(c);
            }
            Rectangle2D b = plotBounds(c);
            l[i] = b == null ? 0 : b.getMinX();
            r[i] = b == null ? width : b.getMaxX();
        }
        double maxLeft = 0, minRight = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            maxLeft = Math.max(maxLeft, l[i]);
            minRight = Math.min(minRight, r[i]);
        }
        left = new double[n];
        shrink = new double[n];
        for (int i = 0; i < n; i++) {
            left[i] = n == 1 ? 0 : Math.round(maxLeft - l[i]);
            shrink[i] = n == 1 ? 0 : left[i] + Math.round(r[i] - minRight);
        }
        if (n > 1) { // the narrower layouts change the ticks' pixels, not their values: learn the labels again
            for (int i = 0; i < n; i++) {
                Graphics2D g = scratch.createGraphics();
                charts.get(i).paint(g, (int) (width - shrink[i]), heights[i]);
                g.dispose();
            }
        }
        prepared = true;
    }

    /** The plot area of panel {@code i} in the figure's pixels (after alignment), or null if unknown. */
    public java.awt.geom.Rectangle2D plotArea(int i) {
        prepare();
        Rectangle2D b = plotBounds(charts.get(i));
        return b == null ? null : new Rectangle2D.Double(b.getX() + left[i], b.getY() + tops[i], b.getWidth(),
                b.getHeight());
    }

    /** Draws the figure on {@code g} (its top left corner at the origin). */
    public void paint(Graphics2D g) {
        prepare();
        for (int i = 0; i < charts.size(); i++) {
            java.awt.geom.AffineTransform at = g.getTransform(); // not g.create(): a subclass's fill must see every shape
            if (left[i] > 0 || shrink[i] > 0) { // the margin this panel leaves: the chart's background colour
                g.setColor(charts.get(i).getStyler().getChartBackgroundColor());
                g.fillRect(0, tops[i], width, heights[i]);
            }
            g.translate(left[i], tops[i]);
            charts.get(i).paint(g, (int) (width - shrink[i]), heights[i]);
            g.setTransform(at);
            g.setClip(null);
        }
    }

    /** What {@link TextOutlines} should recognise: every title, series name and tick label, in every font. */
    TextOutlines texts() {
        prepare();
        List<String> t = new ArrayList<>();
        List<Font> f = new ArrayList<>();
        for (XYChart c : charts) {
            t.add(c.getTitle());
            t.add(c.getXAxisTitle());
            t.add(c.getYAxisTitle());
            for (int k = 0; k < 4; k++) t.add(c.getYAxisGroupTitle(k));
            for (Map.Entry<String, XYSeries> e : c.getSeriesMap().entrySet()) {
                t.add(e.getKey());
                t.addAll(List.of(e.getKey().split("\n")));
            }
            t.addAll(ticks(c, true));
            t.addAll(ticks(c, false));
            XYStyler s = c.getStyler();
            for (var fn : java.util.Arrays.asList(s.getxAxisTickLabelsFormattingFunction(),
                    s.getyAxisTickLabelsFormattingFunction())) {
                if (fn instanceof TickLabels tl) t.addAll(tl.shown());
            }
            f.add(s.getChartTitleFont());
            f.add(s.getAxisTitleFont());
            f.add(s.getAxisTickLabelsFont());
            f.add(s.getLegendFont());
            f.add(s.getAnnotationTextFont());
        }
        return new TextOutlines(t, f);
    }

    /** Fixes the number format of each axis's labels from the ticks of a first layout. */
    private static void fixTicks(XYChart c) {
        XYStyler s = c.getStyler();
        if (s.getxAxisTickLabelsFormattingFunction() instanceof TickLabels tl) tl.fix(ticks(c, true));
        if (s.getyAxisTickLabelsFormattingFunction() instanceof TickLabels tl) tl.fix(ticks(c, false));
    }

    /** The tick labels of the x axis, or of all y axes, of a laid-out chart (empty if they cannot be read). */
    static List<String> ticks(XYChart c, boolean x) {
        List<String> out = new ArrayList<>();
        try {
            Object pair = field(c, "axisPair");
            if (pair == null) return out;
            List<Object> axes = new ArrayList<>();
            if (x) {
                axes.add(pair.getClass().getMethod("getXAxis").invoke(pair));
            } else {
                Object map = field(pair, "yAxisMap");
                if (map instanceof Map<?, ?> m) axes.addAll(m.values());
            }
            for (Object a : axes) {
                Object calc = a.getClass().getMethod("getAxisTickCalculator").invoke(a);
                if (calc == null) continue;
                Object labels = calc.getClass().getMethod("getTickLabels").invoke(calc);
                if (labels instanceof List<?> l) for (Object v : l) if (v instanceof String t) out.add(t);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another XChart version: labels keep their plain form
        }
        return out;
    }

    /** The plot area of a laid-out chart, or null when it cannot be read. */
    static Rectangle2D plotBounds(XYChart c) {
        try {
            Object plot = field(c, "plot");
            return plot == null ? null : (Rectangle2D) plot.getClass().getMethod("getBounds").invoke(plot);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> k = o.getClass(); k != null; k = k.getSuperclass()) {
            try {
                Field f = k.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }
}
