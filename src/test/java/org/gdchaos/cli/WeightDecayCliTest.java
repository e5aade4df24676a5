package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --weight-decay LIST} and {@code --decay-biases} on the command line (docs/science.md#weight-decay). */
class WeightDecayCliTest {
    @TempDir
    Path tmp;

    private Cli linear(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("sweep", "--data", "scalar:x=1,y=1", "--model", "linear",
                "--width", "2", "--lr", "0.1,0.2", "--inits", "2", "--steps", "20", "--method", "tangent",
                "--backend", "java", "--out", out.toString()));
        a.addAll(List.of(extra));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void badWeightDecaysAreRefusedNamingTheOption() {
        for (String bad : List.of("-1e-3", "abc", "NaN", "Infinity", "0,,1e-3", "")) {
            Cli c = linear(tmp.resolve("bad"), "--weight-decay", bad);
            assertEquals(ExitCodes.BAD_INPUT, c.code(), bad + ": " + c);
            assertTrue(c.err().startsWith("gdchaos: error: --weight-decay"), bad + ": " + c.err());
            assertFalse(c.err().contains("\tat "), "no stack trace: " + c.err());
        }
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing written");
    }

    @Test
    void aWeightDecayGridMultipliesTheCellsAndIsRecorded() throws Exception {
        Path out = tmp.resolve("out");
        Cli c = linear(out, "--weight-decay", "0,0.05,0.3", "--decay-biases");
        assertEquals(0, c.code(), c.toString());
        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 2 * 3 * 2, results.size());
        assertTrue(results.get(0).startsWith("lr_index,lr,wd_index,weight_decay,init,"), results.get(0));
        assertTrue(results.get(3).startsWith("0,0.1,1,0.05,0,"), results.get(3));
        assertTrue(c.out().contains("wd"), "the summary printed per weight decay:\n" + c.out());
        JsonNode training = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("run.json").toFile()).path("spec").path("training");
        assertEquals("[0.0,0.05,0.3]", training.path("weightDecays").toString());
        assertTrue(training.path("decayBiases").asBoolean());
        // without the option: one weight decay, 0, and the summary as before
        Path plain = tmp.resolve("plain");
        Cli p = linear(plain);
        assertEquals(0, p.code(), p.toString());
        assertEquals(1 + 2 * 2, Files.readAllLines(plain.resolve("results.csv")).size());
        assertFalse(p.out().contains(" wd "), p.out());
    }

    @Test
    void thePlanCountsTheWeightDecays() {
        Cli c = linear(tmp.resolve("plan"), "--weight-decay", "0,1e-4,1e-3", "--plan");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().contains("12 (2 learning rates × 3 weight decays × 2 initialisations)"), c.out());
    }
}
