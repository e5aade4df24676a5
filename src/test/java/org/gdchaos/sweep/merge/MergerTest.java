package org.gdchaos.sweep.merge;

import org.gdchaos.sweep.Cell;

import org.gdchaos.sweep.run.ProgressListener;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sharded sweeps merged with {@link Merger} against an independent oracle: the same sweep run in
 * one process. Rows must be identical strings, whatever the sharding and batching.
 */
public class MergerTest {
    @TempDir
    static Path tmp;
    static Path single;
    static Path sharded3;
    static Path sharded2;

    public static SweepSpec spec(int steps) {
        return spec(steps, null);
    }

    static SweepSpec spec(int steps, SweepSpec.Extras extras) {
        return SweepSpec.builder().data("teacher:in=4,hidden=3,out=2,n=30,seed=3").trainSize(30).testSize(30)
                .model(new ModelSpec(new int[] {4, 6, 2}, Activation.TANH, true, Loss.MSE))
                .init(InitSpec.parse("normal:1")).learningRates(new double[] {0.1, 1.0, 3.0}).inits(3).seed(7L)
                .steps(steps).batchSize(0).dtype(DType.F64)
                .lyapunov(new LyapunovConfig(Method.PAPER, 2, 1, 1e-8, 1, 0, Norm.L1, false, GrowthFit.Method.parse("growth")))
                .accuracyThreshold(0.8).evalEvery(1).extras(extras).build();
    }

