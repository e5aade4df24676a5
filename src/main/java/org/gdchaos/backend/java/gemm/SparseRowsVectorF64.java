package org.gdchaos.backend.java.gemm;

import static jdk.incubator.vector.VectorOperators.FMA;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner product of {@link SparseSharedGemmF64} on the Vector API: one output row
 * <pre>  out[oo + j] = Σ_{q = q0}^{q1−1} val[q]·panel[base + col[q]·w + j],   j &lt; w</pre>
 * with the row held in registers, four vectors at a time (then one vector, then a scalar tail),
 * each term added by one fused multiply-add in ascending q — the operations of
 * {@link SparseSharedGemmF64#dot}, so the vector and scalar paths give the same bits. (Two
 * interleaved FMA chains per accumulator measured no faster: the panel loads bound the loop.)
 * Only loaded when {@link org.gdchaos.backend.java.cpu.VectorSupport#available()}.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class SparseRowsVectorF64 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private SparseRowsVectorF64() {
    }

    static void row(int q0, int q1, int[] col, double[] val, double[] panel, int base, int w, double[] out, int oo) {
        int l = D.length();
        int j = 0;
        for (; j + 4 * l <= w; j += 4 * l) {
            DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
            for (int q = q0; q < q1; q++) {
                DoubleVector v = DoubleVector.broadcast(D, val[q]);
                int o = base + col[q] * w + j;
                a0 = v.lanewise(FMA, DoubleVector.fromArray(D, panel, o), a0);
                a1 = v.lanewise(FMA, DoubleVector.fromArray(D, panel, o + l), a1);
                a2 = v.lanewise(FMA, DoubleVector.fromArray(D, panel, o + 2 * l), a2);
                a3 = v.lanewise(FMA, DoubleVector.fromArray(D, panel, o + 3 * l), a3);
            }
            a0.intoArray(out, oo + j);
            a1.intoArray(out, oo + j + l);
            a2.intoArray(out, oo + j + 2 * l);
            a3.intoArray(out, oo + j + 3 * l);
        }
        for (; j + l <= w; j += l) {
            DoubleVector a0 = DoubleVector.zero(D);
            for (int q = q0; q < q1; q++) {
                a0 = DoubleVector.broadcast(D, val[q]).lanewise(FMA, DoubleVector.fromArray(D, panel, base + col[q] * w + j), a0);
            }
            a0.intoArray(out, oo + j);
        }
        for (; j < w; j++) out[oo + j] = SparseSharedGemmF64.dot(q0, q1, col, val, panel, base + j, w);
    }
}
