package org.gdchaos.cli;

import org.gdchaos.Setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;

/** Every setting of run.json's spec is named on the command line by the flag that sets it. */
class FlagsTest {
    @Test
    void everySettingPathHasItsFlag() {
        List<String> unmapped = new ArrayList<>();
        for (String path : leafPaths(SpecJson.tree(SweepSpec.builder().learningRates(0.1).build()), "")) {
            if (Flags.find(path).isEmpty()) unmapped.add(path);
        }
        // --no-bias sets bias false: "--no-bias: true in the folder" would read backwards, so the path stays
        assertEquals(List.of("model.network.bias"), unmapped);
        assertEquals(Flags.STEPS, Flags.of("training.steps"));
        assertEquals(Flags.LR, Flags.of("training.learningRates"));
        assertEquals(Flags.SHARPNESS_K, Flags.of("measurement.extras.sharpnessK"));
        assertEquals(Flags.REPLICAS, Flags.of("lyapunov.replicas"));
        assertEquals("no.such.setting", Flags.of("no.such.setting"));
    }

    /** Every setting of the table has its flag, except those flagless on purpose. */
    @Test
    void everySettingHasAFlagOrIsFlaglessOnPurpose() {
        for (org.gdchaos.Setting s : org.gdchaos.Setting.values()) {
            assertEquals(!Flags.FLAGLESS.contains(s), Flags.find(s).isPresent(), s.key());
            assertEquals(Flags.find(s), Flags.find(s.key()), s.key());
        }
        assertEquals(Flags.MAX_BATCH, Flags.of("maxBatch"));
    }

    /** A network recorded as its --arch text is named by --arch. */
    @Test
    void theArchSettingIsNamedByArch() {
        SweepSpec cnn = SweepSpec.builder().learningRates(0.1).model(org.gdchaos.nn.ModelSpec.parse(Preset.CNN_ARCH,
                new org.gdchaos.data.Shape(28, 28, 1), true, org.gdchaos.backend.Loss.CROSS_ENTROPY)).build();
        List<String> unmapped = new ArrayList<>();
        List<String> paths = leafPaths(SpecJson.tree(cnn), "");
        assertTrue(paths.contains(Setting.ARCH.key()), paths.toString());
        for (String path : paths) {
            if (Flags.find(path).isEmpty()) unmapped.add(path);
        }
        assertEquals(List.of("model.network.bias"), unmapped);
        assertEquals(Flags.ARCH, Flags.of("model.network.arch"));
    }

    private static List<String> leafPaths(JsonNode n, String prefix) {
        List<String> out = new ArrayList<>();
        if (!n.isObject()) {
            out.add(prefix);
            return out;
        }
        for (var it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.addAll(leafPaths(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey()));
        }
        assertTrue(!out.isEmpty());
        return out;
    }
}
