package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.View;
import org.gdchaos.backend.conformance.DelegatingBackend;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adam's preconditioned sharpness (docs/science.md#optimizer-thresholds) on a quadratic loss whose
 * Hessian is known exactly: one dense layer d → 1, no bias, MSE, so {@code L = (1/N)·Σ ½(wᵀx_i − y_i)²}
 * and {@code H = XᵀX/N} at every w. Two cells train with Adam (different η, so different s) for T
 * steps through {@link Ensemble} and {@link Trainer}; the {@link ExtrasRecorder} of a sweep then
 * measures the sharpness curve and column. The oracle, on the host: s read from the ensemble,
 * {@code D = diag(c1/(√(c2·s) + ε))} at t = T, the top eigenvalue of {@code D^{1/2}·H·D^{1/2}} by
 * Jacobi rotations. Mutant backends (wrong bias corrections; D instead of D^{1/2} on each side) must
 * miss it, and the wrong oracles (no c1; t − 1) must be far from it, so the check can fail.
 */
class PreconditionedSharpnessTest {
    static Backend java;
    static Backend opencl;
    static final int D_IN = 5, N = 8, T = 3;
    static final ModelSpec SPEC = new ModelSpec(new int[] {D_IN, 1}, Activation.IDENTITY, false, Loss.MSE);
    static final Optimizer ADAM = Optimizer.adam(0.9, 0.99, 1e-3);
    static final double[] ETA = {0.01, 0.05};

    @BeforeAll
    static void open() {
        java = Backends.create("java");
        opencl = Backends.create("opencl");
    }

    @AfterAll
    static void close() {
        java.close();
        opencl.close();
    }

    /** H = XᵀX/N. */
    static double[][] hessian(double[] x) {
        double[][] h = new double[D_IN][D_IN];
        for (int i = 0; i < N; i++) {
            for (int a = 0; a < D_IN; a++) {
                for (int b = 0; b < D_IN; b++) h[a][b] += x[i * D_IN + a] * x[i * D_IN + b] / N;
            }
        }
        return h;
    }

    /** Top eigenvalue of diag(l)·H·diag(r). */
    static double top(double[][] h, double[] l, double[] r) {
        double[][] m = new double[D_IN][D_IN];
        for (int a = 0; a < D_IN; a++) for (int b = 0; b < D_IN; b++) m[a][b] = l[a] * h[a][b] * r[b];
        return Fixtures.jacobiEigenvalues(m)[0];
    }

    /** √(c1/(√(c2·s) + ε)) at step t, with or without c1. */
    static double[] rootD(double[] s, long t, boolean c1) {
        double[] d = new double[s.length];
        for (int k = 0; k < s.length; k++) {
            d[k] = Math.sqrt((c1 ? ADAM.c1(t) : 1) / (Math.sqrt(ADAM.c2(t) * s[k]) + ADAM.epsilon()));
        }
        return d;
    }

    /** What the recorder measured: [cell][0] the curve at step T, [cell][1] the column; [cell][2..] s. */
    static double[][] measure(Backend b, double[][] xy) {
        double[][] out = new double[ETA.length][];
        try (DeviceData data = Fixtures.upload(b, DType.F64, SPEC, xy);
             Ensemble e = new Ensemble(b, DType.F64, SPEC, ETA.length);
             Trainer tr = new Trainer(e, data, TrainConfig.fullBatchGd());
             ExtrasRecorder rec = ExtrasRecorder.builder(b, DType.F64, SPEC, data).cells(ETA.length).steps(T)
                     .sharpness(true).sharpnessEvery(1).build()) {
            for (int c = 0; c < ETA.length; c++) e.setParameters(c, Fixtures.gaussian(D_IN, 1, 11 + c));
            e.setLearningRates(ETA);
            e.setOptimizer(ADAM);
            rec.setOptimizer(ADAM, e.state(1));
            rec.afterStep(0, e.params());
            for (int s = 1; s <= T; s++) {
                tr.step();
                rec.afterStep(s, e.params());
            }
            rec.finish(e.params(), new double[ETA.length][D_IN]);
            for (int c = 0; c < ETA.length; c++) {
                double[] curve = rec.curves(c).get(ExtrasRecorder.SHARPNESS);
                assertTrue(Double.isNaN(curve[0]), "no preconditioner before Adam's first step: NaN at step 0");
                double[] s = e.state(1, c);
                out[c] = new double[2 + D_IN];
                out[c][0] = curve[T];
                out[c][1] = rec.row(c, false).get(ExtrasRecorder.SHARPNESS);
                System.arraycopy(s, 0, out[c], 2, D_IN);
            }
        }
        return out;
    }

