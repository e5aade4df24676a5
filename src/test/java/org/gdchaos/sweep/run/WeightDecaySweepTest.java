package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.merge.Merger;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.report.SweepPlots;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight decay as a grid axis (docs/science.md#weight-decay): the grid multiplies the cells in the
 * order lr, weight decay, init with the same initialisation for every λ; the λ = 0 cells of a
 * multi-λ sweep are bit-identical to a sweep without weight decay; a sharded and merged, or a
 * killed and resumed, multi-λ sweep gives the same rows; every output file carries the weight
 * decay; a run.json without the setting reads as no weight decay.
 */
class WeightDecaySweepTest {
    @TempDir
    static Path tmp;
    static final ModelSpec SMALL = new ModelSpec(new int[] {3, 5, 2}, Activation.TANH, true, Loss.MSE);
    static final double[] DECAYS = {0, 1e-2, 0.2};

    static SweepSpec spec(double... decays) {
        return SweepSpec.builder().data("teacher:in=3,hidden=4,out=2,n=20,seed=2").model(SMALL)
                .learningRates(0.1, 1.5).inits(2).seed(5).steps(15).weightDecays(decays)
                .lyapunov(LyapunovConfig.of(Method.TANGENT).withExponents(2))
                .extras(new SweepSpec.Extras(true, 0, true, false)).build();
    }

    static Path single;
    static Path plain;

    static void run(SweepSpec s, Path out, Shard shard, int maxBatch, boolean resume) {
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            new SweepRunner(be, s, SweepRunner.Options.builder().out(shard == null ? out : shard.folder(out))
                    .resume(resume).maxBatch(maxBatch).include(shard == null ? c -> true : shard.includes(s)).build()).run();
        }
    }

    @BeforeAll
    static void sweeps() {
        single = tmp.resolve("single");
        run(spec(DECAYS), single, null, 0, false);
        plain = tmp.resolve("plain");
        run(SweepSpec.builder().data("teacher:in=3,hidden=4,out=2,n=20,seed=2").model(SMALL)
                .learningRates(0.1, 1.5).inits(2).seed(5).steps(15)
                .lyapunov(LyapunovConfig.of(Method.TANGENT).withExponents(2))
                .extras(new SweepSpec.Extras(true, 0, true, false)).build(), plain, null, 3, false);
    }

    static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    static Map<String, Integer> columns(String header) {
        Map<String, Integer> m = new HashMap<>();
        String[] h = header.split(",", -1);
        for (int i = 0; i < h.length; i++) m.put(h[i], i);
        return m;
    }

    @Test
    void theGridMultipliesTheCellsLrMajorThenWeightDecayThenInit() {
        SweepSpec s = spec(DECAYS);
        List<Cell> cells = s.cells();
        assertEquals(2 * 3 * 2, cells.size());
        int k = 0;
        for (int lr = 0; lr < 2; lr++) {
            for (int wd = 0; wd < 3; wd++) {
                for (int init = 0; init < 2; init++) {
                    Cell c = cells.get(k);
                    assertEquals(List.of(lr, wd, init), List.of(c.lrIndex(), c.wdIndex(), c.init()), "cell " + k);
                    assertEquals(DECAYS[wd], c.weightDecay());
                    assertEquals(k, Shard.position(c, 3, 2), "shard position = grid position");
                    k++;
                }
            }
        }
        // the initialisation of init j is the same for every λ and η
        assertArrayEquals(BatchRunner.initialParameters(s, 1), BatchRunner.initialParameters(spec(0), 1), 0.0);
        // distinct keys; index 0 keeps the key of a sweep without weight decay
        assertEquals(cells.size(), cells.stream().map(Cell::key).distinct().count());
        assertEquals("1/0", new Cell(1, 0.1, 0, 0, 0).key());
        assertEquals("1/2/0", new Cell(1, 0.1, 2, 0.2, 0).key());
        // the shards of a multi-λ grid partition it
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < 5; i++) for (Cell c : new Shard(i, 5).cells(s)) assertEquals(null, owner.put(c.key(), i));
        assertEquals(cells.size(), owner.size());
    }

    @Test
    void invalidWeightDecaysNameTheSetting() {
        for (double[] bad : new double[][] {{-1e-3}, {Double.NaN}, {Double.POSITIVE_INFINITY}, {}}) {
            InputException e = assertThrows(InputException.class, () -> spec(bad));
            assertEquals("training.weightDecays", e.setting().orElseThrow());
        }
    }

    @Test
    void everyOutputCarriesTheWeightDecay() throws IOException {
        List<String> r = lines(single.resolve("results.csv"));
        Map<String, Integer> rc = columns(r.get(0));
        assertEquals(1 + 12, r.size());
        List<Cell> cells = spec(DECAYS).cells();
        for (int i = 0; i < cells.size(); i++) {
            String[] f = r.get(i + 1).split(",", -1);
            assertEquals(Integer.toString(cells.get(i).wdIndex()), f[rc.get("wd_index")]);
            assertEquals(cells.get(i).weightDecay(), Double.parseDouble(f[rc.get("weight_decay")]));
        }
        List<String> s = lines(single.resolve("summary.csv"));
        Map<String, Integer> sc = columns(s.get(0));
        assertEquals(1 + 2 * 3, s.size(), "one summary row per (η, λ)");
        for (int i = 0; i < 6; i++) {
            String[] f = s.get(i + 1).split(",", -1);
            assertEquals(Integer.toString(i / 3), f[sc.get("lr_index")]);
            assertEquals(DECAYS[i % 3], Double.parseDouble(f[sc.get("weight_decay")]));
            assertEquals("2", f[sc.get("cells")]);
        }
        List<String> c = lines(single.resolve("curves.csv"));
        Map<String, Integer> cc = columns(c.get(0));
        assertEquals(1 + 12 * 16, c.size());
        assertEquals("2", c.get(1 + 11 * 16).split(",", -1)[cc.get("wd_index")], "the last cell's curves");
        // the figures: one series per λ in lambda_vs_lr, curves per λ
        for (String f : List.of("lambda_vs_lr.svg", "sharpness_vs_lr.svg", "curves_wd_0.svg", "curves_wd_2.svg",
                "spectrum_vs_lr_wd_1.svg", "report.html")) {
            assertTrue(Files.exists(single.resolve(f)), f);
        }
        List<CellRow> rows = ResultsCsv.of(spec(DECAYS)).read(single.resolve("results.csv"));
        List<SweepPlots.Figure> figs = SweepPlots.figures(SummaryCsv.summarize(rows), rows, spec(DECAYS), single,
                org.gdchaos.plot.PlotOptions.DEFAULT);
        java.util.Set<String> series = figs.get(0).chart().getSeriesMap().keySet();
        assertEquals("lambda_vs_lr", figs.get(0).name());
        for (String wd : List.of("wd = 0", "wd = 0.01", "wd = 0.2")) {
            assertTrue(series.contains("mean λ1, " + wd), series.toString());
        }
        assertTrue(figs.stream().anyMatch(x -> x.name().equals("sharpness_vs_lr")));
        assertFalse(Files.exists(single.resolve("curves.svg")), "no λ-mixed curves figure");
        assertTrue(Files.readString(single.resolve("report.html")).contains("weight_decay"));
    }

    /** sharpness_vs_lr: one GD and one gradient-flow series per weight decay; one weight decay: the names as before. */
    @Test
    void sharpnessFigureHasOneSeriesPerWeightDecay() {
        List<CellRow> rows = new ArrayList<>();
        for (int lr = 0; lr < 2; lr++) {
            for (int wd = 0; wd < 2; wd++) {
                rows.add(CellRow.builder(new Cell(lr, 0.1 * (lr + 1), wd, 0.5 * wd, 0), 1).exponents(-0.1)
                        .finalLoss(0).testLoss(0).converged(true)
                        .extras(Map.of("sharpness", 2.0 + wd, "gf_sharpness", 3.0 + wd)).build());
            }
        }
        java.util.Set<String> several = SweepPlots.sharpnessVsLrChart(rows).getSeriesMap().keySet();
        for (String wd : List.of(", wd = 0", ", wd = 0.5")) {
            assertTrue(several.contains(SweepPlots.GD_CONVERGED + wd) && several.contains(SweepPlots.GF_SAME_CELLS + wd),
                    several.toString());
        }
        java.util.Set<String> one = SweepPlots.sharpnessVsLrChart(rows.stream().filter(r -> r.cell().wdIndex() == 1)
                .toList()).getSeriesMap().keySet();
        assertTrue(one.contains(SweepPlots.GD_CONVERGED) && one.contains(SweepPlots.GF_SAME_CELLS), one.toString());
    }

    /** λ = 0 rows of the multi-λ sweep equal, to the last digit, the rows of a sweep without weight decay. */
    @Test
    void zeroDecayCellsAreBitIdenticalToNoWeightDecay() throws IOException {
        List<String> r = lines(single.resolve("results.csv")), p = lines(plain.resolve("results.csv"));
        assertEquals(r.get(0), p.get(0), "the same columns");
        Map<String, Integer> rc = columns(r.get(0));
        List<String> zero = new ArrayList<>();
        List<String> decayed = new ArrayList<>();
        for (String l : r.subList(1, r.size())) {
            (l.split(",", -1)[rc.get("wd_index")].equals("0") ? zero : decayed).add(l);
        }
        assertEquals(p.subList(1, p.size()), zero);
        // and λ > 0 really changes the numbers (sharpness shifted, λ1 different)
        for (String l : decayed) {
            String[] f = l.split(",", -1);
            for (String z : zero) {
                String[] g = z.split(",", -1);
                if (f[rc.get("lr_index")].equals(g[rc.get("lr_index")]) && f[rc.get("init")].equals(g[rc.get("init")])) {
                    assertNotEquals(g[rc.get("sharpness")], f[rc.get("sharpness")]);
                    assertNotEquals(g[rc.get("lambda_1")], f[rc.get("lambda_1")]);
                }
            }
        }
    }

    @Test
    void shardedAndMergedEqualsSingleProcess() throws IOException {
        Path sharded = tmp.resolve("sharded");
        for (int i = 0; i < 3; i++) run(spec(DECAYS), sharded, new Shard(i, 3), 2, false);
        Merger.Outcome m = Merger.merge(sharded);
        assertTrue(m.complete(), m.missing().toString());
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(lines(single.resolve(f)), lines(sharded.resolve(f)), f);
        }
    }

    @Test
    void aKilledSweepResumesToTheSameRows() throws IOException {
        Path dir = tmp.resolve("resumed");
        run(spec(DECAYS), dir, null, 2, false);
        // as if killed after 5 cells: the last rows and the curves of cells without a row cut
        List<String> r = lines(dir.resolve("results.csv"));
        Files.write(dir.resolve("results.csv"), r.subList(0, 6));
        run(spec(DECAYS), dir, null, 0, true);
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(lines(single.resolve(f)), lines(dir.resolve(f)), f);
        }
        // resuming with another weight-decay grid is refused, naming the setting
        OutputFolderException e = assertThrows(OutputFolderException.class, () -> run(spec(0, 1e-2), dir, null, 0, true));
        assertTrue(e.getMessage().contains("training.weightDecays") || e.getMessage().contains("--weight-decay"),
                e.getMessage());
    }

    /** A run.json written before weight decay existed has no weightDecays/decayBiases: it reads as none. */
    @Test
    void aRunJsonWithoutTheSettingReadsAsNoWeightDecay() {
        SweepSpec s = spec(0);
        JsonNode tree = SpecJson.tree(s);
        ObjectNode training = (ObjectNode) tree.get("training");
        assertTrue(training.has("weightDecays") && training.has("decayBiases"));
        training.remove("weightDecays");
        training.remove("decayBiases");
        SweepSpec read = SpecJson.read(tree);
        assertEquals(s, read);
        assertArrayEquals(new double[] {0}, read.training().weightDecays(), 0.0);
        assertFalse(read.training().decayBiases());
        SweepSpec multi = spec(DECAYS).toBuilder().decayBiases(true).build();
        assertEquals(multi, SpecJson.read(SpecJson.tree(multi)), "round trip");
    }

    /** A folder as the version before weight decay wrote it: no weight-decay columns, no setting in run.json. */
    static void asBeforeWeightDecay(Path dir) throws IOException {
        for (String f : List.of("results.csv", "curves.csv")) {
            Path p = dir.resolve(f);
            if (!Files.exists(p)) continue;
            List<String> l = lines(p);
            Map<String, Integer> c = columns(l.get(0));
            List<String> out = new ArrayList<>();
            for (String line : l) {
                List<String> v = new ArrayList<>(List.of(line.split(",", -1)));
                v.remove((int) c.get("weight_decay"));
                v.remove((int) c.get("wd_index"));
                out.add(String.join(",", v));
            }
            Files.write(p, out);
        }
        Path run = dir.resolve("run.json");
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        ObjectNode info = (ObjectNode) m.readTree(run.toFile());
        ObjectNode training = (ObjectNode) info.path("spec").path("training");
        training.remove("weightDecays");
        training.remove("decayBiases");
        m.writerWithDefaultPrettyPrinter().writeValue(run.toFile(), info);
    }

    /** Resuming a folder written before weight decay completes its rows and curves to equal a fresh run. */
    @Test
    void aFolderFromBeforeWeightDecayResumesAndMerges() throws IOException {
        SweepSpec none = spec(0);
        Path fresh = tmp.resolve("fresh-none");
        run(none, fresh, null, 0, false);
        Path old = tmp.resolve("old");
        run(none, old, null, 2, false);
        List<String> r = lines(old.resolve("results.csv"));
        Files.write(old.resolve("results.csv"), r.subList(0, 3)); // killed after two cells
        asBeforeWeightDecay(old);
        assertFalse(lines(old.resolve("curves.csv")).get(0).contains("wd_index"));
        run(none, old, null, 0, true);
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(lines(fresh.resolve(f)), lines(old.resolve(f)), f);
        }
        // shards written before weight decay merge into today's files
        Path sharded = tmp.resolve("old-shards");
        for (int i = 0; i < 2; i++) {
            run(none, sharded, new Shard(i, 2), 0, false);
            asBeforeWeightDecay(new Shard(i, 2).folder(sharded));
        }
        assertTrue(Merger.merge(sharded).complete());
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(lines(fresh.resolve(f)), lines(sharded.resolve(f)), f);
        }
    }

    /** An older results.csv (no wd_index/weight_decay) reads as weight-decay index 0, λ = 0. */
    @Test
    void resultsWithoutTheColumnsReadAsNoWeightDecay() throws IOException {
        List<String> r = lines(plain.resolve("results.csv"));
        Map<String, Integer> rc = columns(r.get(0));
        List<String> old = new ArrayList<>();
        for (String l : r) {
            List<String> f = new ArrayList<>(List.of(l.split(",", -1)));
            f.remove((int) rc.get("weight_decay"));
            f.remove((int) rc.get("wd_index"));
            old.add(String.join(",", f));
        }
        ResultsCsv format = ResultsCsv.of(spec(0));
        for (int i = 1; i < old.size(); i++) {
            CellRow a = format.parse(old.get(0), old.get(i)), b = format.parse(r.get(i));
            assertEquals(b.cell(), a.cell());
            assertEquals(format.line(b), format.line(a));
        }
    }
}
