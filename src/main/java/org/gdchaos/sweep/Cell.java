package org.gdchaos.sweep;

/**
 * One sweep cell: a learning rate, a weight decay and an initialisation (its replicas live inside
 * the cell).
 *
 * @param lrIndex     index into the learning-rate grid
 * @param lr          the learning rate η
 * @param wdIndex     index into the weight-decay grid (0 when the sweep has one weight decay)
 * @param weightDecay the weight decay λ of the L2 penalty (docs/science.md#weight-decay)
 * @param init        initialisation index (seeds the initial weights, shared across learning rates
 *                    and weight decays)
 */
public record Cell(int lrIndex, double lr, int wdIndex, double weightDecay, int init) {
    public Cell {
        if (lrIndex < 0 || wdIndex < 0 || init < 0) throw new IllegalArgumentException("negative cell index");
    }

    /** A cell without weight decay (index 0, λ = 0). */
    public Cell(int lrIndex, double lr, int init) {
        this(lrIndex, lr, 0, 0, init);
    }

    /**
     * Stable key: {@code "lrIndex/init"} for weight-decay index 0 (as before weight decay was a
     * grid axis, so folders of single-λ sweeps keep their keys), else {@code "lrIndex/wdIndex/init"}.
     */
    public String key() {
        return wdIndex == 0 ? lrIndex + "/" + init : lrIndex + "/" + wdIndex + "/" + init;
    }

    /**
     * How a list of {@link #key() keys} reads, for messages: {@code "lr_index/init"}, and when one of
     * them has a weight-decay index {@code "lr_index/init; lr_index/wd_index/init for wd_index ≥ 1"}.
     */
    public static String keyLegend(java.util.Collection<String> keys) {
        boolean decay = keys.stream().anyMatch(k -> k.chars().filter(c -> c == '/').count() == 2);
        return decay ? "lr_index/init; lr_index/wd_index/init for wd_index ≥ 1" : "lr_index/init";
    }
}
