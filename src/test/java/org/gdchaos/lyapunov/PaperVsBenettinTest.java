package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gdchaos.analysis.GrowthFit;
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

    /**
     * η = 0.1 (measured: paper 1.1e-4, Benettin 3.1e-4): ln d stays flat, both are ≈ 0 — far below
     * the chaotic value, so the band is |λ| < 0.01 (a sign at λ ≈ 0 is noise, not a property).
     */
    @Test
    void bothAreNearZeroAtASmallLearningRate() {
        assertTrue(Math.abs(paper[0].lambda1()) < 0.01, "paper " + paper[0].lambda1());
        assertTrue(Math.abs(benettin[0].lambda1()) < 0.01, "benettin " + benettin[0].lambda1());
        assertTrue(Double.isFinite(paper[0].fitR2()));
    }

    /** η = 10 (measured: paper 1.51, Benettin 1.09): both clearly positive and within a factor 2 of each other. */
    @Test
    void bothArePositiveAndOfTheSameSizeAtALargeLearningRate() {
        double p = paper[1].lambda1(), b = benettin[1].lambda1();
        assertTrue(p > 0.5, "paper " + p);
        assertTrue(b > 0.5, "benettin " + b);
        assertTrue(p / b < 2 && b / p < 2, "paper " + p + " vs benettin " + b);
        double[] running = benettin[1].curves().get("lambda_running");
        assertTrue(Double.isNaN(running[10]), "transient of 10 steps is not counted");
        assertEquals(b, running[STEPS], 0, "the reported value is the last running estimate");
    }

    /**
     * Without renormalisation ln⟨d⟩ rises from ≈ −9.7 to a plateau ≈ 8 within ~15 steps and stays
     * there for the remaining 45: the growth-phase window must end before the plateau begins (here:
     * the first step within 1 of the curve's maximum) and its slope must be the rise's, not the
     * plateau's (≈ 0.01).
     */
    @Test
    void growthFitDoesNotLandOnThePlateauAtAChaoticLearningRate() {
        CellResult r = paper[1];
        double[] y = r.curves().get("ln_d_l1");
        assertEquals(STEPS + 1, y.length);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) max = Math.max(max, v);
        int plateau = 0;
        while (y[plateau] < max - 1) plateau++;
        assertTrue(max - y[0] > 15, "the curve saturates after a large rise");
        assertTrue(STEPS - plateau > 30, "most of the curve is plateau, plateau from t = " + plateau);
        assertTrue(r.fitStart() >= 0 && r.fitEnd() > r.fitStart() + 2, "window [" + r.fitStart() + ", " + r.fitEnd() + "]");
        assertTrue(r.fitEnd() < plateau, "window ends at " + r.fitEnd() + ", plateau starts at " + plateau);
        assertTrue(r.fitR2() > 0.98, "growth is a straight line in ln d, R² " + r.fitR2());
        double plateauSlope = GrowthFit.fit(java.util.Arrays.copyOfRange(y, plateau, y.length),
                GrowthFit.Method.GROWTH_PHASE).lambda();
        assertTrue(Math.abs(plateauSlope) < 0.05, "plateau slope " + plateauSlope);
        assertTrue(r.lambda1() > 20 * Math.abs(plateauSlope), "λ " + r.lambda1() + " vs plateau " + plateauSlope);
        // the rise's mean rate over the window, independently of the fit
        double chord = (y[r.fitEnd()] - y[r.fitStart()]) / (r.fitEnd() - r.fitStart());
        assertEquals(chord, r.lambda1(), 0.15 * chord);
    }
}
