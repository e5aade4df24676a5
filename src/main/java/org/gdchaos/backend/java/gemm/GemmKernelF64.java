package org.gdchaos.backend.java.gemm;

/**
 * Micro-kernel of the float64 GEMM: one MR×NR tile of C from packed slivers,
 * <pre>  C[r][j] = alpha·Σ_{p&lt;kc} Ap[p·MR + r]·Bp[p·NR + j] + beta·C[r][j]</pre>
 * for r &lt; MR, j &lt; NR, with {@code C[r][j] = c[co + r·ldc + j]}. When {@code beta == 0} the
 * old C is not read. Packed slivers are zero-padded, so a kernel always computes a full tile.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}: element type {@code double} → single precision).
 */
abstract class GemmKernelF64 {
    final int mr;
    final int nr;

    GemmKernelF64(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /** Writes one full MR×NR tile (see class Javadoc). Modifies c only. */
    final void tile(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                    double alpha, double beta) {
        if (beta == 0) {
            set(kc, ap, ao, bp, bo, c, co, ldc, alpha);
        } else {
            update(kc, ap, ao, bp, bo, c, co, ldc, alpha, beta);
        }
    }

    /** {@code C = alpha·Ap·Bp} on one tile; the old C is not read. */
    abstract void set(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc, double alpha);

    /** {@code C = alpha·Ap·Bp + beta·C} on one tile. */
    abstract void update(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                         double alpha, double beta);

    /** Plain-Java 4×4 register tile: 16 independent scalar accumulators. */
    static final class Scalar extends GemmKernelF64 {
        Scalar() {
            super(GemmTunables.SCALAR_MR, GemmTunables.SCALAR_NR);
        }

        @Override
        void set(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc, double alpha) {
            compute(kc, ap, ao, bp, bo, c, co, ldc, alpha, 0);
        }

        @Override
        void update(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                    double alpha, double beta) {
            compute(kc, ap, ao, bp, bo, c, co, ldc, alpha, beta);
        }

        private static void compute(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                                    double alpha, double beta) {
            double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 4 * p, bi = bo + 4 * p;
                double b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
                double a0 = ap[ai];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                double a1 = ap[ai + 1];
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                double a2 = ap[ai + 2];
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                double a3 = ap[ai + 3];
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            row(c, co, c00, c01, c02, c03, alpha, beta);
            row(c, co + ldc, c10, c11, c12, c13, alpha, beta);
            row(c, co + 2 * ldc, c20, c21, c22, c23, alpha, beta);
            row(c, co + 3 * ldc, c30, c31, c32, c33, alpha, beta);
        }

        private static void row(double[] c, int o, double v0, double v1, double v2, double v3,
                                double alpha, double beta) {
            if (beta == 0) {
                c[o] = alpha * v0;
                c[o + 1] = alpha * v1;
                c[o + 2] = alpha * v2;
                c[o + 3] = alpha * v3;
            } else {
                c[o] = alpha * v0 + beta * c[o];
                c[o + 1] = alpha * v1 + beta * c[o + 1];
                c[o + 2] = alpha * v2 + beta * c[o + 2];
                c[o + 3] = alpha * v3 + beta * c[o + 3];
            }
        }
    }
}
