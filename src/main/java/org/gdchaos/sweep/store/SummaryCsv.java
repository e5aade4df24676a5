package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.gdchaos.analysis.Stats;
import org.gdchaos.sweep.store.Column.Type;

/**
 * {@code summary.csv}: one row per learning rate and weight decay (η, λ), over its initialisations,
 * learning rate major ({@link #documented()}).
 * For every measured quantity Q — each λk, final loss, train/test accuracy and loss, gradient norm,
 * and the extras columns when measured — {@code Q_n, Q_mean, Q_sd, Q_ci_low, Q_ci_high}: the
 * {@link Stats#summarize} of Q over the cells that did not diverge, finite values only (95%
 * Student-t interval of the mean). Then the median steps to the accuracy threshold and the
 * fractions of cells that reached it, diverged, lost precision, rest on few fit points, converged.
 * Missing values are {@code NaN}.
 */
public final class SummaryCsv {
    /**
     * One summary row.
     *
     * @param quantities          the summary of each quantity by its results column name, in order
     * @param medianSteps         median steps to the threshold, +∞ when at least half never reached it
     *                            (NaN in the file), NaN when accuracy is undefined
     * @param reachedFraction     fraction of cells that reached it (NaN when accuracy is undefined)
     * @param divergedFraction    fraction of cells that diverged
     * @param precisionLostFraction fraction of cells that lost precision (λ NaN)
     * @param fitFewPointsFraction fraction of cells whose λ1 rests on few points
     * @param convergedFraction   fraction of cells that converged to a fixed point
     */
    public record Row(int lrIndex, double lr, int wdIndex, double weightDecay, int cells,
                      Map<String, Stats.Summary> quantities, double medianSteps,
                      double reachedFraction, double divergedFraction, double precisionLostFraction,
                      double fitFewPointsFraction, double convergedFraction, int mIndex, double momentum,
                      String optimizer) {
        public Row {
            quantities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(quantities));
        }

        /** A row of a GD sweep (no optimizer columns). */
        public Row(int lrIndex, double lr, int wdIndex, double weightDecay, int cells,
                   Map<String, Stats.Summary> quantities, double medianSteps,
                   double reachedFraction, double divergedFraction, double precisionLostFraction,
                   double fitFewPointsFraction, double convergedFraction) {
            this(lrIndex, lr, wdIndex, weightDecay, cells, quantities, medianSteps, reachedFraction, divergedFraction,
                    precisionLostFraction, fitFewPointsFraction, convergedFraction, 0, 0, null);
        }

        /** A row without weight decay (index 0, λ = 0). */
        public Row(int lrIndex, double lr, int cells, Map<String, Stats.Summary> quantities, double medianSteps,
                   double reachedFraction, double divergedFraction, double precisionLostFraction,
                   double fitFewPointsFraction, double convergedFraction) {
            this(lrIndex, lr, 0, 0, cells, quantities, medianSteps, reachedFraction, divergedFraction,
                    precisionLostFraction, fitFewPointsFraction, convergedFraction);
        }

        /** The summary of λ1. */
        public Stats.Summary lambda1() {
            return quantities.get("lambda_1");
        }

