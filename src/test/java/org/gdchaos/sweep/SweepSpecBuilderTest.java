package org.gdchaos.sweep;

import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.store.SpecJson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.gdchaos.backend.DType;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;

class SweepSpecBuilderTest {
    @Test
    void defaultsAndNamedSettingsGiveTheSameSpecAsTheCanonicalConstructor() {
        SweepSpec built = SweepSpec.builder().learningRates(0.1, 1).steps(7).seed(9).build();
        SweepSpec direct = new SweepSpec(new SweepSpec.Data("mnist-10k", 0, 0),
                new SweepSpec.Model(ModelSpec.paperMnist(), InitSpec.normal(1)),
                new SweepSpec.Training(new double[] {0.1, 1}, 3, 9, 7, 0, DType.F64), LyapunovConfig.paper(),
                new SweepSpec.Measurement(0.8, 1, SweepSpec.Extras.NONE));
        assertEquals(RunInfo.specTree(direct), RunInfo.specTree(built));
    }

    @Test
    void toBuilderRoundTripsAndChangesOnlyWhatIsSet() {
        SweepSpec a = SweepSpec.builder().learningRates(0.5).inits(2).dtype(DType.F32).build();
        SweepSpec b = a.toBuilder().steps(11).build();
        assertEquals(RunInfo.specTree(a), RunInfo.specTree(a.toBuilder().build()));
        assertEquals(11, b.training().steps());
        assertEquals(DType.F32, b.training().dtype());
        assertArrayEquals(a.training().learningRates(), b.training().learningRates());
    }

    @Test
    void buildValidatesLikeTheConstructor() {
        assertThrows(IllegalArgumentException.class, () -> SweepSpec.builder().build()); // no learning rates
        assertThrows(IllegalArgumentException.class, () -> SweepSpec.builder().learningRates(1).steps(0).build());
    }

    /** Each invalid setting is named by its path in run.json's spec (the command line maps it to a flag). */
    @Test
    void invalidSettingsAreNamedByTheirPath() {
        java.util.Map<String, java.util.function.Supplier<SweepSpec.Builder>> bad = new java.util.LinkedHashMap<>();
        bad.put("training.learningRates", () -> SweepSpec.builder().learningRates());
        bad.put("training.inits", () -> SweepSpec.builder().learningRates(1).inits(0));
        bad.put("training.steps", () -> SweepSpec.builder().learningRates(1).steps(0));
        bad.put("training.batchSize", () -> SweepSpec.builder().learningRates(1).batchSize(-1));
        bad.put("measurement.evalEvery", () -> SweepSpec.builder().learningRates(1).evalEvery(-1));
        bad.put("measurement.accuracyThreshold", () -> SweepSpec.builder().learningRates(1).accuracyThreshold(1.5));
        bad.put("measurement.extras.sharpnessK", () -> SweepSpec.builder().learningRates(1).model(ModelSpec.linear(2))
                .extras(new SweepSpec.Extras(true, 0, false, false, 5))); // 4 parameters
        for (var e : bad.entrySet()) {
            org.gdchaos.InputException x = assertThrows(org.gdchaos.InputException.class, () -> e.getValue().get().build());
            assertEquals(e.getKey(), x.setting().orElse(null), x.getMessage());
            SweepSpec ok = SweepSpec.builder().learningRates(1).build();
            assertEquals(true, SpecJson.tree(ok).at("/" + e.getKey().replace('.', '/')).isValueNode()
                    || SpecJson.tree(ok).at("/" + e.getKey().replace('.', '/')).isArray(), e.getKey() + " is a path of the spec");
        }
    }

    @Test
    void extraColumnsAreBuiltInTheSweepFromTheRequestedMeasurements() {
        assertEquals(java.util.List.of("sharpness", "gf_sharpness", "gf_final_loss", "imbalance", "balance_q"),
                ResultsCsv.extraColumns(new SweepSpec.Extras(false, 10, true, true)));
        assertEquals(java.util.List.of("sharpness", "hessian_eig_2", "hessian_eig_3"),
                ResultsCsv.extraColumns(new SweepSpec.Extras(true, 0, false, false, 3)));
        assertEquals(java.util.List.of(), ResultsCsv.extraColumns(SweepSpec.Extras.NONE));
    }
}
