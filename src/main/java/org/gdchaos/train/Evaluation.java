package org.gdchaos.train;

/**
 * Per-trajectory loss and accuracy on a data set.
 *
 * @param loss     mean loss per trajectory
 * @param accuracy fraction of correct argmax predictions per trajectory; NaN when the model has a
 *                 single output ({@link #accuracyDefined}), where argmax is always "correct"
 */
public record Evaluation(double[] loss, double[] accuracy) {
    /**
     * Whether argmax accuracy means anything for a model with {@code outputs} outputs: only with
     * two or more (classification, or multi-output regression compared by argmax).
     */
    public static boolean accuracyDefined(int outputs) {
        return outputs >= 2;
    }

    public Evaluation {
        if (loss.length != accuracy.length) throw new IllegalArgumentException("length mismatch");
        loss = loss.clone();
        accuracy = accuracy.clone();
    }

    @Override
    public double[] loss() {
        return loss.clone();
    }

    @Override
    public double[] accuracy() {
        return accuracy.clone();
    }

    public double loss(int t) {
        return loss[t];
    }

    public double accuracy(int t) {
        return accuracy[t];
    }
}
