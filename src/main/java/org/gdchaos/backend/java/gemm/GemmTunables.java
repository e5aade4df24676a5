package org.gdchaos.backend.java.gemm;

/**
 * Every block size and threshold of the Java GEMM, in one place.
 *
 * <p>The blocked algorithm (Goto / BLIS) computes {@code C += op(A)·op(B)} as
 * <pre>
 *   for jc in 0..n step NC          B panel  KC×NC  (packed, lives in L3 / L2)
 *     for pc in 0..k step KC
 *       for ic in 0..m step MC      A block  MC×KC  (packed, lives in L2)
 *         for jr in 0..NC step NR   B sliver KC×NR  (stays in L1 across the ir loop)
 *           for ir in 0..MC step MR  micro-kernel: MR×NR tile of C in registers, KC rank-1 updates
 * </pre>
 * NR is {@link #VECTORS_PER_ROW} vectors of the chosen width (e.g. 16 doubles at 512 bits).
 * Values were chosen for an AMD EPYC (Zen 4, 32 KiB L1d, 1 MiB L2 per core) and are sane for
 * any recent x86 or ARM core. For tuning experiments each block size can be overridden by a
 * system property read once at start-up, e.g. {@code -Dgdchaos.gemm.kcf64=192}
 * ({@code kcf64, mcf64, ncf64, kcf32, mcf32, ncf32}).
 *
 * <p>Vector width: the default stays the platform's preferred species. On the AMD EPYC (Zen 4,
 * AVX-512 executed as 2×256 bit) the 512-bit micro-kernel measured, per CPU second,
 * 57.5 GFLOP/s f64 / 115.7 f32 per core (≈ 100% of the register-only FMA peak) against
 * 51 / 103 for the 256-bit one, and the whole GEMM 84 vs 39 GFLOP/s f64 on 1024³ with 2
 * threads ({@code GemmThroughputMain}); k blocks are balanced (⌈k/KC⌉ equal blocks), and KC
 * between 128 and 400 made no measurable difference for k = 784.
 */
final class GemmTunables {
    /** Rows of the vector micro-tile (broadcast A elements). 6 rows × 2 vectors = 12 accumulators. */
    static final int VECTOR_MR = 6;
    /** Vectors per micro-tile row; NR = VECTORS_PER_ROW · lanes. */
    static final int VECTORS_PER_ROW = 2;
    /** Scalar micro-tile: 4×4 accumulators in plain Java. */
    static final int SCALAR_MR = 4;
    /** Scalar micro-tile columns. */
    static final int SCALAR_NR = 4;

    /** Depth of a packed block (k direction), float64. */
    static final int KC_F64 = Integer.getInteger("gdchaos.gemm.kcf64", 256);
    /** Rows of a packed A block, float64 (rounded up to a multiple of MR). */
    static final int MC_F64 = Integer.getInteger("gdchaos.gemm.mcf64", 96);
    /** Columns of a packed B panel, float64 (rounded up to a multiple of NR). */
    static final int NC_F64 = Integer.getInteger("gdchaos.gemm.ncf64", 1024);

    /** Depth of a packed block (k direction), float32. */
    static final int KC_F32 = Integer.getInteger("gdchaos.gemm.kcf32", 384);
    /** Rows of a packed A block, float32. */
    static final int MC_F32 = Integer.getInteger("gdchaos.gemm.mcf32", 96);
    /** Columns of a packed B panel, float32. */
    static final int NC_F32 = Integer.getInteger("gdchaos.gemm.ncf32", 1024);

    /** Below this many flops (2·batch·m·n·k) a call runs on the calling thread only. */
    static final double INLINE_FLOPS = 2.0e6;
    /** Most tasks per pool thread that {@link GemmPlan} considers (it picks the count by its cost model). */
    static final int MAX_TASKS_PER_THREAD = 8;
    /**
     * Elements of a packed A row super-block when A is shared by the batch (A is packed once per
     * task for the whole depth and reused by every entry): 512 Ki elements = 4 MiB of doubles,
     * about an eighth of the L3; the super-block has {@code max(MC, ⌊A_SUPER_ELEMS/k/MC⌋·MC)} rows.
     */
    static final int A_SUPER_ELEMS = Integer.getInteger("gdchaos.gemm.asuper", 1 << 19);

    /**
     * A shared operand (stride 0) with at most this fraction of non-zeros is multiplied as a
     * sparse matrix ({@link SparseSharedGemmF64}); MNIST-like pixel data has about 0.19.
     * {@code -Dgdchaos.gemm.sparse=0} turns the sparse path off.
     */
    static final double SPARSE_MAX_DENSITY = Double.parseDouble(System.getProperty("gdchaos.gemm.sparse", "0.35"));
    /** Smallest dense work of one entry, 2·m·n·k, for the sparse path (below, compressing costs more than it saves). */
    static final double SPARSE_MIN_ENTRY_FLOPS = 1.0e5;

    private GemmTunables() {
    }

    /** @return {@code x} rounded up to a multiple of {@code unit} */
    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