        /** Mean final test accuracy (NaN when undefined). */
        public double testAccMean() {
            Stats.Summary s = quantities.get(ResultsCsv.TEST_ACC);
            return s == null ? Double.NaN : s.mean();
        }
    }

    /**
     * The median over {@code rows} of {@code steps_to_threshold}, a cell that never reached the threshold
     * counting as +∞ (so the median is +∞ when at least half never did); NaN when the task has no
     * accuracy (every row {@link CellRow#NOT_APPLICABLE}).
     */
    public static double medianSteps(List<CellRow> rows) {
        double[] steps = rows.stream().filter(r -> r.stepsToThreshold() != CellRow.NOT_APPLICABLE)
                .mapToDouble(r -> r.reachedThreshold() ? r.stepsToThreshold() : Double.POSITIVE_INFINITY)
                .sorted().toArray();
        return steps.length == 0 ? Double.NaN : steps.length % 2 == 1 ? steps[steps.length / 2]
                : 0.5 * (steps[steps.length / 2 - 1] + steps[steps.length / 2]);
    }

    public static final String MEDIAN = "steps_to_threshold_median";
    static final List<String> STATS = List.of("n", "mean", "sd", "ci_low", "ci_high");

    private SummaryCsv() {
    }

    /** Every column summary.csv can have; {@code Q} stands for each summarised quantity. */
    public static List<Column> documented() {
        return List.of(
                new Column(ResultsCsv.LR_INDEX, Type.INT, "index of the learning rate in the grid"),
                new Column(ResultsCsv.LR, Type.DOUBLE, "the learning rate η"),
                new Column(ResultsCsv.WD_INDEX, Type.INT, "index of the weight decay in the grid"),
                new Column(ResultsCsv.WEIGHT_DECAY, Type.DOUBLE, "the weight decay λ (0 = none)"),
                new Column(ResultsCsv.OPTIMIZER, Type.TEXT, "with an optimizer other than GD: the optimizer, as in "
                        + "results.csv; absent for GD"),
                new Column(ResultsCsv.MOMENTUM_INDEX, Type.INT, "with an optimizer other than GD: index of the "
                        + "momentum coefficient in the grid"),
                new Column(ResultsCsv.MOMENTUM, Type.DOUBLE, "with an optimizer other than GD: the momentum β "
                        + "(Adam's β1)"),
                new Column("cells", Type.INT, "cells (initialisations) at this learning rate, weight decay "
                        + "(and momentum)"),
                new Column("Q_n", Type.INT, "cells that entered Q's summary: not diverged, Q finite. Q is each "
                        + "of `lambda_k` (k = 1 … K), `final_loss`, `train_acc`, `test_loss`, `test_acc`, "
                        + "`grad_norm` and the extras columns measured (`sharpness`, `hessian_eig_k`, "
                        + "`gf_sharpness`, `gf_final_loss`, `imbalance`, `balance_q`)"),
                new Column("Q_mean", Type.DOUBLE, "mean of Q over those cells (NaN when Q_n = 0)"),
                new Column("Q_sd", Type.DOUBLE, "sample standard deviation (n − 1; NaN when Q_n < 2)"),
                new Column("Q_ci_low", Type.DOUBLE, "lower end of the 95% Student-t interval of the mean, "
                        + "mean − t₀.₉₇₅,ₙ₋₁·sd/√n (NaN when Q_n < 2)"),
                new Column("Q_ci_high", Type.DOUBLE, "upper end of that interval"),
                new Column(MEDIAN, Type.DOUBLE, "median over cells of `steps_to_threshold`, a never-reaching "
                        + "cell counting as +∞; NaN when at least half never reached it (see `reached_fraction`) "
                        + "or accuracy is undefined (single-output models). A whole number, or x.5 for an even count"),
                new Column("reached_fraction", Type.DOUBLE, "fraction of cells with `reached` (NaN when accuracy "
                        + "is undefined)"),
                new Column("diverged_fraction", Type.DOUBLE, "fraction of cells with `diverged`"),
                new Column("precision_lost_fraction", Type.DOUBLE, "fraction of cells with `precision_lost` "
                        + "(their λ is NaN and not in `lambda_k_n`)"),
                new Column("fit_few_points_fraction", Type.DOUBLE, "fraction of cells with `fit_few_points`"),
                new Column("converged_fraction", Type.DOUBLE, "fraction of cells with `converged`"));
    }

    /** The summarised quantities of rows with {@code k} exponents and these extras, in order. */
    static List<String> quantities(int k, List<String> extras) {
        List<String> q = new ArrayList<>();
        for (int i = 1; i <= k; i++) q.add("lambda_" + i);
        q.addAll(List.of(ResultsCsv.FINAL_LOSS, ResultsCsv.TRAIN_ACC, ResultsCsv.TEST_LOSS, ResultsCsv.TEST_ACC,
                ResultsCsv.GRAD_NORM));
        q.addAll(extras);
        return q;
    }

    /** The columns of a summary of these quantities, in file order (concrete names). */
    public static List<Column> columns(List<String> quantities) {
        return columns(quantities, false);
    }

    /** The columns, with the optimizer columns ({@code optimizer}, {@code momentum_index}, {@code momentum}) or not. */
    public static List<Column> columns(List<String> quantities, boolean optimizer) {
        List<Column> doc = documented();
        int keys = 8; // lr_index, lr, wd_index, weight_decay, optimizer, momentum_index, momentum, cells
        List<Column> out = new ArrayList<>(doc.subList(0, keys));
        if (!optimizer) out.subList(4, 7).clear();
        for (String q : quantities) {
            for (int s = 0; s < STATS.size(); s++) out.add(doc.get(keys + s).named(q + "_" + STATS.get(s)));
        }
        out.addAll(doc.subList(keys + STATS.size(), doc.size()));
        return out;
    }

    private static double value(CellRow r, String q) {
        if (q.startsWith("lambda_")) return r.exponents()[Integer.parseInt(q.substring(7)) - 1];
        return switch (q) {
            case ResultsCsv.FINAL_LOSS -> r.finalLoss();
            case ResultsCsv.TRAIN_ACC -> r.trainAcc();
            case ResultsCsv.TEST_LOSS -> r.testLoss();
            case ResultsCsv.TEST_ACC -> r.testAcc();
            case ResultsCsv.GRAD_NORM -> r.gradNorm();
            default -> r.extras().getOrDefault(q, Double.NaN);
        };
    }

    public static List<Row> summarize(List<CellRow> rows) {
        return summarize(rows, org.gdchaos.backend.Optimizer.GD);
    }

    /**
     * One row per (learning rate, weight decay, momentum), in that order; with an optimizer other than GD
     * the rows carry the optimizer columns.
     */
    public static List<Row> summarize(List<CellRow> rows, org.gdchaos.backend.Optimizer optimizer) {
        // (lrIndex, wdIndex, mIndex), learning rate major
        Map<List<Integer>, List<CellRow>> by = new TreeMap<>((a, b) -> {
            for (int i = 0; i < 3; i++) if (!a.get(i).equals(b.get(i))) return Integer.compare(a.get(i), b.get(i));
            return 0;
        });
        for (CellRow r : rows) {
            by.computeIfAbsent(List.of(r.cell().lrIndex(), r.cell().wdIndex(), r.cell().mIndex()),
                    k -> new ArrayList<>()).add(r);
        }
        List<String> quantities = rows.isEmpty() ? List.of()
                : quantities(rows.get(0).exponents().length, new ArrayList<>(rows.get(0).extras().keySet()));
        List<Row> out = new ArrayList<>();
        for (Map.Entry<List<Integer>, List<CellRow>> e : by.entrySet()) {
            List<CellRow> g = e.getValue();
            Map<String, Stats.Summary> qs = new LinkedHashMap<>();
            for (String q : quantities) {
                qs.put(q, Stats.summarize(g.stream().mapToDouble(r -> r.diverged() ? Double.NaN : value(r, q))
                        .toArray()));
            }
            long applicable = g.stream().filter(r -> r.stepsToThreshold() != CellRow.NOT_APPLICABLE).count();
            double median = medianSteps(g);
            double reached = applicable == 0 ? Double.NaN
                    : g.stream().filter(CellRow::reachedThreshold).count() / (double) applicable;
            Cell c = g.get(0).cell();
            out.add(new Row(c.lrIndex(), c.lr(), c.wdIndex(), c.weightDecay(), g.size(), qs, median, reached,
                    fraction(g, r -> r.diverged() ? 1 : 0), fraction(g, r -> r.precisionLost() ? 1 : 0),
                    fraction(g, r -> r.fitFewPoints() ? 1 : 0), fraction(g, r -> r.converged() ? 1 : 0),
                    c.mIndex(), c.momentum(), optimizer.isGd() ? null : ResultsCsv.optimizerLabel(optimizer, c)));
        }
        return out;
    }

    private static double fraction(List<CellRow> g, ToDoubleFunction<CellRow> f) {
        return g.stream().mapToDouble(f).sum() / g.size();
    }

    /** The header of a summary of these quantities. */
    public static String header(List<String> quantities) {
        return Csv.join(columns(quantities).stream().map(Column::name).toList());
    }

    /** The file: header and one line per row (the quantities of the first row name the columns). */
    public static String render(List<Row> rows) {
        List<String> quantities = rows.isEmpty() ? quantities(1, List.of())
                : new ArrayList<>(rows.get(0).quantities().keySet());
        boolean optimizer = !rows.isEmpty() && rows.get(0).optimizer() != null;
        StringBuilder sb = new StringBuilder(Csv.join(columns(quantities, optimizer).stream().map(Column::name).toList()))
                .append('\n');
        for (Row r : rows) {
            List<String> v = new ArrayList<>(List.of(Integer.toString(r.lrIndex()), Csv.num(r.lr()),
                    Integer.toString(r.wdIndex()), Csv.num(r.weightDecay())));
            if (optimizer) v.addAll(List.of(r.optimizer(), Integer.toString(r.mIndex()), Csv.num(r.momentum())));
            v.add(Integer.toString(r.cells()));
            for (String q : quantities) {
                Stats.Summary s = r.quantities().get(q);
                v.addAll(List.of(Integer.toString(s.n()), Csv.num(s.mean()), Csv.num(s.sd()), Csv.num(s.ciLow()),
                        Csv.num(s.ciHigh())));
            }
            v.add(Csv.num(Double.isInfinite(r.medianSteps()) ? Double.NaN : r.medianSteps()));
            v.add(Csv.num(r.reachedFraction()));
            v.add(Csv.num(r.divergedFraction()));
            v.add(Csv.num(r.precisionLostFraction()));
            v.add(Csv.num(r.fitFewPointsFraction()));
            v.add(Csv.num(r.convergedFraction()));
            sb.append(Csv.join(v)).append('\n');
        }
        return sb.toString();
    }
}
