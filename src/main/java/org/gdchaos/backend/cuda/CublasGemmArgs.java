package org.gdchaos.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.GemmShape;

/**
 * Arguments of one {@code cublas{S,D}gemmStridedBatched} call, in cuBLAS's own (column-major)
 * terms, computed from a row-major {@link GemmShape}. Pure data: no JCuda types, so the
 * mapping is unit-tested without a GPU.
 *
 * <p>cuBLAS computes, for p &lt; batchCount, the column-major product
 * <pre>  C'[p] = alpha·op(A'[p])·op(B'[p]) + beta·C'[p],   op(A') m'×k', op(B') k'×n', C' m'×n' (ld ldc')</pre>
 * with {@code X'[p]} starting at element {@code xOffset + p·strideX}. A row-major r×c matrix
 * with leading dimension ld is, read column-major with the same ld, its transpose (c×r). So the
 * row-major product {@code C = op(A)·op(B)} (m×n, ldc = n) is the column-major product
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} (n×m, ldc' = n): the operands swap ({@code A' = B}, {@code B' = A}),
 * the dimensions swap ({@code m' = n}, {@code n' = m}, {@code k' = k}), each transpose flag
 * stays with its operand ({@code transA' = transB}, {@code transB' = transA}), and the leading
 * dimensions are the row-major natural ones ({@code lda' = ldb}, {@code ldb' = lda},
 * {@code ldc' = ldc}). A stride of 0 shares an operand across the batch.
 *
 * @param transA     whether cuBLAS applies op = transpose to its A' (the caller's B)
 * @param transB     whether cuBLAS applies op = transpose to its B' (the caller's A)
 * @param m          rows of C' (= the caller's n)
 * @param n          columns of C' (= the caller's m)
 * @param k          inner dimension
 * @param lda        leading dimension of A' (column-major)
 * @param ldb        leading dimension of B'
 * @param ldc        leading dimension of C'
 * @param aOffset    element offset of A'[0] (the caller's B view)
 * @param strideA    element stride between A'[p] (0 = shared)
 * @param bOffset    element offset of B'[0] (the caller's A view)
 * @param strideB    element stride between B'[p]
 * @param cOffset    element offset of C'[0]
 * @param strideC    element stride between C'[p]
 * @param batchCount number of products in this call
 */
public record CublasGemmArgs(boolean transA, boolean transB, int m, int n, int k,
                             int lda, int ldb, int ldc,
                             long aOffset, long strideA, long bOffset, long strideB,
                             long cOffset, long strideC, int batchCount) {

    /**
     * Largest batch handed to one cuBLAS call. cuBLAS maps the batch onto a grid dimension that
     * older releases limit to 65535; larger batches are split into several calls.
     */
    public static final int MAX_BATCH_PER_CALL = 65535;

    public CublasGemmArgs {
        if (m < 1 || n < 1 || k < 1 || batchCount < 1) {
            throw new IllegalArgumentException("cuBLAS dimensions must be positive: m=" + m + " n=" + n
                    + " k=" + k + " batch=" + batchCount);
        }
        if (lda < (transA ? k : m) || ldb < (transB ? n : k) || ldc < m) {
            throw new IllegalArgumentException("leading dimension too small: lda=" + lda + " ldb=" + ldb
                    + " ldc=" + ldc + " for m=" + m + " n=" + n + " k=" + k);
        }
        if (aOffset < 0 || bOffset < 0 || cOffset < 0 || strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException("negative offset or stride");
        }
        if (batchCount > 1 && strideC < (long) ldc * (n - 1) + m) {
            throw new IllegalArgumentException("output stride " + strideC + " makes the " + batchCount
                    + " products overlap (needs at least " + ((long) ldc * (n - 1) + m) + ")");
        }
    }

    /**
     * The single cuBLAS call for a row-major batched GEMM whose batch fits in one call.
     *
     * @param s       the row-major shape (alpha and beta are passed separately to cuBLAS)
     * @param aOffset element offset of the caller's A[0]; {@code aStride} its batch stride
     * @param bOffset element offset of the caller's B[0]; {@code bStride} its batch stride
     * @param cOffset element offset of the caller's C[0]; {@code cStride} its batch stride
     * @throws IllegalArgumentException if the batch exceeds {@link #MAX_BATCH_PER_CALL} or
     *                                  the output entries overlap
     */
    public static CublasGemmArgs of(GemmShape s, long aOffset, long aStride, long bOffset, long bStride,
                                    long cOffset, long cStride) {
        if (s.batch() > MAX_BATCH_PER_CALL) {
            throw new IllegalArgumentException("batch " + s.batch() + " exceeds " + MAX_BATCH_PER_CALL
                    + " per call; use plan()");
        }
        return new CublasGemmArgs(s.transB(), s.transA(), s.n(), s.m(), s.k(),
                s.ldb(), s.lda(), s.ldc(),
                bOffset, bStride, aOffset, aStride, cOffset, cStride, s.batch());
    }

    /**
     * The cuBLAS calls for a row-major batched GEMM of any batch size: consecutive chunks of at
     * most {@link #MAX_BATCH_PER_CALL} entries, chunk j starting at batch entry
     * {@code j·MAX_BATCH_PER_CALL} (each offset advanced by that many strides).
     */
    public static List<CublasGemmArgs> plan(GemmShape s, long aOffset, long aStride, long bOffset,
                                            long bStride, long cOffset, long cStride) {
        List<CublasGemmArgs> calls = new ArrayList<>();
        for (int start = 0; start < s.batch(); start += MAX_BATCH_PER_CALL) {
            int count = Math.min(MAX_BATCH_PER_CALL, s.batch() - start);
            GemmShape chunk = new GemmShape(count, s.m(), s.n(), s.k(), s.transA(), s.transB(),
                    s.alpha(), s.beta());
            calls.add(of(chunk, aOffset + start * aStride, aStride, bOffset + start * bStride, bStride,
                    cOffset + start * cStride, cStride));
        }
        return calls;
    }

    /** Elements from A'[0]'s start to the end of the last A' entry (for bounds checks). */
    public long spanA() {
        return (batchCount - 1L) * strideA + (long) lda * ((transA ? m : k) - 1) + (transA ? k : m);
    }

    /** Elements from B'[0]'s start to the end of the last B' entry. */
    public long spanB() {
        return (batchCount - 1L) * strideB + (long) ldb * ((transB ? k : n) - 1) + (transB ? n : k);
    }

    /** Elements from C'[0]'s start to the end of the last C' entry. */
    public long spanC() {
        return (batchCount - 1L) * strideC + (long) ldc * (n - 1) + m;
    }
}
