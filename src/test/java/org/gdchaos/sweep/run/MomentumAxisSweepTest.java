package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.report.SweepPlots;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The momentum coefficient as a grid axis (issue 25) and the identity of cells by value (issue 23):
 * the grid order lr × wd × β × init and its shard positions, resume of a killed multi-β sweep, the
 * same bytes for one cell at different grid positions (sharpness included), the figures' series.
 */
class MomentumAxisSweepTest {
    @TempDir
    Path tmp;
    static final ModelSpec SMALL = new ModelSpec(new int[] {3, 5, 2}, Activation.TANH, true, Loss.MSE);

    static SweepSpec.Builder base() {
        return SweepSpec.builder().data("teacher:in=3,hidden=4,out=2,n=20,seed=2").model(SMALL).inits(2).seed(5)
                .steps(12).lyapunov(LyapunovConfig.of(Method.TANGENT).withExponents(2))
                .extras(new SweepSpec.Extras(true, 0, false, false));
    }

    static void run(SweepSpec s, Path out, int maxBatch, boolean resume) {
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            new SweepRunner(be, s, SweepRunner.Options.builder().out(out).resume(resume).maxBatch(maxBatch).build()).run();
        }
    }

    static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    /** Catches a grid order or shard rule that differs from lr × wd × β × init, or a momentum index in the keys of one-β grids. */
    @Test
    void theGridIsLrThenWeightDecayThenMomentumThenInit() {
        double[] betas = {0.9, 0, 0.5};
        SweepSpec s = base().learningRates(0.1, 1).weightDecays(0, 0.1).optimizer(Optimizer.nesterov(0.9))
                .momenta(betas).build();
        List<Cell> cells = s.cells();
        assertEquals(2 * 2 * 3 * 2, cells.size());
        int k = 0;
        for (int lr = 0; lr < 2; lr++) {
            for (int wd = 0; wd < 2; wd++) {
                for (int m = 0; m < 3; m++) {
                    for (int init = 0; init < 2; init++) {
                        Cell c = cells.get(k);
                        assertEquals(List.of(lr, wd, m, init), List.of(c.lrIndex(), c.wdIndex(), c.mIndex(), c.init()));
                        assertEquals(betas[m], c.momentum());
                        assertEquals(k, Shard.position(c, 2, 3, 2), "shard position = grid position");
                        assertEquals(Optimizer.nesterov(betas[m]), s.training().optimizerOf(c));
                        k++;
                    }
                }
            }
        }
        assertEquals(cells.size(), cells.stream().map(Cell::key).distinct().count());
        assertEquals(cells.size(), cells.stream().map(Cell::identity).distinct().count());
        assertEquals(cells.size(), cells.stream().mapToLong(Cell::valueKey).distinct().count());
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < 5; i++) for (Cell c : new Shard(i, 5).cells(s)) assertEquals(null, owner.put(c.key(), i));
        assertEquals(cells.size(), owner.size(), "the shards partition the grid");
        // one β: the keys and positions of before the axis
        assertEquals("1/0", new Cell(1, 1, 0, 0, 0, 0.9, 0).key());
        assertEquals("1/1/2/0", new Cell(1, 1, 1, 0.1, 2, 0.5, 0).key());
        // the run.json label states the first β; GD with a grid is heavy ball
        assertEquals("nesterov:0.9", s.training().optimizer().label());
        assertEquals(Optimizer.momentum(0), base().learningRates(1).momenta(0, 0.9).build().training().optimizer());
    }

    /** Catches a momentum grid that accepts β ≥ 1, a negative β, NaN, an empty list or a value twice. */
    @Test
    void badMomentaNameTheSetting() {
        for (double[] bad : new double[][] {{1}, {-0.1}, {Double.NaN}, {}, {0.5, 0.5}, {0, -0.0}}) {
            InputException e = assertThrows(InputException.class, () -> base().learningRates(1).momenta(bad).build());
            assertEquals("training.momenta", e.setting().orElseThrow(), e.getMessage());
        }
    }

    /** Catches spec equality or run.json that forget the momentum grid (a resume with another list must be refused). */
    @Test
    void theMomentumGridRoundTripsThroughRunJson() {
        SweepSpec s = base().learningRates(1).optimizer(Optimizer.momentum(0.5)).momenta(0.5, 0.9).build();
        assertEquals(s, SpecJson.read(SpecJson.tree(s)));
        assertNotEquals(s, base().learningRates(1).optimizer(Optimizer.momentum(0.5)).momenta(0.5, 0.8).build());
        SweepSpec plain = base().learningRates(1).optimizer(Optimizer.momentum(0.5)).build();
        assertTrue(SpecJson.tree(plain).path("training").path("momenta").isMissingNode(), "absent when not an axis");
        assertEquals(plain, SpecJson.read(SpecJson.tree(plain)));
    }

    /**
     * A killed multi-β sweep, resumed, gives the bytes of an uninterrupted one (resume finds its cells
     * by key, momentum index included), in batches that mix β values.
     */
    @Test
    void aResumedMultiMomentumSweepGivesTheSameBytes() throws IOException {
        SweepSpec s = base().learningRates(0.1, 1.5).optimizer(Optimizer.momentum(0.9)).momenta(0.9, 0).build();
        Path whole = tmp.resolve("whole");
        run(s, whole, 0, false);
        Path killed = tmp.resolve("killed");
        run(s, killed, 3, false);
        List<String> r = lines(killed.resolve("results.csv"));
        Files.write(killed.resolve("results.csv"), r.subList(0, 4), StandardCharsets.UTF_8); // 3 of 8 rows kept
        run(s, killed, 3, true);
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(Files.readString(whole.resolve(f)), Files.readString(killed.resolve(f)), f);
        }
    }

    /**
     * Identity by value: the cell (η = 1.5, β = 0.5, init 1) at different positions of two grids gives
     * the same bytes, sharpness included (its Lanczos start vector is keyed by the cell's values; the
     * key by grid position gave it another start vector at another position).
     */
    @Test
    void oneCellAtTwoGridPositionsGivesTheSameBytes() throws IOException {
        SweepSpec big = base().learningRates(0.1, 0.7, 1.5).inits(2).momenta(0, 0.5).build();
        SweepSpec small = base().learningRates(1.5).inits(2).momenta(0.5).build();
        Path a = tmp.resolve("big"), b = tmp.resolve("small");
        run(big, a, 0, false);
        run(small, b, 0, false);
        List<String> ra = lines(a.resolve("results.csv")), rb = lines(b.resolve("results.csv"));
        assertEquals(ra.get(0), rb.get(0));
        String want = strip(ra.stream().filter(l -> l.startsWith("2,1.5,0,0.0,momentum:0.5,1,0.5,1,")).findFirst()
                .orElseThrow());
        String got = strip(rb.stream().filter(l -> l.startsWith("0,1.5,0,0.0,momentum:0.5,0,0.5,1,")).findFirst()
                .orElseThrow());
        assertEquals(want, got);
        int sharp = List.of(ra.get(0).split(",")).indexOf("sharpness");
        assertTrue(sharp > 0 && Double.isFinite(Double.parseDouble(got.split(",")[sharp])), got);
        // GD too: lr_index 2 of three against lr_index 0 of one
        SweepSpec gdBig = base().learningRates(0.1, 0.7, 1.5).build(), gdSmall = base().learningRates(1.5).build();
        Path c = tmp.resolve("gd-big"), d = tmp.resolve("gd-small");
        run(gdBig, c, 0, false);
        run(gdSmall, d, 0, false);
        List<String> rc = lines(c.resolve("results.csv")), rd = lines(d.resolve("results.csv"));
        assertEquals(rc.get(5).substring(rc.get(5).indexOf(',')), rd.get(1).substring(rd.get(1).indexOf(',')));
    }

    /** The row without its index columns (lr_index, momentum_index). */
    private static String strip(String line) {
        String[] f = line.split(",", -1);
        f[0] = "";
        f[5] = "";
        return String.join(",", f);
    }

    /** Catches figures that mix the β values in one series: one series per β, and per (wd, β) with both axes. */
    @Test
    void theFiguresDrawOneSeriesPerMomentum() throws IOException {
        SweepSpec s = base().learningRates(0.1, 0.7, 1.5).weightDecays(0, 0.05).optimizer(Optimizer.momentum(0))
                .momenta(0, 0.9).extras(new SweepSpec.Extras(true, 0, true, false)).build();
        Path out = tmp.resolve("figures");
        run(s, out, 0, false);
        List<CellRow> rows = ResultsCsv.of(s).read(out.resolve("results.csv"));
        List<SweepPlots.Figure> figs = SweepPlots.figures(SummaryCsv.summarize(rows, s.training().optimizer()), rows, s, out,
                org.gdchaos.plot.PlotOptions.DEFAULT);
        Set<String> series = figs.get(0).chart().getSeriesMap().keySet();
        for (String g : List.of("wd = 0, β = 0", "wd = 0, β = 0.9", "wd = 0.05, β = 0", "wd = 0.05, β = 0.9")) {
            assertTrue(series.contains("mean λ1, " + g), series.toString());
        }
        Set<String> sharp = figs.stream().filter(f -> f.name().equals("sharpness_vs_lr")).findFirst().orElseThrow()
                .chart().getSeriesMap().keySet();
        assertTrue(sharp.contains("(2+2β)/η, β = 0") && sharp.contains("(2+2β)/η, β = 0.9"), sharp.toString());
        for (String f : List.of("lambda_vs_lr.png", "sharpness_vs_lr.png", "spectrum_vs_lr_wd_1_m_1.png",
                "curves_wd_0_m_1.png", "report.html")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("2 momentum values β") && report.contains("optimizer <code>momentum</code>"), "report facts");
        List<String> summary = lines(out.resolve("summary.csv"));
        assertEquals(1 + 3 * 2 * 2, summary.size(), "one summary row per (η, λ, β)");
        List<String> names = new ArrayList<>(List.of(summary.get(0).split(",")));
        assertEquals(List.of("lr_index", "lr", "wd_index", "weight_decay", "optimizer", "momentum_index", "momentum", "cells"),
                names.subList(0, 8));
    }
}
