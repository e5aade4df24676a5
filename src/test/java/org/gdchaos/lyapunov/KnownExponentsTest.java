package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device-side replica trackers ({@link SpectrumTracker}, {@link Benettin}) against exponents
 * known in closed form:
 * <ul>
 *   <li>a linear map: least squares on a linear model is GD on a quadratic, {@code w' = (I − ηH)w}
 *       around the minimum, so the spectrum is {@code ln|1 − η μ_i|} over the eigenvalues μ_i of H;</li>
 *   <li>the two-layer linear network (docs/science.md#o7): a converging run has the spectrum
 *       {@code {0 (2d−1 times), ln|1 − η S_GD|}} with {@code S_GD = ‖a‖² + ‖b‖²} at its limit;</li>
 *   <li>the balanced scalar network at η = 2 ({@code s' = 3s − 2s³}): λ1 = ln 3.</li>
 * </ul>
 */
class KnownExponentsTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** Eigenvalues of H = (1/N)Σ[x;1][x;1]ᵀ for {@link #regressionData()}: one per weight, and 1 for the bias. */
    static final double[] MU = {0.3, 0.7, 2.5, 1.0};
    static final double ETA = 0.9;

    /**
     * Four samples whose features are scaled columns of a 4×4 Hadamard matrix (orthogonal, zero
     * mean), so H = diag(c1², c2², c3², 1) exactly; targets 0 so that w = 0 is the minimum and the
     * reference sits on it exactly (its gradient is exactly 0): every replica difference then
     * evolves by the linear map I − ηH.
     */
    static double[] regressionData() {
        int[][] h = {{1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};
        double[] x = new double[4 * 3];
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 3; k++) x[i * 3 + k] = Math.sqrt(MU[k]) * h[k][i];
        }
        return x;
    }

    /** {ln|1 − η μ_i|} sorted descending: {ln 1.25, ln 0.73, ln 0.37, ln 0.1}. */
    static double[] expectedRegressionSpectrum() {
        double[] e = new double[MU.length];
        for (int i = 0; i < MU.length; i++) e[i] = Math.log(Math.abs(1 - ETA * MU[i]));
        Arrays.sort(e);
        for (int i = 0; i < e.length / 2; i++) {
            double t = e[i];
            e[i] = e[e.length - 1 - i];
            e[e.length - 1 - i] = t;
        }
        return e;
    }

    static CellResult regression(LyapunovConfig cfg) {
        ModelSpec spec = new ModelSpec(new int[] {3, 1}, Activation.IDENTITY, true, Loss.MSE);
        return TrackerRun.run(backend, spec, regressionData(), new double[4], 4, new double[][] {new double[4]},
                new double[] {ETA}, cfg, 200)[0];
    }

    @Test
    void spectrumOfALinearMapIsTheLogsOfItsMultipliers() {
        double[] want = expectedRegressionSpectrum();
        assertTrue(want[0] > 0 && want[3] < -2, "oracle: one expanding and a widely spread rest");
        CellResult r = regression(TrackerRun.config(Method.SPECTRUM, 1, 4, 1e-6, 30, Norm.L2));
        double[] got = r.exponents();
        assertEquals(4, got.length);
        for (int i = 0; i < 4; i++) assertEquals(want[i], got[i], 1e-9, "exponent " + (i + 1));
        // Kaplan–Yorke: j = 1 (λ1 > 0, λ1 + λ2 < 0), D = 1 + λ1/|λ2|
        assertEquals(1 + want[0] / Math.abs(want[1]), r.kaplanYorke(), 1e-9);
        double[] run1 = r.curves().get("lambda_1_running");
        assertTrue(Double.isNaN(run1[30]) && !Double.isNaN(run1[31]), "running estimate starts after the transient");
    }

    @Test
    void benettinOnALinearMapFindsTheLargestMultiplierInBothNorms() {
        double want = Math.log(1.25);
        for (Norm norm : Norm.values()) {
            // transient 60: the competing direction (multiplier 0.73) is down by (0.73/1.25)^60 ≈ 1e-14, which
            // matters for L1, where it enters the norm to first order
            CellResult r = regression(TrackerRun.config(Method.BENETTIN, 2, 1, 1e-6, 60, norm));
            assertEquals(want, r.lambda1(), 1e-9, "Benettin " + norm);
            double[] running = r.curves().get("lambda_running");
            assertEquals(want, running[200], 1e-9);
            assertEquals(want, running[100], 1e-9, "aligned after the transient: the estimate is flat");
        }
    }

    /**
     * H = I (all three feature scales 1, and the bias): every direction is multiplied by
     * {@code 1 − η = −1.5} each step, so every exponent is exactly ln 1.5 from the first step on,
     * whatever the replica directions — any bookkeeping error shows.
     */
    static CellResult isotropic(LyapunovConfig cfg, int steps) {
        int[][] h = {{1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};
        double[] x = new double[4 * 3];
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 3; k++) x[i * 3 + k] = h[k][i];
        }
        ModelSpec spec = new ModelSpec(new int[] {3, 1}, Activation.IDENTITY, true, Loss.MSE);
        return TrackerRun.run(backend, spec, x, new double[4], 4, new double[][] {new double[4]},
                new double[] {2.5}, cfg, steps)[0];
    }

    /**
     * τ = 3 with a transient of 5 (not a multiple of τ): the renormalisations are at 3, 6, 9, …; the
     * interval (3, 6] holds steps of the transient, so the first counted one is (6, 9], and the
     * estimate divides by the steps the counted intervals cover. Counting (3, 6] and dividing by
     * s − 5 instead gives 3·ln 1.5 at step 6 and (195/193)·ln 1.5 at step 198.
     */
    @Test
    void renormalisingEveryThreeStepsAfterATransientOfFiveCountsWholeIntervalsOnly() {
        double want = Math.log(1.5);
        int steps = 200; // last renormalisation at 198
        for (Method m : new Method[] {Method.BENETTIN, Method.SPECTRUM, Method.TANGENT}) {
            for (Norm norm : m == Method.BENETTIN ? Norm.values() : new Norm[] {Norm.L2}) {
                LyapunovConfig cfg = new LyapunovConfig(m, 2, 4, 1e-6, 3, 5, norm, true,
                        GrowthFit.Method.GROWTH_PHASE);
                CellResult r = isotropic(cfg, steps);
                String what = m + " " + norm;
                for (double l : r.exponents()) assertEquals(want, l, 1e-9, what);
                for (String name : r.curves().keySet()) {
                    double[] run = r.curves().get(name);
                    for (int s = 0; s <= steps; s++) {
                        if (s >= 9 && s % 3 == 0) {
                            assertEquals(want, run[s], 1e-9, what + " " + name + " at step " + s);
                        } else {
                            assertTrue(Double.isNaN(run[s]), what + " " + name + " not recorded at step " + s);
                        }
                    }
                }
            }
        }
    }

    /** Host GD on the linear network (a ← a − η r b, b ← b − η r a) to its limit; returns S_GD = ‖a‖² + ‖b‖². */
    static double hostLimitSharpness(double[] w0, int d, double phi, double eta, int steps) {
        double[] w = w0.clone();
        for (int s = 0; s < steps; s++) {
            double r = -phi;
            for (int i = 0; i < d; i++) r += w[i] * w[d + i];
            double[] n = w.clone();
            for (int i = 0; i < d; i++) {
                n[i] = w[i] - eta * r * w[d + i];
                n[d + i] = w[d + i] - eta * r * w[i];
            }
            w = n;
        }
        double s = 0;
        for (double v : w) s += v * v;
        return s;
    }

    static final int D = 2;
    static final double PHI = 1.5;
    static final double ETA_LIN = 0.5;
    static final int STEPS_LIN = 1500;

    static CellResult linearNetwork(LyapunovConfig cfg, double[] w0) {
        return TrackerRun.run(backend, ModelSpec.linear(D), new double[] {1}, new double[] {PHI}, 1,
                new double[][] {w0}, new double[] {ETA_LIN}, cfg, STEPS_LIN)[0];
    }

    /** O7 with K = 2d replicas: {0, 0, 0, ln|1 − η S_GD|} (sorted descending). */
    @Test
    void convergingLinearNetworkHasTheO7SpectrumWithFiniteReplicas() {
        double[] w0 = TrackerRun.gaussian(2 * D, 0.8, 11);
        double sGd = hostLimitSharpness(w0, D, PHI, ETA_LIN, STEPS_LIN);
        double contracting = Math.log(Math.abs(1 - ETA_LIN * sGd));
        assertTrue(contracting < -0.2, "oracle: a clearly contracting direction, got " + contracting);
        CellResult r = linearNetwork(TrackerRun.config(Method.SPECTRUM, 1, 2 * D, 1e-7, 300, Norm.L2), w0);
        double[] lam = r.exponents();
        for (int i = 0; i < 2 * D - 1; i++) assertEquals(0, lam[i], 1e-6, "neutral exponent " + (i + 1));
        assertEquals(contracting, lam[2 * D - 1], 1e-6, "ln|1 − η S_GD|");
    }

    /** The largest of {0, ln|1 − η S_GD|} for a converging run is 0: Benettin must find it, not the contraction. */
    @Test
    void benettinOnAConvergingLinearNetworkFindsTheNeutralDirection() {
        double[] w0 = TrackerRun.gaussian(2 * D, 0.8, 11);
        CellResult r = linearNetwork(TrackerRun.config(Method.BENETTIN, 3, 1, 1e-7, 300, Norm.L2), w0);
        assertEquals(0, r.lambda1(), 1e-6);
    }

    /** s' = 3s − 2s³ on the balanced line (a = b = s, Φ = 1, η = 2) has exponent ln 3 (Chebyshev conjugacy). */
    @Test
    void benettinOnTheChaoticBalancedScalarNetworkFindsLn3() {
        CellResult r = TrackerRun.run(backend, ModelSpec.linear(1), new double[] {1}, new double[] {1}, 1,
                new double[][] {{0.5, 0.5}}, new double[] {2}, TrackerRun.config(Method.BENETTIN, 1, 1, 1e-8, 100,
                        Norm.L2), 20000)[0];
        assertFalse(Double.isNaN(r.lambda1()));
        assertEquals(Math.log(3), r.lambda1(), 0.03);
    }
}
