package org.gdchaos.backend.java.gemm;

import java.util.concurrent.ForkJoinPool;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.java.cpu.Parallel;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * Strided batched row-major GEMM on heap arrays (see {@link GemmShape}):
 * <pre>  C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b],   b = 0 … batch−1</pre>
 * entry b of X at {@code xOff + b·xStride}; stride 0 on A or B means "shared by every entry"
 * (a shared A block is packed once and reused for all entries). When {@code beta == 0} the old
 * C is ignored (NaN does not propagate). Modifies C only.
 *
 * <p>Algorithm: Goto/BLIS blocking with packed A blocks and B panels
 * ({@link GemmTunables}), a register-tiled FMA micro-kernel on the Vector API
 * ({@link GemmKernelF64Vector}, {@link GemmKernelF32Vector}) or a plain-Java 4×4 one
 * (scalar path), and tasks over batch entries × row blocks × column blocks on the given
 * {@link ForkJoinPool} ({@link GemmPlan}). float32 computes in float. A convolution's forward
 * product with as many filters as a vector has lanes runs on {@link NarrowGemmF64}; its shared
 * lowering with few channels per entry is folded into one wide GEMM ({@link FoldedGemmF64});
 * otherwise a shared operand that is mostly zeros (the data matrix) goes through
 * {@link SparseSharedGemmF64} (and their f32 twins).
 *
 * <p><b>Batch invariance</b> ({@link org.gdchaos.backend.Backend#batchInvariant}). The kernel is
 * chosen from one entry's shape — m, n, k, transposes, which strides are 0 — and the dtype, never
 * from the batch size, and every kernel gives each entry the same arithmetic wherever it sits in the
 * batch; so entry b of a call equals the same call with batch 1 on entry b, bit for bit. A call with
 * one entry keeps its views' strides for the choice (the Java backend's {@code Operands.stride}): a shared operand
 * (stride 0) stays shared, a per-entry one stays per-entry.
 */
public final class JavaGemm {
    private final ForkJoinPool pool;
    private final int vectorBits;
    private final GemmDriverF64 f64;
    private final GemmDriverF32 f32;
    private final SparseSharedGemmF64 sparse64;
    private final SparseSharedGemmF32 sparse32;
    private final FoldedGemmF64 folded64;
    private final FoldedGemmF32 folded32;
    private final NarrowGemmF64 narrow64;
    private final NarrowGemmF32 narrow32;

    /**
     * @param pool       threads to use
     * @param vectorBits vector width in bits to use (0 = scalar code path); clamped to what the
     *                   platform supports ({@link VectorSupport#clampBits}), scalar when the
     *                   Vector API module is missing
     */
    public JavaGemm(ForkJoinPool pool, int vectorBits) {
        this.pool = pool;
        this.vectorBits = vectorBits > 0 && VectorSupport.available() ? VectorSupport.clampBits(vectorBits) : 0;
        Parallel parallel = new Parallel(pool, pool.getParallelism());
        this.sparse64 = new SparseSharedGemmF64(parallel, this.vectorBits > 0);
        this.sparse32 = new SparseSharedGemmF32(parallel, this.vectorBits > 0);
        if (this.vectorBits > 0) {
            this.f64 = new GemmDriverF64(GemmKernelF64Vector.forBits(this.vectorBits));
            this.f32 = new GemmDriverF32(GemmKernelF32Vector.forBits(this.vectorBits));
        } else {
            this.f64 = new GemmDriverF64(new GemmKernelF64.Scalar());
            this.f32 = new GemmDriverF32(new GemmKernelF32.Scalar());
        }
        this.narrow64 = new NarrowGemmF64(parallel, this.vectorBits);
        this.narrow32 = new NarrowGemmF32(parallel, this.vectorBits);
        this.folded64 = new FoldedGemmF64(f64, parallel);
        this.folded32 = new FoldedGemmF32(f32, parallel);
    }

    /** @return the vector width actually used, in bits (0 = scalar) */
    public int vectorBits() {
        return vectorBits;
    }

    /**
     * float64 GEMM, {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}. Modifies c only.
     *
     * @throws ArrayIndexOutOfBoundsException when an entry does not fit its array
     * @throws IllegalArgumentException       for negative strides, or C stride 0 with batch &gt; 1
     */
    public void gemm(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                     double[] c, int cOff, int cStride) {
        checkOperands(s, a.length, aOff, aStride, b.length, bOff, bStride, c.length, cOff, cStride);
        if (narrow64.tryGemm(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride)) return;
        if (folded64.tryGemm(pool, s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride)) return;
        if (sparse64.tryGemm(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride)) return;
        f64.gemm(pool, s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
    }

    /**
     * float32 GEMM, {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]} (computed in float).
     * Modifies c only.
     *
     * @throws ArrayIndexOutOfBoundsException when an entry does not fit its array
     * @throws IllegalArgumentException       for negative strides, or C stride 0 with batch &gt; 1
     */
    public void gemm(GemmShape s, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                     float[] c, int cOff, int cStride) {
        checkOperands(s, a.length, aOff, aStride, b.length, bOff, bStride, c.length, cOff, cStride);
        if (narrow32.tryGemm(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride)) return;
        if (folded32.tryGemm(pool, s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride)) return;
        if (sparse32.tryGemm(s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride)) return;
        f32.gemm(pool, s, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
    }

    private static void checkOperands(GemmShape s, int aLen, int aOff, int aStride, int bLen, int bOff, int bStride,
                                      int cLen, int cOff, int cStride) {
        GemmPlan.checkOperand("A", aLen, aOff, aStride, s.sizeA(), s.batch());
        GemmPlan.checkOperand("B", bLen, bOff, bStride, s.sizeB(), s.batch());
        GemmPlan.checkOperand("C", cLen, cOff, cStride, s.sizeC(), s.batch());
    }
}
