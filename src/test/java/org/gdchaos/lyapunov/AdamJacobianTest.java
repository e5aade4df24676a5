package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adam's tangent step against a finite-difference Jacobian of one Adam update
 * (docs/science.md#optimizer-lyapunov), in f64 on a small tanh network with weight decay: a
 * {@link TangentTracker} with K = 3P tangent triples (δw, δm, δs) follows a reference for t − 1
 * steps (no renormalisation), then the tangent step of step t must map every triple V to J·V,
 * where J (3P × 3P) is the Jacobian of the map (w, m, s) ↦ (w', m', s') of Adam's step t at the
 * reference's state before it (gradient with the weight-decay term), by central differences over
 * every coordinate of (w, m, s) (each of the 6P perturbed states is one trajectory of a second
 * ensemble, stepped by the same {@link Backend#optimizerUpdate}). K = 3P vectors of full rank pin
 * J completely. The test also checks that the δs path matters: the block ∂w'/∂s of J is large
 * against the tolerance, so a sign error in the δs term of {@link Backend#adamTangent} fails it.
 */
class AdamJacobianTest {
    static Backend java;
    static Backend opencl;

    @BeforeAll
    static void open() {
        java = Backends.create("java");
        try {
            opencl = Backends.create("opencl");
        } catch (RuntimeException e) {
            opencl = null;
        }
    }

    @AfterAll
    static void close() {
        java.close();
        if (opencl != null) opencl.close();
    }

    static final ModelSpec SPEC = new ModelSpec(new int[] {2, 3, 1}, Activation.TANH, true, Loss.MSE);
    static final Optimizer ADAM = Optimizer.adam(0.8, 0.95, 1e-3);
    static final double ETA = 0.05, DECAY = 0.05;
    static final int N = 6, T = 4; // samples; the step whose Jacobian is checked

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java", "opencl"})
    void tangentStepIsTheFiniteDifferenceJacobianOfOneAdamUpdate(String name) {
        Backend b = name.equals("java") ? java : opencl;
        if (b == null) {
            Assumptions.assumeTrue(System.getenv("CI") != null, "OpenCL unavailable");
            throw new AssertionError("OpenCL must be available in CI");
        }
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = new double[N * 2], y = new double[N];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble(-1.5, 1.5);
        for (int i = 0; i < y.length; i++) y[i] = rng.nextDouble(-1, 1);
        int p = (int) new org.gdchaos.nn.ParameterLayout(SPEC).size();
        int dim = 3 * p, k = dim;
        double[] w0 = new double[p];
        for (int i = 0; i < p; i++) w0[i] = rng.nextDouble(-1, 1);
        double[] state = new double[dim];         // (w, m, s) before step T
        double[][] before = new double[k][], after = new double[k][];
        try (DeviceData data = DeviceData.upload(b, DType.F64, x, y, N, 2, 1);
             Ensemble e = new Ensemble(b, DType.F64, SPEC, 1);
             Trainer tr = new Trainer(e, data, TrainConfig.fullBatchGd())) {
            e.setParameters(0, w0);
            e.setLearningRates(new double[] {ETA});
            e.setOptimizer(ADAM);
            e.setWeightDecay(new double[] {DECAY}, true);
            LyapunovConfig cfg = new LyapunovConfig(Method.TANGENT, 1, k, 1e-7, 1000, 0, Norm.L2, true,
                    GrowthFit.Method.GROWTH_PHASE);
            try (TangentTracker tt = new TangentTracker(e, data, new CellLayout(1, 1), cfg, T)) {
                tt.start(11, new int[] {0});
                for (int s = 1; s <= T; s++) {
                    tr.computeGradient();
                    if (s == T) {
                        System.arraycopy(e.parameters(0), 0, state, 0, p);
                        System.arraycopy(e.state(0, 0), 0, state, p, p);
                        System.arraycopy(e.state(1, 0), 0, state, 2 * p, p);
                        for (int i = 0; i < k; i++) before[i] = triple(tt, i, p);
                    }
                    tt.beforeUpdate(s);
                    tr.applyUpdate();
                    tt.afterStep(s);
                }
                for (int i = 0; i < k; i++) after[i] = triple(tt, i, p);
            }
        }
        for (int q = 2 * p; q < dim; q++) assertTrue(state[q] > 0, "s > 0 at step " + T);
        double[][] jac = finiteDifferenceJacobian(b, x, y, state, p);
        double scale = 0, tol;
        for (double[] col : jac) for (double v : col) scale = Math.max(scale, Math.abs(v));
        tol = 1e-7 * scale; // measured: 6e-8 (Java), 6e-7 (OpenCL) against max |J| ≈ 290
        // the δs path (∂w'/∂s) must be far above the tolerance, or a sign error in its term would pass
        double ds = 0;
        for (int col = 2 * p; col < dim; col++) for (int row = 0; row < p; row++) ds = Math.max(ds, Math.abs(jac[col][row]));
        assertTrue(ds > 1000 * tol, "∂w'/∂s = " + ds + " against the tolerance " + tol);
        double worst = 0;
        for (int i = 0; i < k; i++) {
            for (int row = 0; row < dim; row++) {
                double jv = 0;
                for (int col = 0; col < dim; col++) jv += jac[col][row] * before[i][col];
                worst = Math.max(worst, Math.abs(jv - after[i][row]));
            }
        }
        assertTrue(worst <= tol, name + ": |J·V − tangent step| = " + worst + " > " + tol + " (max |J| " + scale + ")");
    }

    private static double[] triple(TangentTracker tt, int i, int p) {
        double[] v = new double[3 * p];
        System.arraycopy(tt.tangent(i, 0), 0, v, 0, p);
        System.arraycopy(tt.tangentVelocity(i, 0), 0, v, p, p);
        System.arraycopy(tt.tangentSecondMoment(i, 0), 0, v, 2 * p, p);
        return v;
    }

    /**
     * Columns [j][row] of the Jacobian of Adam's step T at {@code state} = (w, m, s): central
     * differences with step h_j = 1e-6·max(|x_j|, 1e-2) (relative for the small s).
     */
    private static double[][] finiteDifferenceJacobian(Backend b, double[] x, double[] y, double[] state, int p) {
        int dim = state.length, traj = 2 * dim;
        double[] h = new double[dim];
        for (int j = 0; j < dim; j++) h[j] = 1e-6 * Math.max(Math.abs(state[j]), j >= 2 * p ? 0 : 1e-2);
        double[][] out = new double[traj][];
        try (DeviceData data = DeviceData.upload(b, DType.F64, x, y, N, 2, 1);
             Ensemble e = new Ensemble(b, DType.F64, SPEC, traj);
             Trainer tr = new Trainer(e, data, TrainConfig.fullBatchGd())) {
            double[] lr = new double[traj], decay = new double[traj];
            Arrays.fill(lr, ETA);
            Arrays.fill(decay, DECAY);
            e.setLearningRates(lr);
            e.setOptimizer(ADAM);
            e.setWeightDecay(decay, true);
            for (int t = 0; t < traj; t++) {
                double[] u = state.clone();
                u[t / 2] += t % 2 == 0 ? h[t / 2] : -h[t / 2];
                e.setParameters(t, Arrays.copyOfRange(u, 0, p));
                e.setState(0, t, Arrays.copyOfRange(u, p, 2 * p));
                e.setState(1, t, Arrays.copyOfRange(u, 2 * p, 3 * p));
            }
            tr.computeGradient();
            b.optimizerUpdate(ADAM, T, traj, p, e.params(), e.grads(), e.state(0), e.state(1), e.learningRates());
            for (int t = 0; t < traj; t++) {
                double[] v = new double[dim];
                System.arraycopy(e.parameters(t), 0, v, 0, p);
                System.arraycopy(e.state(0, t), 0, v, p, p);
                System.arraycopy(e.state(1, t), 0, v, 2 * p, p);
                out[t] = v;
            }
        }
        double[][] jac = new double[dim][dim];
        for (int j = 0; j < dim; j++) {
            for (int row = 0; row < dim; row++) jac[j][row] = (out[2 * j][row] - out[2 * j + 1][row]) / (2 * h[j]);
        }
        return jac;
    }
}
