package org.gdchaos.backend.java;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API micro-kernels of the f64 GEMM (see {@link GemmKernelF64}): a
 * 6×(2·lanes) tile held in 12 independent vector accumulators, updated with FMA:
 * per k step, two vector loads of the packed B row, 6 broadcasts of packed A, 12 FMAs.
 * {@code set} (beta = 0) and {@code update} are separate methods on purpose: a branch on beta
 * after the loop makes C2 keep the accumulators boxed, which is several times slower.
 * One nested class per vector width so that each kernel sees its species as a
 * {@code static final} constant (which the JIT needs to compile vector operations into
 * single instructions). Only loaded when {@link VectorSupport#available()}.
 */
final class GemmKernelF64Vector {
    private GemmKernelF64Vector() {
    }

    /**
     * @param bits 128, 256 or 512 (already clamped by {@link VectorSupport#clampBits})
     * @return the kernel for that width
     */
    static GemmKernelF64 forBits(int bits) {
        switch (bits) {
            case 512: return new V512();
            case 256: return new V256();
            case 128: return new V128();
            default: throw new IllegalArgumentException("unsupported vector width: " + bits);
        }
    }


    /** 128-bit kernel. */
    static final class V128 extends GemmKernelF64 {
        private static final VectorSpecies<Double> S = VectorSupport.Species.F64_128;
        private static final int L = S.length();

        V128() {
            super(GemmTunables.VECTOR_MR, GemmTunables.VECTORS_PER_ROW * L);
        }

        /** C = alpha·acc (old C not read). */
        @Override
        void set(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                double alpha) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a = DoubleVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int o0 = co;
            c00.mul(va).intoArray(c, o0);
            c01.mul(va).intoArray(c, o0 + L);
            int o1 = co + ldc;
            c10.mul(va).intoArray(c, o1);
            c11.mul(va).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            c20.mul(va).intoArray(c, o2);
            c21.mul(va).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            c30.mul(va).intoArray(c, o3);
            c31.mul(va).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            c40.mul(va).intoArray(c, o4);
            c41.mul(va).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            c50.mul(va).intoArray(c, o5);
            c51.mul(va).intoArray(c, o5 + L);
        }

        /** C = alpha·acc + beta·C. */
        @Override
        void update(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                   double alpha, double beta) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a = DoubleVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            DoubleVector vb = DoubleVector.broadcast(S, beta);
            int o0 = co;
            c00.fma(va, DoubleVector.fromArray(S, c, o0).mul(vb)).intoArray(c, o0);
            c01.fma(va, DoubleVector.fromArray(S, c, o0 + L).mul(vb)).intoArray(c, o0 + L);
            int o1 = co + ldc;
            c10.fma(va, DoubleVector.fromArray(S, c, o1).mul(vb)).intoArray(c, o1);
            c11.fma(va, DoubleVector.fromArray(S, c, o1 + L).mul(vb)).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            c20.fma(va, DoubleVector.fromArray(S, c, o2).mul(vb)).intoArray(c, o2);
            c21.fma(va, DoubleVector.fromArray(S, c, o2 + L).mul(vb)).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            c30.fma(va, DoubleVector.fromArray(S, c, o3).mul(vb)).intoArray(c, o3);
            c31.fma(va, DoubleVector.fromArray(S, c, o3 + L).mul(vb)).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            c40.fma(va, DoubleVector.fromArray(S, c, o4).mul(vb)).intoArray(c, o4);
            c41.fma(va, DoubleVector.fromArray(S, c, o4 + L).mul(vb)).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            c50.fma(va, DoubleVector.fromArray(S, c, o5).mul(vb)).intoArray(c, o5);
            c51.fma(va, DoubleVector.fromArray(S, c, o5 + L).mul(vb)).intoArray(c, o5 + L);
        }
    }

    /** 256-bit kernel. */
    static final class V256 extends GemmKernelF64 {
        private static final VectorSpecies<Double> S = VectorSupport.Species.F64_256;
        private static final int L = S.length();

        V256() {
            super(GemmTunables.VECTOR_MR, GemmTunables.VECTORS_PER_ROW * L);
        }

        /** C = alpha·acc (old C not read). */
        @Override
        void set(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                double alpha) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a = DoubleVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int o0 = co;
            c00.mul(va).intoArray(c, o0);
            c01.mul(va).intoArray(c, o0 + L);
            int o1 = co + ldc;
            c10.mul(va).intoArray(c, o1);
            c11.mul(va).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            c20.mul(va).intoArray(c, o2);
            c21.mul(va).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            c30.mul(va).intoArray(c, o3);
            c31.mul(va).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            c40.mul(va).intoArray(c, o4);
            c41.mul(va).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            c50.mul(va).intoArray(c, o5);
            c51.mul(va).intoArray(c, o5 + L);
        }

        /** C = alpha·acc + beta·C. */
        @Override
        void update(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                   double alpha, double beta) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a = DoubleVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            DoubleVector vb = DoubleVector.broadcast(S, beta);
            int o0 = co;
            c00.fma(va, DoubleVector.fromArray(S, c, o0).mul(vb)).intoArray(c, o0);
            c01.fma(va, DoubleVector.fromArray(S, c, o0 + L).mul(vb)).intoArray(c, o0 + L);
            int o1 = co + ldc;
            c10.fma(va, DoubleVector.fromArray(S, c, o1).mul(vb)).intoArray(c, o1);
            c11.fma(va, DoubleVector.fromArray(S, c, o1 + L).mul(vb)).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            c20.fma(va, DoubleVector.fromArray(S, c, o2).mul(vb)).intoArray(c, o2);
            c21.fma(va, DoubleVector.fromArray(S, c, o2 + L).mul(vb)).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            c30.fma(va, DoubleVector.fromArray(S, c, o3).mul(vb)).intoArray(c, o3);
            c31.fma(va, DoubleVector.fromArray(S, c, o3 + L).mul(vb)).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            c40.fma(va, DoubleVector.fromArray(S, c, o4).mul(vb)).intoArray(c, o4);
            c41.fma(va, DoubleVector.fromArray(S, c, o4 + L).mul(vb)).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            c50.fma(va, DoubleVector.fromArray(S, c, o5).mul(vb)).intoArray(c, o5);
            c51.fma(va, DoubleVector.fromArray(S, c, o5 + L).mul(vb)).intoArray(c, o5 + L);
        }
    }

    /** 512-bit kernel. */
    static final class V512 extends GemmKernelF64 {
        private static final VectorSpecies<Double> S = VectorSupport.Species.F64_512;
        private static final int L = S.length();

        V512() {
            super(GemmTunables.VECTOR_MR, GemmTunables.VECTORS_PER_ROW * L);
        }

        /** C = alpha·acc (old C not read). */
        @Override
        void set(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                double alpha) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a = DoubleVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int o0 = co;
            c00.mul(va).intoArray(c, o0);
            c01.mul(va).intoArray(c, o0 + L);
            int o1 = co + ldc;
            c10.mul(va).intoArray(c, o1);
            c11.mul(va).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            c20.mul(va).intoArray(c, o2);
            c21.mul(va).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            c30.mul(va).intoArray(c, o3);
            c31.mul(va).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            c40.mul(va).intoArray(c, o4);
            c41.mul(va).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            c50.mul(va).intoArray(c, o5);
            c51.mul(va).intoArray(c, o5 + L);
        }

        /** C = alpha·acc + beta·C. */
        @Override
        void update(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                   double alpha, double beta) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a = DoubleVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            DoubleVector vb = DoubleVector.broadcast(S, beta);
            int o0 = co;
            c00.fma(va, DoubleVector.fromArray(S, c, o0).mul(vb)).intoArray(c, o0);
            c01.fma(va, DoubleVector.fromArray(S, c, o0 + L).mul(vb)).intoArray(c, o0 + L);
            int o1 = co + ldc;
            c10.fma(va, DoubleVector.fromArray(S, c, o1).mul(vb)).intoArray(c, o1);
            c11.fma(va, DoubleVector.fromArray(S, c, o1 + L).mul(vb)).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            c20.fma(va, DoubleVector.fromArray(S, c, o2).mul(vb)).intoArray(c, o2);
            c21.fma(va, DoubleVector.fromArray(S, c, o2 + L).mul(vb)).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            c30.fma(va, DoubleVector.fromArray(S, c, o3).mul(vb)).intoArray(c, o3);
            c31.fma(va, DoubleVector.fromArray(S, c, o3 + L).mul(vb)).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            c40.fma(va, DoubleVector.fromArray(S, c, o4).mul(vb)).intoArray(c, o4);
            c41.fma(va, DoubleVector.fromArray(S, c, o4 + L).mul(vb)).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            c50.fma(va, DoubleVector.fromArray(S, c, o5).mul(vb)).intoArray(c, o5);
            c51.fma(va, DoubleVector.fromArray(S, c, o5 + L).mul(vb)).intoArray(c, o5 + L);
        }
    }
}
