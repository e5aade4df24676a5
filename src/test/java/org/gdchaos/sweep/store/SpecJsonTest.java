package org.gdchaos.sweep.store;

import org.gdchaos.sweep.SpecDifference;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.gdchaos.InputException;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;

/** run.json's spec: the nested shape in the command line's words, and the flat shape of the previous version. */
class SpecJsonTest {
    /** The fixture folder written by the previous version (flat spec, enums as constant names). */
    static final Path PREVIOUS = Path.of("src/test/resources/org/gdchaos/cli/resume-from-previous-version");

    /** A spec away from the defaults in every group. */
    static SweepSpec unusual() {
        return SweepSpec.builder().data("teacher:in=4,hidden=3,out=1,n=30,seed=3").trainSize(20).testSize(10)
                .model(new ModelSpec(new int[] {4, 5, 1}, Activation.IDENTITY, false, Loss.MSE))
                .init(InitSpec.parse("xavier")).learningRates(0.05, 0.5, 5).inits(4).seed(1234567890123L).steps(33)
                .batchSize(8).dtype(DType.F32)
                .lyapunov(LyapunovConfig.of(Method.BENETTIN).withReplicas(3).withEpsilon(1e-6))
                .accuracyThreshold(0.6).evalEvery(5).extras(new SweepSpec.Extras(true, 4, true, true, 2)).build();
    }

    @Test
    void roundTripsThroughTheNestedShape() throws IOException {
        for (SweepSpec s : List.of(unusual(), SweepSpec.builder().learningRates(0.1).build(),
                SweepSpec.builder().learningRates(1).init(InitSpec.values(0.25, -1e-3, 7)).model(ModelSpec.linear(1))
                        .data("scalar:x=1,y=1").lyapunov(LyapunovConfig.paper().withFit(GrowthFit.Method.MAX_R2))
                        .build())) {
            JsonNode tree = SpecJson.tree(s);
            assertEquals(List.of("data", "model", "training", "lyapunov", "measurement"), fieldNames(tree));
            SweepSpec back = SpecJson.read(RunInfo.JSON.readTree(RunInfo.JSON.writeValueAsString(tree)));
            assertEquals(s, back);
            assertEquals(s.hashCode(), back.hashCode());
            assertEquals(tree, SpecJson.tree(back));
        }
    }

    @Test
    void valuesAreInTheCommandLinesWords() {
        JsonNode t = SpecJson.tree(unusual());
        assertEquals("teacher:in=4,hidden=3,out=1,n=30,seed=3", t.at("/data/spec").asText());
        assertEquals("linear", t.at("/model/network/activation").asText());
        assertEquals("mse", t.at("/model/network/loss").asText());
        assertEquals("xavier", t.at("/model/init").asText());
        assertEquals("f32", t.at("/training/dtype").asText());
        assertEquals(1234567890123L, t.at("/training/seed").asLong());
        assertEquals("benettin", t.at("/lyapunov/method").asText());
        assertEquals("l2", t.at("/lyapunov/norm").asText());
        assertEquals("growth", t.at("/lyapunov/fit").asText());
        assertEquals(2, t.at("/measurement/extras/sharpnessK").asInt());
        JsonNode d = SpecJson.tree(SweepSpec.builder().learningRates(0.1).build());
        assertEquals("tanh", d.at("/model/network/activation").asText());
        assertEquals("ce", d.at("/model/network/loss").asText());
        assertEquals("normal:1.0", d.at("/model/init").asText());
        assertEquals("paper", d.at("/lyapunov/method").asText());
        assertEquals("l1", d.at("/lyapunov/norm").asText());
        assertEquals("f64", d.at("/training/dtype").asText());
        assertEquals("full", d.at("/training/batchSize").asText(), "--batch full");
        assertEquals(8, t.at("/training/batchSize").asInt());
        assertTrue(t.at("/training/batchSize").isInt(), "--batch 8");
        // each word is what the command line's parser takes back
        assertEquals(Activation.IDENTITY, Activation.parse(t.at("/model/network/activation").asText()));
        assertEquals(Loss.CROSS_ENTROPY, Loss.parse(d.at("/model/network/loss").asText()));
        assertEquals(InitSpec.normal(1), InitSpec.parse(d.at("/model/init").asText()));
        assertEquals(GrowthFit.Method.MAX_R2, GrowthFit.Method.parse(GrowthFit.Method.MAX_R2.label()));
    }

