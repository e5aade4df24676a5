package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;

import org.gdchaos.sweep.store.CurvesCsv;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.ResultCollector;


import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.java.JavaBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two sinks of a sweep hold the same results: the rows and curves a {@link ResultCollector} keeps
 * in memory, written as the {@link ResultStore} writes them, are its results.csv, curves.csv and
 * summary.csv byte for byte; a store with a collector beside it writes the same bytes as one alone.
 */
class ResultSinkTest {
    @TempDir
    Path tmp;

    /** A grid with a diverging η, weight decay, two momenta and sharpness: every kind of column. */
    static SweepSpec spec() {
        return MomentumAxisSweepTest.base().learningRates(0.1, 1, 1e30).weightDecays(0, 0.1)
                .optimizer(Optimizer.nesterov(0.9)).momenta(0, 0.9).build();
    }

    static SweepResult run(SweepSpec s, SweepRunner.Options options) {
        try (JavaBackend be = new JavaBackend(BackendOptions.defaults())) {
            return new SweepRunner(be, s, options).run();
        }
    }

    @Test
    void memoryHoldsWhatTheFolderHolds() throws Exception {
        SweepSpec s = spec();
        Path folder = tmp.resolve("folder"), both = tmp.resolve("both");
        SweepResult disk = run(s, SweepRunner.Options.builder().out(folder).maxBatch(12).build());
        ResultCollector memory = new ResultCollector(true);
        SweepResult mem = run(s, SweepRunner.Options.builder().maxBatch(12).collectInto(memory).build());
        ResultCollector beside = new ResultCollector(false);
        SweepResult tee = run(s, SweepRunner.Options.builder().out(both).maxBatch(12).collectInto(beside).build());

        assertNull(mem.dir(), "nothing written");
        assertEquals(List.of(), mem.plots());
        assertEquals(s.cells().size(), mem.rows().size());
        assertTrue(mem.rows().stream().anyMatch(CellRow::diverged), "a diverged cell is compared");
        assertEquals(memory.rows(), mem.rows());

        ResultsCsv format = ResultsCsv.of(s);
        StringBuilder results = new StringBuilder(format.header()).append('\n');
        for (CellRow r : mem.rows()) results.append(format.line(r)).append('\n');
        assertEquals(Files.readString(folder.resolve(ResultStore.RESULTS)), results.toString(), "every column");
        assertEquals(Files.readString(folder.resolve(ResultStore.SUMMARY)), SummaryCsv.render(mem.summary()));

        Map<Cell.Identity, Map<String, double[]>> written = CurvesCsv.read(folder.resolve(ResultStore.CURVES),
                s.training().optimizer().beta1());
        Map<Cell.Identity, Map<String, double[]>> kept = memory.curves();
        assertEquals(written.keySet(), kept.keySet());
        for (Cell.Identity cell : kept.keySet()) {
            assertEquals(List.copyOf(written.get(cell).keySet()), List.copyOf(kept.get(cell).keySet()), cell.toString());
            for (String name : kept.get(cell).keySet()) {
                assertEquals(s.training().steps() + 1, kept.get(cell).get(name).length);
                assertArrayEquals(written.get(cell).get(name), kept.get(cell).get(name), cell + " " + name);
            }
        }

        for (String f : List.of(ResultStore.RESULTS, ResultStore.CURVES, ResultStore.SUMMARY)) {
            assertEquals(Files.readString(folder.resolve(f)), Files.readString(both.resolve(f)), f);
        }
        assertEquals(disk.rows().size(), tee.rows().size());
        assertEquals(mem.rows().size(), beside.rows().size());
        assertTrue(beside.curves().isEmpty(), "curves only when asked");
        for (int i = 0; i < beside.rows().size(); i++) {
            assertEquals(format.line(disk.rows().get(i)), format.line(beside.rows().get(i)));
        }
    }

    @Test
    void resumeNeedsAFolder() {
        assertThrows(IllegalArgumentException.class, () -> SweepRunner.Options.builder().resume(true).build());
    }
}
