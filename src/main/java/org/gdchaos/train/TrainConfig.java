package org.gdchaos.train;

/**
 * Training settings.
 *
 * @param batchSize 0 for full-batch GD (one step = one epoch), else the minibatch size B of SGD
 *                  (all trajectories see the same sample order)
 * @param chunkRows rows per forward/backward pass (0 = chosen from memory for this ensemble's size, see
 *                  {@link Tunables}); sums over the samples run chunk by chunk, so a trajectory's bits
 *                  depend on the chunk: give the same value to every batch that must agree bit for bit
 *                  (sweeps pass their plan's)
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
