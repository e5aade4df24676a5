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
}
