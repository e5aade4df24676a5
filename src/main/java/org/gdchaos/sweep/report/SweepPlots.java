package org.gdchaos.sweep.report;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellOutcome;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.SweepSpec;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gdchaos.plot.Charts;
import org.gdchaos.plot.Labels;
import org.gdchaos.plot.Panels;
import org.gdchaos.plot.PlotOptions;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The sweep's figures (files in the formats of {@link PlotOptions}, and the same charts inline in
 * {@code report.html}):
 * <ul>
 * <li>{@code lambda_vs_lr} — two panels on one η axis ({@link #lambdaVsLrFigure}): mean λ1 against
 * the learning rate (log axis) with its 95% band and each initialisation's λ1 as a small mark
 * (hollow on fewer than {@link CellRow#FEW_POINTS} points), and below it the median steps to the
 * accuracy threshold, a learning rate whose median never reached it marked ✕ at the steps trained
 * (the paper's main figure; no steps panel where accuracy is undefined, i.e. single-output
 * models);</li>
 * <li>{@code spectrum_vs_lr} — mean λ1 … λK against the learning rate with 95% error bars, when
 * K &gt; 1 exponents are reported (spectrum, tangent);</li>
 * <li>{@code curves} — each learning rate's mean ln⟨d(t)⟩ (paper; the fit window, median over the
 * initialisations of {@code fit_start … fit_end}, drawn as a wide pale band along the curve) or running λ1 (benettin, spectrum,
 * tangent; the end of the transient marked), coloured by η in order ({@link Charts#ordered});
 * {@code curves_lambda_K} the running λK with K &gt; 1;</li>
 * <li>{@code sharpness_vs_lr} — with a {@code sharpness} column.</li>
 * </ul>
 * With several weight decays (docs/science.md#weight-decay) {@code lambda_vs_lr} and
 * {@code sharpness_vs_lr} draw one series per weight decay (coloured in order, "wd = …"), and the
 * spectrum and curves figures are drawn once per weight decay, named with {@code _wd_I} (I =
 * {@code wd_index}); with one weight decay every figure is as without weight decay. Several momentum
 * values ({@code --momentum}) likewise: one series per β ("β = …"), per (wd, β) pair with both axes,
 * one stability edge per β in {@code sharpness_vs_lr}, and {@code _m_J} (J = {@code momentum_index})
 * in the per-series figures' names.
 */
public final class SweepPlots {
    private SweepPlots() {
    }

    /** One figure: its file name (no extension), a caption for the report, and its panels (one chart or several stacked). */
    public record Figure(String name, String caption, Panels panels) {
        public Figure(String name, String caption, XYChart chart) {
            this(name, caption, Panels.of(chart));
        }

        /** The (top) chart. */
        public XYChart chart() {
            return panels.first();
        }
    }

    static final Color BLUE = new Color(31, 119, 180);
    static final Color RED = new Color(214, 39, 40);
    static final Color GREY = new Color(120, 120, 120);

    /**
     * Every figure of a sweep into {@code dir} in the default size and formats; see
     * {@link #all(List, List, SweepSpec, Path, PlotOptions)}.
     */
    static List<Path> all(List<SummaryCsv.Row> summary, List<CellRow> rows, SweepSpec spec, Path dir) {
        return save(figures(summary, rows, spec, dir, PlotOptions.DEFAULT), dir, PlotOptions.DEFAULT);
    }

    /** Every figure of {@link #figures} written into {@code dir}. */
    static List<Path> all(List<SummaryCsv.Row> summary, List<CellRow> rows, SweepSpec spec, Path dir,
                          PlotOptions options) {
        return save(figures(summary, rows, spec, dir, options), dir, options);
    }

    /** Writes each figure as {@code dir/NAME.EXT} for the formats of {@code options}. */
    static List<Path> save(List<Figure> figures, Path dir, PlotOptions options) {
        return save(figures, dir, options, null);
    }

    /** {@link #save(List, Path, PlotOptions)} with each figure's SVG already drawn ({@code svgs[i]}; null: draw them). */
    static List<Path> save(List<Figure> figures, Path dir, PlotOptions options, List<String> svgs) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            files.addAll(Charts.save(f.panels(), dir.resolve(f.name()), options, svgs == null ? null : svgs.get(i)));
        }
        return files;
    }

    /**
     * The figures of a sweep from its rows, their summary and the {@code curves.csv} in {@code dir}
     * (curves of cells without a row are left out). One rule for single-process sweeps, merges and
     * {@code gdchaos report}, so all draw the same figures. Empty without rows.
     */
    public static List<Figure> figures(List<SummaryCsv.Row> summary, List<CellRow> rows, SweepSpec spec, Path dir,
                                PlotOptions options) {
        List<Figure> out = new ArrayList<>();
        if (summary.isEmpty()) return out;
        TreeMap<Long, double[]> groups = groups(rows, summary);
        boolean several = groups.size() > 1;
        Map<Long, String> legend = groupLabels(groups);
        boolean severalDecays = groups.values().stream().map(v -> v[0]).distinct().count() > 1;
        boolean severalMomenta = groups.values().stream().map(v -> v[1]).distinct().count() > 1;
        String stepsCaption = accuracyDefined(summary) ? "; median steps until the test accuracy reaches "
                + spec.measurement().accuracyThreshold() + " on the right axis (✕ at the top: the median never "
                + "reached it within " + spec.training().steps() + " steps)" : "";
        String marks = "; filled diamonds: each initialisation's λ1, hollow where it rests on fewer than "
                + CellRow.FEW_POINTS + " points (fit_few_points)";
        String stepsPanel = accuracyDefined(summary) ? ". Lower panel, same η axis: median steps until the test accuracy "
                + "reaches " + spec.measurement().accuracyThreshold() + "; ✕ at " + spec.training().steps()
                + " (the steps trained): the median never reached it" + (several ? " (in the colour of its series, "
                + "moved sideways a little where several share an η)" : "") : "";
        out.add(new Figure("lambda_vs_lr", "Upper panel: mean λ1 per learning rate with its 95% interval (band)"
                + (several ? ", one colour per " + seriesWord(severalDecays, severalMomenta) : "") + marks + stepsPanel,
                lambdaVsLrFigure(summary, rows, spec.measurement().accuracyThreshold(), spec.training().steps(),
                        options)));
        for (Map.Entry<Long, double[]> d : groups.entrySet()) {
            List<CellRow> mine = several ? rows.stream().filter(r -> group(r.cell()) == d.getKey()).toList() : rows;
            String suffix = (severalDecays ? "_wd_" + (d.getKey() >>> 32) : "")
                    + (severalMomenta ? "_m_" + (int) (long) d.getKey() : "");
            String of = several ? " (" + legend.get(d.getKey()).substring(2) + ")" : "";
            XYChart spectrum = spectrumChart(mine, options);
            if (spectrum != null) {
                if (several) spectrum.setTitle(spectrum.getTitle() + legend.get(d.getKey()));
                out.add(new Figure("spectrum_vs_lr" + suffix, "Mean of each Lyapunov exponent λ1 … λK over the "
                        + "initialisations (diverged cells left out)" + of, spectrum));
            }
            Set<Cell.Identity> keys = new HashSet<>();
            for (CellRow r : mine) keys.add(r.cell().identity());
            Map<String, Map<Double, double[]>> curves = CurveMeans.fromCsv(dir.resolve(ResultStore.CURVES), spec, keys);
            boolean first = true;
            for (Map.Entry<String, Map<Double, double[]>> e : curves.entrySet()) {
                String col = e.getKey();
                XYChart chart = curvesChart(e.getValue(), spec, mine, col, options);
                if (several) chart.setTitle(chart.getTitle() + legend.get(d.getKey()));
                if (first) {
                    String cap = CurveMeans.running(spec)
                            ? "Running exponent estimate λ1(t) per learning rate, mean over initialisations; the thin "
                            + "grey line marks the end of the transient (" + spec.lyapunov().transientSteps() + " steps)"
                            : "ln⟨d(t)⟩, the log of the " + spec.lyapunov().norm().label() + " distance between reference "
                            + "and replicas (mean over replicas and initialisations) per learning rate; the wide pale band "
                            + "along each curve is its fit window (median fit_start … fit_end over the initialisations): λ1 "
                            + "is the slope there";
                    out.add(new Figure("curves" + suffix, cap + of, chart));
                    first = false;
                } else {
                    int k = spec.lyapunov().reportedExponents();
                    out.add(new Figure("curves_lambda_" + k + suffix, "Running estimate of the smallest measured "
                            + "exponent λ" + k + "(t) per learning rate, mean over initialisations" + of, chart));
                }
            }
        }
        org.gdchaos.backend.Optimizer opt = spec.training().optimizer();
        XYChart sharp = sharpnessVsLrChart(rows, options, opt);
        if (sharp != null) {
            out.add(new Figure("sharpness_vs_lr", (opt.kind() == org.gdchaos.backend.Optimizer.Kind.ADAM
                        ? "Adam's preconditioned sharpness λ_max(D·H), D = diag(c1/(√(c2·s) + ε)) at the last step, "
                        + "at the end of training: mean over converged cells, non-converged cells as marks, and "
                        + "Adam's stability edge " + edgeLabel(opt) + " (Cohen et al. 2022; "
                        + "docs/science.md#optimizer-thresholds); the gradient flow's sharpness, of H itself, is "
                        + "not drawn"
                        : "Top Hessian eigenvalue at the end of training: mean over converged cells, gradient flow "
                        + "from the same starts, non-converged cells as marks, and the stability edge "
                        + edgeLabel(opt) + " of " + (opt.isGd() ? "GD" : opt.label()))
                    + (severalMomenta && !opt.isGd() ? " (one edge per β)" : "")
                    + (several ? "; one series per " + seriesWord(severalDecays, severalMomenta) : "")
                    + (severalDecays ? " (the Hessian of the objective, shifted by wd on the decayed coordinates)" : ""),
                    sharp));
        }
        return out;
    }

    /**
     * The series of a sweep's figures: one per (weight decay, momentum) pair of its rows (and summary),
     * keyed {@code wdIndex·2^32 + mIndex} (weight decay major), each with its values {λ, β}.
     */
    static TreeMap<Long, double[]> groups(List<CellRow> rows, List<SummaryCsv.Row> summary) {
        TreeMap<Long, double[]> g = new TreeMap<>();
        for (CellRow r : rows) g.putIfAbsent(group(r.cell()), new double[] {r.cell().weightDecay(), r.cell().momentum()});
        for (SummaryCsv.Row r : summary) g.putIfAbsent(group(r), new double[] {r.weightDecay(), r.momentum()});
        if (g.isEmpty()) g.put(0L, new double[] {0, 0});
        return g;
    }

    /** A cell's series key: {@code wdIndex·2^32 + mIndex}. */
    static long group(Cell c) {
        return ((long) c.wdIndex() << 32) | c.mIndex();
    }

    static long group(SummaryCsv.Row r) {
        return ((long) r.wdIndex() << 32) | r.mIndex();
    }

    /**
     * Legend suffixes of the series: {@code ", wd = …"} when they differ in weight decay, {@code ", β = …"}
     * when they differ in momentum, both when both; empty for one series.
     */
    static Map<Long, String> groupLabels(Map<Long, double[]> groups) {
        boolean wd = groups.values().stream().map(v -> v[0]).distinct().count() > 1;
        boolean beta = groups.values().stream().map(v -> v[1]).distinct().count() > 1;
        Labels wdNames = Labels.of(groups.values().stream().map(v -> v[0]).toList());
        Labels betaNames = Labels.of(groups.values().stream().map(v -> v[1]).toList());
        Map<Long, String> out = new TreeMap<>();
        for (Map.Entry<Long, double[]> e : groups.entrySet()) {
            out.put(e.getKey(), (wd ? wdLabel(wdNames, e.getValue()[0]) : "")
                    + (beta ? ", β = " + betaNames.of(e.getValue()[1]) : ""));
        }
        return out;
    }

    private static String seriesWord(boolean decays, boolean momenta) {
        return decays && momenta ? "pair of weight decay wd and momentum β" : momenta ? "momentum β" : "weight decay wd";
    }

    /** The weight decays of a sweep's rows (index → λ), from the summary when there are no rows. */
    static TreeMap<Integer, Double> decays(List<CellRow> rows, List<SummaryCsv.Row> summary) {
        TreeMap<Integer, Double> d = new TreeMap<>();
        for (CellRow r : rows) d.putIfAbsent(r.cell().wdIndex(), r.cell().weightDecay());
        for (SummaryCsv.Row r : summary) d.putIfAbsent(r.wdIndex(), r.weightDecay());
        if (d.isEmpty()) d.put(0, 0.0);
        return d;
    }

    /** Legend suffix of a weight decay: {@code , wd = } and its label among {@code names}. */
    static String wdLabel(Labels names, double wd) {
        return ", wd = " + names.of(wd);
    }

    /** Series name of the learning rates whose median never reached the threshold. */
    static final String NEVER_SERIES = "never reached";
    /** Series name of the median steps to the threshold (the panel's axis names the threshold). */
    public static final String MEDIAN_STEPS = "median";
    /** Series name of the 95% band of the mean λ1. */
    static final String CI_BAND = "95% CI of the mean";
    /** Series name of the individual initialisations' λ1. */
    static final String EACH_INIT = "each init";
    /** Series name of the initialisations whose λ1 rests on fewer than {@link CellRow#FEW_POINTS} points. */
    static final String FEW_POINTS_INIT = "< " + CellRow.FEW_POINTS + " fit points";

    private static boolean accuracyDefined(List<SummaryCsv.Row> rows) {
        for (SummaryCsv.Row r : rows) if (!Double.isNaN(r.reachedFraction())) return true;
        return false;
    }

    public static Panels lambdaVsLrChart(List<SummaryCsv.Row> rows, double threshold) {
        return lambdaVsLrFigure(rows, List.of(), threshold, Double.NaN, PlotOptions.DEFAULT);
    }

    /** Share of the figure's height the λ1 panel gets when the steps panel is drawn below it. */
    static final double TOP_SHARE = 0.6;

    /**
     * {@code lambda_vs_lr} as two panels sharing one η axis (plot areas aligned, {@link Panels}):
     * <ul>
     * <li>above, λ1: per weight decay (one colour each; blue without weight decay) the 95% band of the
     * mean, the mean line, each initialisation's λ1 as a translucent diamond — hollow where λ1 rests on
     * fewer than {@link CellRow#FEW_POINTS} points — and λ1 = 0;</li>
     * <li>below, when accuracy is defined: the median steps to the threshold per weight decay, and ✕ at
     * {@code steps} (the steps trained; 1.1 × the largest median without it) where the median never
     * reached it, in the colour of its series and named for it.</li>
     * </ul>
     * Two panels rather than a second y axis: the two axes' zeros need not line up (steps read as λ
     * values), and a ✕ at the top of one axis sat on the other's data.
     */
    static Panels lambdaVsLrFigure(List<SummaryCsv.Row> rows, List<CellRow> cells, double threshold, double steps,
                                   PlotOptions options) {
        TreeMap<Long, List<SummaryCsv.Row>> by = new TreeMap<>();
        for (SummaryCsv.Row r : rows) by.computeIfAbsent(group(r), k -> new ArrayList<>()).add(r);
        double[] all = rows.stream().mapToDouble(SummaryCsv.Row::lr).sorted().toArray();
        boolean several = by.size() > 1;
        boolean acc = accuracyDefined(rows);
        boolean logX = Charts.logScale(all);
        int h = options.height(), top = acc ? (int) Math.round(TOP_SHARE * h) : h;
        XYChart lam = Charts.xyChart("Maximum Lyapunov exponent λ1" + (acc ? " and training time" : ""),
                "learning rate η", "λ1 (per step)", logX, options.width(), top, options.scale());
        legendRight(lam);
        XYChart st = acc ? Charts.xyChart("", "learning rate η", "steps to acc. ≥ " + Charts.sig3(threshold), logX,
                options.width(), h - top, options.scale()) : null;
        if (st != null) {
            legendRight(st);
            st.getStyler().setChartTitleVisible(false);
            lam.getStyler().setXAxisTitleVisible(false);
        }
        Map<Long, double[]> valuesOf = new TreeMap<>();
        for (SummaryCsv.Row r : rows) valuesOf.putIfAbsent(group(r), new double[] {r.weightDecay(), r.momentum()});
        Map<Long, String> legend = groupLabels(valuesOf);
        double top1 = Double.isFinite(steps) && steps > 0 ? steps : Double.NaN;
        double maxSteps = 0;
        for (SummaryCsv.Row r : rows) if (Double.isFinite(r.medianSteps())) maxSteps = Math.max(maxSteps, r.medianSteps());
        if (Double.isNaN(top1)) top1 = maxSteps > 0 ? 1.1 * maxSteps : 1;
        int m = by.size(), j = 0;
        if (several) { // one grey legend entry for what every weight decay's series shares
            Charts.legendOnly(lam, CI_BAND, SeriesMarkers.NONE, GREY, true);
            if (!cells.isEmpty()) {
                Charts.legendOnly(lam, EACH_INIT, SeriesMarkers.DIAMOND, GREY, false);
                if (cells.stream().anyMatch(CellRow::fitFewPoints)) {
                    Charts.legendOnly(lam, FEW_POINTS_INIT, Charts.HOLLOW_DIAMOND, GREY, false);
                }
            }
        }
        for (Map.Entry<Long, List<SummaryCsv.Row>> e : by.entrySet()) {
            List<SummaryCsv.Row> g = e.getValue();
            int n = g.size();
            double[] lr = new double[n], mean = new double[n], lo = new double[n], hi = new double[n],
                    med = new double[n];
            List<Double> never = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SummaryCsv.Row r = g.get(i);
                lr[i] = r.lr();
                mean[i] = r.lambda1().mean();
                lo[i] = Double.isNaN(r.lambda1().ciLow()) ? mean[i] : r.lambda1().ciLow();
                hi[i] = Double.isNaN(r.lambda1().ciHigh()) ? mean[i] : r.lambda1().ciHigh();
                med[i] = Double.isInfinite(r.medianSteps()) ? Double.NaN : r.medianSteps();
                if (Double.isInfinite(r.medianSteps())) never.add(lr[i]);
            }
            Color c = several ? Charts.ordered(j, m) : BLUE;
            String wd = several ? legend.get(e.getKey()) : "";
            XYSeries band = Charts.band(lam, CI_BAND + wd, lr, lo, hi, c);
            if (band != null && several) band.setShowInLegend(false);
            List<CellRow> mine = cells.stream().filter(r -> group(r.cell()) == e.getKey() && !r.diverged()).toList();
            for (boolean few : new boolean[] {false, true}) {
                List<CellRow> sel = mine.stream().filter(r -> r.fitFewPoints() == few).toList();
                double[] cx = sel.stream().mapToDouble(r -> r.cell().lr()).toArray();
                double[] cy = sel.stream().mapToDouble(CellRow::lambda1).toArray();
                XYSeries each = Charts.scatter(lam, (few ? FEW_POINTS_INIT : EACH_INIT) + wd, cx, cy);
                if (each != null) {
                    each.setMarkerColor(few ? c : new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
                    each.setMarker(few ? Charts.HOLLOW_DIAMOND : SeriesMarkers.DIAMOND);
                    each.setShowInLegend(!several);
                }
            }
            Charts.color(Charts.line(lam, "mean λ1" + wd, lr, mean), c);
            if (st != null) {
                Color sc = several ? c : RED;
                XYSeries line = Charts.color(Charts.line(st, MEDIAN_STEPS + wd, lr, med), sc);
                if (line != null) line.setMarker(SeriesMarkers.SQUARE);
                if (!never.isEmpty()) {
                    double[] nx = new double[never.size()], ny = new double[never.size()];
                    for (int i = 0; i < nx.length; i++) { // several decays: side by side, not on top of each other
                        nx[i] = never.get(i) * (several ? Math.pow(1.04, j - (m - 1) / 2.0) : 1);
                        if (!logX && several) nx[i] = never.get(i) + 0.01 * (j - (m - 1) / 2.0) * (all[all.length - 1] - all[0]);
                        ny[i] = top1;
                    }
                    XYSeries x = Charts.color(Charts.scatter(st, NEVER_SERIES + wd, nx, ny), sc);
                    if (x != null) x.setMarker(SeriesMarkers.CROSS);
                }
            }
            j++;
        }
        Charts.color(Charts.curve(lam, "λ1 = 0", new double[] {all[0], all[all.length - 1]}, new double[] {0, 0}),
                GREY);
        List<XYChart> panels = new ArrayList<>(List.of(lam));
        if (st != null) {
            st.getStyler().setYAxisMin(0.0);
            st.getStyler().setYAxisMax(Math.max(top1, maxSteps) * 1.08);
            panels.add(st);
        }
        for (XYChart c : panels) {
            if (logX) { // the same η range in both panels, whatever each one draws
                c.getStyler().setXAxisMin(all[0]);
                c.getStyler().setXAxisMax(all[all.length - 1]);
            } else {
                Charts.niceXRange(c, all[0], all[all.length - 1]);
            }
        }
        return Panels.stacked(panels);
    }

    /**
     * λ1 … λK (mean over the non-diverged initialisations) against η, coloured in order; null with
     * fewer than two reported exponents.
     */
    static XYChart spectrumChart(List<CellRow> rows, PlotOptions options) {
        if (rows.isEmpty() || rows.get(0).exponents().length < 2) return null;
        int k = rows.get(0).exponents().length;
        TreeMap<Double, List<double[]>> by = new TreeMap<>(); // lr -> the cells' exponents
        for (CellRow r : rows) {
            if (r.diverged()) continue;
            by.computeIfAbsent(r.cell().lr(), x -> new ArrayList<>()).add(r.exponents());
        }
        if (by.isEmpty()) return null;
        double[] lr = by.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        boolean logX = Charts.logScale(lr);
        XYChart chart = Charts.xyChart("Lyapunov spectrum (mean and 95% interval over the initialisations)",
                "learning rate η", "λi (per step)", logX, options);
        legendRight(chart);
        for (int i = 0; i < k; i++) {
            double[] y = new double[lr.length], err = new double[lr.length];
            int j = 0;
            for (List<double[]> cells : by.values()) {
                double sum = 0, sq = 0;
                int n = 0;
                for (double[] lam : cells) {
                    if (Double.isFinite(lam[i])) {
                        sum += lam[i];
                        sq += lam[i] * lam[i];
                        n++;
                    }
                }
                y[j] = n > 0 ? sum / n : Double.NaN;
                double var = n > 1 ? Math.max(0, (sq - n * y[j] * y[j]) / (n - 1)) : Double.NaN;
                err[j++] = n > 1 ? org.gdchaos.analysis.StudentT.critical95(n - 1) * Math.sqrt(var / n) : Double.NaN;
            }
            XYSeries s = Charts.color(Charts.lineWithErrors(chart, "λ" + (i + 1), lr, y, err), Charts.ordered(i, k));
            if (s != null && k > 12 && i > 0 && i < k - 1 && i % ((k + 9) / 10) != 0) s.setShowInLegend(false);
        }
        Charts.color(Charts.curve(chart, "λ = 0", new double[] {lr[0], lr[lr.length - 1]}, new double[] {0, 0}), GREY);
        if (!logX) Charts.niceXRange(chart, lr[0], lr[lr.length - 1]);
        return chart;
    }

    /** Series names of {@link #sharpnessVsLr}. */
    public static final String GD_CONVERGED = "GD, converged (mean)";
    public static final String GF_SAME_CELLS = "gradient flow, same starts (mean)";
    public static final String GD_NOT_CONVERGED = "GD, not converged (each cell)";
    static final String ADAM_CONVERGED = "Adam, converged (mean)";
    static final String ADAM_NOT_CONVERGED = "Adam, not converged (each cell)";

    /**
     * {@code sharpness_vs_lr}: per learning rate, the mean final sharpness of GD over the cells that
     * {@linkplain CellRow#converged() converged}, the gradient-flow sharpness from the starts of those
     * same cells (when measured), the final sharpness of each cell that neither converged nor
     * diverged (periodic orbits, chaos, still moving) as separate marks, and the stability edge
     * 2/η — the picture of "GD converges to flatter minima than GF, at most 2/η sharp". Nothing is
     * drawn (empty list) when the rows carry no {@code sharpness} column.
     */
    public static List<Path> sharpnessVsLr(List<CellRow> rows, Path dir) {
        XYChart chart = sharpnessVsLrChart(rows);
        return chart == null ? List.of()
                : Charts.save(chart, dir.resolve("sharpness_vs_lr"), Charts.Format.PNG, Charts.Format.SVG);
    }

    /** The chart of {@link #sharpnessVsLr}, or null without a {@code sharpness} column. */
    public static XYChart sharpnessVsLrChart(List<CellRow> rows) {
        return sharpnessVsLrChart(rows, PlotOptions.DEFAULT);
    }

    public static XYChart sharpnessVsLrChart(List<CellRow> rows, PlotOptions options) {
        return sharpnessVsLrChart(rows, options, org.gdchaos.backend.Optimizer.GD);
    }

    /**
     * The learning rates at which a stability edge is drawn: 200 points from the grid's first to its
     * last learning rate, evenly spaced on the axis (geometrically on a log axis), so that c/η reads
     * as the curve it is; the grid itself when it has fewer than two positive values.
     */
    static double[] edgeEtas(double[] lr, boolean logX) {
        int n = lr.length;
        if (n < 2 || !(lr[0] > 0) || !(lr[n - 1] > lr[0])) return lr;
        int m = 200;
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            double f = i / (double) (m - 1);
            x[i] = logX ? lr[0] * Math.pow(lr[n - 1] / lr[0], f) : lr[0] + f * (lr[n - 1] - lr[0]);
        }
        x[m - 1] = lr[n - 1];
        return x;
    }

    /** {@code opt}'s stability edge at each learning rate (NaN at η ≤ 0). */
    private static double[] thresholds(org.gdchaos.backend.Optimizer opt, double[] lr) {
        double[] e = new double[lr.length];
        for (int i = 0; i < lr.length; i++) e[i] = lr[i] > 0 ? opt.threshold(lr[i]) : Double.NaN;
        return e;
    }

    /** Greys from dark to light for the stability edges of several β. */
    private static Color edgeGrey(int i, int n) {
        int v = 60 + (n < 2 ? 0 : 120 * i / (n - 1));
        return new Color(v, v, v);
    }

    /**
     * The label of an optimizer's stability edge on the raw sharpness (docs/science.md#optimizer-thresholds):
     * {@code 2/η} (GD), {@code (2+2β)/η} (heavy ball), {@code (2+2β)/((1+2β)η)} (Nesterov), β
     * written out; Adam's {@code (2+2β1)/((1−β1)η)}, on the preconditioned sharpness.
     */
    static String edgeLabel(org.gdchaos.backend.Optimizer opt) {
        String b = Charts.sig3(opt.beta1());
        return switch (opt.kind()) {
            case MOMENTUM -> "(2+2β)/η, β = " + b;
            case NESTEROV -> "(2+2β)/((1+2β)η), β = " + b;
            case ADAM -> "(2+2β1)/((1−β1)η), β1 = " + b;
            default -> "2/η";
        };
    }

    /**
     * As {@link #sharpnessVsLrChart(List, PlotOptions)}, the edge that of {@code opt}; for Adam the
     * values are the preconditioned sharpness (the series and axis say so) against Adam's edge, and
     * the gradient flow's (plain) sharpness is not drawn.
     */
    public static XYChart sharpnessVsLrChart(List<CellRow> rows, PlotOptions options, org.gdchaos.backend.Optimizer opt) {
        org.gdchaos.backend.Optimizer edgeOf = opt;
        boolean adam = opt.kind() == org.gdchaos.backend.Optimizer.Kind.ADAM;
        if (rows.isEmpty() || !rows.get(0).extras().containsKey("sharpness")) return null;
        boolean withFlow = !adam && rows.get(0).extras().containsKey("gf_sharpness");
        // series (weight decay, momentum) -> lr -> {Σ gd, n gd, Σ gf, n gf}
        TreeMap<Long, TreeMap<Double, double[]>> byDecay = new TreeMap<>();
        TreeMap<Long, double[]> decayOf = new TreeMap<>();
        TreeSet<Double> lrs = new TreeSet<>();
        List<double[]> others = new ArrayList<>();     // {lr, sharpness, series key}
        for (CellRow r : rows) {
            decayOf.putIfAbsent(group(r.cell()), new double[] {r.cell().weightDecay(), r.cell().momentum()});
            double[] a = byDecay.computeIfAbsent(group(r.cell()), k -> new TreeMap<>())
                    .computeIfAbsent(r.cell().lr(), k -> new double[4]);
            lrs.add(r.cell().lr());
            double gd = r.extras().getOrDefault("sharpness", Double.NaN);
            double gf = r.extras().getOrDefault("gf_sharpness", Double.NaN);
            if (r.diverged() || !Double.isFinite(gd)) continue;
            if (!r.converged()) {
                others.add(new double[] {r.cell().lr(), gd, group(r.cell())});
                continue;
            }
            a[0] += gd;
            a[1]++;
            if (Double.isFinite(gf)) {
                a[2] += gf;
                a[3]++;
            }
        }
        int n = lrs.size();
        double[] lr = lrs.stream().mapToDouble(Double::doubleValue).toArray();
        boolean logX = Charts.logScale(lr);
        double[] edgeLr = edgeEtas(lr, logX); // the edge c/η as a smooth curve, not segments between grid points
        XYChart chart = Charts.xyChart(adam ? "Preconditioned sharpness at the end of training"
                : "Sharpness at the end of training", "learning rate η",
                adam ? "preconditioned sharpness λ_max(D·H)" : "top Hessian eigenvalue", logX, options);
        legendRight(chart);
        boolean several = byDecay.size() > 1;
        double top = 0;
        int j = 0;
        Map<Long, String> legend = groupLabels(decayOf);
        // the trained trajectories' series are named for their optimizer ("GD, …", "momentum, …")
        String trained = opt.isGd() ? "GD" : opt.kind().name().toLowerCase(java.util.Locale.ROOT);
        String converged = adam ? ADAM_CONVERGED : GD_CONVERGED.replaceFirst("^GD", trained);
        String notConverged = adam ? ADAM_NOT_CONVERGED : GD_NOT_CONVERGED.replaceFirst("^GD", trained);
        for (Map.Entry<Long, TreeMap<Double, double[]>> d : byDecay.entrySet()) {
            int m = d.getValue().size();
            double[] x = new double[m], gd = new double[m], gf = new double[m];
            int i = 0;
            for (Map.Entry<Double, double[]> e : d.getValue().entrySet()) {
                x[i] = e.getKey();
                double[] a = e.getValue();
                gd[i] = a[1] > 0 ? a[0] / a[1] : Double.NaN;
                gf[i] = a[3] > 0 ? a[2] / a[3] : Double.NaN;
                i++;
            }
            String wd = several ? legend.get(d.getKey()) : "";
            Color c = several ? Charts.ordered(j, byDecay.size()) : BLUE;
            XYSeries gdLine = Charts.color(Charts.line(chart, converged + wd, x, gd), c);
            if (withFlow) {
                XYSeries f = Charts.color(Charts.line(chart, GF_SAME_CELLS + wd, x, gf),
                        several ? c : new Color(44, 160, 44));
                if (f != null && several) f.setMarker(SeriesMarkers.DIAMOND);
            }
            if (gdLine != null && several) gdLine.setMarker(SeriesMarkers.CIRCLE);
            for (double[] v : new double[][] {gd, gf}) for (double y : v) if (Double.isFinite(y)) top = Math.max(top, y);
            j++;
        }
        if (!others.isEmpty() && !several) {
            double[] ox = others.stream().mapToDouble(o -> o[0]).toArray();
            double[] oy = others.stream().mapToDouble(o -> o[1]).toArray();
            Charts.color(Charts.scatter(chart, notConverged, ox, oy), new Color(255, 127, 14));
        } else if (!others.isEmpty()) { // several series: the marks of each in its colour
            int g = 0;
            for (Long key : byDecay.keySet()) {
                List<double[]> mine = others.stream().filter(o -> (long) o[2] == key).toList();
                Color c = Charts.ordered(g++, byDecay.size());
                if (mine.isEmpty()) continue;
                XYSeries x = Charts.scatter(chart, notConverged + legend.get(key),
                        mine.stream().mapToDouble(o -> o[0]).toArray(), mine.stream().mapToDouble(o -> o[1]).toArray());
                if (x != null) {
                    x.setMarkerColor(c);
                    x.setMarker(SeriesMarkers.TRIANGLE_UP);
                }
            }
        }
        // one edge per momentum value of the series (heavy ball, Nesterov: the edge depends on β)
        java.util.Set<Double> betas = new TreeSet<>();
        for (double[] v : decayOf.values()) betas.add(v[1]);
        if (edgeOf.isGd() || betas.size() < 2) {
            Charts.color(Charts.curve(chart, edgeLabel(edgeOf), edgeLr, thresholds(edgeOf, edgeLr)), GREY);
        } else {
            int b = 0;
            for (double beta : betas) {
                org.gdchaos.backend.Optimizer o = edgeOf.withMomentum(beta);
                Charts.color(Charts.curve(chart, edgeLabel(o), edgeLr, thresholds(o, edgeLr)), edgeGrey(b++, betas.size()));
            }
        }
        // 2/η grows without bound at small η: keep the sharpness values readable, clip the edge
        for (double[] o : others) top = Math.max(top, o[1]);
        if (top > 0) {
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisMax(1.5 * top);
        }
        if (!logX && n > 0) Charts.niceXRange(chart, lr[0], lr[n - 1]);
        return chart;
    }

    /** Mean over initialisations of the first tracker curve (ln⟨d⟩ or running λ1) per learning rate. */
    public static List<Path> curves(Map<Double, double[]> meanCurveByLr, String yLabel, Path dir) {
        XYChart chart = Charts.xyChart("Divergence of nearby trajectories", "step", yLabel, false);
        addCurves(chart, meanCurveByLr, Map.of());
        return Charts.save(chart, dir.resolve("curves"), Charts.Format.PNG, Charts.Format.SVG);
    }

    /** The legend in one column right of the plot (long series names never run off the figure). */
    static void legendRight(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    }

    /** Legend label of a learning rate: {@code η = } and its label among {@code names}. */
    static String etaLabel(Labels names, double lr) {
        return "η = " + names.of(lr);
    }

    /** Largest number of learning rates named in a curves legend; the others are drawn but not listed. */
    static final int LEGEND_ENTRIES = 12;

    /**
     * The curves chart of column {@code column} ({@link CurveMeans#columns}): one line per learning rate
     * coloured in η order ({@link Charts#ordered}), legend on the right (at most {@value #LEGEND_ENTRIES}
     * entries, evenly spread, first and last always), ticks on round steps; for ln⟨d(t)⟩ the fit window
     * drawn as a pale band, for running exponents the end of the transient as a grey line.
     */
    static XYChart curvesChart(Map<Double, double[]> byLr, SweepSpec spec, List<CellRow> rows, String column,
                               PlotOptions options) {
        boolean running = CurveMeans.running(spec);
        String title;
        String yLabel;
        if (!running) {
            title = "Divergence of nearby trajectories (pale band: fit window)";
            yLabel = CurveMeans.label(spec);
        } else {
            String idx = column.equals("lambda_running") || column.equals("lambda_1_running") ? "1"
                    : column.replace("lambda_", "").replace("_running", "");
            title = "Running Lyapunov exponent λ" + idx + " (" + spec.lyapunov().method().name().toLowerCase(
                    java.util.Locale.ROOT) + ")";
            yLabel = "running estimate of λ" + idx + " (per step)";
        }
        XYChart chart = Charts.xyChart(title, "step", yLabel, false, options);
        legendRight(chart);
        Map<Double, int[]> windows = running ? Map.of() : fitWindows(rows);
        addCurves(chart, byLr, windows);
        Charts.niceXRange(chart, 0, spec.training().steps());
        if (running && spec.lyapunov().transientSteps() > 0) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double[] y : byLr.values()) {
                for (double v : y) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (lo <= hi) {
                double t = spec.lyapunov().transientSteps();
                XYSeries s = Charts.color(Charts.curve(chart, "end of transient", new double[] {t, t},
                        new double[] {lo, hi}), GREY);
                if (s != null) Charts.thick(chart, s, 0.5);
            }
        }
        return chart;
    }

    /** The curves, coloured by η in order; the fit window (steps, inclusive) of each η drawn as a wide translucent line under its curve. */
    private static void addCurves(XYChart chart, Map<Double, double[]> byLr, Map<Double, int[]> windows) {
        int n = byLr.size(), i = 0;
        Labels names = Labels.of(byLr.keySet());
        int every = Math.max(1, (int) Math.ceil((n - 1) / (double) (LEGEND_ENTRIES - 1)));
        for (Map.Entry<Double, double[]> e : byLr.entrySet()) {
            double[] y = e.getValue();
            double[] x = new double[y.length];
            for (int s = 0; s < y.length; s++) x[s] = s;
            Color c = Charts.ordered(i, n);
            int[] w = windows.get(e.getKey());
            if (w != null && w[0] >= 0 && w[1] > w[0] && w[1] < y.length) { // under the curve, translucent
                int len = w[1] - w[0] + 1;
                double[] wx = new double[len], wy = new double[len];
                for (int k = 0; k < len; k++) {
                    wx[k] = w[0] + k;
                    wy[k] = y[w[0] + k];
                }
                XYSeries f = Charts.color(Charts.curve(chart, "fit window, " + etaLabel(names, e.getKey()), wx, wy),
                        new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
                if (f != null) {
                    Charts.thick(chart, f, 4);
                    f.setShowInLegend(false);
                }
            }
            XYSeries s = Charts.color(Charts.curve(chart, etaLabel(names, e.getKey()), x, y), c);
            if (s != null && n > LEGEND_ENTRIES && i % every != 0 && i != n - 1) s.setShowInLegend(false);
            i++;
        }
    }

    /**
     * Per learning rate, the median over its non-diverged cells of {@code fit_start} and of
     * {@code fit_end} (cells without a window, −1, left out).
     */
    static Map<Double, int[]> fitWindows(List<CellRow> rows) {
        Map<Double, List<int[]>> by = new TreeMap<>();
        for (CellRow r : rows) {
            if (r.diverged() || r.fitStart() < 0 || r.fitEnd() <= r.fitStart()) continue;
            by.computeIfAbsent(r.cell().lr(), k -> new ArrayList<>()).add(new int[] {r.fitStart(), r.fitEnd()});
        }
        Map<Double, int[]> out = new TreeMap<>();
        for (Map.Entry<Double, List<int[]>> e : by.entrySet()) {
            int[] s = e.getValue().stream().mapToInt(a -> a[0]).sorted().toArray();
            int[] t = e.getValue().stream().mapToInt(a -> a[1]).sorted().toArray();
            out.put(e.getKey(), new int[] {s[(s.length - 1) / 2], t[(t.length - 1) / 2]});
        }
        return out;
    }

    /** Element-wise mean of curves, ignoring NaN. */
    static double[] meanCurve(List<double[]> curves) {
        int len = curves.get(0).length;
        double[] out = new double[len];
        for (int s = 0; s < len; s++) {
            double sum = 0;
            int k = 0;
            for (double[] c : curves) {
                if (Double.isFinite(c[s])) {
                    sum += c[s];
                    k++;
                }
            }
            out[s] = k == 0 ? Double.NaN : sum / k;
        }
        return out;
    }

    static List<double[]> column(List<CellOutcome> outcomes, String name) {
        List<double[]> out = new ArrayList<>();
        for (CellOutcome o : outcomes) if (o.curves().containsKey(name)) out.add(o.curves().get(name));
        return out;
    }
}
