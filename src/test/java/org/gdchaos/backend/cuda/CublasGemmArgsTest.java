package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.gdchaos.backend.GemmShape;
import org.junit.jupiter.api.Test;

/** Row-major → column-major cuBLAS mapping, checked through a column-major emulation. */
class CublasGemmArgsTest {

    /** Naive row-major oracle of {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}. */
    private static void rowMajorOracle(GemmShape s, double[] a, long aOff, long aStr, double[] b, long bOff,
                                       long bStr, double[] c, long cOff, long cStr) {
        for (int p = 0; p < s.batch(); p++) {
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    double sum = 0;
                    for (int l = 0; l < s.k(); l++) {
                        double av = s.transA() ? a[(int) (aOff + p * aStr + (long) l * s.m() + i)]
                                : a[(int) (aOff + p * aStr + (long) i * s.k() + l)];
                        double bv = s.transB() ? b[(int) (bOff + p * bStr + (long) j * s.k() + l)]
                                : b[(int) (bOff + p * bStr + (long) l * s.n() + j)];
                        sum += av * bv;
                    }
                    int ci = (int) (cOff + p * cStr + (long) i * s.n() + j);
                    c[ci] = s.beta() == 0 ? s.alpha() * sum : s.alpha() * sum + s.beta() * c[ci];
                }
            }
        }
    }

    private static double[] random(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextDouble(-1, 1);
        return x;
    }

    private static void check(int batch, int m, int n, int k, boolean ta, boolean tb, double alpha, double beta,
                              boolean shareA, boolean shareB, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        GemmShape s = new GemmShape(batch, m, n, k, ta, tb, alpha, beta);
        long aOff = 3, bOff = 5, cOff = 7;                 // odd offsets inside bigger buffers
        long aStr = shareA ? 0 : s.sizeA() + 2, bStr = shareB ? 0 : s.sizeB() + 1, cStr = s.sizeC() + 3;
        double[] a = random(r, (int) (aOff + (batch - 1) * aStr + s.sizeA() + 4));
        double[] b = random(r, (int) (bOff + (batch - 1) * bStr + s.sizeB() + 4));
        double[] c0 = random(r, (int) (cOff + (batch - 1) * cStr + s.sizeC() + 4));
        if (beta == 0) {
            c0[(int) cOff] = Double.NaN;                    // beta == 0 must ignore old C
        }
        double[] want = c0.clone();
        rowMajorOracle(s, a, aOff, aStr, b, bOff, bStr, want, cOff, cStr);
        double[] got = c0.clone();
        for (CublasGemmArgs g : CublasGemmArgs.plan(s, aOff, aStr, bOff, bStr, cOff, cStr)) {
            // cuBLAS's A' is the caller's B and vice versa
            ColumnMajorGemm.gemmStridedBatched(g, alpha, b, a, beta, got);
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-12 * (1 + Math.abs(want[i])),
                    "element " + i + " of " + s + " shareA=" + shareA + " shareB=" + shareB);
        }
    }

    @Test
    void oddShapesAllTransposesAndSharing() {
        int[][] shapes = {{1, 1, 1, 1}, {3, 5, 7, 2}, {2, 1, 9, 4}, {4, 7, 1, 3}, {3, 6, 5, 1}, {2, 13, 11, 17}};
        long seed = 1;
        for (int[] sh : shapes) {
            for (int t = 0; t < 4; t++) {
                for (int share = 0; share < 3; share++) {
                    check(sh[0], sh[1], sh[2], sh[3], (t & 1) != 0, (t & 2) != 0, 0.75, share == 1 ? 0 : -0.5,
                            share == 1, share == 2, seed++);
                }
            }
        }
    }

    @Test
    void mappingSwapsOperandsAndDimensions() {
        GemmShape s = new GemmShape(4, 5, 3, 7, true, false, 1, 0);
        CublasGemmArgs g = CublasGemmArgs.of(s, 10, 35, 20, 0, 30, 15);
        assertFalse(g.transA());               // caller's B not transposed
        assertTrue(g.transB());                // caller's A transposed
        assertEquals(3, g.m());
        assertEquals(5, g.n());
        assertEquals(7, g.k());
        assertEquals(3, g.lda());              // ldb of row-major B (k×n) = n
        assertEquals(5, g.ldb());              // lda of row-major transposed A (k×m) = m
        assertEquals(3, g.ldc());
        assertEquals(20, g.aOffset());
        assertEquals(0, g.strideA());
        assertEquals(10, g.bOffset());
        assertEquals(35, g.strideB());
        assertEquals(30, g.cOffset());
        assertEquals(15, g.strideC());
        assertEquals(4, g.batchCount());
        assertEquals(15 * 3 + 15, g.spanC());
    }

    @Test
    void largeBatchesAreSplitIntoChunks() {
        int batch = CublasGemmArgs.MAX_BATCH_PER_CALL * 2 + 7;
        GemmShape s = new GemmShape(batch, 2, 3, 4, false, false, 1, 0);
        List<CublasGemmArgs> calls = CublasGemmArgs.plan(s, 1, 8, 2, 0, 3, 6);
        assertEquals(3, calls.size());
        assertEquals(7, calls.get(2).batchCount());
        long start = 2L * CublasGemmArgs.MAX_BATCH_PER_CALL;
        assertEquals(1 + start * 8, calls.get(2).bOffset());   // caller's A advances
        assertEquals(2, calls.get(2).aOffset());               // shared B stays put
        assertEquals(3 + start * 6, calls.get(2).cOffset());
        assertThrows(IllegalArgumentException.class, () -> CublasGemmArgs.of(s, 0, 8, 0, 0, 0, 6));
    }

    @Test
    void overlappingOutputsAreRejected() {
        GemmShape s = new GemmShape(3, 2, 3, 4, false, false, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> CublasGemmArgs.of(s, 0, 8, 0, 12, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> CublasGemmArgs.of(s, 0, 8, 0, 12, 0, 0));
    }
}
