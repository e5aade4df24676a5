package org.gdchaos.sweep.store;

import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gdchaos.InputException;
import org.junit.jupiter.api.Test;

/** Issue 23, item 8: the one upgrade step of run.json ({@link RunJsonUpgrade}). */
class RunJsonUpgradeTest {
    static SweepSpec spec() {
        return SweepSpec.builder().data("teacher:in=4,hidden=3,out=2,n=30,seed=3").trainSize(30).testSize(30)
                .learningRates(0.1, 1).inits(2).steps(8).build();
    }

    static ObjectNode runJson(JsonNode spec) {
        ObjectNode n = RunInfo.JSON.createObjectNode();
        n.put("tool", "gdchaos");
        n.put("status", "complete");
        n.set("spec", spec);
        n.put("plan", "p");
        n.put("wall_seconds", 2.5);
        n.put("trajectory_steps", 48);
        return n;
    }

    @Test
    void aSpecOfFormat0WithoutTheSettingsAddedLaterReadsAsBeforeTheyExisted() {
        ObjectNode old = (ObjectNode) SpecJson.tree(spec());
        ((ObjectNode) old.get("data")).remove(java.util.List.of("testData", "normalize"));
        ((ObjectNode) old.get("training")).remove(java.util.List.of("weightDecays", "decayBiases", "optimizer"));
        ((ObjectNode) old.at("/measurement/extras")).remove("sharpnessK");
        assertEquals(SpecJson.tree(spec()), RunJsonUpgrade.spec(old));
        assertEquals(spec(), SpecJson.read(old));
        assertTrue(old.at("/measurement/extras/sharpnessK").isMissingNode(), "the recorded tree is not changed");
    }

    @Test
    void aRunJsonOfFormat0GetsItsHistoryAndTodaysFormat() {
        ObjectNode old = runJson(SpecJson.tree(spec()));
        assertEquals(0, RunJsonUpgrade.format(old));
        ObjectNode up = RunJsonUpgrade.upgrade(old);
        assertEquals(RunJsonUpgrade.FORMAT, up.get("format").asInt());
        assertEquals(RunInfo.JSON.createArrayNode().add(RunInfo.JSON.createObjectNode().put("status", "complete")
                .put("wall_seconds", 2.5).put("trajectory_steps", 48L).put("plan", "p")), up.get("runs"));
        assertEquals(old.get("spec"), up.get("spec"));
        assertSame(up, RunJsonUpgrade.upgrade(up), "today's format is read as it is");
    }

    @Test
    void aNewerFormatIsRefused() {
        ObjectNode n = runJson(SpecJson.tree(spec())).put("format", RunJsonUpgrade.FORMAT + 1);
        InputException e = assertThrows(InputException.class, () -> RunJsonUpgrade.upgrade(n));
        assertTrue(e.getMessage().contains("written by a newer gdchaos"), e.getMessage());
        assertThrows(InputException.class, () -> RunJsonUpgrade.format(n.put("format", "one")));
    }
}
