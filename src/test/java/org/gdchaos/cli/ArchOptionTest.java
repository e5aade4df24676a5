package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ArchSyntax;
import org.gdchaos.data.Shape;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --arch}: a network that does not fit is one line naming the layer, exit 3, before
 * anything runs; {@code --arch} does not mix with the MLP options; an MLP written as {@code --arch}
 * is the {@code --layers} sweep (same run.json spec); {@code --no-bias} and {@code --loss} apply;
 * at load an image network must get data of its exact shape.
 */
class ArchOptionTest {
    @TempDir
    Path tmp;

    /** One line on stderr, {@code gdchaos: error: …}, exit 3, no stack trace, nothing written. */
    private void oneLineError(Cli c, String... fragments) {
        assertEquals(ExitCodes.BAD_INPUT, c.code(), c.toString());
        String err = c.err().strip();
        assertTrue(err.startsWith("gdchaos: error: " + Flags.ARCH), c.toString());
        assertEquals(1, err.lines().count(), c.toString());
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in " + err);
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void aLayerThatDoesNotFitIsOneLineNamingIt() {
        oneLineError(Cli.run("sweep", "--arch", "conv:8@29x29,dense:10", "--out", tmp.resolve("out").toString()),
                "layer 1 (conv:8@29x29)", "28x28x1");
        oneLineError(Cli.run("sweep", "--arch", "conv:4@5x5,tanh,avgpool:2,conv:8@13x13,dense:10", "--out",
                tmp.resolve("out").toString()), "layer 3 (conv:8@13x13)", "12x12x4");
        // a convolution on flat data
        oneLineError(Cli.run("sweep", "--data", "teacher:in=5,hidden=3,out=1,n=10,seed=1", "--loss", "mse", "--arch",
                "conv:2@3x3,dense:1", "--out", tmp.resolve("out").toString()), "layer 1 (conv:2@3x3)", "1x1x5");
        oneLineError(Cli.run("sweep", "--arch", "conv:8@3,dense:10", "--out", tmp.resolve("out").toString()),
                "token 1 'conv:8@3'");
        oneLineError(Cli.run("sweep", "--arch", "conv:8@3x3,tanh", "--out", tmp.resolve("out").toString()),
                "the last layer");
    }

    @Test
    void archDoesNotMixWithTheMlpOptions() {
        String[][] clashes = {{Flags.LAYERS, "784,10"}, {Flags.ACTIVATION, "relu"}, {Flags.MODEL, "linear"},
            {Flags.WIDTH, "3"}};
        for (String[] c : clashes) {
            Cli r = Cli.run("sweep", "--arch", "dense:10", c[0], c[1], "--out", tmp.resolve("out").toString());
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
            assertTrue(r.err().contains(Flags.ARCH) && r.err().contains(c[0]), r.toString());
            assertEquals(1, r.err().strip().lines().count(), r.toString());
        }
    }

    /** The same MLP typed either way is the same sweep: equal specs and the same run.json spec. */
    @Test
    void anMlpTypedAsArchIsTheLayersSweep() {
        String[][] pairs = {
            {"--arch", "dense:64,tanh,dense:10", "--layers", "784,64,10", "--activation", "tanh"},
            {"--arch", "input:784,dense:32,relu,dense:10", "--layers", "784,32,10", "--activation", "relu"},
            {"--arch", "dense:10", "--layers", "784,10", "--activation", "tanh"},
        };
        for (String[] p : pairs) {
            SweepSpec arch = SweepHelpTest.specOf(p[0], p[1], "--no-bias");
            SweepSpec layers = SweepHelpTest.specOf(p[2], p[3], p[4], p[5], "--no-bias");
            assertEquals(layers, arch, p[1]);
            assertEquals(SpecJson.tree(layers), SpecJson.tree(arch), p[1]);
            assertFalse(SpecJson.tree(arch).at("/model/network").has("arch"), "recorded as widths");
        }
        String teacher = "teacher:in=5,hidden=3,out=2,n=40,seed=7";
        assertEquals(SweepHelpTest.specOf("--data", teacher, "--layers", "5,16,2", "--activation", "sigmoid",
                "--loss", "mse"), SweepHelpTest.specOf("--data", teacher, "--arch", "dense:16,sigmoid,dense:2", "--loss",
                "mse"));
    }

    @Test
    void biasAndLossApplyToAnArch() {
        SweepSpec s = SweepHelpTest.specOf("--arch", Preset.CNN_ARCH, "--no-bias", "--loss", "mse");
        assertFalse(s.model().network().bias());
        assertEquals(Loss.MSE, s.model().network().loss());
        assertEquals(new Shape(28, 28, 1), s.model().network().inputShape(), "the data's shape");
        SweepSpec d = SweepHelpTest.specOf("--arch", Preset.CNN_ARCH);
        assertTrue(d.model().network().bias());
        assertEquals(Loss.CROSS_ENTROPY, d.model().network().loss());
        assertEquals(ArchSyntax.format(new Shape(28, 28, 1), d.model().network().stages()),
                SpecJson.tree(d).at("/model/network/arch").asText());
    }

    /** A one-step sweep of one cell on 100 MNIST digits with the network {@code net} (two arguments). */
    private Cli tiny(String out, String... net) {
        return Cli.run("sweep", "--train-size", "100", "--test-size", "50", net[0], net[1], "--lr", "0.1", "--inits", "1",
                "--replicas", "1", "--steps", "1", "--backend", "java", "--quiet", "--out", tmp.resolve(out).toString());
    }

    /**
     * A small CNN sweep end to end: run.json records the arch text, the rows are there, and resuming
     * with another arch is refused naming {@code --arch} with both texts.
     */
    @Test
    void aCnnSweepRecordsItsArchAndResumesOnlyWithIt() throws Exception {
        String arch = "conv:2@5x5,tanh,avgpool:2,dense:10";
        Cli r = Cli.run("sweep", "--arch", arch, "--init", "xavier", "--train-size", "60", "--test-size", "30", "--lr",
                "0.1,1", "--inits", "1", "--replicas", "1", "--steps", "3", "--backend", "java", "--quiet", "--out",
                tmp.resolve("cnn").toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                tmp.resolve("cnn/run.json").toFile());
        assertEquals("input:28x28x1," + arch, run.at("/spec/model/network/arch").asText());
        assertEquals(List.of("sweep", "--arch", arch), List.of(run.at("/command/args/0").asText(),
                run.at("/command/args/1").asText(), run.at("/command/args/2").asText()));
        assertEquals(3, Files.readAllLines(tmp.resolve("cnn/results.csv")).size(), "header and two cells");
        String other = "conv:3@5x5,tanh,avgpool:2,dense:10";
        r = Cli.run("sweep", "--arch", other, "--init", "xavier", "--train-size", "60", "--test-size", "30", "--lr",
                "0.1,1", "--inits", "1", "--replicas", "1", "--steps", "3", "--backend", "java", "--quiet", "--resume",
                "--out", tmp.resolve("cnn").toString());
        assertEquals(ExitCodes.OUTPUT, r.code(), r.toString());
        assertTrue(r.err().contains("(--arch: input:28x28x1," + arch + " in the folder, input:28x28x1," + other + " now)"),
                r.toString());
    }

    /** At load: an image network gets images of its shape; a flat network keeps the feature-count check. */
    @Test
    void loadChecksTheDataShape() {
        Cli r = tiny("out", "--arch", "input:14x56x1,conv:2@3x3,dense:10");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), r.toString());
        assertTrue(err.startsWith("gdchaos: error: " + Flags.ARCH + ": data 'mnist-10k' has samples of shape 28x28x1 but "
                + "the network reads 14x56x1"), err);
        // a flat network written as --arch that is not an MLP (two activations): its own key, the feature count
        r = tiny("out2", "--arch", "input:100,dense:8,tanh,dense:8,relu,dense:10");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains(Flags.ARCH + ": data 'mnist-10k' has 784 input features"), r.toString());
        // an MLP keeps today's message
        r = tiny("out3", "--layers", "100,8,10");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains(Flags.LAYERS + ": data 'mnist-10k' has 784 input features but the model's first "
                + "layer is 100 (make the layer widths start with 784)"), r.toString());
    }
}
