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
        // issue 26 item 2: ten learning rates get ten colours that differ clearly from each neighbour (viridis
        // gave the first five nearly one dark colour) and all read on white (viridis's light end did not)
        for (int i = 0; i < 10; i++) {
            Color c = Charts.ordered(i, 10);
            double lum = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
            assertTrue(lum < 180, "colour " + i + " " + c + " too pale on white (luma " + lum + ")");
            if (i > 0) {
                Color p = Charts.ordered(i - 1, 10);
                double d = Math.sqrt(Math.pow(c.getRed() - p.getRed(), 2) + Math.pow(c.getGreen() - p.getGreen(), 2)
                        + Math.pow(c.getBlue() - p.getBlue(), 2));
                assertTrue(d > 60, "colours " + (i - 1) + " and " + i + " too alike: " + p + ", " + c);
            }
        }
        XYChart c = Charts.xyChart("t", "step", "y", false);
        Charts.curve(c, "a", new double[] {201, 202, 203}, new double[] {1, 2, 3});
        Charts.niceXRange(c, 201, 1990);
        assertEquals(200.0, c.getStyler().getXAxisMin());
        assertEquals(1990.0, c.getStyler().getXAxisMax());
    }

    /** Issue 26 item 4: labels are text in SVG and PDF (editable, searchable), not glyph outlines. */
    @Test
    void labelsAreTextInSvgAndPdf() throws Exception {
        XYChart c = Charts.xyChart("Maximum Lyapunov exponent", "learning rate η", "λ1 (per step)", true);
        Charts.line(c, "mean λ1", new double[] {0.01, 0.1, 1, 10}, new double[] {0, 0.1, 0.55, 1.2});
        String svg = Charts.svg(c);
        for (String t : List.of("Maximum Lyapunov exponent", "learning rate η", "λ1 (per step)", "mean λ1", "0.01", "10",
                "1.0")) {
            assertTrue(svg.contains(">" + t + "</text>"), t + " as an SVG <text>");
        }
        assertTrue(svg.contains("textLength=\""), "each label keeps its laid-out width");
        Path pdf = Charts.save(c, dir.resolve("text"), PlotOptions.parse("800x500", "pdf")).get(0);
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            for (String t : List.of("Maximum Lyapunov exponent", "learning rate", "mean")) {
                assertTrue(text.contains(t), t + " as PDF text in: " + text);
            }
        }
    }

    /** Issue 26 items 1 and 3: one number format per linear axis ("1.0, 1.2", "0.05, 0.10"; never "1" or ".05"). */
    @Test
    void tickLabelsOfAnAxisShareOneFormat() {
        for (double[] range : new double[][] {{0, 1.3}, {0.02, 0.12}, {-8.3, 9.6}, {0, 150}}) {
            XYChart c = Charts.xyChart("t", "step", "y", false);
            Charts.curve(c, "a", new double[] {0, 50, 100}, new double[] {range[0], (range[0] + range[1]) / 2, range[1]});
            Panels p = Panels.of(c);
            p.prepare();
            List<String> labels = Panels.ticks(c, false);
            assertTrue(labels.size() >= 3, labels.toString());
            java.util.Set<Integer> decimals = new java.util.HashSet<>();
            for (String l : labels) {
                assertTrue(!l.startsWith(".") && !l.startsWith("−."), "no bare decimal point: " + labels);
                decimals.add(l.contains(".") ? l.length() - l.indexOf('.') - 1 : 0);
            }
            assertEquals(1, decimals.size(), "one number of decimals on the axis: " + labels);
            String svg = Charts.svg(p);
            for (String l : labels) assertTrue(svg.contains(">" + l + "</text>"), l + " in the SVG");
        }
    }

    /** Issue 26 item 1: stacked panels share the x axis: their plot areas span the same pixels. */
    @Test
    void stackedPanelsAlignTheirPlotAreas() throws Exception {
        XYChart top = Charts.xyChart("top", "", "λ1 (per step)", true, 1600, 600, 1);
        Charts.line(top, "a long legend entry for the top", new double[] {0.01, 1, 20}, new double[] {0, 0.5, 1.25});
        SweepLegend.right(top);
        XYChart bottom = Charts.xyChart("", "learning rate η", "steps", true, 1600, 400, 1);
        Charts.line(bottom, "b", new double[] {0.01, 1, 20}, new double[] {1000, 20, 150000});
        SweepLegend.right(bottom);
        Panels p = Panels.stacked(List.of(top, bottom));
        assertEquals(1000, p.height());
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(Charts.png(p)));
        assertEquals(1600, img.getWidth());
        java.awt.geom.Rectangle2D a = p.plotArea(0), b = p.plotArea(1);
        assertEquals(a.getMinX(), b.getMinX(), 1.0, "left edges");
        assertEquals(a.getMaxX(), b.getMaxX(), 1.0, "right edges");
    }

    /** Issue 22 item 9: a figure that cannot be written fails loudly and leaves no partial file. */
    @Test
    void figureWritesAreAtomicAndDoNotNeedTheTempFolder() throws Exception {
        XYChart c = lambdaFigure();
        Path base = dir.resolve("atomic/fig");
        Files.createDirectories(base.resolveSibling("fig.png.tmp")); // the temporary name is taken: the write fails
        assertThrows(java.io.UncheckedIOException.class, () -> Charts.save(c, base, Charts.Format.PNG));
        assertTrue(!Files.exists(base.resolveSibling("fig.png")), "no partial PNG");
        Files.deleteIfExists(base.resolveSibling("fig.png.tmp"));
        Charts.save(c, base, Charts.Format.PNG);
        assertTrue(!javax.imageio.ImageIO.getUseCache(), "ImageIO's disk cache (java.io.tmpdir) is off");
        assertTrue(ImageIO.read(base.resolveSibling("fig.png").toFile()) != null);
        try (var files = Files.list(base.getParent())) {
            assertEquals(List.of("fig.png"), files.map(f -> f.getFileName().toString()).toList(), "no temporary left");
        }
    }

    /** Issue 22 item 8: values that print alike get labels that tell them apart. */
    @Test
    void labelsTellCloseValuesApart() {
        Labels l = Labels.of(0.1, 0.1000001, 1);
        assertTrue(!l.of(0.1).equals(l.of(0.1000001)), l.of(0.1) + " vs " + l.of(0.1000001));
        assertEquals("1", l.of(1));
        assertEquals("0.468", Labels.of(0.46818181818181814, 1).of(0.46818181818181814));
        XYChart c = Charts.xyChart("t", "x", "y", false);
        Charts.line(c, "same", new double[] {1, 2}, new double[] {1, 2});
        Charts.line(c, "same", new double[] {1, 2}, new double[] {2, 3}); // XChart alone: "Series name already used"
        assertEquals(2, c.getSeriesMap().size());
    }

    /** The legend on the right, as the sweep's figures have it. */
    static final class SweepLegend {
        static void right(XYChart c) {
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
            c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        }
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
