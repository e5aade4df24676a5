package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpectrumTest {

    /** Hénon map a = 1.4, b = 0.3: λ1 ≈ 0.41922, λ2 ≈ −1.62319 (literature), λ1 + λ2 = ln 0.3 exactly. */
    private static final double HENON_L1 = 0.41922;
    private static final double HENON_L2 = Math.log(0.3) - HENON_L1;

    /** QR method on products of a constant 2×2 matrix m (tangent vectors, δ0 = 1). */
    private static Spectrum constantMatrix(double[][] m, int steps) {
        Spectrum s = new Spectrum(2, 1.0, 0);
        double[][] q = {{1, 0}, {0, 1}};
        for (int step = 1; step <= steps; step++) {
            double[][] v = new double[2][];
            for (int i = 0; i < 2; i++) {
                v[i] = new double[] {m[0][0] * q[i][0] + m[0][1] * q[i][1], m[1][0] * q[i][0] + m[1][1] * q[i][1]};
            }
            GramSchmidt.Result r = GramSchmidt.orthonormalise(v);
            s.add(step, r.rDiag());
            q = r.q();
        }
        return s;
    }

    @Test
    void rotatedDiagonalMap() {
        // M = R(θ)·diag(2, 0.5)·R(θ)ᵀ: exponents ln 2, ln 0.5
        double c = Math.cos(0.7);
        double sn = Math.sin(0.7);
        double[][] m = {
            {2 * c * c + 0.5 * sn * sn, (2 - 0.5) * c * sn},
            {(2 - 0.5) * c * sn, 2 * sn * sn + 0.5 * c * c}};
        Spectrum s = constantMatrix(m, 2000);
        assertArrayEquals(new double[] {Math.log(2), Math.log(0.5)}, s.sortedExponents(), 1e-3);
        assertNull(s.failure());
        assertEquals(2000, s.history().size());
    }

    @Test
    void nonNormalMapHasLogEigenvalueModuli() {
        // M = P·diag(2, 0.5)·P⁻¹ with a non-orthogonal P: exponents are still ln 2, ln 0.5
        double[][] p = {{1, 0.9}, {0.2, 1}};
        double det = p[0][0] * p[1][1] - p[0][1] * p[1][0];
        double[][] pinv = {{p[1][1] / det, -p[0][1] / det}, {-p[1][0] / det, p[0][0] / det}};
        double[] lam = {2, 0.5};
        double[][] m = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    m[i][j] += p[i][k] * lam[k] * pinv[k][j];
                }
            }
        }
        Spectrum s = constantMatrix(m, 2000);
        assertArrayEquals(new double[] {Math.log(2), Math.log(0.5)}, s.sortedExponents(), 2e-3);
        assertEquals(1.0 + Math.log(2) / Math.log(2), s.kaplanYorke(), 5e-3);
    }

    @Test
    void henonFromJacobianProducts() {
        double a = 1.4;
        double b = 0.3;
        double x = 0.1;
        double y = 0.1;
        for (int i = 0; i < 1000; i++) {                   // onto the attractor
            double nx = 1 - a * x * x + y;
            y = b * x;
            x = nx;
        }
        Spectrum s = new Spectrum(2, 1.0, 100);
        double[][] q = {{1, 0}, {0, 1}};
        for (int step = 1; step <= 200_000; step++) {
            // J = [[−2a x, 1], [b, 0]] at the current point, applied to each column q_i
            double[][] v = new double[2][];
            for (int i = 0; i < 2; i++) {
                v[i] = new double[] {-2 * a * x * q[i][0] + q[i][1], b * q[i][0]};
            }
            GramSchmidt.Result r = GramSchmidt.orthonormalise(v);
            s.add(step, r.rDiag());
            q = r.q();
            double nx = 1 - a * x * x + y;
            y = b * x;
            x = nx;
        }
        double[] l = s.sortedExponents();
        assertEquals(HENON_L1, l[0], 5e-3);
        assertEquals(HENON_L2, l[1], 5e-3);
        assertEquals(Math.log(0.3), l[0] + l[1], 1e-12);    // |det J| = b at every step
        assertEquals(1 + HENON_L1 / Math.abs(HENON_L2), s.kaplanYorke(), 5e-3);
        assertEquals(1.26, s.kaplanYorke(), 0.01);
    }

    @Test
    void henonFromFiniteReplicas() {
        // the device protocol: reference + k = 2 replicas at distance δ0, re-orthonormalised every step
        double a = 1.4;
        double b = 0.3;
        double delta0 = 1e-8;
        double[] ref = {0.1, 0.1};
        for (int i = 0; i < 1000; i++) {
            ref = new double[] {1 - a * ref[0] * ref[0] + ref[1], b * ref[0]};
        }
        double[][] rep = {{ref[0] + delta0, ref[1]}, {ref[0], ref[1] + delta0}};
        Spectrum s = new Spectrum(2, delta0, 50);
        for (int step = 1; step <= 50_000; step++) {
            ref = new double[] {1 - a * ref[0] * ref[0] + ref[1], b * ref[0]};
            double[][] diff = new double[2][];
            for (int i = 0; i < 2; i++) {
                rep[i] = new double[] {1 - a * rep[i][0] * rep[i][0] + rep[i][1], b * rep[i][0]};
                diff[i] = new double[] {rep[i][0] - ref[0], rep[i][1] - ref[1]};
            }
            GramSchmidt.Result r = GramSchmidt.orthonormalise(diff);
            s.add(step, r.rDiag());
            for (int i = 0; i < 2; i++) {
                rep[i] = new double[] {ref[0] + delta0 * r.q()[i][0], ref[1] + delta0 * r.q()[i][1]};
            }
        }
        double[] l = s.sortedExponents();
        assertEquals(HENON_L1, l[0], 0.01);
        assertEquals(HENON_L2, l[1], 0.01);
        assertEquals(Math.log(0.3), l[0] + l[1], 1e-4);
    }

    @Test
    void kaplanYorkeEdgeCases() {
        assertEquals(0.0, Spectrum.kaplanYorke(new double[] {-0.1, -0.5}));
        assertEquals(2.0, Spectrum.kaplanYorke(new double[] {0.5, 0.2}));
        assertEquals(1.25, Spectrum.kaplanYorke(new double[] {0.4, -1.6}), 1e-15);
        assertEquals(2.5, Spectrum.kaplanYorke(new double[] {0.5, 0.0, -1.0}), 1e-15);
        assertEquals(1.0, Spectrum.kaplanYorke(new double[] {0.0, -1.0}));
        assertEquals(2.0 + 0.3 / 2.0, Spectrum.kaplanYorke(new double[] {1.0, -0.7, -2.0, -3.0}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Spectrum.kaplanYorke(new double[] {-1, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> Spectrum.kaplanYorke(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Spectrum.kaplanYorke(new double[] {Double.NaN}));
    }

    @Test
    void transientFailureAndValidation() {
        Spectrum s = new Spectrum(2, 0.5, 10);
        s.add(10, new double[] {100, 1e-9});               // (0,10]: transient
        assertTrue(Double.isNaN(s.exponents()[0]));
        assertTrue(Double.isNaN(s.kaplanYorke()));
        s.add(20, new double[] {0.5 * Math.exp(-1.0), -0.5 * Math.exp(3.0)}); // |R| used; QR order kept
        assertArrayEquals(new double[] {-0.1, 0.3}, s.exponents(), 1e-15);
        assertArrayEquals(new double[] {0.3, -0.1}, s.sortedExponents(), 1e-15);
        assertEquals(10, s.countedSteps());
        assertArrayEquals(new double[] {0.3, -0.1}, s.history().get(0).exponents(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> s.add(20, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> s.add(30, new double[] {1}));
        s.add(30, new double[] {0.0, 1.0});
        assertTrue(s.failure().contains("collapsed"), s.failure());
        assertTrue(Double.isNaN(s.sortedExponents()[0]));
        assertThrows(IllegalArgumentException.class, () -> new Spectrum(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Spectrum(1, Double.NaN, 0));
    }
}
