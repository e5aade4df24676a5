package org.gdchaos.backend.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API micro-kernels of the f32 GEMM (see {@link GemmKernelF32}): a
 * 6×(2·lanes) tile held in 12 independent vector accumulators, updated with FMA:
 * per k step, two vector loads of the packed B row, 6 broadcasts of packed A, 12 FMAs.
 * One nested class per vector width so that each kernel sees its species as a
 * {@code static final} constant (which the JIT needs to compile vector operations into
 * single instructions). Only loaded when {@link VectorSupport#available()}.
 */
final class GemmKernelF32Vector {
    private GemmKernelF32Vector() {
    }

    /**
     * @param bits 128, 256 or 512 (already clamped by {@link VectorSupport#clampBits})
     * @return the kernel for that width
     */
    static GemmKernelF32 forBits(int bits) {
        switch (bits) {
            case 512: return new V512();
            case 256: return new V256();
            case 128: return new V128();
            default: throw new IllegalArgumentException("unsupported vector width: " + bits);
        }
    }


    /** 128-bit kernel. */
    static final class V128 extends GemmKernelF32 {
        private static final VectorSpecies<Float> S = VectorSupport.Species.F32_128;
        private static final int L = S.length();

        V128() {
            super(GemmTunables.VECTOR_MR, GemmTunables.VECTORS_PER_ROW * L);
        }

        @Override
        void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                  double alpha, double beta) {
            FloatVector c00 = FloatVector.zero(S);
            FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector a = FloatVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = FloatVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = FloatVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = FloatVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = FloatVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = FloatVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            float al = (float) alpha;
            float be = (float) beta;
            row(c, co, c00, c01, al, be);
            row(c, co + ldc, c10, c11, al, be);
            row(c, co + 2 * ldc, c20, c21, al, be);
            row(c, co + 3 * ldc, c30, c31, al, be);
            row(c, co + 4 * ldc, c40, c41, al, be);
            row(c, co + 5 * ldc, c50, c51, al, be);
        }

        private static void row(float[] c, int o, FloatVector v0, FloatVector v1, float al, float be) {
            if (be == 0) {
                v0.mul(al).intoArray(c, o);
                v1.mul(al).intoArray(c, o + L);
            } else {
                v0.mul(al).add(FloatVector.fromArray(S, c, o).mul(be)).intoArray(c, o);
                v1.mul(al).add(FloatVector.fromArray(S, c, o + L).mul(be)).intoArray(c, o + L);
            }
        }
    }

    /** 256-bit kernel. */
    static final class V256 extends GemmKernelF32 {
        private static final VectorSpecies<Float> S = VectorSupport.Species.F32_256;
        private static final int L = S.length();

        V256() {
            super(GemmTunables.VECTOR_MR, GemmTunables.VECTORS_PER_ROW * L);
        }

        @Override
        void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                  double alpha, double beta) {
            FloatVector c00 = FloatVector.zero(S);
            FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector a = FloatVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = FloatVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = FloatVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = FloatVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = FloatVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = FloatVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            float al = (float) alpha;
            float be = (float) beta;
            row(c, co, c00, c01, al, be);
            row(c, co + ldc, c10, c11, al, be);
            row(c, co + 2 * ldc, c20, c21, al, be);
            row(c, co + 3 * ldc, c30, c31, al, be);
            row(c, co + 4 * ldc, c40, c41, al, be);
            row(c, co + 5 * ldc, c50, c51, al, be);
        }

        private static void row(float[] c, int o, FloatVector v0, FloatVector v1, float al, float be) {
            if (be == 0) {
                v0.mul(al).intoArray(c, o);
                v1.mul(al).intoArray(c, o + L);
            } else {
                v0.mul(al).add(FloatVector.fromArray(S, c, o).mul(be)).intoArray(c, o);
                v1.mul(al).add(FloatVector.fromArray(S, c, o + L).mul(be)).intoArray(c, o + L);
            }
        }
    }

    /** 512-bit kernel. */
    static final class V512 extends GemmKernelF32 {
        private static final VectorSpecies<Float> S = VectorSupport.Species.F32_512;
        private static final int L = S.length();

        V512() {
            super(GemmTunables.VECTOR_MR, GemmTunables.VECTORS_PER_ROW * L);
        }

        @Override
        void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                  double alpha, double beta) {
            FloatVector c00 = FloatVector.zero(S);
            FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int ai = ao + 6 * p;
                int bi = bo + 2 * L * p;
                FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector a = FloatVector.broadcast(S, ap[ai]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = FloatVector.broadcast(S, ap[ai + 1]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = FloatVector.broadcast(S, ap[ai + 2]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = FloatVector.broadcast(S, ap[ai + 3]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = FloatVector.broadcast(S, ap[ai + 4]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = FloatVector.broadcast(S, ap[ai + 5]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
            float al = (float) alpha;
            float be = (float) beta;
            row(c, co, c00, c01, al, be);
            row(c, co + ldc, c10, c11, al, be);
            row(c, co + 2 * ldc, c20, c21, al, be);
            row(c, co + 3 * ldc, c30, c31, al, be);
            row(c, co + 4 * ldc, c40, c41, al, be);
            row(c, co + 5 * ldc, c50, c51, al, be);
        }

        private static void row(float[] c, int o, FloatVector v0, FloatVector v1, float al, float be) {
            if (be == 0) {
                v0.mul(al).intoArray(c, o);
                v1.mul(al).intoArray(c, o + L);
            } else {
                v0.mul(al).add(FloatVector.fromArray(S, c, o).mul(be)).intoArray(c, o);
                v1.mul(al).add(FloatVector.fromArray(S, c, o + L).mul(be)).intoArray(c, o + L);
            }
        }
    }
}
