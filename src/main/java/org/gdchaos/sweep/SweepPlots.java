package org.gdchaos.sweep;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gdchaos.plot.Charts;
import org.knowm.xchart.XYChart;

/**
 * The sweep's figures, as PNG and SVG: {@code lambda_vs_lr} — mean λ1 against the learning rate
 * (log axis) with its 95% band and the median steps to the accuracy threshold on a second axis
 * (the paper's main figure; no such line where accuracy is undefined, i.e. single-output models) — and {@code curves} — each learning rate's mean divergence curve
 * (or running exponent) against the step.
 */
public final class SweepPlots {
    private SweepPlots() {
    }

    /**
     * Every figure of a finished sweep into {@code dir}, from its rows and the {@code curves.csv}
     * there: {@code lambda_vs_lr}, {@code curves} (when the Lyapunov curve is present) and
     * {@code sharpness_vs_lr} (with a {@code sharpness} column). One rule for single-process sweeps
     * and merges, so both write the same files.
     */
    static List<Path> all(List<SummaryCsv.Row> summary, List<CellRow> rows, SweepSpec spec, Path dir) {
        List<Path> files = new ArrayList<>();
        if (summary.isEmpty()) return files;
        files.addAll(lambdaVsLr(summary, spec.measurement().accuracyThreshold(), dir));
        Map<Double, double[]> curves = CurveMeans.fromCsv(dir.resolve(ResultStore.CURVES), spec);
        if (!curves.isEmpty()) files.addAll(curves(curves, CurveMeans.label(spec), dir));
        files.addAll(sharpnessVsLr(rows, dir));
        return files;
    }

    public static List<Path> lambdaVsLr(List<SummaryCsv.Row> rows, double threshold, Path dir) {
        return Charts.save(lambdaVsLrChart(rows, threshold), dir.resolve("lambda_vs_lr"), Charts.Format.PNG,
                Charts.Format.SVG);
    }

    /** Series name of the steps-to-threshold line of {@link #lambdaVsLr}. */
    static String stepsSeries(double threshold) {
        return "median steps to test accuracy ≥ " + threshold;
    }

    static XYChart lambdaVsLrChart(List<SummaryCsv.Row> rows, double threshold) {
        int n = rows.size();
        double[] lr = new double[n], mean = new double[n], lo = new double[n], hi = new double[n],
                steps = new double[n];
        boolean logX = true;
        boolean accuracyDefined = false;
        for (int i = 0; i < n; i++) {
            SummaryCsv.Row r = rows.get(i);
            lr[i] = r.lr();
            if (!(r.lr() > 0)) logX = false;
            mean[i] = r.lambda1().mean();
            lo[i] = Double.isNaN(r.lambda1().ciLow()) ? mean[i] : r.lambda1().ciLow();
            hi[i] = Double.isNaN(r.lambda1().ciHigh()) ? mean[i] : r.lambda1().ciHigh();
            steps[i] = Double.isInfinite(r.medianSteps()) ? Double.NaN : r.medianSteps();
            accuracyDefined |= !Double.isNaN(r.reachedFraction());
        }
        XYChart chart = Charts.xyChart("Maximum Lyapunov exponent and training time", "learning rate η",
                "λ1 (per step)", logX);
        Charts.band(chart, "95% interval", lr, lo, hi, new Color(31, 119, 180));
        Charts.color(Charts.line(chart, "mean λ1", lr, mean), new Color(31, 119, 180));
        Charts.color(Charts.curve(chart, "λ = 0", new double[] {lr[0], lr[n - 1]}, new double[] {0, 0}), Color.GRAY);
        if (accuracyDefined) { // no steps-to-threshold line for single-output models (accuracy undefined)
            Charts.color(Charts.secondAxisLine(chart, stepsSeries(threshold), lr, steps, "steps to threshold"),
                    new Color(214, 39, 40));
        }
        return chart;
    }

