package org.gdchaos.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    /** The paper's main figure, in miniature: λ₁ vs η (log x) with a band and a second axis. */
    static XYChart lambdaFigure() {
        double[] lr = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 7.5, 10, 12.5, 15};
        double[] mean = new double[lr.length];
        double[] lo = new double[lr.length];
        double[] hi = new double[lr.length];
        double[] steps = new double[lr.length];
        for (int i = 0; i < lr.length; i++) {
            mean[i] = 0.4 * Math.tanh(Math.log(lr[i] / 2.0)) + 0.05;
            lo[i] = mean[i] - 0.05;
            hi[i] = mean[i] + 0.05;
            steps[i] = 200 / (1 + lr[i]) + 10 * lr[i];
        }
        mean[lr.length - 1] = Double.NaN;   // a diverged cell: dropped, not fatal
        XYChart c = Charts.xyChart("lambda_1 vs learning rate", "learning rate", "lambda_1 (per step)",
                true);
        Charts.band(c, "95% interval", lr, lo, hi, new Color(31, 119, 180));
        Charts.color(Charts.line(c, "mean lambda_1", lr, mean), new Color(31, 119, 180));
        Charts.secondAxisLine(c, "steps to 90% test acc.", lr, steps, "steps to threshold");
        return c;
    }

    @Test
    void writesValidPngAndSvg() throws Exception {
        List<Path> files = Charts.save(lambdaFigure(), dir.resolve("sub/lambda"));
        assertEquals(List.of(dir.resolve("sub/lambda.png"), dir.resolve("sub/lambda.svg")), files);
        byte[] png = Files.readAllBytes(files.get(0));
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 8));
        BufferedImage img = ImageIO.read(files.get(0).toFile());
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
        String svg = Files.readString(files.get(1));
        assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
        assertTrue(svg.contains("</svg>"));
        String copy = System.getProperty("gdchaos.test.chartDir");
        if (copy != null) {
            Files.createDirectories(Path.of(copy));
            Files.copy(files.get(0), Path.of(copy, "lambda.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void dropsUndrawablePoints() {
        XYChart c = Charts.xyChart("t", "x", "y", true);
        XYSeries s = Charts.scatter(c, "s", new double[] {-1, 0, 1, 2, Double.NaN, 4},
                new double[] {1, 1, Double.POSITIVE_INFINITY, 3, 5, 6});
        assertArrayEquals(new double[] {2, 4}, s.getXData(), 0.0);
        assertArrayEquals(new double[] {3, 6}, s.getYData(), 0.0);
        assertNull(Charts.line(c, "nothing", new double[] {Double.NaN}, new double[] {1}));
        XYSeries b = Charts.band(c, "b", new double[] {1, 2, 3}, new double[] {0, Double.NaN, 1},
                new double[] {2, 2, 3}, null);
        // upper left→right then lower right→left, point 2 dropped
        assertArrayEquals(new double[] {1, 3, 3, 1}, b.getXData(), 0.0);
        assertArrayEquals(new double[] {2, 3, 1, 0}, b.getYData(), 0.0);
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, b.getXYSeriesRenderStyle());
        assertThrows(IllegalArgumentException.class,
                () -> Charts.line(c, "bad", new double[2], new double[3]));
    }

    @Test
    void linearAxesAndEmptyChartsSave() throws Exception {
        XYChart c = Charts.xyChart("d(t)", "step", "ln d", false);
        double[] t = new double[50];
        double[] d = new double[50];
        for (int i = 0; i < 50; i++) {
            t[i] = i;
            d[i] = Math.min(-8 + 0.8 * i, 7.8);
        }
        Charts.curve(c, "ln d", t, d);
        Path png = Charts.save(c, dir.resolve("curve"), Charts.Format.PNG).get(0);
        assertTrue(Files.size(png) > 1000);
        assertTrue(Files.notExists(dir.resolve("curve.svg")));
        XYChart empty = Charts.xyChart("nothing diverged", "x", "y", true);
        List<Path> f = Charts.save(empty, dir.resolve("empty"));
        assertEquals(2, f.size());
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(f.get(0)), 8));
    }

    @Test
    void svgIsSmallAndDrawsTheSameSegments() throws Exception {
        XYChart c = Charts.xyChart("d(t)", "step", "ln d", false);
        int n = 600;
        for (int k = 0; k < 10; k++) {
            double[] t = new double[n], d = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = i;
                d[i] = Math.sin(i / 30.0 + k) + k;
            }
            Charts.curve(c, "η = " + k, t, d);
        }
        String raw;
        try (var out = new java.io.ByteArrayOutputStream()) {
            org.knowm.xchart.VectorGraphicsEncoder.saveVectorGraphic(c, out,
                    org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            raw = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        String small = Charts.compactSvg(raw);
        assertTrue(small.length() * 3 < raw.length(), raw.length() + " -> " + small.length());
        assertTrue(small.length() < 200_000, "size " + small.length());
        // every segment of the original is a segment of a polyline (or a line) of the compact file
        java.util.Set<String> segs = new java.util.HashSet<>();
        java.util.regex.Matcher pl = java.util.regex.Pattern.compile("points=\"([^\"]*)\"").matcher(small);
        int polylines = 0;
        while (pl.find()) {
            polylines++;
            String[] p = pl.group(1).split(" ");
            for (int i = 1; i < p.length; i++) segs.add(p[i - 1] + " " + p[i]);
        }
        assertTrue(polylines >= 10, "one polyline per curve at least: " + polylines);
        java.util.regex.Matcher l = java.util.regex.Pattern.compile(
                "<line style=\"[^\"]*\" x1=\"([^\"]*)\" x2=\"([^\"]*)\" y1=\"([^\"]*)\" y2=\"([^\"]*)\"/>")
                .matcher(raw);
        int checked = 0;
        while (l.find()) {
            String a = cut(l.group(1)) + "," + cut(l.group(3)), b = cut(l.group(2)) + "," + cut(l.group(4));
            if (a.equals(b) || small.contains("x1=\"" + cut(l.group(1)) + "\" x2=\"" + cut(l.group(2)))) continue;
            if (segs.contains(a + " " + b)) {
                checked++;
                continue;
            }
            // an inner point of a horizontal or vertical run was merged away: the segment lies on a longer one
            assertTrue(a.split(",")[1].equals(b.split(",")[1]) || a.split(",")[0].equals(b.split(",")[0]),
                    "segment " + a + " " + b + " lost");
        }
        assertTrue(checked > 1000, "segments checked: " + checked);
    }

    /** A coordinate as compactSvg writes it: cut to one decimal, no ".0". */
    static String cut(String v) {
        int dot = v.indexOf('.');
        String s = dot < 0 || dot + 2 > v.length() ? v : v.substring(0, dot + 2);
        if (s.endsWith(".0")) s = s.substring(0, s.length() - 2);
        return s.equals("-0") ? "0" : s;
    }

    @Test
    void simplifyDropsOnlyRedundantPoints() {
        assertEquals("0,0 3,0 3,2 4,5", Charts.simplify("0,0 1,0 1,0 2,0 3,0 3,1 3,2 4,5"));
        assertEquals("0,0 2,0 1,0", Charts.simplify("0,0 2,0 1,0"), "a turn back is kept");
    }

    @Test
    void numbersTicksAndColours() {
        assertEquals("0.468", Charts.sig3(0.46818181818181814));
        assertEquals("20", Charts.sig3(20));
        assertEquals("0.1", Charts.sig3(0.1));
        assertEquals("1.23e-5", Charts.sig3(1.2345e-5));
        assertEquals(50.0, Charts.niceStep(400, 8), 0);
        assertEquals(200.0, Charts.niceStep(1799, 8), 0);
        assertEquals(0.2, Charts.niceStep(1.15, 5), 1e-12);
        assertEquals(0.1, Charts.niceStep(1.15, 8), 1e-12);
        assertEquals(new Color(68, 1, 84), Charts.viridis(0));
        assertEquals(new Color(253, 231, 37), Charts.viridis(1));
        // ordered colours get lighter with the index (viridis is monotone in lightness)
        double prev = -1;
        for (int i = 0; i < 10; i++) {
            Color c = Charts.ordered(i, 10);
            double lum = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
            assertTrue(lum > prev, "colour " + i + " lighter than " + (i - 1));
            prev = lum;
        }
        XYChart c = Charts.xyChart("t", "step", "y", false);
        Charts.curve(c, "a", new double[] {201, 202, 203}, new double[] {1, 2, 3});
        Charts.niceXRange(c, 201, 1990);
        assertEquals(200.0, c.getStyler().getXAxisMin());
        assertEquals(1990.0, c.getStyler().getXAxisMax());
    }

    @Test
    void decimationKeepsTheEnvelope() {
        int n = 10_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i == 4321 ? 50 : i == 777 ? -50 : Math.sin(i / 100.0);
        }
        double[][] d = Charts.decimate(x, y, 800);
        assertTrue(d[0].length <= 800, "points " + d[0].length);
        assertEquals(0.0, d[0][0]);
        assertEquals(n - 1.0, d[0][d[0].length - 1]);
        java.util.List<Double> ys = new java.util.ArrayList<>();
        for (double v : d[1]) ys.add(v);
        assertTrue(ys.contains(50.0) && ys.contains(-50.0), "spikes kept");
        for (int i = 1; i < d[0].length; i++) assertTrue(d[0][i] > d[0][i - 1], "x ascending");
        double[][] same = Charts.decimate(new double[] {1, 2}, new double[] {3, 4}, 800);
        assertArrayEquals(new double[] {1, 2}, same[0], 0);
    }

    @Test
    void plotOptionsParseAndNameTheirSetting() {
        PlotOptions o = PlotOptions.parse("800x500", "pdf, png");
        assertEquals(800, o.width());
        assertEquals(500, o.height());
        assertEquals(java.util.Set.of(Charts.Format.PDF, Charts.Format.PNG), o.formats());
        assertEquals("800x500 png,pdf", o.toString());
        assertEquals(PlotOptions.DEFAULT, PlotOptions.parse(null, null));
        org.gdchaos.InputException e = assertThrows(org.gdchaos.InputException.class,
                () -> PlotOptions.parse("800", null));
        assertEquals(PlotOptions.SIZE_SETTING, e.setting().orElseThrow());
        assertThrows(org.gdchaos.InputException.class, () -> PlotOptions.parse("10x10", null));
        e = assertThrows(org.gdchaos.InputException.class, () -> PlotOptions.parse(null, "png,jpg"));
        assertEquals(PlotOptions.FORMAT_SETTING, e.setting().orElseThrow());
        assertTrue(e.getMessage().contains("'jpg'"));
        assertThrows(org.gdchaos.InputException.class, () -> PlotOptions.parse(null, " , "));
    }

    @Test
    void pdfIsWritten() throws Exception {
        List<Path> f = Charts.save(lambdaFigure(), dir.resolve("fig"), PlotOptions.parse("800x500", "pdf"));
        assertEquals(List.of(dir.resolve("fig.pdf")), f);
        byte[] b = Files.readAllBytes(f.get(0));
        assertEquals("%PDF", new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
