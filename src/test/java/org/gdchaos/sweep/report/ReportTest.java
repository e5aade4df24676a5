package org.gdchaos.sweep.report;

import org.gdchaos.sweep.merge.MergerTest;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.merge.Merger;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdchaos.InputException;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.analysis.Stats;
import org.gdchaos.backend.DType;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.plot.PlotOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * report.html and {@code gdchaos report}: the page of a real sweep holds its files' numbers,
 * rebuilding never touches results.csv / curves.csv, a partial or merged folder is reported as such,
 * and a folder that is not a gdchaos output is bad input.
 */
class ReportTest {
    @TempDir
    static Path tmp;
    static Path sweep;

    @BeforeAll
    static void sweepOnce() {
        sweep = tmp.resolve("sweep");
        MergerTest.run(MergerTest.spec(25), sweep, null, 0);
    }

    static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    static Path copy(Path from, String name) throws Exception {
        Path to = tmp.resolve(name);
        Files.createDirectories(to);
        for (String f : List.of("run.json", "results.csv", "curves.csv")) Files.copy(from.resolve(f), to.resolve(f));
        return to;
    }

    /** data-v of every cell of table {@code id}, row by row. */
    static List<List<String>> tableValues(String html, String id) {
        Matcher t = Pattern.compile("(?s)<table[^>]*id=\"table-" + id + "\"[^>]*>(.*?)</table>").matcher(html);
        assertTrue(t.find(), "table " + id);
        List<List<String>> rows = new ArrayList<>();
        Matcher tr = Pattern.compile("(?s)<tr>(.*?)</tr>").matcher(t.group(1).substring(t.group(1).indexOf("<tbody>")));
        while (tr.find()) {
            List<String> r = new ArrayList<>();
            Matcher td = Pattern.compile("<td data-v=\"([^\"]*)\"").matcher(tr.group(1));
            while (td.find()) r.add(td.group(1));
            rows.add(r);
        }
        return rows;
    }

    /** The table's header names, in the page's order. */
    static List<String> tableHeader(String html, String id) {
        Matcher t = Pattern.compile("(?s)<table[^>]*id=\"table-" + id + "\"[^>]*>(.*?)</table>").matcher(html);
        assertTrue(t.find(), "table " + id);
        List<String> head = new ArrayList<>();
        Matcher th = Pattern.compile("<th[^>]*>([^<]*)</th>").matcher(t.group(1));
        while (th.find()) head.add(th.group(1));
        return head;
    }

    /** The table's values with its columns put back in the order of {@code csv}'s header. */
    static List<List<String>> tableValues(String html, String id, Path csv) throws Exception {
        List<String> head = tableHeader(html, id);
        List<String> want = List.of(Files.readAllLines(csv, StandardCharsets.UTF_8).get(0).split(",", -1));
        assertEquals(new java.util.HashSet<>(want), new java.util.HashSet<>(head), "the same columns");
        List<List<String>> out = new ArrayList<>();
        for (List<String> r : tableValues(html, id)) {
            List<String> o = new ArrayList<>();
            for (String c : want) o.add(r.get(head.indexOf(c)));
            out.add(o);
        }
        return out;
    }