    /** Series names of {@link #sharpnessVsLr}. */
    static final String GD_CONVERGED = "GD, converged (mean)";
    static final String GF_SAME_CELLS = "gradient flow, same starts (mean)";
    static final String GD_NOT_CONVERGED = "GD, not converged (each cell)";

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
    static XYChart sharpnessVsLrChart(List<CellRow> rows) {
        if (rows.isEmpty() || !rows.get(0).extras().containsKey("sharpness")) return null;
        boolean withFlow = rows.get(0).extras().containsKey("gf_sharpness");
        java.util.TreeMap<Double, double[]> by = new java.util.TreeMap<>(); // lr -> {Σ gd, n gd, Σ gf, n gf}
        List<double[]> others = new ArrayList<>();                          // {lr, sharpness}
        for (CellRow r : rows) {
            double[] a = by.computeIfAbsent(r.cell().lr(), k -> new double[4]);
            double gd = r.extras().getOrDefault("sharpness", Double.NaN);
            double gf = r.extras().getOrDefault("gf_sharpness", Double.NaN);
            if (r.diverged() || !Double.isFinite(gd)) continue;
            if (!r.converged()) {
                others.add(new double[] {r.cell().lr(), gd});
                continue;
            }
            a[0] += gd;
            a[1]++;
            if (Double.isFinite(gf)) {
                a[2] += gf;
                a[3]++;
            }
        }
        int n = by.size();
        double[] lr = new double[n], gd = new double[n], gf = new double[n], edge = new double[n];
        int i = 0;
        boolean logX = true;
        for (java.util.Map.Entry<Double, double[]> e : by.entrySet()) {
            lr[i] = e.getKey();
            logX &= lr[i] > 0;
            double[] a = e.getValue();
            gd[i] = a[1] > 0 ? a[0] / a[1] : Double.NaN;
            gf[i] = a[3] > 0 ? a[2] / a[3] : Double.NaN;
            edge[i] = lr[i] > 0 ? 2 / lr[i] : Double.NaN;
            i++;
        }
        XYChart chart = Charts.xyChart("Sharpness at the end of training", "learning rate η",
                "top Hessian eigenvalue", logX);
        Charts.color(Charts.line(chart, GD_CONVERGED, lr, gd), new Color(31, 119, 180));
        if (withFlow) Charts.color(Charts.line(chart, GF_SAME_CELLS, lr, gf), new Color(44, 160, 44));
        if (!others.isEmpty()) {
            double[] ox = others.stream().mapToDouble(o -> o[0]).toArray();
            double[] oy = others.stream().mapToDouble(o -> o[1]).toArray();
            Charts.color(Charts.scatter(chart, GD_NOT_CONVERGED, ox, oy), new Color(255, 127, 14));
        }
        Charts.color(Charts.curve(chart, "2/η", lr, edge), Color.GRAY);
        // 2/η grows without bound at small η: keep the sharpness values readable, clip the edge
        double top = 0;
        for (double[] v : new double[][] {gd, gf}) for (double x : v) if (Double.isFinite(x)) top = Math.max(top, x);
        for (double[] o : others) top = Math.max(top, o[1]);
        if (top > 0) {
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisMax(1.5 * top);
        }
        return chart;
    }

    /** Mean over initialisations of the first tracker curve (ln⟨d⟩ or running λ1) per learning rate. */
    public static List<Path> curves(Map<Double, double[]> meanCurveByLr, String yLabel, Path dir) {
        XYChart chart = Charts.xyChart("Divergence of nearby trajectories", "step", yLabel, false);
        for (Map.Entry<Double, double[]> e : meanCurveByLr.entrySet()) {
            double[] y = e.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) x[i] = i;
            Charts.curve(chart, "η = " + e.getKey(), x, y);
        }
        return Charts.save(chart, dir.resolve("curves"), Charts.Format.PNG, Charts.Format.SVG);
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
