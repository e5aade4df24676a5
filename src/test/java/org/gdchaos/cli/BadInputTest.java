package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each bad input of {@code gdchaos sweep} ends with its message on stderr and its named exit
 * code — before any training starts (each case here runs in well under a second) and without
 * a stack trace or an {@link OutOfMemoryError}.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    Cli sweep(String... extra) {
        return Cli.tinySweep(tmp.resolve("out"), Cli.with(new String[] {"--lr", "0.1", "--inits", "1", "--replicas",
            "2", "--steps", "2", "--quiet"}, extra));
    }

    static void fails(Cli c, int code, String... fragments) {
        assertEquals(code, c.code(), c.toString());
        assertTrue(c.err().startsWith("gdchaos: error: "), c.toString());
        for (String f : fragments) assertTrue(c.err().contains(f), "'" + f + "' in\n" + c.err());
        assertFalse(c.err().contains("\tat "), "no stack trace: " + c.err());
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    /** A gzip IDX image file cut in half: the gzip stream is corrupt/truncated. */
    @Test
    void malformedIdxFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("idx"));
        byte[] images = new byte[16 + 4 * 784];
        images[2] = 0x08;
        images[3] = 0x03;
        images[7] = 4;
        images[11] = 28;
        images[15] = 28;
        byte[] gz = gzip(images);
        Files.write(dir.resolve("images-idx3-ubyte.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        Files.write(dir.resolve("labels-idx1-ubyte.gz"), gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4}));
        fails(sweep("--data", "idx:" + dir, "--train-size", "2", "--test-size", "2"), ExitCodes.BAD_INPUT,
                "images-idx3-ubyte.gz", "truncated");
        // a whole file with a wrong magic number
        images[2] = 0x0D;
        Files.write(dir.resolve("images-idx3-ubyte.gz"), gzip(images));
        fails(sweep("--data", "idx:" + dir, "--train-size", "2", "--test-size", "2"), ExitCodes.BAD_INPUT,
                "bad magic number");
    }

    @Test
    void impossibleLearningRateGrids() {
        fails(sweep("--lr", "log:0:1:5"), ExitCodes.BAD_INPUT, "bad learning-rate grid 'log:0:1:5'", "A > 0 and B > 0");
        fails(sweep("--lr", "lin:1:2:0"), ExitCodes.BAD_INPUT, "bad learning-rate grid 'lin:1:2:0'", "N must be ≥ 1");
        fails(sweep("--lr", "abc"), ExitCodes.BAD_INPUT, "bad learning-rate grid 'abc'", "not a number");
    }

    @Test
    void noInitialisations() {
        fails(sweep("--inits", "0"), ExitCodes.BAD_INPUT, "--inits: the number of initialisations per learning rate must be ≥ 1, got 0");
    }

    @Test
    void layersThatDoNotFitTheData() {
        fails(sweep("--layers", "100,8,10"), ExitCodes.BAD_INPUT, "has 784 input features",
                "first layer is 100", "--layers: ", "start with 784");
        fails(sweep("--layers", "784,8,3"), ExitCodes.BAD_INPUT, "has 10 outputs but the model's last layer is 3");
    }

    @Test
    void maxBatchBelowOneCell() {
        fails(sweep("--replicas", "5", "--max-batch", "2"), ExitCodes.BAD_INPUT,
                "--max-batch: a batch of at most 2 trajectories is smaller than one cell (6 trajectories");
    }

    /**
     * 784-2000000-10: 1.59e9 parameters, 25 GB per trajectory; even one host copy (12.7 GB) exceeds the
     * test JVM's heap, so drawing the initial weights before planning ends in an OutOfMemoryError (as it
     * did: exit 1) — the planner must say so before anything of that size is allocated.
     */
    @Test
    void outOfMemoryPlanFailsFastWithThePlannersMessage() {
        fails(sweep("--layers", "784,2000000,10", "--replicas", "5"), ExitCodes.BAD_INPUT,
                "out-of-memory plan: one cell (6 trajectories of 1590000010 parameters, with per-step curves (3 steps × 14 "
                        + "values))");
    }

    @Test
    void unwritableOutputFolder() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Cli c = Cli.tinySweep(file.resolve("sub"), "--lr", "0.1", "--inits", "1", "--steps", "2", "--quiet");
        fails(c, ExitCodes.OUTPUT, "cannot create output folder " + file.resolve("sub"));
    }

    @Test
    void unknownBackend() {
        fails(sweep("--backend", "nosuch"), ExitCodes.BACKEND, "unknown backend 'nosuch'", "java");
    }

    @Test
    void float32CannotResolveATinyEpsilon() {
        fails(sweep("--dtype", "f32", "--epsilon", "1e-8"), ExitCodes.BAD_INPUT,
                "--epsilon: ε = 1.00e-08 cannot be resolved in f32", "Use f64");
    }

    /**
     * Benettin's ε is the size of the whole perturbation vector: on the 6352 weights of 784-8-10 in L2
     * each gets ~ε/80, so ε = 7e-5 (fine per component for paper) is ~15 round-off units in f32.
     */
    @Test
    void float32BenettinEpsilonIsCheckedPerComponent() {
        fails(sweep("--method", "benettin", "--dtype", "f32", "--epsilon", "7e-5"), ExitCodes.BAD_INPUT,
                "--epsilon: ε = 7.00e-05 cannot be resolved in f32", "6352 perturbed parameters (l2)", "Use f64",
                "a larger ε (at least 0.0047 here)"); // 1000·2⁻²⁴·0.989·√6352
    }

    /** Refused while the options are checked: no output folder, no run.json saying "running". */
    @Test
    void tangentWithMinibatchesIsRefusedBeforeAnythingIsWritten() {
        fails(sweep("--method", "tangent", "--batch", "10"), ExitCodes.BAD_INPUT,
                "--batch: the tangent method needs full-batch gradient descent");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void explicitInitWithTheWrongCount() {
        // 784-8-10 has 784·8 + 8 + 8·10 + 10 = 6370 parameters
        fails(sweep("--init", "values:1,2,3"), ExitCodes.BAD_INPUT, "values: init has 3 numbers",
                "has 6370 parameters");
    }

    /**
     * --sharpness-k: at least 1, only with a sharpness measurement to apply it to (even an explicit
     * 1), at most P and the Lanczos Krylov dimension; refused before anything is written.
     */
    @Test
    void badSharpnessK() {
        fails(sweep("--sharpness", null, "--sharpness-k", "0"), ExitCodes.BAD_INPUT, "--sharpness-k: the number of Hessian eigenvalues must be ≥ 1, got 0");
        fails(sweep("--sharpness-k", "3"), ExitCodes.BAD_INPUT,
                "--sharpness-k: 3 Hessian eigenvalues need a sharpness measurement");
        fails(sweep("--sharpness-k", "1", "--flow", null), ExitCodes.BAD_INPUT,
                "--sharpness-k: 1 Hessian eigenvalues need a sharpness measurement");
        fails(sweep("--sharpness", null, "--sharpness-k", "61"), ExitCodes.BAD_INPUT,
                "--sharpness-k: the number of Hessian eigenvalues 61 exceeds 60, the Krylov dimension of the Lanczos solver");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
        // --model linear --width 1 has P = 2 parameters
        fails(Cli.run("sweep", "--data", "scalar:x=1,y=1", "--model", "linear", "--width", "1", "--lr", "0.1",
                "--inits", "1", "--steps", "2", "--sharpness-every", "1", "--sharpness-k", "3", "--backend", "java",
                "--quiet", "--out", tmp.resolve("out").toString()), ExitCodes.BAD_INPUT,
                "--sharpness-k: the number of Hessian eigenvalues 3 exceeds the model's 2 parameters");
        Cli c = sweep("--sharpness", null, "--sharpness-k", "two");
        assertEquals(ExitCodes.USAGE, c.code(), c.toString());
        assertTrue(c.err().contains("--sharpness-k"), c.err());
    }

    @Test
    void malformedOptionValueIsAUsageError() {
        Cli c = sweep("--inits", "many");
        assertEquals(ExitCodes.USAGE, c.code(), c.toString());
        assertTrue(c.err().contains("--inits"), c.err());
    }
}