    static List<List<String>> csvValues(Path f) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (String l : lines.subList(1, lines.size())) rows.add(List.of(l.split(",", -1)));
        return rows;
    }

    @Test
    void sweepWritesASelfContainedPageHoldingItsFiles() throws Exception {
        String html = Files.readString(sweep.resolve(Report.FILE), StandardCharsets.UTF_8);
        assertEquals(csvValues(sweep.resolve("summary.csv")), tableValues(html, "summary", sweep.resolve("summary.csv")));
        assertEquals(csvValues(sweep.resolve("results.csv")), tableValues(html, "results"));
        // issue 26 item 5: the columns people look for first lead; the rest (class "more") behind the toggle
        List<String> lead = List.of("lr", "lambda_1_mean", "lambda_1_ci_low", "lambda_1_ci_high",
                "steps_to_threshold_median", "reached_fraction", "diverged_fraction");
        assertEquals(lead, tableHeader(html, "summary").subList(0, lead.size()));
        assertTrue(html.contains("<table class=\"sortable lead-only\" id=\"table-summary\">"));
        assertTrue(html.contains("<th class=\"more\" title=\"click to sort\">lambda_1_sd</th>"));
        assertTrue(html.contains(">Show all 41 columns</button>"));
        for (String col : Files.readAllLines(sweep.resolve("summary.csv")).get(0).split(",")) {
            assertTrue(html.matches("(?s).*<th[^>]*>" + col + "</th>.*"), col);
        }
        // figures inline, one <svg> each, as many as files written, without XML prolog; unique clip ids
        int svgs = html.split("<svg", -1).length - 1;
        long files;
        try (var s = Files.list(sweep)) {
            files = s.filter(p -> p.toString().endsWith(".svg")).count();
        }
        assertEquals(files, svgs);
        assertTrue(svgs >= 2, "lambda_vs_lr and curves");
        assertFalse(html.contains("<?xml") || html.contains("<!DOCTYPE svg"));
        Set<String> ids = new HashSet<>();
        Matcher id = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
        while (id.find()) assertTrue(ids.add(id.group(1)), "duplicate id " + id.group(1));
        // self-contained: nothing is loaded from elsewhere
        assertFalse(Pattern.compile("(?i)(src|href)=\"(https?:|//)").matcher(html).find());
        assertFalse(html.contains("<link") || html.contains("<img"));
        // provenance: run.json's members, the spec's settings among them
        assertTrue(html.contains("<dt>backend</dt>") && html.contains("<dt>learningRates</dt>"), "run.json members");
        assertTrue(html.contains("All 9 cells finished"), "status line");
    }

    @Test
    void rebuildReadsButNeverWritesResultsOrCurves() throws Exception {
        Path dir = copy(sweep, "rebuild");
        String results = sha(dir.resolve("results.csv")), curves = sha(dir.resolve("curves.csv"));
        Report.Result r = Report.rebuild(dir, PlotOptions.parse("800x500", "png,pdf"));
        assertEquals(results, sha(dir.resolve("results.csv")));
        assertEquals(curves, sha(dir.resolve("curves.csv")));
        assertEquals(9, r.cells());
        assertFalse(r.partial());
        assertEquals(Files.readString(sweep.resolve("summary.csv")), Files.readString(dir.resolve("summary.csv")));
        assertTrue(Files.exists(dir.resolve("lambda_vs_lr.pdf")) && Files.exists(dir.resolve("curves.png")));
        assertFalse(Files.exists(dir.resolve("curves.svg")), "svg files only when asked for");
        byte[] pdf = Files.readAllBytes(dir.resolve("curves.pdf"));
        assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.US_ASCII));
        var img = javax.imageio.ImageIO.read(dir.resolve("lambda_vs_lr.png").toFile());
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
        // the page is the sweep's page (same tables), whatever the file formats
        String a = Files.readString(sweep.resolve(Report.FILE)), b = Files.readString(dir.resolve(Report.FILE));
        assertEquals(tableValues(a, "results"), tableValues(b, "results"));
    }

    @Test
    void partialFolderIsReportedAsPartialAndATornLastLineIsLeftOut() throws Exception {
        Path dir = copy(sweep, "partial");
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        String torn = lines.get(4).substring(0, lines.get(4).length() / 2);
        Files.writeString(dir.resolve("results.csv"), String.join("\n", lines.subList(0, 4)) + "\n" + torn);
        Report.Result r = Report.rebuild(dir, PlotOptions.DEFAULT);
        assertTrue(r.partial());
        assertEquals(3, r.cells());
        assertEquals(9, r.expected());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("last line is incomplete")), r.warnings().toString());
        String html = Files.readString(dir.resolve(Report.FILE));
        assertTrue(html.contains("Partial results:</b> 3 of 9 cells"), "partial banner");
        assertEquals(3, tableValues(html, "results").size(), "three cells in the results table");
        assertEquals(csvValues(dir.resolve("summary.csv")), tableValues(html, "summary", dir.resolve("summary.csv")));
        assertEquals(List.of("0", "0.1", "0", "0.0", "3"),
                tableValues(html, "summary", dir.resolve("summary.csv")).get(0).subList(0, 5));
    }

    @Test
    void mergedFolderGetsAPageAndCanBeRebuilt() throws Exception {
        Path dir = tmp.resolve("merged");
        SweepSpec s = MergerTest.spec(25);
        for (int i = 0; i < 2; i++) MergerTest.run(s, dir, new Shard(i, 2), 0);
        Merger.merge(dir);
        String merged = Files.readString(dir.resolve(Report.FILE));
        assertTrue(merged.contains("<dt>merge</dt>"), "the merge's run.json members");
        assertEquals(tableValues(Files.readString(sweep.resolve(Report.FILE)), "results"), tableValues(merged, "results"));
        // each shard's own page covers its own cells, not the whole grid
        assertTrue(Files.readString(dir.resolve("shards/0-of-2/" + Report.FILE)).contains("All 5 cells finished"));
        Report.Result r = Report.rebuild(dir, PlotOptions.DEFAULT);
        assertEquals(9, r.cells());
        Report.Result shard = Report.rebuild(dir.resolve("shards/1-of-2"), PlotOptions.DEFAULT);
        assertEquals(4, shard.expected());
        assertFalse(shard.partial(), "a finished shard holds all of its cells");
    }

    @Test
    void foldersThatAreNotGdchaosOutputsAreBadInput() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        InputException e = assertThrows(InputException.class, () -> Report.rebuild(empty, PlotOptions.DEFAULT));
        assertTrue(e.getMessage().contains("not a gdchaos output folder"), e.getMessage());
        assertThrows(InputException.class, () -> Report.rebuild(tmp.resolve("nowhere"), PlotOptions.DEFAULT));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("run.json"), "{\"tool\": \"something else\"}");
        assertThrows(InputException.class, () -> Report.rebuild(other, PlotOptions.DEFAULT));
        Files.writeString(other.resolve("run.json"), "not json");
        assertThrows(InputException.class, () -> Report.rebuild(other, PlotOptions.DEFAULT));
        Path noResults = copy(sweep, "noresults");
        Files.delete(noResults.resolve("results.csv"));
        assertTrue(assertThrows(InputException.class, () -> Report.rebuild(noResults, PlotOptions.DEFAULT))
                .getMessage().contains("results.csv"));
        Path badRow = copy(sweep, "badrow");
        List<String> lines = new ArrayList<>(Files.readAllLines(badRow.resolve("results.csv")));
        lines.set(2, "x" + lines.get(2));
        Files.writeString(badRow.resolve("results.csv"), String.join("\n", lines) + "\n");
        assertTrue(assertThrows(InputException.class, () -> Report.rebuild(badRow, PlotOptions.DEFAULT))
                .getMessage().contains("line 3"));
    }

    @Test
    void everythingFromTheFolderIsEscaped() {
        assertEquals("&lt;script&gt;a&amp;b&quot;c&#39;d&lt;/script&gt;", ReportPage.esc("<script>a&b\"c'd</script>"));
        StringBuilder h = new StringBuilder();
        ReportPage.table(h, "t", "a,<b>x</b>\n1,\"><script>alert(1)</script>\n", 10);
        assertFalse(h.toString().contains("<script>") || h.toString().contains("<b>"), h.toString());
        assertTrue(h.toString().contains("&lt;b&gt;x&lt;/b&gt;"));
        StringBuilder j = new StringBuilder();
        ReportPage.json(j, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("<k>", "<v onload=x>"));
        assertEquals("<dl><dt>&lt;k&gt;</dt><dd><span class=\"v\">&lt;v onload=x&gt;</span></dd></dl>", j.toString());
    }

    @Test
    void tableShowsFourDigitsAndKeepsTheExactText() {
        assertEquals("0.4264", ReportPage.display("0.42643267"));
        assertEquals("15", ReportPage.display("15"));
        assertEquals("never", ReportPage.display("never"));
        assertEquals("NaN", ReportPage.display("NaN"));
        assertEquals("5.214e-05", ReportPage.display("5.2143146495408115E-5"));
        StringBuilder h = new StringBuilder();
        ReportPage.table(h, "t", "x\n0.42643267\n", 10);
        assertTrue(h.toString().contains("<td data-v=\"0.42643267\" title=\"0.42643267\">0.4264</td>"), h.toString());
    }

    static SummaryCsv.Row row(int i, double lr, double median) {
        return new SummaryCsv.Row(i, lr, 2, Map.of("lambda_1", Stats.summarize(new double[] {0.1 * i, 0.1 * i + 0.05}),
                ResultsCsv.TEST_ACC, Stats.summarize(new double[] {0.6, 0.6})), median, 0.5, 0, 0, 0, 0);
    }

    @Test
    void neverReachedIsMarkedAndEachInitialisationIsDrawn() {
        List<SummaryCsv.Row> summary = List.of(row(0, 0.1, Double.POSITIVE_INFINITY), row(1, 1, 40),
                row(2, 10, Double.POSITIVE_INFINITY));
        List<CellRow> cells = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 2; k++) {
                cells.add(CellRow.builder(new Cell(i, new double[] {0.1, 1, 10}[i], k), 1)
                        .exponents(0.1 * i + 0.05 * k).fitR2(1).fitWindow(0, 10).fitPoints(k == 0 ? 20 : 5)
                        .finalLoss(1).trainAcc(0.5).testLoss(1)
                        .testAcc(0.5).stepsToThreshold(CellRow.NEVER).gradNorm(1).build());
            }
        }
        org.gdchaos.plot.Panels fig = SweepPlots.lambdaVsLrFigure(summary, cells, 0.8, 100, PlotOptions.DEFAULT);
        assertEquals(2, fig.charts().size(), "λ1 above, steps below");
        XYChart lam = fig.charts().get(0), steps = fig.charts().get(1);
        XYSeries never = steps.getSeriesMap().get(SweepPlots.NEVER_SERIES);
        assertNotNull(never);
        assertEquals(List.of(0.1, 10.0), boxed(never.getXData()));
        assertEquals(List.of(100.0, 100.0), boxed(never.getYData()), "drawn at the number of steps trained");
        assertFalse(lam.getSeriesMap().containsKey(SweepPlots.NEVER_SERIES), "no ✕ among the λ1 marks");
        // issue 26 item 1: λ1 fitted on fewer than 10 points is drawn apart (hollow diamonds)
        assertEquals(3, lam.getSeriesMap().get(SweepPlots.EACH_INIT).getXData().length);
        XYSeries few = lam.getSeriesMap().get(SweepPlots.FEW_POINTS_INIT);
        assertEquals(3, few.getXData().length);
        assertEquals(org.gdchaos.plot.Charts.HOLLOW_DIAMOND, few.getMarker());
        assertEquals(List.of(1.0), boxed(steps.getSeriesMap().get(SweepPlots.MEDIAN_STEPS).getXData()));
        // no median reached anywhere: no line, the marks still in the steps panel
        org.gdchaos.plot.Panels none = SweepPlots.lambdaVsLrFigure(List.of(row(0, 0.1, Double.POSITIVE_INFINITY)),
                cells.subList(0, 2), 0.8, 100, PlotOptions.DEFAULT);
        assertEquals(null, none.charts().get(1).getSeriesMap().get(SweepPlots.MEDIAN_STEPS));
        assertNotNull(none.charts().get(1).getSeriesMap().get(SweepPlots.NEVER_SERIES));
    }

    /** Issue 26 item 3: with several weight decays, the CI legend, each init's marks and a ✕ per series stay. */
    @Test
    void weightDecayModeKeepsBandsMarksAndNamedCrosses() {
        List<SummaryCsv.Row> summary = new ArrayList<>();
        List<CellRow> cells = new ArrayList<>();
        double[] lrs = {0.1, 1, 10}, wds = {0, 0.01};
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < 3; i++) {
                summary.add(new SummaryCsv.Row(i, lrs[i], w, wds[w], 2, Map.of("lambda_1",
                        Stats.summarize(new double[] {0.1 * i, 0.1 * i + 0.05}), ResultsCsv.TEST_ACC,
                        Stats.summarize(new double[] {0.6, 0.6})), i == 1 ? 40 : Double.POSITIVE_INFINITY, 0.5, 0, 0, 0, 0));
                for (int k = 0; k < 2; k++) {
                    cells.add(CellRow.builder(new Cell(i, lrs[i], w, wds[w], k), 1).exponents(0.1 * i + 0.05 * k)
                            .fitR2(1).fitWindow(0, 10).fitPoints(20).finalLoss(1).trainAcc(0.5).testLoss(1).testAcc(0.5)
                            .stepsToThreshold(CellRow.NEVER).gradNorm(1).build());
                }
            }
        }
        org.gdchaos.plot.Panels fig = SweepPlots.lambdaVsLrFigure(summary, cells, 0.8, 100, PlotOptions.DEFAULT);
        XYChart lam = fig.charts().get(0), steps = fig.charts().get(1);
        assertTrue(lam.getSeriesMap().get(SweepPlots.CI_BAND).isShowInLegend(), "the CI has a legend entry");
        assertTrue(lam.getSeriesMap().get(SweepPlots.EACH_INIT).isShowInLegend());
        for (String wd : List.of("wd = 0", "wd = 0.01")) {
            assertEquals(6, lam.getSeriesMap().get(SweepPlots.EACH_INIT + ", " + wd).getXData().length, "marks, " + wd);
            assertNotNull(lam.getSeriesMap().get(SweepPlots.CI_BAND + ", " + wd), "band, " + wd);
            XYSeries x = steps.getSeriesMap().get(SweepPlots.NEVER_SERIES + ", " + wd);
            assertNotNull(x, "✕ named for " + wd);
            assertEquals(2, x.getXData().length);
        }
        // the two decays' ✕ at one η sit side by side, not on top of each other
        assertTrue(steps.getSeriesMap().get(SweepPlots.NEVER_SERIES + ", wd = 0").getXData()[0]
                != steps.getSeriesMap().get(SweepPlots.NEVER_SERIES + ", wd = 0.01").getXData()[0]);
    }

    static List<Double> boxed(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double v : a) l.add(v);
        return l;
    }

    @Test
    void tangentFiguresShowRunningExponentsAndTheLastExponent() throws Exception {
        SweepSpec s = SweepSpec.builder().data("scalar:x=1,y=1").model(ModelSpec.linear(3))
                .init(InitSpec.parse("normal:0.5")).learningRates(0.1, 0.4681818181818181, 0.9).inits(2).seed(3L)
                .lyapunov(new LyapunovConfig(Method.TANGENT, 1, 3, 1e-8, 1, 20, Norm.L2, false,
                        GrowthFit.Method.GROWTH_PHASE))
                .steps(200).batchSize(0).accuracyThreshold(0.5).evalEvery(1).dtype(DType.F64).build();
        Path dir = tmp.resolve("tangent");
        MergerTest.run(s, dir, null, 0);
        List<SweepPlots.Figure> f = SweepPlots.figures(SummaryCsv.summarize(readRows(dir, s)), readRows(dir, s), s, dir,
                PlotOptions.DEFAULT);
        List<String> names = f.stream().map(SweepPlots.Figure::name).toList();
        assertEquals(List.of("lambda_vs_lr", "spectrum_vs_lr", "curves", "curves_lambda_3"), names);
        // issue 26 item 3: the spectrum has error bars (the 95% interval of each mean)
        for (XYSeries sp : f.get(1).chart().getSeriesMap().values()) {
            if (sp.getName().startsWith("λ") && !sp.getName().contains("=")) {
                assertNotNull(sp.getExtraValues(), sp.getName() + " has error bars");
            }
        }
        XYChart curves = f.get(2).chart();
        assertTrue(curves.getTitle().startsWith("Running Lyapunov exponent λ1"), curves.getTitle());
        assertTrue(f.get(3).chart().getTitle().startsWith("Running Lyapunov exponent λ3"));
        assertTrue(curves.getSeriesMap().containsKey("η = 0.468"), curves.getSeriesMap().keySet().toString());
        assertEquals(0.0, curves.getStyler().getXAxisMin());
        assertEquals(200.0, curves.getStyler().getXAxisMax());
        String html = Files.readString(dir.resolve(Report.FILE));
        assertTrue(html.contains("fig-curves_lambda_3"));
        // the spectrum table: per η the mean of each exponent over the cells, checked against the rows
        List<List<String>> spectrum = tableValues(html, "spectrum");
        assertEquals(3, spectrum.size());
        List<CellRow> rows = readRows(dir, s);
        for (int i = 0; i < 3; i++) {
            double lr = s.training().learningRates()[i];
            List<CellRow> at = rows.stream().filter(r -> r.cell().lr() == lr && !r.diverged()).toList();
            for (int e = 0; e < 3; e++) {
                final int ee = e;
                double mean = at.stream().mapToDouble(r -> r.exponents()[ee]).average().orElse(Double.NaN);
                assertEquals(mean, Double.parseDouble(spectrum.get(i).get(1 + e)), 1e-12 * (1 + Math.abs(mean)));
            }
            assertEquals(String.valueOf(at.size()), spectrum.get(i).get(5));
        }
    }

    static List<CellRow> readRows(Path dir, SweepSpec s) {
        return Report.readRows(dir.resolve("results.csv"), new ResultsCsv(s.lyapunov().reportedExponents(),
                ResultsCsv.extraColumns(s)), new ArrayList<>());
    }
}
