package org.gdchaos.train;

/**
 * Training settings.
 *
 * @param batchSize 0 for full-batch GD (one step = one epoch), else the minibatch size B of SGD
 *                  (all trajectories see the same sample order)
 * @param chunkRows rows per forward/backward pass (0 = chosen from memory, see {@link Tunables})
 * @param dataSeed  seed of the shared SGD sample order
 */
public record TrainConfig(int batchSize, int chunkRows, long dataSeed) {
    public TrainConfig {
        if (batchSize < 0) throw new IllegalArgumentException("batch size must be ≥ 0 (0 = full batch)");
        if (chunkRows < 0) throw new IllegalArgumentException("chunk rows must be ≥ 0 (0 = automatic)");
    }

    public static TrainConfig fullBatchGd() {
        return new TrainConfig(0, 0, 0);
    }

    public boolean fullBatch() {
        return batchSize == 0;
    }
}
