package org.gdchaos.backend.java.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel of {@link NarrowGemmF64} on the Vector API: rows i0..i1−1 of
 * <pre>  C[i][0..n) = alpha·Σ_{p&lt;k} A[i][p]·Bt[p][0..n) + beta·C[i][0..n)</pre>
 * with one vector of exactly n lanes per output row (128, 256 or 512 bits), four rows at a
 * time: per p, one load of the row Bt[p] and four broadcast fused multiply-adds. Each element is one
 * FMA chain in ascending p from 0, so its bits do not depend on which rows or entries share a call.
 * Only loaded when {@link org.gdchaos.backend.java.cpu.VectorSupport#available()}.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class NarrowVectorF64 {
    private NarrowVectorF64() {
    }

    private static final VectorSpecies<Double> S128 = DoubleVector.SPECIES_128;
    private static final VectorSpecies<Double> S256 = DoubleVector.SPECIES_256;

    /** Whether {@link #accumulateT} has a vector of exactly m lanes (128 or 256 bits) within {@code maxBits}. */
    static boolean hasSpeciesT(int m, int maxBits) {
        int bits = m * Double.SIZE;
        return (bits == 128 || bits == 256) && bits <= maxBits;
    }

    /** Whether a vector of exactly n lanes exists within {@code maxBits}. */
    static boolean hasSpecies(int n, int maxBits) {
        int bits = n * Double.SIZE;
        return (bits == 128 || bits == 256 || bits == 512) && Math.min(bits, 256) <= maxBits;
    }

    /**
     * Rows i0..i1−1 with n = the lanes of a 128-, 256- or 512-bit vector. One loop per width, each with its
     * species a static constant: C2 compiles the vectors to registers only where the species is a constant
     * in the compiled loop itself (a species passed as an argument to a loop that is compiled on its own —
     * on-stack replacement of a long loop — makes every vector a heap object: measured 40× slower).
     */
    static void rows(int n, double[] a, int aOff, int k, double[] bt, int btOff, double[] c, int cOff, int i0, int i1,
                     /*host*/double alpha, /*host*/double beta) {
        switch (n * Double.SIZE) {
            case 128 -> rows128(a, aOff, k, bt, btOff, c, cOff, i0, i1, alpha, beta);
            case 256 -> rows256(a, aOff, k, bt, btOff, c, cOff, i0, i1, alpha, beta);
            case 512 -> rows512(a, aOff, k, bt, btOff, c, cOff, i0, i1, alpha, beta);
            default -> throw new IllegalArgumentException("no vector of " + n + " lanes");
        }
    }

    private static void rows128(double[] a, int aOff, int k, double[] bt, int btOff, double[] c, int cOff, int i0,
                              int i1, /*host*/double alpha, /*host*/double beta) {
        final int n = S128.length();
        double al = (double) alpha, be = (double) beta;
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            DoubleVector c0 = DoubleVector.zero(S128), c1 = c0, c2 = c0, c3 = c0;
            int r0 = aOff + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            for (int p = 0; p < k; p++) {
                DoubleVector b = DoubleVector.fromArray(S128, bt, btOff + p * n);
                c0 = b.fma(DoubleVector.broadcast(S128, a[r0 + p]), c0);
                c1 = b.fma(DoubleVector.broadcast(S128, a[r1 + p]), c1);
                c2 = b.fma(DoubleVector.broadcast(S128, a[r2 + p]), c2);
                c3 = b.fma(DoubleVector.broadcast(S128, a[r3 + p]), c3);
            }
            store128(c0, c, cOff + i * n, al, be);
            store128(c1, c, cOff + (i + 1) * n, al, be);
            store128(c2, c, cOff + (i + 2) * n, al, be);
            store128(c3, c, cOff + (i + 3) * n, al, be);
        }
        for (; i < i1; i++) {
            DoubleVector c0 = DoubleVector.zero(S128);
            int r0 = aOff + i * k;
            for (int p = 0; p < k; p++) {
                c0 = DoubleVector.fromArray(S128, bt, btOff + p * n).fma(DoubleVector.broadcast(S128, a[r0 + p]), c0);
            }
            store128(c0, c, cOff + i * n, al, be);
        }
    }

    private static void rows256(double[] a, int aOff, int k, double[] bt, int btOff, double[] c, int cOff, int i0,
                              int i1, /*host*/double alpha, /*host*/double beta) {
        final int n = S256.length();
        double al = (double) alpha, be = (double) beta;
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            DoubleVector c0 = DoubleVector.zero(S256), c1 = c0, c2 = c0, c3 = c0;
            int r0 = aOff + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            for (int p = 0; p < k; p++) {
                DoubleVector b = DoubleVector.fromArray(S256, bt, btOff + p * n);
                c0 = b.fma(DoubleVector.broadcast(S256, a[r0 + p]), c0);
                c1 = b.fma(DoubleVector.broadcast(S256, a[r1 + p]), c1);
                c2 = b.fma(DoubleVector.broadcast(S256, a[r2 + p]), c2);
                c3 = b.fma(DoubleVector.broadcast(S256, a[r3 + p]), c3);
            }
            store256(c0, c, cOff + i * n, al, be);
            store256(c1, c, cOff + (i + 1) * n, al, be);
            store256(c2, c, cOff + (i + 2) * n, al, be);
            store256(c3, c, cOff + (i + 3) * n, al, be);
        }
        for (; i < i1; i++) {
            DoubleVector c0 = DoubleVector.zero(S256);
            int r0 = aOff + i * k;
            for (int p = 0; p < k; p++) {
                c0 = DoubleVector.fromArray(S256, bt, btOff + p * n).fma(DoubleVector.broadcast(S256, a[r0 + p]), c0);
            }
            store256(c0, c, cOff + i * n, al, be);
        }
    }

    /** 512 bits as two 256-bit halves (a 512-bit species here measured 20× slower than two 256-bit ones on a Xeon). */
    private static void rows512(double[] a, int aOff, int k, double[] bt, int btOff, double[] c, int cOff, int i0,
                                int i1, /*host*/double alpha, /*host*/double beta) {
        final int h = S256.length(), n = 2 * h;
        double al = (double) alpha, be = (double) beta;
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            DoubleVector c0 = DoubleVector.zero(S256), c1 = c0, c2 = c0, c3 = c0, d0 = c0, d1 = c0, d2 = c0, d3 = c0;
            int r0 = aOff + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            for (int p = 0; p < k; p++) {
                DoubleVector b = DoubleVector.fromArray(S256, bt, btOff + p * n);
                DoubleVector e = DoubleVector.fromArray(S256, bt, btOff + p * n + h);
                DoubleVector x0 = DoubleVector.broadcast(S256, a[r0 + p]), x1 = DoubleVector.broadcast(S256, a[r1 + p]);
                DoubleVector x2 = DoubleVector.broadcast(S256, a[r2 + p]), x3 = DoubleVector.broadcast(S256, a[r3 + p]);
                c0 = b.fma(x0, c0);
                d0 = e.fma(x0, d0);
                c1 = b.fma(x1, c1);
                d1 = e.fma(x1, d1);
                c2 = b.fma(x2, c2);
                d2 = e.fma(x2, d2);
                c3 = b.fma(x3, c3);
                d3 = e.fma(x3, d3);
            }
            store256(c0, c, cOff + i * n, al, be);
            store256(d0, c, cOff + i * n + h, al, be);
            store256(c1, c, cOff + (i + 1) * n, al, be);
            store256(d1, c, cOff + (i + 1) * n + h, al, be);
            store256(c2, c, cOff + (i + 2) * n, al, be);
            store256(d2, c, cOff + (i + 2) * n + h, al, be);
            store256(c3, c, cOff + (i + 3) * n, al, be);
            store256(d3, c, cOff + (i + 3) * n + h, al, be);
        }
        for (; i < i1; i++) {
            DoubleVector c0 = DoubleVector.zero(S256), d0 = c0;
            int r0 = aOff + i * k;
            for (int p = 0; p < k; p++) {
                DoubleVector x0 = DoubleVector.broadcast(S256, a[r0 + p]);
                c0 = DoubleVector.fromArray(S256, bt, btOff + p * n).fma(x0, c0);
                d0 = DoubleVector.fromArray(S256, bt, btOff + p * n + h).fma(x0, d0);
            }
            store256(c0, c, cOff + i * n, al, be);
            store256(d0, c, cOff + i * n + h, al, be);
        }
    }

    /**
     * The transposed-A product of {@link NarrowGemmF64} for one entry and the depths p0..p1−1, accumulating:
     * <pre>  acc[j·m + i] += Σ_p A[p·m + i]·B[p·n + j]</pre>
     * (A k×m, B k×n, acc = Cᵀ), with m = the lanes of a 128- or 256-bit vector: one vector load of A's
     * row p and a fused multiply-add per column, eight columns at a time. Each element adds its terms in
     * ascending p.
     */
    static void accumulateT(int m, double[] a, int aOff, double[] b, int bOff, int n, int p0, int p1, double[] acc) {
        switch (m * Double.SIZE) {
            case 128 -> accT128(a, aOff, b, bOff, n, p0, p1, acc);
            case 256 -> accT256(a, aOff, b, bOff, n, p0, p1, acc);
            default -> throw new IllegalArgumentException("no vector of " + m + " lanes");
        }
    }

    /** {@link #accumulateT} with 128-bit vectors (m = their lanes). */
    private static void accT128(double[] a, int aOff, double[] b, int bOff, int n, int p0, int p1, double[] acc) {
        final int m = S128.length();
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            int o = j * m;
            DoubleVector c0 = DoubleVector.fromArray(S128, acc, o), c1 = DoubleVector.fromArray(S128, acc, o + m);
            DoubleVector c2 = DoubleVector.fromArray(S128, acc, o + 2 * m), c3 = DoubleVector.fromArray(S128, acc, o + 3 * m);
            DoubleVector c4 = DoubleVector.fromArray(S128, acc, o + 4 * m), c5 = DoubleVector.fromArray(S128, acc, o + 5 * m);
            DoubleVector c6 = DoubleVector.fromArray(S128, acc, o + 6 * m), c7 = DoubleVector.fromArray(S128, acc, o + 7 * m);
            for (int p = p0; p < p1; p++) {
                DoubleVector x = DoubleVector.fromArray(S128, a, aOff + p * m);
                int q = bOff + p * n + j;
                c0 = x.fma(DoubleVector.broadcast(S128, b[q]), c0);
                c1 = x.fma(DoubleVector.broadcast(S128, b[q + 1]), c1);
                c2 = x.fma(DoubleVector.broadcast(S128, b[q + 2]), c2);
                c3 = x.fma(DoubleVector.broadcast(S128, b[q + 3]), c3);
                c4 = x.fma(DoubleVector.broadcast(S128, b[q + 4]), c4);
                c5 = x.fma(DoubleVector.broadcast(S128, b[q + 5]), c5);
                c6 = x.fma(DoubleVector.broadcast(S128, b[q + 6]), c6);
                c7 = x.fma(DoubleVector.broadcast(S128, b[q + 7]), c7);
            }
            c0.intoArray(acc, o);
            c1.intoArray(acc, o + m);
            c2.intoArray(acc, o + 2 * m);
            c3.intoArray(acc, o + 3 * m);
            c4.intoArray(acc, o + 4 * m);
            c5.intoArray(acc, o + 5 * m);
            c6.intoArray(acc, o + 6 * m);
            c7.intoArray(acc, o + 7 * m);
        }
        for (; j < n; j++) {
            DoubleVector c0 = DoubleVector.fromArray(S128, acc, j * m);
            for (int p = p0; p < p1; p++) {
                c0 = DoubleVector.fromArray(S128, a, aOff + p * m).fma(DoubleVector.broadcast(S128, b[bOff + p * n + j]), c0);
            }
            c0.intoArray(acc, j * m);
        }
    }

    /** {@link #accumulateT} with 256-bit vectors (m = their lanes). */
    private static void accT256(double[] a, int aOff, double[] b, int bOff, int n, int p0, int p1, double[] acc) {
        final int m = S256.length();
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            int o = j * m;
            DoubleVector c0 = DoubleVector.fromArray(S256, acc, o), c1 = DoubleVector.fromArray(S256, acc, o + m);
            DoubleVector c2 = DoubleVector.fromArray(S256, acc, o + 2 * m), c3 = DoubleVector.fromArray(S256, acc, o + 3 * m);
            DoubleVector c4 = DoubleVector.fromArray(S256, acc, o + 4 * m), c5 = DoubleVector.fromArray(S256, acc, o + 5 * m);
            DoubleVector c6 = DoubleVector.fromArray(S256, acc, o + 6 * m), c7 = DoubleVector.fromArray(S256, acc, o + 7 * m);
            for (int p = p0; p < p1; p++) {
                DoubleVector x = DoubleVector.fromArray(S256, a, aOff + p * m);
                int q = bOff + p * n + j;
                c0 = x.fma(DoubleVector.broadcast(S256, b[q]), c0);
                c1 = x.fma(DoubleVector.broadcast(S256, b[q + 1]), c1);
                c2 = x.fma(DoubleVector.broadcast(S256, b[q + 2]), c2);
                c3 = x.fma(DoubleVector.broadcast(S256, b[q + 3]), c3);
                c4 = x.fma(DoubleVector.broadcast(S256, b[q + 4]), c4);
                c5 = x.fma(DoubleVector.broadcast(S256, b[q + 5]), c5);
                c6 = x.fma(DoubleVector.broadcast(S256, b[q + 6]), c6);
                c7 = x.fma(DoubleVector.broadcast(S256, b[q + 7]), c7);
            }
            c0.intoArray(acc, o);
            c1.intoArray(acc, o + m);
            c2.intoArray(acc, o + 2 * m);
            c3.intoArray(acc, o + 3 * m);
            c4.intoArray(acc, o + 4 * m);
            c5.intoArray(acc, o + 5 * m);
            c6.intoArray(acc, o + 6 * m);
            c7.intoArray(acc, o + 7 * m);
        }
        for (; j < n; j++) {
            DoubleVector c0 = DoubleVector.fromArray(S256, acc, j * m);
            for (int p = p0; p < p1; p++) {
                c0 = DoubleVector.fromArray(S256, a, aOff + p * m).fma(DoubleVector.broadcast(S256, b[bOff + p * n + j]), c0);
            }
            c0.intoArray(acc, j * m);
        }
    }

    // one store per width, its species a constant: a store shared by the widths would see several vector
    // classes, stop being inlined, and box its vector argument
    private static void store128(DoubleVector acc, double[] c, int o, double alpha, double beta) {
        DoubleVector v = alpha == 1 ? acc : acc.mul(alpha);
        if (beta != 0) v = v.add(DoubleVector.fromArray(S128, c, o).mul(beta));
        v.intoArray(c, o);
    }

    private static void store256(DoubleVector acc, double[] c, int o, double alpha, double beta) {
        DoubleVector v = alpha == 1 ? acc : acc.mul(alpha);
        if (beta != 0) v = v.add(DoubleVector.fromArray(S256, c, o).mul(beta));
        v.intoArray(c, o);
    }
}
