package org.gdchaos.sweep;

/**
 * One sweep cell: a learning rate and an initialisation (its replicas live inside the cell).
 *
 * @param lrIndex index into the learning-rate grid
 * @param lr      the learning rate η
 * @param init    initialisation index (seeds the initial weights, shared across learning rates)
 */
public record Cell(int lrIndex, double lr, int init) {
    public Cell {
        if (lrIndex < 0 || init < 0) throw new IllegalArgumentException("negative cell index");
    }

    /** Stable key "lrIndex/init". */
    public String key() {
        return lrIndex + "/" + init;
    }
}
