package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GramSchmidtTest {

    @Test
    void handComputedPair() {
        // (3,4) → q0 = (0.6,0.8), R00 = 5; (1,0): R01 = 0.6, v = (0.64,−0.48), R11 = 0.8, q1 = (0.8,−0.6)
        GramSchmidt.Result r = GramSchmidt.orthonormalise(new double[][] {{3, 4}, {1, 0}});
        assertArrayEquals(new double[] {0.6, 0.8}, r.q()[0], 1e-15);
        assertArrayEquals(new double[] {0.8, -0.6}, r.q()[1], 1e-15);
        assertArrayEquals(new double[] {5, 0.8}, r.rDiag(), 1e-15);
        assertEquals(0.6, r.r()[0][1], 1e-15);
        assertEquals(0.0, r.r()[1][0]);
        assertArrayEquals(new double[] {Math.log(5), Math.log(0.8)}, r.logDiag(), 1e-15);
    }

    @Test
    void randomVectorsOrthonormalAndReconstructed() {
        Random rnd = new Random(42);
        double[][] a = new double[5][7];
        for (double[] v : a) {
            for (int e = 0; e < v.length; e++) {
                v[e] = rnd.nextGaussian();
            }
        }
        double[][] copy = new double[5][];
        for (int i = 0; i < 5; i++) {
            copy[i] = a[i].clone();
        }
        GramSchmidt.Result r = GramSchmidt.orthonormalise(a);
        assertOrthonormal(r.q(), 1e-15);
        for (int j = 0; j < 5; j++) {
            assertArrayEquals(copy[j], a[j], 0.0, "input not modified");
            double[] rec = new double[7];
            for (int i = 0; i <= j; i++) {
                GramSchmidt.axpy(r.r()[i][j], r.q()[i], rec);
            }
            assertArrayEquals(a[j], rec, 1e-13);
        }
    }

    @Test
    void nearlyParallelVectorsStayOrthogonal() {
        // difference vectors after many chaotic steps are nearly parallel: a1 = a0 + 1e-10·noise.
        // A single Gram–Schmidt pass leaves |q0·q1| ~ 1e-6 here; the repeated pass brings it to ~1e-16
        Random rnd = new Random(9);
        int n = 1000;
        double[][] a = new double[3][n];
        for (int e = 0; e < n; e++) {
            a[0][e] = rnd.nextGaussian();
            a[1][e] = a[0][e] + 1e-10 * rnd.nextGaussian();
            a[2][e] = a[0][e] + 1e-10 * rnd.nextGaussian();
        }
        GramSchmidt.Result r = GramSchmidt.orthonormalise(a);
        assertOrthonormal(r.q(), 1e-14);
        // R11 = ‖component of a1 orthogonal to a0‖ ≈ 1e-10·√n
        assertEquals(1e-10 * Math.sqrt(n), r.rDiag()[1], 0.1e-10 * Math.sqrt(n));
    }

    @Test
    void zeroVectorGivesZeroDiagonal() {
        GramSchmidt.Result r = GramSchmidt.orthonormalise(new double[][] {{1, 0, 0}, {0, 0, 0}, {0, 2, 0}});
        assertEquals(0.0, r.rDiag()[1]);
        assertArrayEquals(new double[3], r.q()[1], 0.0);
        assertArrayEquals(new double[] {0, 1, 0}, r.q()[2], 0.0);
        assertTrue(Double.isInfinite(r.logDiag()[1]));
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> GramSchmidt.orthonormalise(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> GramSchmidt.orthonormalise(new double[][] {{1, 2}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> GramSchmidt.orthonormalise(new double[][] {{1, Double.NaN}}));
        assertEquals(5e200 * Math.sqrt(2), GramSchmidt.norm2(new double[] {5e200, 5e200}), 1e187);
    }

    private static void assertOrthonormal(double[][] q, double tol) {
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q.length; j++) {
                double d = GramSchmidt.dot(q[i], q[j]);
                assertEquals(i == j ? 1.0 : 0.0, d, tol * Math.sqrt(q[i].length), "q" + i + "·q" + j);
            }
        }
    }
}
