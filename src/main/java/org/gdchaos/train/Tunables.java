package org.gdchaos.train;

/** Training-loop tunables, in one place. */
public final class Tunables {
    /** Largest sample chunk processed at once (rows of X per forward/backward pass). */
    public static final int MAX_CHUNK_ROWS = 2048;
    /** Smallest chunk the automatic choice goes down to before giving up on memory. */
    public static final int MIN_CHUNK_ROWS = 32;
    /** Fraction of the backend's memory the activation workspace may take. */
    public static final double WORKSPACE_MEMORY_FRACTION = 0.25;

    private Tunables() {
    }

    /**
     * Chunk rows for T trajectories of {@code spec} on {@code n} samples: the largest power-of-two
     * style choice ≤ {@link #MAX_CHUNK_ROWS} and ≤ n whose workspace
     * ({@link BatchedNetwork#workspaceElements}) fits in {@code WORKSPACE_MEMORY_FRACTION·memoryBytes}.
     */
    public static int autoChunk(org.gdchaos.nn.ModelSpec spec, int trajectories, int n, long memoryBytes,
                                int elementBytes) {
        int chunk = Math.min(MAX_CHUNK_ROWS, n);
        double budget = WORKSPACE_MEMORY_FRACTION * memoryBytes;
        while (chunk > MIN_CHUNK_ROWS
                && (double) BatchedNetwork.workspaceElements(spec, trajectories, chunk) * elementBytes > budget) {
            chunk = Math.max(MIN_CHUNK_ROWS, chunk / 2);
        }
        return Math.max(1, Math.min(chunk, n));
    }
}