    static double[][] data() {
        return Fixtures.data(SPEC, N, 5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java", "opencl"})
    void measuredEqualsTheHostEigenvalueOfTheRootPreconditionedHessian(String name) {
        Backend b = name.equals("java") ? java : opencl;
        double[][] xy = data();
        double[][] h = hessian(xy[0]);
        double[][] got = measure(b, xy);
        double[] plain = Fixtures.jacobiEigenvalues(h);
        for (int c = 0; c < ETA.length; c++) {
            double[] s = Arrays.copyOfRange(got[c], 2, 2 + D_IN);
            double[] r = rootD(s, T, true);
            double want = top(h, r, r);
            assertEquals(want, got[c][0], 1e-9 * want, name + " cell " + c + ": curve at step " + T);
            assertEquals(want, got[c][1], 1e-9 * want, name + " cell " + c + ": the column");
            // the wrong oracles are far from the right one: the check above can fail
            double[] noC1 = rootD(s, T, false), early = rootD(s, T - 1, true);
            assertTrue(Math.abs(top(h, noC1, noC1) - want) > 0.1 * want, "c1 matters: " + top(h, noC1, noC1));
            assertTrue(Math.abs(top(h, early, early) - want) > 0.05 * want, "t matters: " + top(h, early, early));
            assertTrue(Math.abs(top(h, r, mul(r, r)) - want) > 0.1 * want, "D on one side matters");
            assertTrue(want > 10 * plain[0], "the preconditioner (≈ c1/ε at small s) dominates: " + want + " vs " + plain[0]);
            System.out.printf("PreconditionedSharpness %s cell %d (eta %.3g): measured %.12g host %.12g plain %.6g"
                    + " (no c1 %.6g, t-1 %.6g) edge %.6g%n", name, c, ETA[c], got[c][0], want, plain[0],
                    top(h, noC1, noC1), top(h, early, early), ADAM.threshold(ETA[c]));
        }
        // cross-wired cells would swap the two values; they differ
        assertTrue(Math.abs(got[0][0] - got[1][0]) > 1e-3 * got[0][0], "the cells' s differ");
    }

    private static double[] mul(double[] a, double[] b) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i] * b[i];
        return o;
    }

    /** A backend whose preconditioner drops the bias corrections (t → large) or applies D for D^{1/2}. */
    static final class Mutant extends DelegatingBackend {
        final String kind;

        Mutant(Backend inner, String kind) {
            super(inner);
            this.kind = kind;
        }

        @Override
        public void adamPrecondition(Optimizer opt, long t, int batch, long n, View s, View x, View y) {
            switch (kind) {
                case "no-bias-correction" -> super.adamPrecondition(opt, 1_000_000, batch, n, s, x, y);
                case "D-not-root" -> {
                    super.adamPrecondition(opt, t, batch, n, s, x, y);
                    super.adamPrecondition(opt, t, batch, n, s, y, y);
                }
                default -> throw new IllegalArgumentException(kind);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no-bias-correction", "D-not-root"})
    void aWrongPreconditionerMissesTheOracle(String kind) {
        double[][] xy = data();
        double[][] h = hessian(xy[0]);
        double[][] got = measure(new Mutant(java, kind), xy);
        for (int c = 0; c < ETA.length; c++) {
            double[] s = Arrays.copyOfRange(got[c], 2, 2 + D_IN);
            double[] r = rootD(s, T, true);
            double want = top(h, r, r);
            assertTrue(Math.abs(got[c][0] - want) > 0.05 * want, kind + " cell " + c + ": " + got[c][0] + " vs " + want);
        }
    }
}