    /** run.json of the previous version: the flat spec of the fixture reads as the spec built from its README's options. */
    @Test
    void theFlatSpecOfThePreviousVersionReadsAsTheSameSweep() throws IOException {
        JsonNode flat = RunInfo.JSON.readTree(PREVIOUS.resolve("run.json").toFile()).get("spec");
        assertTrue(RunJsonUpgrade.isFlat(flat));
        SweepSpec read = SpecJson.read(flat);
        // gdchaos sweep --data mnist-10k --train-size 100 --test-size 50 --layers 784,8,10 --lr 0.1,1,10
        //   --inits 2 --replicas 2 --steps 12 --eval-every 4
        SweepSpec built = SweepSpec.builder().data("mnist-10k").trainSize(100).testSize(50)
                .model(new ModelSpec(new int[] {784, 8, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY))
                .learningRates(0.1, 1, 10).inits(2).lyapunov(LyapunovConfig.paper().withReplicas(2)).steps(12)
                .evalEvery(4).build();
        assertEquals(built, read);
        assertEquals(List.of(), SpecJson.differences(read, built));
        assertEquals(SpecJson.tree(built), SpecJson.tree(read));
        assertNotEquals(built.toBuilder().steps(13).build(), read);
    }

    @Test
    void theOldConstantNamesStillRead() {
        assertEquals(Loss.CROSS_ENTROPY, Loss.parse("CROSS_ENTROPY"));
        assertEquals(Loss.MSE, Loss.parse("MSE"));
        assertEquals(Activation.IDENTITY, Activation.parse("IDENTITY"));
        assertEquals(Activation.TANH, Activation.parse("TANH"));
        assertEquals(DType.F32, DType.parse("F32"));
        assertEquals(Method.TANGENT, Method.parse("TANGENT"));
        assertEquals(Norm.L2, Norm.parse("L2"));
        assertEquals(GrowthFit.Method.GROWTH_PHASE, GrowthFit.Method.parse("GROWTH_PHASE"));
        assertEquals(GrowthFit.Method.MAX_R2, GrowthFit.Method.parse("MAX_R2"));
        for (Loss l : Loss.values()) assertEquals(l, Loss.parse(l.label()));
        for (Activation a : Activation.values()) assertEquals(a, Activation.parse(a.label()));
        for (Method m : Method.values()) assertEquals(m, Method.parse(m.label()));
        for (Norm n : Norm.values()) assertEquals(n, Norm.parse(n.label()));
    }

    @Test
    void theOldInitObjectReads() throws IOException {
        JsonNode flat = RunInfo.JSON.readTree(PREVIOUS.resolve("run.json").toFile()).get("spec");
        ObjectNode f = flat.deepCopy();
        f.set("init", RunInfo.JSON.readTree("{\"kind\":\"VALUES\",\"std\":0.0,\"values\":[0.5,-2.0]}"));
        f.set("model", RunInfo.JSON.readTree("{\"widths\":[1,1],\"activation\":\"IDENTITY\",\"bias\":false,"
                + "\"loss\":\"MSE\"}"));
        f.put("data", "scalar:x=1,y=1");
        SweepSpec s = SpecJson.read(f);
        assertEquals(InitSpec.values(0.5, -2), s.model().init());
        assertEquals(ModelSpec.linear(1).loss(), s.model().network().loss());
    }

    @Test
    void whatCannotBeConvertedIsRefusedByName() throws IOException {
        JsonNode flat = RunInfo.JSON.readTree(PREVIOUS.resolve("run.json").toFile()).get("spec");
        ObjectNode unknown = flat.deepCopy();
        unknown.put("momentum", 0.9);
        InputException e = assertThrows(InputException.class, () -> SpecJson.read(unknown));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());

        ObjectNode missing = flat.deepCopy();
        missing.remove("evalEvery");
        e = assertThrows(InputException.class, () -> SpecJson.read(missing));
        assertTrue(e.getMessage().contains("measurement.evalEvery"), e.getMessage());

        ObjectNode badWord = flat.deepCopy();
        ((ObjectNode) badWord.get("lyapunov")).put("norm", "L3");
        e = assertThrows(InputException.class, () -> SpecJson.read(badWord));
        assertTrue(e.getMessage().contains("L3"), e.getMessage());

        ObjectNode nested = (ObjectNode) SpecJson.tree(unusual());
        ((ObjectNode) nested.get("training")).put("momentum", 0.9);
        e = assertThrows(InputException.class, () -> SpecJson.read(nested));
        assertTrue(e.getMessage().contains("training.momentum, which this version of gdchaos does not know"),
                e.getMessage());

        ObjectNode lacking = (ObjectNode) SpecJson.tree(unusual());
        ((ObjectNode) lacking.get("training")).remove("batchSize");
        e = assertThrows(InputException.class, () -> SpecJson.read(lacking));
        assertTrue(e.getMessage().contains("lack training.batchSize"), e.getMessage());
        ((ObjectNode) lacking.get("training")).putNull("batchSize");
        e = assertThrows(InputException.class, () -> SpecJson.read(lacking));
        assertTrue(e.getMessage().contains("lack training.batchSize"), e.getMessage());
    }

