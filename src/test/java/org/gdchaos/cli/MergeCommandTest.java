package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gdchaos sweep --shard I/N} and {@code gdchaos merge} through the command line, on real MNIST digits. */
class MergeCommandTest {
    static final String[] OPTS = {"--train-size", "50", "--layers", "784,4,10", "--lr", "0.5,5", "--inits", "3",
        "--replicas", "2", "--steps", "8", "--eval-every", "2", "--quiet"};
    @TempDir
    static Path tmp;
    static Path single;
    static Path sharded;

    @BeforeAll
    static void sweeps() {
        single = tmp.resolve("single");
        Cli r = Cli.tinySweep(single, OPTS);
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        sharded = tmp.resolve("sharded");
        for (int i = 0; i < 4; i++) {
            Cli s = Cli.tinySweep(sharded, Cli.with(OPTS, "--shard", i + "/4"));
            assertEquals(ExitCodes.OK, s.code(), s.toString());
        }
    }

    @Test
    void mergedShardsEqualTheSingleProcessSweep() throws IOException {
        Cli m = Cli.run("merge", sharded.toString());
        assertEquals(ExitCodes.OK, m.code(), m.toString());
        assertTrue(m.out().contains("merged 6/6 cells from 4 shard folders"), m.out());
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(Files.readString(single.resolve(f)), Files.readString(sharded.resolve(f)), f);
        }
        assertEquals(7, Files.readAllLines(sharded.resolve("results.csv")).size());
        assertEquals(3, Files.readAllLines(sharded.resolve("shards/0-of-4/results.csv")).size(), "cells 0 and 4");
        Cli again = Cli.run("merge", sharded.toString());
        assertEquals(ExitCodes.OK, again.code(), again.toString());
        assertEquals(Files.readString(single.resolve("results.csv")), Files.readString(sharded.resolve("results.csv")));
    }

    /** A CNN sweep in 3 shards merges to the single-process sweep's bytes (run.json records the arch). */
    @Test
    void convolutionalShardsMergeToTheSingleProcessSweep() throws IOException {
        Path one = tmp.resolve("cnn-single"), parts = tmp.resolve("cnn-sharded");
        java.util.function.BiFunction<Path, String, Cli> sweep = (out, shard) -> {
            List<String> a = new java.util.ArrayList<>(List.of("sweep", "--data", "mnist-10k", "--train-size", "40",
                    "--test-size", "40", "--arch", "conv:2@5x5,tanh,maxpool:2,dense:10", "--init", "xavier", "--lr",
                    "0.1,1", "--inits", "2", "--replicas", "1", "--steps", "6", "--eval-every", "2", "--quiet",
                    "--backend", "java", "--out", out.toString()));
            if (shard != null) a.addAll(List.of("--shard", shard));
            return Cli.run(a.toArray(String[]::new));
        };
        Cli r = sweep.apply(one, null);
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        for (int i = 0; i < 3; i++) assertEquals(ExitCodes.OK, sweep.apply(parts, i + "/3").code());
        Cli m = Cli.run("merge", parts.toString());
        assertEquals(ExitCodes.OK, m.code(), m.toString());
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(Files.readString(one.resolve(f)), Files.readString(parts.resolve(f)), f);
        }
        assertTrue(Files.readString(parts.resolve("run.json")).contains("conv:2@5x5,tanh,maxpool:2,dense:10"));
    }

    /** Shards of two sweeps: the merge names each differing option and the two shard folders' values. */
    @Test
    void shardsOfDifferentSweepsNameTheDifferingOption() throws IOException {
        Path d = tmp.resolve("mixed");
        copyTree(sharded.resolve("shards"), d.resolve("shards"));
        // a shard run refuses a folder whose shards hold another sweep (exit 4): write it elsewhere, move it in
        Cli refused = Cli.tinySweep(d, Cli.with(OPTS, "--shard", "0/2", "--steps", "9"));
        assertEquals(ExitCodes.OUTPUT, refused.code(), refused.toString());
        Path elsewhere = tmp.resolve("mixed-other");
        Cli other = Cli.tinySweep(elsewhere, Cli.with(OPTS, "--shard", "0/2", "--steps", "9"));
        assertEquals(ExitCodes.OK, other.code(), other.toString());
        copyTree(elsewhere.resolve("shards/0-of-2"), d.resolve("shards/0-of-2"));
        Cli m = Cli.run("merge", d.toString());
        assertEquals(ExitCodes.BAD_INPUT, m.code(), m.toString());
        assertTrue(m.err().contains("shards/0-of-2 and shards/0-of-4 differ (--steps: 9 in shards/0-of-2, "
                + "8 in shards/0-of-4)"), m.err());
    }

    /** The merged run.json: the spec in the nested shape, and the merge's own provenance. */
    @Test
    void mergedRunJsonRecordsTheSpecAndTheMerge() throws IOException {
        Path d = tmp.resolve("provenance");
        copyTree(sharded.resolve("shards"), d.resolve("shards"));
        assertEquals(ExitCodes.OK, Cli.run("merge", d.toString()).code());
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(d.resolve("run.json").toFile());
        assertEquals(8, j.at("/spec/training/steps").asInt(), j.toString());
        assertEquals("command line", j.at("/command/via").asText());
        assertEquals(List.of("merge", d.toString()), List.of(j.at("/command/args/0").asText(),
                j.at("/command/args/1").asText()));
        assertEquals(org.gdchaos.sweep.store.RunInfo.version(), j.get("version").asText());
        assertTrue(j.get("host").asText().length() > 0);
        assertTrue(j.has("java") && j.has("commit"), j.toString());
    }

    @Test
    void missingCellsGiveTheirOwnExitCode() throws IOException {
        Path d = tmp.resolve("missing");
        copyTree(sharded.resolve("shards"), d.resolve("shards"));
        deleteTree(d.resolve("shards/3-of-4"));
        Cli m = Cli.run("merge", d.toString());
        assertEquals(MergeCommand.INCOMPLETE, m.code(), m.toString());
        assertTrue(m.err().contains("1 cell(s) missing (lr_index/init): 1/0"), m.err());
        assertEquals(6, Files.readAllLines(d.resolve("results.csv")).size());
        assertEquals(ExitCodes.OK, Cli.run("merge", "--allow-missing", d.toString()).code());
    }

    @Test
    void errors() {
        Cli none = Cli.run("merge", tmp.resolve("nothing-here").toString());
        assertEquals(ExitCodes.BAD_INPUT, none.code(), none.toString());
        assertTrue(none.err().contains("no shard outputs"), none.err());
        Cli bad = Cli.tinySweep(tmp.resolve("bad"), Cli.with(OPTS, "--shard", "4/4"));
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.toString());
        assertTrue(bad.err().contains("0 ≤ I < N"), bad.err());
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> w = Files.walk(from)) {
            for (Path p : (Iterable<Path>) w::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    static void deleteTree(Path d) throws IOException {
        try (Stream<Path> w = Files.walk(d)) {
            for (Path p : w.sorted((a, b) -> b.compareTo(a)).toList()) Files.delete(p);
        }
    }
}
