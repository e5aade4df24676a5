package org.gdchaos.backend;

/**
 * Shape of a strided batched row-major GEMM:
 * <pre>  C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b],   b = 0 … batch−1</pre>
 * with {@code op(A[b])} an m×k matrix and {@code op(B[b])} a k×n matrix. Matrices are dense
 * row-major with their natural leading dimension: A is stored m×k (lda = k), or k×m when
 * {@code transA} (lda = m); B is stored k×n (ldb = n), or n×k when {@code transB} (ldb = k);
 * C is m×n (ldc = n). When {@code beta == 0}, C is overwritten and its old contents (even
 * NaN) are ignored.
 */
public record GemmShape(int batch, int m, int n, int k, boolean transA, boolean transB,
                        double alpha, double beta) {
    public GemmShape {
        if (batch < 1 || m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("GEMM dimensions must be positive: batch=" + batch
                    + " m=" + m + " n=" + n + " k=" + k);
        }
    }

    public int lda() { return transA ? m : k; }

    public int ldb() { return transB ? k : n; }

    public int ldc() { return n; }

    /** Elements of one A matrix. */
    public long sizeA() { return (long) m * k; }

    /** Elements of one B matrix. */
    public long sizeB() { return (long) k * n; }

    /** Elements of one C matrix. */
    public long sizeC() { return (long) m * n; }

    /** Floating-point operations, {@code 2·batch·m·n·k}. */
    public double flops() { return 2.0 * batch * m * n * k; }
}
