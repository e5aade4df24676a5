package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.InputException;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;

/** One home per Lyapunov method: the registry, the counts, the memory and the validation of each. */
class LyapunovMethodTest {
    private static LyapunovConfig config(Method m, int replicas, int k) {
        return new LyapunovConfig(m, replicas, k, 1e-6, 1, 0, Norm.L2, false, GrowthFit.Method.GROWTH_PHASE);
    }

    @Test
    void eachConstantHoldsItsOwnImplementationWithDefaultsForItself() {
        for (Method m : Method.values()) {
            assertEquals(m, m.impl().defaults().method(), m.label());
            for (Method other : Method.values()) {
                if (other != m) assertTrue(m.impl() != other.impl() && m.impl().getClass() != other.impl().getClass());
            }
        }
        assertEquals(LyapunovConfig.paper(), Method.PAPER.impl().defaults());
    }

    @Test
    void trajectoriesAndExponentsPerCell() {
        assertEquals(4, config(Method.PAPER, 3, 2).trajectoriesPerCell());
        assertEquals(4, config(Method.BENETTIN, 3, 2).trajectoriesPerCell());
        assertEquals(3, config(Method.SPECTRUM, 3, 2).trajectoriesPerCell());
        assertEquals(1, config(Method.TANGENT, 3, 2).trajectoriesPerCell());
        assertEquals(1, config(Method.BENETTIN, 3, 2).reportedExponents());
        assertEquals(2, config(Method.TANGENT, 3, 2).reportedExponents());
    }

    @Test
    void onlyTheTangentMethodNeedsDeviceMemoryBeyondItsTrajectories() {
        ModelSpec model = ModelSpec.linear(3);
        for (Method m : new Method[] {Method.PAPER, Method.BENETTIN, Method.SPECTRUM}) {
            assertEquals(0, m.impl().deviceElementsPerCell(config(m, 2, 2), model, 16), m.label());
            assertEquals("", m.impl().deviceMemoryWhat(config(m, 2, 2)));
        }
        assertEquals(TangentTracker.deviceElementsPerCell(model, 2, 16),
                Method.TANGENT.impl().deviceElementsPerCell(config(Method.TANGENT, 1, 2), model, 16));
        assertEquals("2 tangent vectors, their 2 Hessian products and the Hessian workspace",
                Method.TANGENT.impl().deviceMemoryWhat(config(Method.TANGENT, 1, 2)));
    }

    @Test
    void tangentRefusesMinibatchesOnceForSpecsAndDirectCallers() {
        LyapunovConfig t = config(Method.TANGENT, 1, 2);
        InputException e = assertThrows(InputException.class, () -> t.method().impl().checkTraining(t, false, 100));
        assertEquals("training.batchSize", e.setting().orElseThrow());
        t.method().impl().checkTraining(t, true, 100);
        InputException viaSpec = assertThrows(InputException.class, () -> SweepSpec.builder().learningRates(0.1)
                .lyapunov(t).batchSize(10).build());
        assertEquals(e.getMessage(), viaSpec.getMessage());
        for (Method m : new Method[] {Method.PAPER, Method.BENETTIN, Method.SPECTRUM}) {
            m.impl().checkTraining(config(m, 1, 2), false, 100); // minibatches are fine for replica methods
        }
    }

    @Test
    void moreExponentsThanParametersIsAUserMistakeNamingTheSetting() {
        LyapunovConfig s = config(Method.SPECTRUM, 1, 5);
        InputException e = assertThrows(InputException.class, () -> s.method().impl().checkTraining(s, true, 4));
        assertEquals(LyapunovSetting.EXPONENTS.key(), e.setting().orElseThrow());
        assertTrue(e.getMessage().contains("5 exceeds the 4 dimensions of the state"), e.getMessage());
    }

    @Test
    void usedSettingsMatchWhatEachMethodReads() {
        assertTrue(Method.PAPER.impl().uses().contains(LyapunovSetting.FIT));
        assertTrue(!Method.TANGENT.impl().uses().contains(LyapunovSetting.EPSILON));
        assertTrue(Method.BENETTIN.impl().uses().contains(LyapunovSetting.NORM));
        assertTrue(!Method.SPECTRUM.impl().uses().contains(LyapunovSetting.NORM)); // always L2
        assertEquals(0, config(Method.TANGENT, 1, 1).componentShare(100));
    }

    @Test
    void namedSettingsStartFromTheMethodsDefaults() {
        LyapunovConfig c = LyapunovConfig.of(Method.BENETTIN).withReplicas(2).withEpsilon(1e-6).withRenormEvery(3)
                .withTransientSteps(5).withNorm(Norm.L1).withPerturbBiases(true).withExponents(4)
                .withFit(GrowthFit.Method.MAX_R2);
        assertEquals(new LyapunovConfig(Method.BENETTIN, 2, 4, 1e-6, 3, 5, Norm.L1, true, GrowthFit.Method.MAX_R2), c);
        assertEquals(Method.TANGENT.impl().defaults(), LyapunovConfig.of(Method.TANGENT));
        assertThrows(InputException.class, () -> LyapunovConfig.of(Method.PAPER).withReplicas(0));
    }
}
