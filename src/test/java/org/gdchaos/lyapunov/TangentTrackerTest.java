package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exact tangent spectrum against closed forms (O7, O8: ln 3; docs/science.md#oracles) and against finite replicas. */
class TangentTrackerTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static LyapunovConfig config(Method m, int k, double eps, int skip) {
        return new LyapunovConfig(m, 1, k, eps, 1, skip, Norm.L2, true, GrowthFit.Method.GROWTH_PHASE);
    }

    /** Runs C cells (one reference each, or K+1 members for SPECTRUM) and returns every cell's result. */
    static CellResult[] run(ModelSpec spec, DType dt, double[] x, double[] y, int n, double[][] w0, double[] rates,
                            LyapunovConfig cfg, int steps) {
        int c = rates.length;
        CellLayout layout = new CellLayout(c, cfg.trajectoriesPerCell());
        try (DeviceData data = DeviceData.upload(backend, dt, x, y, n, spec.inputs(), spec.outputs());
             Ensemble e = new Ensemble(backend, dt, spec, layout.trajectories());
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 0, 0))) {
            double[] lr = new double[layout.trajectories()];
            int[] init = new int[c];
            for (int i = 0; i < c; i++) {
                e.setParameters(layout.index(0, i), w0[i]);
                for (int r = 0; r < layout.members(); r++) lr[layout.index(r, i)] = rates[i];
                init[i] = i;
            }
            e.setLearningRates(lr);
            Tracker t = cfg.method() == Method.TANGENT ? new TangentTracker(e, data, layout, cfg, steps)
                    : new SpectrumTracker(e, layout, cfg, steps);
            t.start(42, init);
            for (int s = 1; s <= steps; s++) {
                tr.computeGradient();
                t.beforeUpdate(s);
                tr.applyUpdate();
                t.afterStep(s);
            }
            CellResult[] out = new CellResult[c];
            for (int i = 0; i < c; i++) out[i] = t.result(i, e.divergedAt(i) >= 0);
            if (t instanceof TangentTracker tt) tt.close();
            return out;
        }
    }

    static double[] gaussian(int n, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = std * Math.sqrt(-2 * Math.log1p(-r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        }
        return v;
    }

    /**
     * Cross-entropy MLP 2-6-3 (tanh) on 12 points; η = 0.5 slowly converging, η = 7 chaotic
     * (λ ≈ 0.25, 0.13, 0.05). Not η = 5: there the run is a chaotic transient whose exponent
     * over 1,000 steps depends on the last bits of tanh (0.11 and 0.03 with two implementations
     * that are both within 3 ulp), and tangent and replicas drift apart by 1e-4.
     */
    static CellResult[] classifier(Method m, DType dt, double[] rates, double d0) {
        ModelSpec spec = new ModelSpec(new int[] {2, 6, 3}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        int n = 12;
        double[] x = gaussian(n * 2, 1, 1), y = new double[n * 3];
        for (int i = 0; i < n; i++) y[i * 3 + (i % 3)] = 1;
        double[][] w0 = new double[rates.length][];
        for (int i = 0; i < rates.length; i++) w0[i] = gaussian(39, 1, 9);
        return run(spec, dt, x, y, n, w0, rates, config(m, 3, d0, 200), 1200);
    }

    /** MSE regression MLP 2-3-1 (tanh), 40 points (more than its 13 parameters): isolated minimum at η = 0.5. */
    static CellResult[] regression(Method m, DType dt, double d0) {
        ModelSpec spec = new ModelSpec(new int[] {2, 3, 1}, Activation.TANH, true, Loss.MSE);
        int n = 40;
        return run(spec, dt, gaussian(n * 2, 1, 1), gaussian(n, 1, 2), n, new double[][] {gaussian(13, 0.7, 9)},
                new double[] {0.5}, config(m, 3, d0, 200), 800);
    }

    static void assertSpectra(CellResult expected, CellResult actual, double tol, String what) {
        for (int i = 0; i < expected.exponents().length; i++) {
            assertEquals(expected.exponents()[i], actual.exponents()[i], tol, what + ", exponent " + (i + 1));
        }
    }

    /**
     * Same Gram–Schmidt frame (same start directions), so the two differ only by the replicas'
     * O(δ0) linearisation error and rounding: non-chaotic 2-3-1 regression (δ0 = 1e-7) to 1e-8,
     * chaotic 2-6-3 classifier at η = 7 (δ0 = 1e-9) to 1e-5.
     */
    @Test
    void tangentSpectrumAgreesWithFiniteReplicasOnMlps() {
        CellResult tReg = regression(Method.TANGENT, DType.F64, 1e-7)[0];
        CellResult rReg = regression(Method.SPECTRUM, DType.F64, 1e-7)[0];
        assertTrue(tReg.lambda1() < 0.01, "not chaotic: " + tReg.lambda1());
        assertSpectra(rReg, tReg, 1e-8, "regression eta 0.5");
        CellResult tCh = classifier(Method.TANGENT, DType.F64, new double[] {7}, 1e-9)[0];
        CellResult rCh = classifier(Method.SPECTRUM, DType.F64, new double[] {7}, 1e-9)[0];
        assertTrue(tCh.lambda1() > 0.05, "chaotic: " + tCh.lambda1());
        assertSpectra(rCh, tCh, 1e-5, "classifier eta 7");
    }

    /** float32 tangent spectra of non-chaotic runs agree with float64 to 1e-4 (exponents ~1e-3). */
    @Test
    void tangentSpectrumInFloat32AgreesWithFloat64() {
        assertSpectra(regression(Method.TANGENT, DType.F64, 1)[0], regression(Method.TANGENT, DType.F32, 1)[0], 1e-4,
                "regression f32 vs f64");
        assertSpectra(classifier(Method.TANGENT, DType.F64, new double[] {0.5}, 1)[0],
                classifier(Method.TANGENT, DType.F32, new double[] {0.5}, 1)[0], 1e-4, "classifier f32 vs f64");
    }

    /** O7: a converging linear-network run has the spectrum {0 (2d−1 times), ln|1 − η S_GD|}. */
    @Test
    void convergingLinearNetworkHasTheO7Spectrum() {
        int d = 2, steps = 3000;
        double phi = 1, eta = 0.8;
        ModelSpec spec = ModelSpec.linear(d);
        double[] w0 = gaussian(2 * d, 0.7, 3);
        CellResult[] r = run(spec, DType.F64, new double[] {1}, new double[] {phi}, 1, new double[][] {w0},
                new double[] {eta}, config(Method.TANGENT, 2 * d, 1e-8, 300), steps);
        double[] w = w0.clone();
        for (int s = 0; s < steps; s++) { // host GD to the limit: a ← a − η r b, b ← b − η r a
            double rr = -phi;
            for (int i = 0; i < d; i++) rr += w[i] * w[d + i];
            double[] n = w.clone();
            for (int i = 0; i < d; i++) {
                n[i] = w[i] - eta * rr * w[d + i];
                n[d + i] = w[d + i] - eta * rr * w[i];
            }
            w = n;
        }
        double sGd = 0;
        for (double v : w) sGd += v * v;
        double[] lam = r[0].exponents();
        for (int i = 0; i < 2 * d - 1; i++) assertEquals(0, lam[i], 1e-3, "zero exponent " + i);
        assertEquals(Math.log(Math.abs(1 - eta * sGd)), lam[2 * d - 1], 1e-3, "ln|1 − η S_GD|");
    }

    /** Balanced scalar network at η = 2: s' = 3s − 2s³ is conjugate to the Chebyshev map, exponent ln 3. */
    @Test
    void balancedScalarNetworkAtEtaTwoHasExponentLn3() {
        CellResult[] r = run(ModelSpec.linear(1), DType.F64, new double[] {1}, new double[] {1}, 1,
                new double[][] {{0.5, 0.5}}, new double[] {2}, config(Method.TANGENT, 1, 1e-8, 100), 20000);
        assertEquals(Math.log(3), r[0].lambda1(), 0.03);
    }

    /**
     * The tangent step of step 1 uses the pre-update point: on the linear network (L = ½r²,
     * r = a·b − φ, H = g·gᵀ + r·J with g = (b, a), J swapping a and b) the renormalised vector after
     * one step is (I − η·H(w_0))·v_0 / ‖·‖, not the same map at w_1 — and a step whose tangent step
     * did not run, or a tangent step out of order, is refused.
     */
    @Test
    void theTangentStepUsesThePreUpdatePointOnceAStep() {
        int d = 2;
        double phi = 1, eta = 0.3;
        ModelSpec spec = ModelSpec.linear(d);
        double[] w0 = {0.9, -0.4, 0.7, 1.3};
        CellLayout layout = new CellLayout(1, 1);
        try (DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
             Ensemble e = new Ensemble(backend, DType.F64, spec, 1);
             Trainer tr = new Trainer(e, data, TrainConfig.fullBatchGd());
             TangentTracker t = new TangentTracker(e, data, layout, config(Method.TANGENT, 1, 1e-8, 0), 3)) {
            e.setParameters(0, w0);
            e.setLearningRates(new double[] {eta});
            t.start(5, new int[] {0});
            double[] v0 = t.tangent(0, 0);
            tr.computeGradient();
            IllegalStateException early = assertThrows(IllegalStateException.class, () -> t.afterStep(1));
            assertTrue(early.getMessage().contains("call beforeUpdate(1) between Trainer.computeGradient and "
                    + "Trainer.applyUpdate"), early.getMessage());
            assertThrows(IllegalStateException.class, () -> t.beforeUpdate(2));
            t.beforeUpdate(1);
            tr.applyUpdate();
            t.afterStep(1);
            double[] v1 = t.tangent(0, 0);
            double[] atW0 = unit(linearTangentStep(w0, v0, eta, phi, d));
            double[] atW1 = unit(linearTangentStep(e.parameters(0), v0, eta, phi, d));
            double gap = 0;
            for (int i = 0; i < 2 * d; i++) {
                assertEquals(atW0[i], v1[i], 1e-14, "component " + i);
                gap = Math.max(gap, Math.abs(atW1[i] - atW0[i]));
            }
            assertTrue(gap > 1e-3, "the two points are distinguishable: " + gap);
            assertThrows(IllegalStateException.class, () -> t.beforeUpdate(1), "once a step");
        }
    }

    /** {@code (I − η·H(w))·v} for the linear network 1 → d → 1 (a = w[0..d), b = w[d..2d)). */
    static double[] linearTangentStep(double[] w, double[] v, double eta, double phi, int d) {
        double r = -phi, gv = 0;
        for (int i = 0; i < d; i++) r += w[i] * w[d + i];
        for (int i = 0; i < d; i++) gv += w[d + i] * v[i] + w[i] * v[d + i]; // g = (b, a)
        double[] out = new double[2 * d];
        for (int i = 0; i < d; i++) {
            out[i] = v[i] - eta * (w[d + i] * gv + r * v[d + i]);
            out[d + i] = v[d + i] - eta * (w[i] * gv + r * v[i]);
        }
        return out;
    }

    static double[] unit(double[] v) {
        double n = 0;
        for (double x : v) n += x * x;
        n = Math.sqrt(n);
        double[] u = v.clone();
        for (int i = 0; i < u.length; i++) u[i] /= n;
        return u;
    }
}
