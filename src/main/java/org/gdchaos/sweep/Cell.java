package org.gdchaos.sweep;

/**
 * One sweep cell: a learning rate, a weight decay, a momentum coefficient and an initialisation (its
 * replicas live inside the cell).
 *
 * <p>A cell is identified by its values ({@link #identity()}, {@link #valueKey()}: learning rate,
 * weight decay, momentum, init), never by its position in a grid: a cell's numbers, its random
 * vectors included, are the same in every grid, batch, shard or round that holds it, and batching,
 * start vectors, resume, merge, onset and the API match cells (and a file's rows, by their
 * {@code lr}, {@code weight_decay}, {@code momentum} and {@code init} columns:
 * {@link org.gdchaos.sweep.store.Csv#identity}) by {@link #identity()} only. The indices name the cell inside one
 * sweep's grid (fixed by its run.json) for the files' index columns and the readable {@link #key()}
 * of messages.
 *
 * @param lrIndex     index into the learning-rate grid
 * @param lr          the learning rate η
 * @param wdIndex     index into the weight-decay grid (0 when the sweep has one weight decay)
 * @param weightDecay the weight decay λ of the L2 penalty (docs/science.md#weight-decay)
 * @param mIndex      index into the momentum grid ({@code --momentum}; 0 when the sweep has one)
 * @param momentum    the momentum coefficient β (Adam's β1) of the cell's optimizer; 0 for GD
 * @param init        initialisation index (seeds the initial weights, shared across learning rates,
 *                    weight decays and momenta)
 */
public record Cell(int lrIndex, double lr, int wdIndex, double weightDecay, int mIndex, double momentum, int init) {
    public Cell {
        if (lrIndex < 0 || wdIndex < 0 || mIndex < 0 || init < 0) throw new IllegalArgumentException("negative cell index");
    }

    /** A cell of the first momentum value, β = 0 (GD's cells). */
    public Cell(int lrIndex, double lr, int wdIndex, double weightDecay, int init) {
        this(lrIndex, lr, wdIndex, weightDecay, 0, 0, init);
    }

    /** A cell without weight decay (index 0, λ = 0). */
    public Cell(int lrIndex, double lr, int init) {
        this(lrIndex, lr, 0, 0, init);
    }

    /**
     * The cell's identity: its values (β, η, λ, init), compared numerically (−0.0 as 0.0). Two
     * cells of two grids with equal identity are the same cell and give the same bytes.
     */
    public Identity identity() {
        return new Identity(momentum, lr, weightDecay, init);
    }

    /**
     * A cell's values, ordered momentum first (so that a batch's equal β are contiguous), then η, λ, init;
     * −0.0 is stored as 0.0, so that equal numbers are equal identities.
     */
    public record Identity(double momentum, double lr, double weightDecay, int init) implements Comparable<Identity> {
        public Identity {
            momentum += 0.0;
            lr += 0.0;
            weightDecay += 0.0;
        }

        @Override
        public int compareTo(Identity o) {
            int c = Double.compare(momentum, o.momentum);
            if (c == 0) c = Double.compare(lr, o.lr);
            if (c == 0) c = Double.compare(weightDecay, o.weightDecay);
            return c != 0 ? c : Integer.compare(init, o.init);
        }
    }

    /**
     * A 64-bit hash of the {@link #identity() values} (the bits of η, λ, β and init, mixed with
     * SplitMix64's finaliser): the key of the cell's random vectors (the sharpness's Lanczos start
     * vectors), the same in every grid that holds the cell.
     */
    public long valueKey() {
        Identity id = identity();
        long h = mix(Double.doubleToLongBits(id.lr()));
        h = mix(h ^ Double.doubleToLongBits(id.weightDecay()));
        h = mix(h ^ Double.doubleToLongBits(id.momentum()));
        return mix(h ^ id.init());
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The cell's readable name inside its sweep's grid, for messages and merge's list of missing cells
     * (never to match cells: that is {@link #identity()}): {@code "lrIndex/init"} for weight-decay and
     * momentum index 0 (as before those axes existed), {@code "lrIndex/wdIndex/init"} for momentum
     * index 0, else {@code "lrIndex/wdIndex/mIndex/init"}.
     */
    public String key() {
        if (mIndex != 0) return lrIndex + "/" + wdIndex + "/" + mIndex + "/" + init;
        return wdIndex == 0 ? lrIndex + "/" + init : lrIndex + "/" + wdIndex + "/" + init;
    }

    /**
     * How a list of {@link #key() keys} reads, for messages: {@code "lr_index/init"}, and when one of
     * them has a weight-decay index {@code "lr_index/init; lr_index/wd_index/init for wd_index ≥ 1"}.
     */
    public static String keyLegend(java.util.Collection<String> keys) {
        boolean decay = keys.stream().anyMatch(k -> k.chars().filter(c -> c == '/').count() == 2);
        boolean momentum = keys.stream().anyMatch(k -> k.chars().filter(c -> c == '/').count() == 3);
        String legend = decay ? "lr_index/init; lr_index/wd_index/init for wd_index ≥ 1" : "lr_index/init";
        return momentum ? legend + "; lr_index/wd_index/momentum_index/init for momentum_index ≥ 1" : legend;
    }
}
