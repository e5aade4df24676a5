package org.gdchaos.backend.java.gemm;

import jdk.incubator.vector.DoubleVector;
import static jdk.incubator.vector.VectorOperators.FMA;
import static jdk.incubator.vector.VectorOperators.MUL;

import jdk.incubator.vector.VectorSpecies;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * Vector API micro-kernels of the f64 GEMM (see {@link GemmKernelF64}): a
 * 6×(2·lanes) tile held in 12 independent vector accumulators, updated with FMA:
 * per k step, two vector loads of the packed B row, 6 broadcasts of packed A, 12 FMAs.
 * {@code set} (beta = 0) and {@code update} are separate methods on purpose: a branch on beta
 * after the loop makes C2 keep the accumulators boxed, which is several times slower.
 * One nested class per vector width so that each kernel sees its species as a
 * {@code static final} constant (which the JIT needs to compile vector operations into
 * single instructions). Only loaded when {@link VectorSupport#available()}.
 *
 * <p><b>Profile pollution.</b> Arithmetic is written as {@code x.lanewise(OP, …)} called from
 * this class with a freshly broadcast receiver, not {@code acc.fma(…)}/{@code acc.mul(…)}: the
 * latter dispatch inside the JDK's shared {@code DoubleVector} bytecode, whose type profile becomes
 * bimorphic as soon as a second vector width has run in the same JVM; C2 then inlines both
 * classes, cannot intrinsify the final {@code intoArray} store and boxes the accumulators on
 * every tile. With the direct calls the profile is per kernel class. Measured (64-bit kernel, 2 GEMMs
 * of 30 MFLOP after a 256-bit kernel ran in the same JVM): 1.8 MB garbage per call before,
 * 0.5 MB after (the {@code update} epilogue still boxes then); with one width per JVM, as in
 * production, a warmed call allocates nothing ({@code JavaGemmAllocationTest}).
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}: {@code DoubleVector} → its single-precision
 * vector, {@code double} → single precision); the shapes, fields and loops are the same.
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
        private static final VectorSpecies<Double> S = DoubleVector.SPECIES_128;
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
                c00 = a.lanewise(FMA, b0, c00);
                c01 = a.lanewise(FMA, b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.lanewise(FMA, b0, c10);
                c11 = a.lanewise(FMA, b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.lanewise(FMA, b0, c20);
                c21 = a.lanewise(FMA, b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.lanewise(FMA, b0, c30);
                c31 = a.lanewise(FMA, b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.lanewise(FMA, b0, c40);
                c41 = a.lanewise(FMA, b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.lanewise(FMA, b0, c50);
                c51 = a.lanewise(FMA, b1, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int o0 = co;
            va.lanewise(MUL, c00).intoArray(c, o0);
            va.lanewise(MUL, c01).intoArray(c, o0 + L);
            int o1 = co + ldc;
            va.lanewise(MUL, c10).intoArray(c, o1);
            va.lanewise(MUL, c11).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            va.lanewise(MUL, c20).intoArray(c, o2);
            va.lanewise(MUL, c21).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            va.lanewise(MUL, c30).intoArray(c, o3);
            va.lanewise(MUL, c31).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            va.lanewise(MUL, c40).intoArray(c, o4);
            va.lanewise(MUL, c41).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            va.lanewise(MUL, c50).intoArray(c, o5);
            va.lanewise(MUL, c51).intoArray(c, o5 + L);
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
                c00 = a.lanewise(FMA, b0, c00);
                c01 = a.lanewise(FMA, b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.lanewise(FMA, b0, c10);
                c11 = a.lanewise(FMA, b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.lanewise(FMA, b0, c20);
                c21 = a.lanewise(FMA, b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.lanewise(FMA, b0, c30);
                c31 = a.lanewise(FMA, b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.lanewise(FMA, b0, c40);
                c41 = a.lanewise(FMA, b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.lanewise(FMA, b0, c50);
                c51 = a.lanewise(FMA, b1, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            DoubleVector vb = DoubleVector.broadcast(S, beta);
            int o0 = co;
            va.lanewise(FMA, c00, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o0))).intoArray(c, o0);
            va.lanewise(FMA, c01, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o0 + L))).intoArray(c, o0 + L);
            int o1 = co + ldc;
            va.lanewise(FMA, c10, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o1))).intoArray(c, o1);
            va.lanewise(FMA, c11, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o1 + L))).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            va.lanewise(FMA, c20, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o2))).intoArray(c, o2);
            va.lanewise(FMA, c21, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o2 + L))).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            va.lanewise(FMA, c30, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o3))).intoArray(c, o3);
            va.lanewise(FMA, c31, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o3 + L))).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            va.lanewise(FMA, c40, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o4))).intoArray(c, o4);
            va.lanewise(FMA, c41, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o4 + L))).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            va.lanewise(FMA, c50, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o5))).intoArray(c, o5);
            va.lanewise(FMA, c51, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o5 + L))).intoArray(c, o5 + L);
        }
    }

    /** 256-bit kernel. */
    static final class V256 extends GemmKernelF64 {
        private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
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
                c00 = a.lanewise(FMA, b0, c00);
                c01 = a.lanewise(FMA, b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.lanewise(FMA, b0, c10);
                c11 = a.lanewise(FMA, b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.lanewise(FMA, b0, c20);
                c21 = a.lanewise(FMA, b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.lanewise(FMA, b0, c30);
                c31 = a.lanewise(FMA, b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.lanewise(FMA, b0, c40);
                c41 = a.lanewise(FMA, b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.lanewise(FMA, b0, c50);
                c51 = a.lanewise(FMA, b1, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int o0 = co;
            va.lanewise(MUL, c00).intoArray(c, o0);
            va.lanewise(MUL, c01).intoArray(c, o0 + L);
            int o1 = co + ldc;
            va.lanewise(MUL, c10).intoArray(c, o1);
            va.lanewise(MUL, c11).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            va.lanewise(MUL, c20).intoArray(c, o2);
            va.lanewise(MUL, c21).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            va.lanewise(MUL, c30).intoArray(c, o3);
            va.lanewise(MUL, c31).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            va.lanewise(MUL, c40).intoArray(c, o4);
            va.lanewise(MUL, c41).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            va.lanewise(MUL, c50).intoArray(c, o5);
            va.lanewise(MUL, c51).intoArray(c, o5 + L);
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
                c00 = a.lanewise(FMA, b0, c00);
                c01 = a.lanewise(FMA, b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.lanewise(FMA, b0, c10);
                c11 = a.lanewise(FMA, b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.lanewise(FMA, b0, c20);
                c21 = a.lanewise(FMA, b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.lanewise(FMA, b0, c30);
                c31 = a.lanewise(FMA, b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.lanewise(FMA, b0, c40);
                c41 = a.lanewise(FMA, b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.lanewise(FMA, b0, c50);
                c51 = a.lanewise(FMA, b1, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            DoubleVector vb = DoubleVector.broadcast(S, beta);
            int o0 = co;
            va.lanewise(FMA, c00, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o0))).intoArray(c, o0);
            va.lanewise(FMA, c01, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o0 + L))).intoArray(c, o0 + L);
            int o1 = co + ldc;
            va.lanewise(FMA, c10, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o1))).intoArray(c, o1);
            va.lanewise(FMA, c11, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o1 + L))).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            va.lanewise(FMA, c20, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o2))).intoArray(c, o2);
            va.lanewise(FMA, c21, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o2 + L))).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            va.lanewise(FMA, c30, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o3))).intoArray(c, o3);
            va.lanewise(FMA, c31, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o3 + L))).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            va.lanewise(FMA, c40, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o4))).intoArray(c, o4);
            va.lanewise(FMA, c41, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o4 + L))).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            va.lanewise(FMA, c50, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o5))).intoArray(c, o5);
            va.lanewise(FMA, c51, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o5 + L))).intoArray(c, o5 + L);
        }
    }

    /** 512-bit kernel. */
    static final class V512 extends GemmKernelF64 {
        private static final VectorSpecies<Double> S = DoubleVector.SPECIES_512;
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
                c00 = a.lanewise(FMA, b0, c00);
                c01 = a.lanewise(FMA, b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.lanewise(FMA, b0, c10);
                c11 = a.lanewise(FMA, b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.lanewise(FMA, b0, c20);
                c21 = a.lanewise(FMA, b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.lanewise(FMA, b0, c30);
                c31 = a.lanewise(FMA, b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.lanewise(FMA, b0, c40);
                c41 = a.lanewise(FMA, b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.lanewise(FMA, b0, c50);
                c51 = a.lanewise(FMA, b1, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int o0 = co;
            va.lanewise(MUL, c00).intoArray(c, o0);
            va.lanewise(MUL, c01).intoArray(c, o0 + L);
            int o1 = co + ldc;
            va.lanewise(MUL, c10).intoArray(c, o1);
            va.lanewise(MUL, c11).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            va.lanewise(MUL, c20).intoArray(c, o2);
            va.lanewise(MUL, c21).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            va.lanewise(MUL, c30).intoArray(c, o3);
            va.lanewise(MUL, c31).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            va.lanewise(MUL, c40).intoArray(c, o4);
            va.lanewise(MUL, c41).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            va.lanewise(MUL, c50).intoArray(c, o5);
            va.lanewise(MUL, c51).intoArray(c, o5 + L);
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
                c00 = a.lanewise(FMA, b0, c00);
                c01 = a.lanewise(FMA, b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.lanewise(FMA, b0, c10);
                c11 = a.lanewise(FMA, b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.lanewise(FMA, b0, c20);
                c21 = a.lanewise(FMA, b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.lanewise(FMA, b0, c30);
                c31 = a.lanewise(FMA, b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.lanewise(FMA, b0, c40);
                c41 = a.lanewise(FMA, b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.lanewise(FMA, b0, c50);
                c51 = a.lanewise(FMA, b1, c51);
            }
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            DoubleVector vb = DoubleVector.broadcast(S, beta);
            int o0 = co;
            va.lanewise(FMA, c00, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o0))).intoArray(c, o0);
            va.lanewise(FMA, c01, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o0 + L))).intoArray(c, o0 + L);
            int o1 = co + ldc;
            va.lanewise(FMA, c10, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o1))).intoArray(c, o1);
            va.lanewise(FMA, c11, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o1 + L))).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc;
            va.lanewise(FMA, c20, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o2))).intoArray(c, o2);
            va.lanewise(FMA, c21, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o2 + L))).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc;
            va.lanewise(FMA, c30, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o3))).intoArray(c, o3);
            va.lanewise(FMA, c31, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o3 + L))).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc;
            va.lanewise(FMA, c40, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o4))).intoArray(c, o4);
            va.lanewise(FMA, c41, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o4 + L))).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc;
            va.lanewise(FMA, c50, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o5))).intoArray(c, o5);
            va.lanewise(FMA, c51, vb.lanewise(MUL, DoubleVector.fromArray(S, c, o5 + L))).intoArray(c, o5 + L);
        }
    }
}
