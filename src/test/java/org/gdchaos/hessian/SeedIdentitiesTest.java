package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The identities O1–O7 (docs/science.md#oracles) on the real trainer (float64), data "scalar:x=1,y=Φ". */
class SeedIdentitiesTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static DeviceData scalarData(double phi) {
        return DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
    }

    static void assertRel(double expected, double actual, double tol, String what) {
        assertEquals(expected, actual, tol * Math.max(1e-300, Math.abs(expected)), what);
    }

    @Test
    void identitiesO1ToO4HoldStepByStep() {
        int d = 4, steps = 40;
        double phi = 1.3;
        double[] rates = {0.05, 0.3, 0.6};
        ModelSpec spec = ModelSpec.linear(d);
        try (DeviceData data = scalarData(phi);
             Ensemble e = new Ensemble(backend, DType.F64, spec, rates.length);
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 1, 0))) {
            for (int t = 0; t < rates.length; t++) e.setParameters(t, LinearNet.start(d, 0.8, 10 + t));
            e.setLearningRates(rates);
            for (int s = 0; s < steps; s++) {
                double[][] w = new double[rates.length][];
                for (int t = 0; t < rates.length; t++) w[t] = e.parameters(t);
                tr.step();
                for (int t = 0; t < rates.length; t++) {
                    double eta = rates[t];
                    double[] a = w[t], n = e.parameters(t);
                    double r = LinearNet.m(a) - phi, er = eta * r;
                    for (int i = 0; i < d; i++) {
                        double u = a[i] + a[d + i], v = a[i] - a[d + i];
                        assertRel((1 - er) * u, n[i] + n[d + i], 1e-12, "O1 u' step " + s);
                        assertRel((1 + er) * v, n[i] - n[d + i], 1e-12, "O1 v' step " + s);
                    }
                    double q = LinearNet.q(a), m = LinearNet.m(a), lam = LinearNet.lambda(a), pp = LinearNet.p(a);
                    assertEquals((1 - er * er) * q, LinearNet.q(n), 1e-12 * lam, "O2 Q' step " + s);
                    assertRel(m - er * lam + er * er * m, LinearNet.m(n), 1e-12, "O3 m' step " + s);
                    assertRel((1 + er * er) * lam - 4 * er * m, LinearNet.lambda(n), 1e-12, "O3 lambda' step " + s);
                    assertEquals((1 - er * er) * (1 - er * er) * pp, LinearNet.p(n), 1e-12 * lam * lam,
                            "O4 P' step " + s + " (P = λ² − 4m² cancels: tolerance relative to λ²)");
                }
            }
        }
    }

    /** O6/O7: GD converges to S_GD = √(4Φ² + P0·∏(1 − η²r²)²) ≤ S_GF, with tail rate |1 − η S_GD|. */
    @Test
    void convergingRunHasTheTailRateAndTheSharpnessOfO6AndO7() {
        int d = 3, steps = 400;
        double phi = 1.0;
        double[] rates = {0.2, 0.8}; // η·S_GD ≈ 0.43 and ≈ 1.7 (beyond the classical 1/S)
        ModelSpec spec = ModelSpec.linear(d);
        try (DeviceData data = scalarData(phi);
             Ensemble e = new Ensemble(backend, DType.F64, spec, rates.length);
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 1, 0));
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F64, spec, rates.length, 1);
             Lanczos lanczos = new Lanczos(mlp, LanczosConfig.defaults(DType.F64))) {
            double[] w0 = LinearNet.start(d, 0.7, 3);
            for (int t = 0; t < rates.length; t++) e.setParameters(t, w0);
            e.setLearningRates(rates);
            double[][] r = new double[rates.length][steps + 1];
            double[] prod = {1, 1};
            for (int s = 0; s <= steps; s++) {
                for (int t = 0; t < rates.length; t++) {
                    r[t][s] = LinearNet.m(e.parameters(t)) - phi;
                    if (s < steps) prod[t] *= Math.pow(1 - rates[t] * rates[t] * r[t][s] * r[t][s], 2);
                }
                if (s < steps) tr.step();
            }
            Lanczos.Result sharp = lanczos.topEigenvalues(data, e.params(), rates.length, 1);
            double sGf = Math.sqrt(4 * phi * phi + LinearNet.p(w0));
            for (int t = 0; t < rates.length; t++) {
                double[] w = e.parameters(t);
                double sGd = Math.sqrt(4 * phi * phi + LinearNet.p(w0) * prod[t]);
                assertRel(sGd, LinearNet.lambda(w), 1e-9, "O6 S_GD formula");
                assertRel(sGd, sharp.sharpness(t), 1e-9, "O5 S_GD = top Hessian eigenvalue");
                assertTrue(sGd <= sGf + 1e-12 && rates[t] * sGd <= 2, "S_GD <= S_GF and eta S <= 2");
                // tail rate, measured where r is small but well above rounding
                int s = 1;
                while (s < steps && Math.abs(r[t][s]) > 1e-7) s++;
                assertTrue(s > 10 && s < steps, "converged linearly");
                assertRel(Math.abs(1 - rates[t] * sGd), Math.abs(r[t][s] / r[t][s - 1]), 1e-5, "O7 tail rate");
            }
        }
    }

    /** d = 1, Φ = 1, a = b = s: s' = s − η(s² − 1)s; fixed point stable for η &lt; 1, period 2 above. */
    @Test
    void balancedScalarNetworkLosesStabilityAtEtaOne() {
        double[] rates = {0.6, 0.95, 1.05, 1.2};
        int steps = 3000;
        ModelSpec spec = ModelSpec.linear(1);
        try (DeviceData data = scalarData(1.0);
             Ensemble e = new Ensemble(backend, DType.F64, spec, rates.length);
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 1, 0))) {
            for (int t = 0; t < rates.length; t++) e.setParameters(t, new double[] {0.7, 0.7});
            e.setLearningRates(rates);
            for (int s = 0; s < steps; s++) tr.step();
            double[][] last = new double[3][];
            for (int j = 0; j < 3; j++) {
                double[] row = new double[rates.length];
                for (int t = 0; t < rates.length; t++) {
                    double[] w = e.parameters(t);
                    assertEquals(w[0], w[1], 0.0, "stays balanced");
                    row[t] = w[0];
                }
                last[j] = row;
                tr.step();
            }
            for (int t = 0; t < rates.length; t++) {
                if (rates[t] < 1) {
                    assertEquals(1.0, last[2][t], 1e-12, "fixed point s = 1 at eta " + rates[t]);
                } else {
                    assertTrue(Math.abs(last[1][t] - last[0][t]) > 1e-2, "no fixed point at eta " + rates[t]);
                    assertEquals(last[0][t], last[2][t], 1e-12, "period-2 orbit at eta " + rates[t]);
                    // the 2-cycle {s1, s2} of s' = s − η(s²−1)s: s1 + s2 and s1·s2 from the map
                    double s1 = last[0][t], s2 = last[1][t], eta = rates[t];
                    assertEquals(s2, s1 - eta * (s1 * s1 - 1) * s1, 1e-12);
                    assertEquals(s1, s2 - eta * (s2 * s2 - 1) * s2, 1e-12);
                }
            }
        }
    }

    @Test
    void imbalanceOfTwoLayerNetworksMatchesTheHostFormula() {
        ModelSpec spec = new ModelSpec(new int[] {3, 4, 2}, org.gdchaos.backend.Activation.TANH, true,
                org.gdchaos.backend.Loss.MSE);
        int tt = 2;
        try (Balance b = new Balance(backend, DType.F64, spec, tt);
             Buffer pb = backend.allocate(DType.F64, 2L * 26)) {
            int p = 26; // 12 + 4 + 8 + 2
            double[][] w = new double[tt][];
            for (int t = 0; t < tt; t++) {
                w[t] = Fixtures.gaussian(p, 1, 5 + t);
                backend.upload(w[t], 0, pb, (long) t * p, p);
            }
            double[] imb = b.imbalance(View.of(pb, p), tt);
            double[] q = b.q(View.of(pb, p), tt);
            for (int t = 0; t < tt; t++) {
                double f = 0, tr = 0;
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        double m = 0;
                        for (int k = 0; k < 3; k++) m += w[t][i * 3 + k] * w[t][j * 3 + k]; // W1 W1ᵀ
                        for (int o = 0; o < 2; o++) m -= w[t][16 + o * 4 + i] * w[t][16 + o * 4 + j]; // W2ᵀ W2
                        f += m * m;
                        if (i == j) tr += m;
                    }
                }
                assertEquals(Math.sqrt(f), imb[t], 1e-12);
                assertEquals(tr, q[t], 1e-12);
            }
        }
    }
}
