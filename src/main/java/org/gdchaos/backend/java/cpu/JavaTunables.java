package org.gdchaos.backend.java.cpu;

/**
 * Tuning constants of the Java backend's element-wise and reduction code, in one place.
 * (GEMM blocking lives with {@link org.gdchaos.backend.java.gemm.JavaGemm}.)
 *
 * <p>Work is cut into fixed <em>blocks</em> whose boundaries depend only on the problem shape,
 * never on the number of threads: partial sums are formed per block and combined in block
 * order, so every result is bit-identical for any thread count.
 */
public final class JavaTunables {
    private JavaTunables() {
    }

    /**
     * Elements per block: element-wise ops process whole rows in blocks of about this many
     * elements ({@code max(1, BLOCK_ELEMENTS / cols)} rows); per-trajectory vector ops and
     * reductions cut each entry's n elements into blocks of exactly this size. 16 Ki elements
     * (128 KiB of doubles) keep a block in L2 and make a block worth a task (≈ 5–50 µs).
     */
    public static final int BLOCK_ELEMENTS = 1 << 14;

    /**
     * Minimum total number of elements before a call is spread over the thread pool; smaller
     * calls run on the calling thread (fork/join overhead is a few µs per task, comparable to
     * the work itself below this size).
     */
    public static final long PARALLEL_MIN_ELEMENTS = 1L << 16;

    /**
     * Tasks per thread when a call is parallel: a few per thread balance uneven blocks without
     * paying much scheduling overhead.
     */
    public static final int TASKS_PER_THREAD = 4;

    /**
     * Columns per block of {@code columnSums}; each block reads all rows of its columns. 512
     * double accumulators (4 KiB) stay in L1.
     */
    public static final int COLUMN_BLOCK = 512;

    /** Largest buffer length: a Java array's safe maximum, {@code Integer.MAX_VALUE − 8}. */
    public static final long MAX_BUFFER_LENGTH = Integer.MAX_VALUE - 8L;
}
