package org.gdchaos.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gdchaos.analysis.Stats;

/**
 * {@code summary.csv}: one row per learning rate over its initialisations:
 * {@code lr_index, lr, cells, lambda_1_n, lambda_1_mean, lambda_1_sd, lambda_1_ci_low,
 * lambda_1_ci_high} (95% Student-t interval of the mean over finite values),
 * {@code steps_to_threshold_median} (the word {@code never} when at least half never reached
 * it, {@code n/a} when accuracy is undefined: single-output models), {@code reached_fraction}
 * ({@code NaN} when undefined), {@code diverged_fraction}, {@code test_acc_mean} (mean over finite
 * values; {@code NaN} when undefined).
 */
public final class SummaryCsv {
    /** One summary row; {@code medianSteps} is +∞ for "never" and NaN when accuracy is undefined. */
    public record Row(int lrIndex, double lr, int cells, Stats.Summary lambda1, double medianSteps,
                      double reachedFraction, double divergedFraction, double testAccMean) {
    }

    private SummaryCsv() {
    }

    public static final String HEADER = "lr_index,lr,cells,lambda_1_n,lambda_1_mean,lambda_1_sd,lambda_1_ci_low,"
            + "lambda_1_ci_high,steps_to_threshold_median,reached_fraction,diverged_fraction,test_acc_mean";

    public static List<Row> summarize(List<CellRow> rows) {
        Map<Integer, List<CellRow>> by = new TreeMap<>();
        for (CellRow r : rows) by.computeIfAbsent(r.cell().lrIndex(), k -> new ArrayList<>()).add(r);
        List<Row> out = new ArrayList<>();
        for (Map.Entry<Integer, List<CellRow>> e : by.entrySet()) {
            List<CellRow> g = e.getValue();
            double[] lam = g.stream().mapToDouble(r -> r.diverged() ? Double.NaN : r.lambda1()).toArray();
            double[] steps = g.stream().filter(r -> r.stepsToThreshold() != CellRow.NOT_APPLICABLE)
                    .mapToDouble(r -> r.reachedThreshold() ? r.stepsToThreshold() : Double.POSITIVE_INFINITY)
                    .sorted().toArray();
            double median = steps.length == 0 ? Double.NaN : steps.length % 2 == 1 ? steps[steps.length / 2]
                    : 0.5 * (steps[steps.length / 2 - 1] + steps[steps.length / 2]);
            double reached = steps.length == 0 ? Double.NaN
                    : g.stream().filter(CellRow::reachedThreshold).count() / (double) steps.length;
            double diverged = g.stream().filter(CellRow::diverged).count() / (double) g.size();
            double acc = g.stream().mapToDouble(CellRow::testAcc).filter(Double::isFinite).average().orElse(Double.NaN);
            out.add(new Row(e.getKey(), g.get(0).cell().lr(), g.size(), Stats.summarize(lam), median, reached,
                    diverged, acc));
        }
        return out;
    }

    /** {@code never} for +∞, {@code n/a} for NaN (accuracy undefined), else the number. */
    static String medianText(double median) {
        return Double.isNaN(median) ? ResultsCsv.NOT_APPLICABLE : Double.isInfinite(median) ? ResultsCsv.NEVER
                : Csv.num(median);
    }

    public static String render(List<Row> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            Stats.Summary s = r.lambda1();
            sb.append(r.lrIndex()).append(',').append(Csv.num(r.lr())).append(',').append(r.cells()).append(',')
                    .append(s.n()).append(',').append(Csv.num(s.mean())).append(',').append(Csv.num(s.sd()))
                    .append(',').append(Csv.num(s.ciLow())).append(',').append(Csv.num(s.ciHigh())).append(',')
                    .append(medianText(r.medianSteps())).append(',')
                    .append(Csv.num(r.reachedFraction())).append(',').append(Csv.num(r.divergedFraction()))
                    .append(',').append(Csv.num(r.testAccMean())).append('\n');
        }
        return sb.toString();
    }
}
