package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gdchaos.data.NpyTestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24 through the command line: a sweep on NumPy arrays with a CSV test set and --normalize, recorded in run.json
 * and checked on --resume and by merge; --init file: and @argfile; bad files exit 3 with one line naming them.
 */
class DataFilesCliTest {
    @TempDir
    Path tmp;

    /** 40 samples of 3 features, two classes split by the sign of the first feature (so the task is learnable). */
    Path[] arrays() throws IOException {
        int n = 40;
        double[] x = new double[n * 3];
        double[] y = new double[n];
        java.util.Random r = new java.util.Random(5);
        StringBuilder csv = new StringBuilder("f0,f1,f2,label\n");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = 10 * r.nextGaussian() + 4;
            y[i] = x[i * 3] > 4 ? 1 : 0;
            if (i < 10) csv.append(x[i * 3]).append(',').append(x[i * 3 + 1]).append(',').append(x[i * 3 + 2])
                    .append(',').append((int) y[i]).append('\n');
        }
        return new Path[] {NpyTestFiles.write(tmp, "x.npy", NpyTestFiles.npy("<f4", new long[] {n, 3}, x)),
            NpyTestFiles.write(tmp, "y.npy", NpyTestFiles.npy("<i8", new long[] {n}, y)),
            NpyTestFiles.text(tmp, "test.csv", csv.toString())};
    }

    String[] args(Path[] f, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep", "--data", "npy:" + f[0] + "," + f[1], "--test-data",
                "csv:" + f[2] + ":label=label", "--normalize", "standard", "--layers", "3,4,2", "--lr", "0.1,1",
                "--inits", "2", "--replicas", "2", "--steps", "6", "--backend", "java", "--quiet", "--out",
                out.toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void sweepOnArraysRecordsTheDataAndResumesOnlyWithTheSameData() throws IOException {
        Path[] f = arrays();
        Path out = tmp.resolve("out");
        Cli c = Cli.run(args(f, out));
        assertEquals(0, c.code(), c.toString());
        JsonNode data = new ObjectMapper().readTree(out.resolve("run.json").toFile()).path("spec").path("data");
        assertEquals("npy:" + f[0] + "," + f[1], data.path("spec").asText());
        assertEquals("csv:" + f[2] + ":label=label", data.path("testData").asText());
        assertEquals("standard", data.path("normalize").asText());
        assertTrue(Files.readString(out.resolve("report.html")).contains("features normalized"));
        JsonNode loaded = new ObjectMapper().readTree(out.resolve("run.json").toFile()).path("data");
        assertEquals(40, loaded.path("train").path("samples").asInt(), loaded.toString());
        assertEquals(10, loaded.path("test").path("samples").asInt(), "all rows of the test CSV");
        assertEquals("classification", loaded.path("task").asText());
        JsonNode st = loaded.path("normalization");
        assertEquals("standard", st.path("method").asText());
        assertEquals(3, st.path("shift").size());
        // the recorded map is the training set's: its means (of the float32 values) and 1/std
        float[] x = new float[40 * 3];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(f[0])).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(b.capacity() - 4 * x.length);
        b.asFloatBuffer().get(x);
        double mean = 0;
        for (int i = 0; i < 40; i++) mean += x[i * 3 + 1];
        assertEquals(mean / 40, st.path("shift").get(1).asDouble(), 1e-12);
        assertTrue(st.path("scale").get(1).asDouble() > 0);
        Cli again = Cli.run(args(f, out, "--resume"));
        assertEquals(0, again.code(), again.toString());
        List<String> changed = new ArrayList<>(List.of(args(f, out, "--resume")));
        changed.set(changed.indexOf("standard"), "unit");
        Cli other = Cli.run(changed.toArray(String[]::new));
        assertEquals(ExitCodes.OUTPUT, other.code(), other.toString());
        assertTrue(other.err().contains("normalize"), other.err());
        // two shards merge to the same cells
        Path sharded = tmp.resolve("sharded");
        for (int i = 0; i < 2; i++) {
            Cli sh = Cli.run(args(f, sharded, "--shard", i + "/2"));
            assertEquals(0, sh.code(), sh.toString());
        }
        Cli m = Cli.run("merge", sharded.toString());
        assertEquals(0, m.code(), m.toString());
        assertEquals(Files.readAllLines(out.resolve("summary.csv")), Files.readAllLines(sharded.resolve("summary.csv")));
    }

    @Test
    void initFromAFileAndOptionsFromAnArgfile() throws IOException {
        Path[] f = arrays();
        double[] w = new double[3 * 4 + 4 + 4 * 2 + 2];
        for (int i = 0; i < w.length; i++) w[i] = 0.1 * ((i * 7) % 11 - 5);
        Path npy = NpyTestFiles.write(tmp, "w.npy", NpyTestFiles.npy("<f8", new long[] {w.length}, w));
        Path fromFile = tmp.resolve("file");
        Cli c = Cli.run(args(f, fromFile, "--init", "file:" + npy));
        assertEquals(0, c.code(), c.toString());
        StringBuilder values = new StringBuilder("values:");
        for (int i = 0; i < w.length; i++) values.append(i > 0 ? "," : "").append(w[i]);
        Path inline = tmp.resolve("inline");
        // the same sweep from an @argfile, weights inline
        List<String> a = new ArrayList<>(List.of(args(f, inline, "--init", values.toString())));
        a.remove(0);
        Path argfile = NpyTestFiles.text(tmp, "sweep.args", String.join("\n", a) + "\n");
        Cli c2 = Cli.run("sweep", "@" + argfile);
        assertEquals(0, c2.code(), c2.toString());
        JsonNode i1 = new ObjectMapper().readTree(fromFile.resolve("run.json").toFile()).path("spec").path("model");
        JsonNode i2 = new ObjectMapper().readTree(inline.resolve("run.json").toFile()).path("spec").path("model");
        assertEquals(i2.path("init"), i1.path("init"), "file: records the numbers, as values: does");
        assertEquals(Files.readAllLines(inline.resolve("summary.csv")), Files.readAllLines(fromFile.resolve("summary.csv")));
        Path short_ = NpyTestFiles.write(tmp, "short.npy", NpyTestFiles.npy("<f8", new long[] {3}, 1, 2, 3));
        Cli bad = Cli.run(args(f, tmp.resolve("bad"), "--init", "file:" + short_));
        BadInputTest.fails(bad, ExitCodes.BAD_INPUT, "--init", "has 3 numbers", "26 parameters");
    }

    /**
     * CIFAR-10 batches train a network on 32×32×3 images; a test set from an .npy of uint8 images (channels last)
     * takes its own default size (all 2 of its samples, not the 1000 of an image folder).
     */
    @Test
    void cifarTrainingWithAnNpyTestSet() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("cifar"));
        try (java.io.OutputStream o = Files.newOutputStream(d.resolve("data_batch_1.bin"))) {
            NpyTestFiles.cifarBatch(o, new int[] {3, 9, 0, 1}, 0);
        }
        try (java.io.OutputStream o = Files.newOutputStream(d.resolve("test_batch.bin"))) {
            NpyTestFiles.cifarBatch(o, new int[] {7}, 10);
        }
        double[] px = new double[2 * 3072];
        for (int i = 0; i < px.length; i++) px[i] = (i * 31) % 256;
        Path tx = NpyTestFiles.write(tmp, "tx.npy", NpyTestFiles.npy("|u1", new long[] {2, 32, 32, 3}, px));
        Path ty = NpyTestFiles.write(tmp, "ty.npy", NpyTestFiles.npy("|u1", new long[] {2}, 2, 5));
        Path out = tmp.resolve("c");
        Cli c = Cli.run("sweep", "--data", "cifar10:" + d, "--train-size", "4", "--test-data", "npy:" + tx + "," + ty,
                "--arch", "conv:2@5x5,tanh,avgpool:2,dense:10", "--init", "xavier", "--lr", "0.1", "--inits", "1",
                "--replicas", "2", "--steps", "2", "--backend", "java", "--quiet", "--out", out.toString());
        assertEquals(0, c.code(), c.toString());
        JsonNode data = new ObjectMapper().readTree(out.resolve("run.json").toFile()).path("data");
        assertEquals(4, data.path("train").path("samples").asInt());
        assertEquals(2, data.path("test").path("samples").asInt());
        assertEquals("32x32x3", data.path("shape").asText());
    }

    @Test
    void badFilesExitThreeWithOneLine() throws IOException {
        Path[] f = arrays();
        Path cut = NpyTestFiles.write(tmp, "cut.npy", Arrays.copyOf(Files.readAllBytes(f[0]), 200));
        Cli c = Cli.run(args(new Path[] {cut, f[1], f[2]}, tmp.resolve("o1")));
        BadInputTest.fails(c, ExitCodes.BAD_INPUT, "cut.npy", "the file holds");
        assertEquals(1, c.err().strip().lines().count(), c.err());
        Path csv = NpyTestFiles.text(tmp, "bad.csv", "f0,f1,f2,label\n1,2,3,0\n1,x,3,1\n");
        Cli d = Cli.run(args(new Path[] {f[0], f[1], csv}, tmp.resolve("o2")));
        BadInputTest.fails(d, ExitCodes.BAD_INPUT, "bad.csv: line 3, column 'f1' (2): 'x' is not a number");
        List<String> z = new ArrayList<>(List.of(args(f, tmp.resolve("o3"))));
        z.set(z.indexOf("standard"), "zscore");
        Cli n = Cli.run(z.toArray(String[]::new));
        BadInputTest.fails(n, ExitCodes.BAD_INPUT, "--normalize", "zscore");
        assertFalse(Files.exists(tmp.resolve("o1").resolve("results.csv")));
    }
}
