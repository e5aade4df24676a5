package org.gdchaos.api;

/**
 * The cells of one learning rate (and weight decay), summarised (one line of {@code summary.csv}).
 *
 * @param lrIndex                index in the learning-rate grid
 * @param lr                     the learning rate η
 * @param weightDecay            the weight decay λ (0 without weight decay)
 * @param cells                  cells (initialisations) at this learning rate
 * @param lambda1Mean            mean of λ1 over the cells that did not diverge (NaN when none)
 * @param lambda1CiLow           lower end of the 95% Student-t confidence interval of that mean
 * @param lambda1CiHigh          upper end of that interval
 * @param medianStepsToThreshold median steps to the accuracy threshold (+∞ when most never reach it,
 *                               NaN when accuracy is undefined)
 * @param divergedFraction       fraction of cells that diverged
 * @param testAccuracyMean       mean final test accuracy (NaN when undefined)
 * @param reachedFraction        fraction of cells that reached the threshold (NaN when undefined)
 * @param precisionLostFraction  fraction of cells whose perturbation was lost in rounding (λ NaN)
 * @param fitFewPointsFraction   fraction of cells whose λ1 rests on fewer than 10 points
 * @param quantities             every summarised quantity of summary.csv by its results column
 *                               ({@code lambda_1}, {@code final_loss}, {@code test_acc}, {@code sharpness}, …)
 */
public record LearningRateSummary(int lrIndex, double lr, double weightDecay, int cells, double lambda1Mean,
                                  double lambda1CiLow,
                                  double lambda1CiHigh, double medianStepsToThreshold, double divergedFraction,
                                  double testAccuracyMean, double reachedFraction, double precisionLostFraction,
                                  double fitFewPointsFraction, java.util.Map<String, Quantity> quantities) {
    /**
     * One quantity over the cells of a learning rate that did not diverge (finite values only).
     *
     * @param n      values used
     * @param mean   their mean (NaN when n = 0)
     * @param sd     sample standard deviation (NaN when n &lt; 2)
     * @param ciLow  lower end of the 95% Student-t interval of the mean (NaN when n &lt; 2)
     * @param ciHigh upper end of that interval
     */
    public record Quantity(int n, double mean, double sd, double ciLow, double ciHigh) {
    }

    public LearningRateSummary {
        quantities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(quantities));
    }

    static LearningRateSummary of(org.gdchaos.sweep.store.SummaryCsv.Row s) {
        java.util.Map<String, Quantity> q = new java.util.LinkedHashMap<>();
        s.quantities().forEach((k, v) -> q.put(k, new Quantity(v.n(), v.mean(), v.sd(), v.ciLow(), v.ciHigh())));
        return new LearningRateSummary(s.lrIndex(), s.lr(), s.weightDecay(), s.cells(), s.lambda1().mean(), s.lambda1().ciLow(),
                s.lambda1().ciHigh(), s.medianSteps(), s.divergedFraction(), s.testAccMean(), s.reachedFraction(),
                s.precisionLostFraction(), s.fitFewPointsFraction(), q);
    }
}
