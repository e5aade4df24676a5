package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.junit.jupiter.api.Test;

/**
 * The resolvability check: every perturbed component must be ≥ 1000 units of round-off of the
 * parameters' size. Paper's ε is per component; benettin's and spectrum's ε is the size δ0 of the
 * whole vector over n components, so each gets ~ε/√n (L2) or ~ε/n (L1).
 */
class LyapunovConfigTest {
    /** 784-8-10 has 784·8 + 8·10 = 6352 weights (6370 parameters with biases). */
    static final long N = 6352;
    static final double U32 = 0x1p-24;

    static LyapunovConfig cfg(Method m, Norm norm, double eps) {
        return new LyapunovConfig(m, 2, 2, eps, 1, 0, norm, false, GrowthFit.Method.GROWTH_PHASE);
    }

    static IllegalArgumentException refused(LyapunovConfig c) {
        return assertThrows(IllegalArgumentException.class, () -> c.checkResolvable(DType.F32, 1.0, N));
    }

    @Test
    void perturbedParametersAreTheWeightsUnlessBiasesArePerturbed() {
        ParameterLayout layout = new ParameterLayout(new ModelSpec(new int[] {784, 8, 10}, Activation.TANH, true,
                Loss.CROSS_ENTROPY));
        assertEquals(N, cfg(Method.BENETTIN, Norm.L2, 1).perturbedParameters(layout));
        LyapunovConfig withBiases = new LyapunovConfig(Method.BENETTIN, 2, 2, 1, 1, 0, Norm.L2, true,
                GrowthFit.Method.GROWTH_PHASE);
        assertEquals(6370, withBiases.perturbedParameters(layout));
    }

    /** The audit's case: f32 Benettin with ε = 7e-5 on 6352 weights is ~15 round-off units per component. */
    @Test
    void benettinEpsilonIsCheckedPerComponent() {
        assertDoesNotThrow(() -> cfg(Method.PAPER, Norm.L2, 7e-5).checkResolvable(DType.F32, 1.0, N),
                "paper: 7e-5 per component is ~1170 units");
        IllegalArgumentException e = refused(cfg(Method.BENETTIN, Norm.L2, 7e-5));
        String m = e.getMessage();
        assertTrue(m.startsWith("ε = 7.00e-05 cannot be resolved in f32"), m);
        assertTrue(m.contains("6352 perturbed parameters (l2)"), m);
        assertTrue(m.contains("Use f64, a larger ε (at least "), m);
    }

    /**
     * With an optimizer with state, benettin and spectrum spread δ0 over the weights and v (Adam: m),
     * 2n components: the check and {@link Benettin#rmsLimit} count them, so ε just above GD's bound
     * √n·1000u is refused for heavy ball and Adam in f32 (it needs √(2n)·1000u); paper and tangent
     * are unchanged.
     */
    @Test
    void optimizerStateCountsAmongThePerturbedComponents() {
        ParameterLayout layout = new ParameterLayout(new ModelSpec(new int[] {784, 8, 10}, Activation.TANH, true,
                Loss.CROSS_ENTROPY));
        org.gdchaos.backend.Optimizer hb = org.gdchaos.backend.Optimizer.momentum(0.9);
        org.gdchaos.backend.Optimizer adam = org.gdchaos.backend.Optimizer.adam(0.9, 0.999, 1e-8);
        org.gdchaos.backend.Optimizer gd = org.gdchaos.backend.Optimizer.GD;
        double l2 = 1000 * U32 * Math.sqrt(N);
        for (Method m : new Method[] {Method.BENETTIN, Method.SPECTRUM}) {
            LyapunovConfig c = cfg(m, Norm.L2, l2 * 1.001);
            assertEquals(N, c.perturbedComponents(layout, gd));
            assertEquals(2 * N, c.perturbedComponents(layout, hb));
            assertEquals(2 * N, c.perturbedComponents(layout, adam), "Adam: w and m (s is not perturbed)");
            assertDoesNotThrow(() -> c.checkResolvable(DType.F32, 1.0, layout, gd));
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> c.checkResolvable(DType.F32, 1.0, layout, hb)).getMessage();
            assertTrue(msg.contains("12704 perturbed components (the parameters and the optimizer's v)"), msg);
            assertThrows(IllegalArgumentException.class, () -> c.checkResolvable(DType.F32, 1.0, layout, adam));
            assertDoesNotThrow(() -> cfg(m, Norm.L2, l2 * Math.sqrt(2) * 1.001).checkResolvable(DType.F32, 1.0, layout, hb));
            assertEquals(Benettin.rmsLimit(c, DType.F32, N) / Math.sqrt(2),
                    Benettin.rmsLimit(c, DType.F32, c.perturbedComponents(layout, hb)), 1e-9 * Benettin.rmsLimit(c, DType.F32, N));
        }
        for (Method m : new Method[] {Method.PAPER, Method.TANGENT}) {
            assertEquals(N, cfg(m, Norm.L2, 1).perturbedComponents(layout, hb), m + " perturbs the weights only");
        }
    }

    @Test
    void boundaryScalesWithSqrtNInL2AndNInL1() {
        double l2 = 1000 * U32 * Math.sqrt(N);
        double l1 = 1000 * U32 * N;
        for (Method m : new Method[] {Method.BENETTIN, Method.SPECTRUM}) {
            assertDoesNotThrow(() -> cfg(m, Norm.L2, l2 * 1.001).checkResolvable(DType.F32, 1.0, N));
            refused(cfg(m, Norm.L2, l2 * 0.999));
        }
        assertDoesNotThrow(() -> cfg(Method.BENETTIN, Norm.L1, l1 * 1.001).checkResolvable(DType.F32, 1.0, N));
        refused(cfg(Method.BENETTIN, Norm.L1, l1 * 0.999));
        // spectrum orthonormalises in L2 whatever --norm says
        assertDoesNotThrow(() -> cfg(Method.SPECTRUM, Norm.L1, l2 * 1.001).checkResolvable(DType.F32, 1.0, N));
        // paper: per component, unchanged
        assertDoesNotThrow(() -> cfg(Method.PAPER, Norm.L1, 1000 * U32 * 1.001).checkResolvable(DType.F32, 1.0, N));
        refused(cfg(Method.PAPER, Norm.L1, 1000 * U32 * 0.999));
        // the parameters' size scales the requirement
        assertDoesNotThrow(() -> cfg(Method.BENETTIN, Norm.L2, l2 * 1.001).checkResolvable(DType.F32, 1.0, N));
        assertThrows(IllegalArgumentException.class,
                () -> cfg(Method.BENETTIN, Norm.L2, l2 * 1.001).checkResolvable(DType.F32, 2.0, N));
        // tangent has no finite perturbation
        assertDoesNotThrow(() -> cfg(Method.TANGENT, Norm.L2, 1e-30).checkResolvable(DType.F32, 1.0, N));
    }

    @Test
    void theSmallestEpsilonPrintedIsAccepted() {
        for (Norm norm : Norm.values()) {
            String m = refused(cfg(Method.BENETTIN, norm, 1e-6)).getMessage();
            Matcher x = Pattern.compile("at least ([0-9.eE+-]+) here").matcher(m);
            assertTrue(x.find(), m);
            double printed = Double.parseDouble(x.group(1));
            double need = 1000 * U32 * (norm == Norm.L1 ? N : Math.sqrt(N));
            assertTrue(printed >= need && printed < 1.1 * need, printed + " vs " + need);
            assertDoesNotThrow(() -> cfg(Method.BENETTIN, norm, printed).checkResolvable(DType.F32, 1.0, N));
        }
    }
}
