package org.gdchaos.backend.java;

import java.util.concurrent.ForkJoinPool;
import org.gdchaos.backend.GemmShape;

/**
 * Strided batched row-major GEMM on heap arrays (see {@link GemmShape}):
 * {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}, entry b of X at {@code xOff + b·xStride}.
 *
 * <p>PLACEHOLDER: a plain, correct triple loop. To be replaced by the blocked, packed,
 * register-tiled Vector API kernel.
 */
public final class JavaGemm {
    private final ForkJoinPool pool;
    private final int vectorBits;

    /**
     * @param pool       threads to use
     * @param vectorBits vector width in bits to use (0 = scalar code path)
     */
    public JavaGemm(ForkJoinPool pool, int vectorBits) {
        this.pool = pool;
        this.vectorBits = vectorBits;
    }

    public void gemm(GemmShape s, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                     double[] c, int cOff, int cStride) {
        for (int t = 0; t < s.batch(); t++) {
            int ao = aOff + t * aStride, bo = bOff + t * bStride, co = cOff + t * cStride;
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    double acc = 0;
                    for (int p = 0; p < s.k(); p++) {
                        double x = s.transA() ? a[ao + p * s.m() + i] : a[ao + i * s.k() + p];
                        double y = s.transB() ? b[bo + j * s.k() + p] : b[bo + p * s.n() + j];
                        acc += x * y;
                    }
                    int ci = co + i * s.n() + j;
                    c[ci] = s.beta() == 0 ? s.alpha() * acc : s.alpha() * acc + s.beta() * c[ci];
                }
            }
        }
    }

    public void gemm(GemmShape s, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                     float[] c, int cOff, int cStride) {
        for (int t = 0; t < s.batch(); t++) {
            int ao = aOff + t * aStride, bo = bOff + t * bStride, co = cOff + t * cStride;
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    float acc = 0;
                    for (int p = 0; p < s.k(); p++) {
                        float x = s.transA() ? a[ao + p * s.m() + i] : a[ao + i * s.k() + p];
                        float y = s.transB() ? b[bo + j * s.k() + p] : b[bo + p * s.n() + j];
                        acc += x * y;
                    }
                    int ci = co + i * s.n() + j;
                    c[ci] = s.beta() == 0 ? (float) (s.alpha() * acc)
                            : (float) (s.alpha() * acc + s.beta() * c[ci]);
                }
            }
        }
    }
}
