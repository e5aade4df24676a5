package org.gdchaos.backend.cuda;

/**
 * A Java emulation of cuBLAS's {@code gemmStridedBatched} semantics, written from the cuBLAS
 * documentation and independent of the row-major code under test. Column-major: element
 * (i, j) of a matrix with leading dimension ld at offset o is {@code x[o + i + j·ld]}; for
 * p &lt; batch, {@code C[p] = alpha·op(A[p])·op(B[p]) + beta·C[p]} with op(A) m×k, op(B) k×n,
 * X[p] at {@code xOffset + p·strideX}. When beta == 0, C is not read. Rejects what cuBLAS
 * rejects with CUBLAS_STATUS_INVALID_VALUE (non-positive sizes, too small leading dimensions).
 */
final class ColumnMajorGemm {
    private ColumnMajorGemm() {
    }

    static void gemmStridedBatched(CublasGemmArgs g, double alpha, double[] a, double[] b, double beta,
                                   double[] c) {
        int m = g.m(), n = g.n(), k = g.k();
        if (m < 0 || n < 0 || k < 0 || g.batchCount() < 0
                || g.lda() < Math.max(1, g.transA() ? k : m)
                || g.ldb() < Math.max(1, g.transB() ? n : k)
                || g.ldc() < Math.max(1, m)) {
            throw new IllegalArgumentException("CUBLAS_STATUS_INVALID_VALUE");
        }
        for (int p = 0; p < g.batchCount(); p++) {
            long ao = g.aOffset() + p * g.strideA();
            long bo = g.bOffset() + p * g.strideB();
            long co = g.cOffset() + p * g.strideC();
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    for (int l = 0; l < k; l++) {
                        double av = g.transA() ? a[(int) (ao + l + (long) i * g.lda())]
                                : a[(int) (ao + i + (long) l * g.lda())];
                        double bv = g.transB() ? b[(int) (bo + j + (long) l * g.ldb())]
                                : b[(int) (bo + l + (long) j * g.ldb())];
                        sum += av * bv;
                    }
                    int ci = (int) (co + i + (long) j * g.ldc());
                    c[ci] = beta == 0 ? alpha * sum : alpha * sum + beta * c[ci];
                }
            }
        }
    }
}