    /** Extras recorded before sharpnessK existed (or before extras existed) read as K = 1 (none). */
    @Test
    void extrasRecordedBeforeTheyExistedReadAsNone() throws IOException {
        ObjectNode flat = RunInfo.JSON.readTree(PREVIOUS.resolve("run.json").toFile()).get("spec").deepCopy();
        ((ObjectNode) flat.get("sharpness")).remove("sharpnessK");
        assertEquals(1, SpecJson.read(flat).measurement().extras().sharpnessK());
        flat.remove("sharpness");
        assertEquals(SweepSpec.Extras.NONE, SpecJson.read(flat).measurement().extras());
    }

    /** A network other than an MLP is recorded as its --arch text (with its input shape), bias and loss. */
    static SweepSpec cnn(String arch) {
        return SweepSpec.builder().model(ModelSpec.parse(arch, new org.gdchaos.data.Shape(28, 28, 1), true,
                Loss.CROSS_ENTROPY)).init(InitSpec.parse("xavier")).learningRates(0.1, 1).trainSize(500).build();
    }

    static final String CNN = "conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10";

    @Test
    void aCnnRoundTripsAsItsArchText() throws IOException {
        SweepSpec s = cnn(CNN);
        JsonNode tree = SpecJson.tree(s);
        JsonNode net = tree.at("/model/network");
        assertEquals(List.of("arch", "bias", "loss"), fieldNames(net));
        assertEquals("input:28x28x1," + CNN, net.get("arch").asText());
        assertEquals("ce", net.get("loss").asText());
        assertTrue(net.get("bias").asBoolean());
        SweepSpec back = SpecJson.read(RunInfo.JSON.readTree(RunInfo.JSON.writeValueAsString(tree)));
        assertEquals(s, back);
        assertEquals(s.hashCode(), back.hashCode());
        assertEquals(tree, SpecJson.tree(back));
        assertEquals(s.model().network().stages(), back.model().network().stages());
        // another CNN differs in the arch alone
        String other = CNN.replace("conv:8@5x5", "conv:8@5x5:same");
        assertEquals(List.of(new SpecDifference("model.network.arch", "input:28x28x1," + CNN, "input:28x28x1," + other)),
                SpecJson.differences(s, cnn(other)));
    }

    @Test
    void aNetworkSettingThisVersionDoesNotKnowIsRefusedByName() {
        ObjectNode unknown = (ObjectNode) SpecJson.tree(cnn(CNN));
        ((ObjectNode) unknown.at("/model/network")).put("dropout", 0.5);
        InputException e = assertThrows(InputException.class, () -> SpecJson.read(unknown));
        assertTrue(e.getMessage().contains("'dropout' is not known"), e.getMessage());

        ObjectNode badArch = (ObjectNode) SpecJson.tree(cnn(CNN));
        ((ObjectNode) badArch.at("/model/network")).put("arch", "input:28x28x1,conv:4@5,dense:10");
        e = assertThrows(InputException.class, () -> SpecJson.read(badArch));
        assertTrue(e.getMessage().contains("'conv:4@5'"), e.getMessage());

        ObjectNode noBias = (ObjectNode) SpecJson.tree(cnn(CNN));
        ((ObjectNode) noBias.at("/model/network")).remove("bias");
        e = assertThrows(InputException.class, () -> SpecJson.read(noBias));
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
    }

    @Test
    void differencesNameEachSettingWithBothValues() {
        SweepSpec a = unusual();
        assertEquals(List.of(), SpecJson.differences(a, a.toBuilder().build()));
        assertEquals(List.of(new SpecDifference("training.batchSize", "8", "full")),
                SpecJson.differences(a, a.toBuilder().batchSize(0).build()));
        SweepSpec b = a.toBuilder().steps(40).learningRates(0.05, 0.5).init(InitSpec.normal(2))
                .lyapunov(a.lyapunov().withReplicas(5)).build();
        List<SpecDifference> d = SpecJson.differences(a, b);
        assertEquals(List.of(new SpecDifference("model.init", "xavier", "normal:2.0"),
                new SpecDifference("training.learningRates", "0.05,0.5,5.0", "0.05,0.5"),
                new SpecDifference("training.steps", "33", "40"),
                new SpecDifference("lyapunov.replicas", "3", "5")), d);
        assertEquals("training.steps: 33 there, 40 here",
                SpecDifference.describe(d.subList(2, 3), k -> k, "there", "here"));
        assertEquals("TRAINING.STEPS: 33 in the folder, 40 now; LYAPUNOV.REPLICAS: 3 in the folder, 5 now",
                SpecDifference.describe(d.subList(2, 4), String::toUpperCase, "in the folder", "now"));
        assertFalse(SpecDifference.describe(d, k -> k, "a", "b").contains("{"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
