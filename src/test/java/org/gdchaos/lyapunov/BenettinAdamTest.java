package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.Ensemble;
import org.junit.jupiter.api.Test;

/**
 * Benettin with Adam keeps every replica's second moment s ≥ 0 (docs/science.md#optimizer-lyapunov):
 * the replicas start perturbed on (w, m) only, at distance δ0, with the reference's s; a pull-back
 * that stretches a replica (δ0/d &gt; 1) where its s is below the reference's would make s
 * negative, and the replica's s is clamped to 0 there.
 */
class BenettinAdamTest {
    static final ModelSpec SPEC = new ModelSpec(new int[] {2, 2}, Activation.IDENTITY, true, Loss.MSE);

    @Test
    void replicasStartOnWAndMAndKeepSecondMomentNonNegative() {
        double d0 = 1e-6;
        try (Backend b = Backends.create("java");
             Ensemble e = new Ensemble(b, DType.F64, SPEC, 2)) {
            int p = (int) e.p();
            e.setOptimizer(Optimizer.adam(0.9, 0.999, 1e-8));
            e.setLearningRates(new double[] {0.1, 0.1});
            double[] w = new double[p], m = new double[p], s = new double[p];
            for (int i = 0; i < p; i++) {
                w[i] = 0.1 * (i + 1);
                m[i] = 0.01 * (i - 2);
                s[i] = 1e-9 * (i + 1);
            }
            e.setParameters(0, w);
            e.setState(0, 0, m);
            e.setState(1, 0, s);
            LyapunovConfig cfg = new LyapunovConfig(Method.BENETTIN, 1, 1, d0, 1, 0, Norm.L2, true,
                    GrowthFit.Method.GROWTH_PHASE);
            try (Benettin ben = new Benettin(e, new CellLayout(1, 2), cfg, 3)) {
                ben.start(7, new int[] {0});
                assertArrayEquals(s, e.state(1, 1), "s is not perturbed: the replica starts with the reference's");
                double dist = 0;
                for (int j = 0; j < 2; j++) {
                    double[] ref = j == 0 ? w : m, rep = j == 0 ? e.parameters(1) : e.state(0, 1);
                    for (int i = 0; i < p; i++) dist += (rep[i] - ref[i]) * (rep[i] - ref[i]);
                }
                assertEquals(d0, Math.sqrt(dist), 1e-12, "δ0 placed on (w, m)");
                // a replica at half δ0 with s = 0 in its first coordinate: the pull-back doubles the
                // difference, s_ref + 2·(0 − s_ref) < 0 without the clamp
                double[] rw = w.clone(), rs = s.clone();
                rw[1] += d0 / 2;
                rs[0] = 0;
                e.setParameters(1, rw);
                e.setState(0, 1, m);
                e.setState(1, 1, rs);
                ben.afterStep(1);
                double[] after = e.state(1, 1);
                for (double v : after) assertTrue(v >= 0, "s ≥ 0: " + java.util.Arrays.toString(after));
                assertEquals(0, after[0], "clamped");
                assertEquals(s[1] + 2 * (rs[1] - s[1]), after[1], 1e-24, "the other coordinates pulled back as usual");
                assertEquals(w[1] + d0, e.parameters(1)[1], 1e-11, "w pulled back to ~δ0 (s differs by 1e-9 too)");
            }
        }
    }
}
