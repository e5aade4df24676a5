package org.gdchaos.api;

/**
 * The cells of one learning rate, summarised (one line of {@code summary.csv}).
 *
 * @param lrIndex                index in the learning-rate grid
 * @param lr                     the learning rate η
 * @param cells                  cells (initialisations) at this learning rate
 * @param lambda1Mean            mean of λ1 over the cells that did not diverge (NaN when none)
 * @param lambda1CiLow           lower end of the 95% Student-t confidence interval of that mean
 * @param lambda1CiHigh          upper end of that interval
 * @param medianStepsToThreshold median steps to the accuracy threshold (+∞ when most never reach it,
 *                               NaN when accuracy is undefined)
 * @param divergedFraction       fraction of cells that diverged
 * @param testAccuracyMean       mean final test accuracy (NaN when undefined)
 */
public record LearningRateSummary(int lrIndex, double lr, int cells, double lambda1Mean, double lambda1CiLow,
                                  double lambda1CiHigh, double medianStepsToThreshold, double divergedFraction,
                                  double testAccuracyMean) {
}