    /** Names of the plain files directly in dir (the shard folders are not outputs). */
    static java.util.SortedSet<String> outputFiles(Path dir) throws IOException {
        try (Stream<Path> l = Files.list(dir)) {
            return l.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    public static void run(SweepSpec s, Path out, Shard shard, int maxBatch) {
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            new SweepRunner(be, s, SweepRunner.Options.builder().out(shard == null ? out : shard.folder(out))
                    .maxBatch(maxBatch).include(shard == null ? c -> true : shard.includes(s)).build()).run();
        }
    }

    @BeforeAll
    static void sweeps() {
        SweepSpec s = spec(12);
        single = tmp.resolve("single");
        run(s, single, null, 0);
        sharded3 = tmp.resolve("sharded3");
        for (int i = 0; i < 3; i++) run(s, sharded3, new Shard(i, 3), 3);   // one cell per device batch
        sharded2 = tmp.resolve("sharded2");
        for (int i = 0; i < 2; i++) run(s, sharded2, new Shard(i, 2), 0);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static Path copy(Path from, String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> w = Files.walk(from)) {
            for (Path p : (Iterable<Path>) w::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }

    /** The previous version's columns of results.csv (before seeds, standard errors, fit points, reached, precision lost). */
    static final List<String> PREVIOUS = List.of("lr_index", "lr", "init", "lambda_1", "fit_r2", "fit_start", "fit_end",
            "kaplan_yorke", "final_loss", "train_acc", "test_loss", "test_acc", "steps_to_threshold", "diverged",
            "diverged_step", "grad_norm", "converged");

    /** A results.csv rewritten as the previous version wrote it: its columns, never/-1 for NaN steps. */
    static String asPreviousVersion(List<String> lines) {
        String[] h = lines.get(0).split(",", -1);
        StringBuilder sb = new StringBuilder(String.join(",", PREVIOUS)).append('\n');
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i < h.length; i++) m.put(h[i], f[i]);
            List<String> out = new java.util.ArrayList<>();
            for (String c : PREVIOUS) {
                String v = m.get(c);
                if (c.equals("steps_to_threshold") && v.equals("NaN")) v = "never";
                if (List.of("fit_start", "fit_end", "diverged_step").contains(c) && v.equals("NaN")) v = "-1";
                out.add(v);
            }
            sb.append(String.join(",", out)).append('\n');
        }
        return sb.toString();
    }

    /**
     * A shard written by the previous version merges with one written today: its rows are read by
     * header and written in today's columns, equal to the single-process rows except the standard
     * error, which the previous version did not record (NaN).
     */
    @Test
    void aShardOfThePreviousVersionMergesInTodaysColumns() throws IOException {
        Path dir = copy(sharded2, "sharded2-previous");
        Path part = new Shard(0, 2).folder(dir).resolve(ResultStore.RESULTS);
        List<String> partLines = Files.readAllLines(part);
        Files.writeString(part, asPreviousVersion(partLines));
        Merger.Outcome r = Merger.merge(dir);
        assertTrue(r.complete(), r.missing().toString());
        List<String> merged = Files.readAllLines(dir.resolve("results.csv"));
        List<String> want = Files.readAllLines(single.resolve("results.csv"));
        assertEquals(want.get(0), merged.get(0), "today's header");
        String[] h = want.get(0).split(",", -1);
        int converted = 0;
        for (int i = 1; i < want.size(); i++) {
            if (!partLines.contains(want.get(i))) {
                assertEquals(want.get(i), merged.get(i), "a row of the current shard is copied as it is");
                continue;
            }
            converted++;
            String[] a = want.get(i).split(",", -1), b = merged.get(i).split(",", -1);
            for (int k = 0; k < h.length; k++) {
                if (h[k].equals("lambda_1_stderr")) assertEquals("NaN", b[k]);
                else assertEquals(a[k], b[k], h[k] + " of " + want.get(i));
            }
        }
        assertTrue(converted > 0);
        assertTrue(Files.readString(part).startsWith(String.join(",", PREVIOUS)), "the parts are only read");
    }

    @Test
    void shardedRowsEqualSingleProcessRowsExactly() throws IOException {
        for (Path dir : List.of(sharded3, sharded2)) {
            Merger.Outcome r = Merger.merge(dir);
            assertTrue(r.complete(), r.missing().toString());
            assertEquals(9, r.merged());
            assertEquals(0, r.duplicates());
            List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
            assertEquals(10, lines.size());
            assertEquals(Files.readAllLines(single.resolve("results.csv")), lines);
            assertEquals(read(single.resolve("results.csv")), read(dir.resolve("results.csv")));
            assertEquals(read(single.resolve("curves.csv")), read(dir.resolve("curves.csv")));
            assertEquals(read(single.resolve("summary.csv")), read(dir.resolve("summary.csv")));
            assertTrue(Files.exists(dir.resolve("lambda_vs_lr.png")));
            assertTrue(Files.exists(dir.resolve("curves.svg")));
            assertTrue(read(dir.resolve("run.json")).contains("\"status\" : \"merged\""));
            assertEquals(outputFiles(single), outputFiles(dir));
        }
        // the shards really split the work: shard 1 of 3 holds cells 1, 4, 7 of the grid
        List<String> part = Files.readAllLines(sharded3.resolve("shards/1-of-3/results.csv"));
        assertEquals(4, part.size());
        assertTrue(part.get(1).startsWith("0,0.1,0,0.0,1,") && part.get(2).startsWith("1,1.0,0,0.0,1,")
                && part.get(3).startsWith("2,3.0,0,0.0,1,"), part.toString());
    }

    /**
     * With --sharpness a single-process sweep also draws sharpness_vs_lr; the merge must too. With
     * --sharpness-k 3 the extra eigenvalue columns merge like the others.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void mergedShardsWriteTheSameFilesAsOneProcessWithSharpness(int k) throws IOException {
        SweepSpec s = spec(6, new SweepSpec.Extras(true, 3, true, true, k));
        Path one = tmp.resolve("sharp-single-" + k);
        run(s, one, null, 0);
        Path sharded = tmp.resolve("sharp-sharded-" + k);
        for (int i = 0; i < 2; i++) run(s, sharded, new Shard(i, 2), 0);
        Merger.Outcome r = Merger.merge(sharded);
        assertTrue(r.complete() && r.warnings().isEmpty(), r.toString());
        assertTrue(outputFiles(one).containsAll(List.of("sharpness_vs_lr.png", "sharpness_vs_lr.svg",
                "lambda_vs_lr.png", "curves.svg", "results.csv", "curves.csv", "summary.csv", "run.json")),
                outputFiles(one).toString());
        assertEquals(outputFiles(one), outputFiles(sharded));
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(read(one.resolve(f)), read(sharded.resolve(f)), f);
        }
        assertTrue(r.files().contains(sharded.resolve("sharpness_vs_lr.png")), r.files().toString());
        String header = Files.readAllLines(sharded.resolve("results.csv")).get(0);
        assertEquals(k == 3, header.contains(",sharpness,hessian_eig_2,hessian_eig_3,gf_sharpness,"), header);
        assertEquals(k == 1, header.contains(",sharpness,gf_sharpness,"), header);
        assertTrue(read(sharded.resolve("run.json")).contains("\"sharpnessK\" : " + k), read(sharded.resolve("run.json")));
    }

    /** Shards whose run.json predates --sharpness-k (no sharpnessK recorded) merge as K = 1. */
    @Test
    void shardsRecordedBeforeSharpnessKMergeAsOneEigenvalue() throws IOException {
        Path d = copy(sharded3, "before-sharpness-k");
        for (int i = 0; i < 3; i++) {
            Path f = d.resolve("shards/" + i + "-of-3/run.json");
            com.fasterxml.jackson.databind.node.ObjectNode info =
                    (com.fasterxml.jackson.databind.node.ObjectNode) RunInfo.JSON.readTree(f.toFile());
            com.fasterxml.jackson.databind.node.ObjectNode extras =
                    (com.fasterxml.jackson.databind.node.ObjectNode) info.get("spec").get("measurement").get("extras");
            assertEquals(1, extras.remove("sharpnessK").asInt());
            RunInfo.JSON.writeValue(f.toFile(), info);
        }
        assertFalse(read(d.resolve("shards/0-of-3/run.json")).contains("sharpnessK"));
        Merger.Outcome r = Merger.merge(d);
        assertTrue(r.complete(), r.toString());
        assertEquals(read(single.resolve("results.csv")), read(d.resolve("results.csv")));
        assertEquals(1, SpecJson.read(RunInfo.previousSpec(d)).measurement().extras().sharpnessK());
    }

    /**
     * Shards whose run.json the previous version wrote (flat spec, enums as constant names) merge with
     * shards of this version: the specs are compared as values; the merged run.json has the nested shape.
     */
    @Test
    void shardsWrittenByThePreviousVersionMergeWithNewOnes() throws IOException {
        Path d = copy(sharded3, "previous-version-shards");
        for (int i = 0; i < 2; i++) {
            Path f = d.resolve("shards/" + i + "-of-3/run.json");
            com.fasterxml.jackson.databind.node.ObjectNode info =
                    (com.fasterxml.jackson.databind.node.ObjectNode) RunInfo.JSON.readTree(f.toFile());
            info.set("spec", previousVersionSpec(info.get("spec")));
            RunInfo.JSON.writeValue(f.toFile(), info);
        }
        assertTrue(read(d.resolve("shards/0-of-3/run.json")).contains("\"activation\" : \"TANH\""));
        assertTrue(read(d.resolve("shards/0-of-3/run.json")).contains("\"steps\" : 12,"));
        Merger.Outcome r = Merger.merge(d);
        assertTrue(r.complete(), r.toString());
        assertEquals(read(single.resolve("results.csv")), read(d.resolve("results.csv")));
        assertEquals(SpecJson.tree(spec(12)), RunInfo.previousSpec(d));
        ShardParts.checkSameSweep(d, spec(12));
    }

    /** A nested spec tree as the previous version wrote it: 15 settings at the top, enums by constant name. */
    static com.fasterxml.jackson.databind.node.ObjectNode previousVersionSpec(com.fasterxml.jackson.databind.JsonNode n) {
        com.fasterxml.jackson.databind.node.ObjectNode f = RunInfo.JSON.createObjectNode();
        f.put("data", n.at("/data/spec").asText());
        f.set("trainSize", n.at("/data/trainSize"));
        f.set("testSize", n.at("/data/testSize"));
        com.fasterxml.jackson.databind.node.ObjectNode model = n.at("/model/network").deepCopy();
        model.put("activation", Activation.parse(model.get("activation").asText()).name());
        model.put("loss", Loss.parse(model.get("loss").asText()).name());
        f.set("model", model);
        InitSpec init = InitSpec.parse(n.at("/model/init").asText());
        com.fasterxml.jackson.databind.node.ObjectNode i = f.putObject("init");
        i.put("kind", init.kind().name());
        i.put("std", init.std());
        i.putNull("values");
        for (String k : List.of("learningRates", "inits", "seed")) f.set(k, n.at("/training/" + k));
        com.fasterxml.jackson.databind.node.ObjectNode l = n.get("lyapunov").deepCopy();
        l.put("method", Method.parse(l.get("method").asText()).name());
        l.put("norm", Norm.parse(l.get("norm").asText()).name());
        l.put("fit", GrowthFit.Method.parse(l.get("fit").asText()).name());
        f.set("lyapunov", l);
        f.set("steps", n.at("/training/steps"));
        f.put("batchSize", n.at("/training/batchSize").asText().equals("full") ? 0 : n.at("/training/batchSize").asInt());
        f.set("accuracyThreshold", n.at("/measurement/accuracyThreshold"));
        f.set("evalEvery", n.at("/measurement/evalEvery"));
        f.put("dtype", DType.parse(n.at("/training/dtype").asText()).name());
        f.set("sharpness", n.at("/measurement/extras"));
        return f;
    }

    @Test
    void mergeIsIdempotent() throws IOException {
        Path d = copy(sharded3, "idem");
        Merger.merge(d);
        String results = read(d.resolve("results.csv"));
        String curves = read(d.resolve("curves.csv"));
        String summary = read(d.resolve("summary.csv"));
        String info = read(d.resolve("run.json"));
        Merger.Outcome again = Merger.merge(d);
        assertTrue(again.complete());
        assertEquals(results, read(d.resolve("results.csv")));
        assertEquals(curves, read(d.resolve("curves.csv")));
        assertEquals(summary, read(d.resolve("summary.csv")));
        assertEquals(info, read(d.resolve("run.json")));
    }

    @Test
    void reportsMissingCellsAndWritesTheRest() throws IOException {
        Path d = copy(sharded3, "missing");
        deleteTree(d.resolve("shards/2-of-3"));
        Merger.Outcome r = Merger.merge(d);
        assertFalse(r.complete());
        assertEquals(List.of("0/2", "1/2", "2/2"), r.missing());
        assertEquals(6, r.merged());
        List<String> want = new ArrayList<>();
        for (String l : Files.readAllLines(single.resolve("results.csv"))) if (!l.matches("\\d+,[^,]+,0,0\\.0,2,.*")) want.add(l);
        assertEquals(want, Files.readAllLines(d.resolve("results.csv")));
        assertTrue(read(d.resolve("run.json")).contains("\"status\" : \"incomplete\""));
    }

    @Test
    void identicalDuplicatesAcrossShardingsAreKeptOnce() throws IOException {
        Path d = copy(sharded3, "dups");
        copyTree(sharded2.resolve("shards/0-of-2"), d.resolve("shards/0-of-2"));   // cells 0,2,4,6,8 again
        Merger.Outcome r = Merger.merge(d);
        assertTrue(r.complete());
        assertEquals(5, r.duplicates());
        assertEquals(read(single.resolve("results.csv")), read(d.resolve("results.csv")));
        assertEquals(read(single.resolve("curves.csv")), read(d.resolve("curves.csv")));
    }

    /** Appends the results row and curve lines of cell {@code prefix} (e.g. "1,1.0,0,0.0,1,") of a part again. */
    static void repeatCell(Path part, String prefix, java.util.function.UnaryOperator<String> rowEdit,
                           java.util.function.UnaryOperator<String> curveEdit) throws IOException {
        List<String> rows = Files.readAllLines(part.resolve("results.csv"));
        List<String> curves = Files.readAllLines(part.resolve("curves.csv"));
        List<String> again = new ArrayList<>();
        for (String l : curves) if (l.startsWith(prefix)) again.add(curveEdit.apply(l));
        assertTrue(again.size() > 1);
        Files.write(part.resolve("curves.csv"), again, StandardOpenOption.APPEND);
        String row = rows.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        Files.write(part.resolve("results.csv"), List.of(rowEdit.apply(row)), StandardOpenOption.APPEND);
    }

    @Test
    void aCellRepeatedInsideOnePartIsKeptOnceWithItsCurves() throws IOException {
        Path d = copy(sharded3, "repeat-in-part");
        repeatCell(d.resolve("shards/1-of-3"), "1,1.0,0,0.0,1,", l -> l, l -> l);   // written twice, as by two writers
        Merger.Outcome r = Merger.merge(d);
        assertTrue(r.complete());
        assertEquals(1, r.duplicates());
        assertEquals(read(single.resolve("results.csv")), read(d.resolve("results.csv")));
        assertEquals(read(single.resolve("curves.csv")), read(d.resolve("curves.csv")), "no doubled curve lines");
        assertEquals(read(single.resolve("summary.csv")), read(d.resolve("summary.csv")));
    }

    @Test
    void differentCopiesOfACellInsideOnePartAreAnError() throws IOException {
        Path rows = copy(sharded3, "differ-in-part-rows");
        repeatCell(rows.resolve("shards/1-of-3"), "1,1.0,0,0.0,1,", l -> {
            String[] f = l.split(",", -1);
            f[5] = Double.toString(Double.parseDouble(f[5]) + 1e-12);
            return String.join(",", f);
        }, l -> l);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(rows));
        assertTrue(e.getMessage().contains("conflicting results for 1 cell") && e.getMessage().contains("1/1 (two "
                + "different rows in"), e.getMessage());
        Path curves = copy(sharded3, "differ-in-part-curves");
        Files.deleteIfExists(curves.resolve("results.csv"));
        repeatCell(curves.resolve("shards/1-of-3"), "1,1.0,0,0.0,1,", l -> l, l -> l + "1");   // last digits differ
        e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(curves));
        assertTrue(e.getMessage().contains("1/1 (two different curves in"), e.getMessage());
        assertFalse(Files.exists(curves.resolve("results.csv")), "nothing written on conflict");
    }

    @Test
    void conflictingDuplicatesAreAnError() throws IOException {
        Path d = copy(sharded3, "conflict");
        Files.deleteIfExists(d.resolve("results.csv"));
        Path extra = d.resolve("shards/0-of-2");
        copyTree(sharded2.resolve("shards/0-of-2"), extra);
        List<String> lines = new ArrayList<>(Files.readAllLines(extra.resolve("results.csv")));
        String[] f = lines.get(1).split(",", -1);
        f[5] = Double.toString(Double.parseDouble(f[5]) + 1e-12);   // λ1 of cell 0/0 differs in the last digits
        lines.set(1, String.join(",", f));
        Files.write(extra.resolve("results.csv"), lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(d));
        assertTrue(e.getMessage().contains("conflicting results for 1 cell") && e.getMessage().contains("0/0"),
                e.getMessage());
        assertFalse(Files.exists(d.resolve("results.csv")), "nothing written on conflict");
    }

    @Test
    void partsOfDifferentSweepsAreAnError() throws IOException {
        Path d = copy(sharded3, "mixed");
        Path other = tmp.resolve("other");
        run(spec(5), other, new Shard(0, 2), 0);
        copyTree(other.resolve("shards/0-of-2"), d.resolve("shards/0-of-2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(d));
        assertTrue(e.getMessage().contains("shards/0-of-2 and shards/0-of-3 differ (training.steps: 5 in "
                + "shards/0-of-2, 12 in shards/0-of-3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardParts.checkSameSweep(d, spec(12)));
        assertThrows(IllegalArgumentException.class, () -> ShardParts.checkSameSweep(sharded3, spec(5)));
        ShardParts.checkSameSweep(sharded3, spec(12));
    }

    @Test
    void tornLinesOfAKilledShardAreIgnored() throws IOException {
        Path d = copy(sharded3, "torn");
        Path part = d.resolve("shards/1-of-3");
        // killed mid-batch: cell 2/1's curves are on disk, its results row only half written
        List<String> rows = new ArrayList<>(Files.readAllLines(part.resolve("results.csv")));
        String last = rows.remove(rows.size() - 1);
        assertTrue(last.startsWith("2,3.0,0,0.0,1,"));
        Files.writeString(part.resolve("results.csv"), String.join("\n", rows) + "\n" + last.substring(0, 20));
        Merger.Outcome r = Merger.merge(d);
        assertEquals(List.of("2/1"), r.missing());
        List<String> want = new ArrayList<>();
        for (String l : Files.readAllLines(single.resolve("results.csv"))) if (!l.startsWith("2,3.0,0,0.0,1,")) want.add(l);
        assertEquals(want, Files.readAllLines(d.resolve("results.csv")));
        List<String> wantCurves = new ArrayList<>();
        for (String l : Files.readAllLines(single.resolve("curves.csv"))) if (!l.startsWith("2,3.0,0,0.0,1,")) wantCurves.add(l);
        assertEquals(wantCurves, Files.readAllLines(d.resolve("curves.csv")));
    }

    /** Issue 13, item 5: a finished cell whose curves lost a step (torn or glued line) is an error, not a gap. */
    @Test
    void tornCurveLinesOfAFinishedCellAreAnError() throws IOException {
        Path d = copy(sharded3, "torn-curves");
        Path curves = d.resolve("shards/1-of-3/curves.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(curves));
        // a line cut mid-way and glued to the next (a rerun appending to a torn file)
        int i = 5;
        String glued = lines.get(i).substring(0, 9) + lines.get(i + 1);
        lines.set(i, glued);
        lines.remove(i + 1);
        Files.write(curves, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(d));
        assertTrue(e.getMessage().startsWith(curves + " line " + (i + 1) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("(a torn or glued line)") || e.getMessage().contains("is not a number"),
                e.getMessage());

        // the cut last line of a finished cell: complete lines only, so one step is missing
        List<String> whole = Files.readAllLines(sharded3.resolve("shards/1-of-3/curves.csv"));
        String last = whole.remove(whole.size() - 1);
        Files.writeString(curves, String.join("\n", whole) + "\n" + last.substring(0, last.length() / 2));
        e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(d));
        assertTrue(e.getMessage().contains("has curve lines for 12 step(s), expected steps 0..12"), e.getMessage());
    }

    /** The lines of {@code file} whose cell is lr_index 2 (lr 3.0), init 1, with {@code lr} rewritten to 2.0 (in no grid). */
    static void moveCurvesOfCell21ToLr2(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int moved = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("2,3.0,0,0.0,1,")) continue;
            lines.set(i, "2,2.0,0,0.0,1," + lines.get(i).substring("2,3.0,0,0.0,1,".length()));
            moved++;
        }
        assertEquals(13, moved);
        Files.write(file, lines);
    }

    /**
     * Issue 23, item 2: a curve line belongs to the cell of its values, not of its index columns. A
     * line whose lr_index names a cell of the grid but whose lr is another value was taken for that
     * cell's under index identity (the merge succeeded, writing those lines); by value the cell has
     * no curves, and the merge says so.
     */
    @Test
    void curveLinesAreMatchedToTheirCellByValue() throws IOException {
        Path d = copy(sharded3, "curves-by-value");
        Path curves = d.resolve("shards/1-of-3/curves.csv");
        moveCurvesOfCell21ToLr2(curves);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(d));
        assertEquals(curves + ": cell 2/1 has curve lines for 0 step(s), expected steps 0..12 (lines torn or lost); "
                + "delete its row from " + d.resolve("shards/1-of-3/results.csv") + " and resume that shard",
                e.getMessage());
    }

    /**
     * Issue 23, item 2: resuming matches curve lines to rows by value too: the cell whose lines carry
     * another lr than its row has none, so it runs again (under index identity it counted as done with
     * another cell's curves), and its lines are dropped.
     */
    @Test
    void resumeMatchesCurveLinesToRowsByValue() throws IOException {
        Path d = copy(single, "resume-by-value");
        moveCurvesOfCell21ToLr2(d.resolve(ResultStore.CURVES));
        SweepSpec s = spec(12);
        java.util.Set<Cell.Identity> done;
        List<String> repairs;
        try (ResultStore store = new ResultStore(d, ResultsCsv.of(s), true)) {
            done = store.recover(s.training().steps() + 1, s);
            repairs = store.repairs();
        }
        java.util.Set<Cell.Identity> want = new java.util.HashSet<>();
        for (Cell c : s.cells()) want.add(c.identity());
        want.remove(new Cell(2, 3.0, 1).identity());
        assertEquals(want, done);
        assertEquals(List.of("1 cell(s) in " + d.resolve(ResultStore.RESULTS) + " did not have exactly 13 curve lines "
                + "(lost or duplicated); they run again: 2/1"), repairs);
        assertFalse(read(d.resolve(ResultStore.CURVES)).contains("\n2,2.0,"), "the stray lines are dropped");
    }

    /** Issue 13, item 5: a garbled number names the file and the line. */
    @Test
    void aGarbledNumberNamesFileAndLine() throws IOException {
        Path d = copy(sharded3, "garbled");
        Path results = d.resolve("shards/0-of-3/results.csv");
        List<String> rows = new ArrayList<>(Files.readAllLines(results));
        rows.set(2, rows.get(2).replaceFirst(",(-?[0-9.]+(E-?[0-9]+)?),", ",zz1,"));
        Files.write(results, rows);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(d));
        assertTrue(e.getMessage().startsWith(results + " line 3: malformed row"), e.getMessage());
        assertTrue(e.getMessage().contains("zz1"), e.getMessage());

        Path d2 = copy(sharded3, "garbled-curve");
        Path curves = d2.resolve("shards/2-of-3/curves.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(curves));
        String[] f = lines.get(4).split(",", -1);
        f[6] = "zz1";
        lines.set(4, String.join(",", f));
        Files.write(curves, lines);
        e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(d2));
        assertEquals(curves + " line 5: column " + lines.get(0).split(",")[6] + " is not a number: 'zz1'",
                e.getMessage());
    }

    @Test
    void noPartsIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Merger.merge(tmp.resolve("none")));
        assertTrue(e.getMessage().contains("no shard outputs"), e.getMessage());
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
