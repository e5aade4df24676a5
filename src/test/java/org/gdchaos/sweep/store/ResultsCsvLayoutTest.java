package org.gdchaos.sweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.sweep.Cell;
import org.junit.jupiter.api.Test;

/**
 * Issue 23 item 8: results.csv's earlier layouts are recognised in one place ({@link ResultsCsv#layout}),
 * each reader's policy passed as a set, and brought to today's form in one place ({@link ResultsCsv#upgrade}).
 */
class ResultsCsvLayoutTest {
    static final ResultsCsv GD = new ResultsCsv(1, List.of(), 7L);
    static final ResultsCsv MOMENTUM = new ResultsCsv(1, List.of(), 7L, Optimizer.momentum(0.9));

    static String without(ResultsCsv f, List<String> columns) {
        List<String> n = new ArrayList<>(f.names());
        n.removeAll(columns);
        return String.join(",", n);
    }

    @Test
    void eachHeaderIsOneLayoutAndEachReaderAcceptsItsOwnSet() {
        String beforeWd = without(GD, ResultsCsv.WEIGHT_DECAY_COLUMNS);
        String beforeOpt = without(MOMENTUM, ResultsCsv.OPTIMIZER_COLUMNS);
        String previous = without(GD, List.of("reached", "seed", "precision_lost"));
        assertEquals(ResultsCsv.Layout.CURRENT, GD.layout(GD.header(), ResultsCsv.RESUMABLE));
        assertEquals(ResultsCsv.Layout.BEFORE_WEIGHT_DECAY, GD.layout(beforeWd, ResultsCsv.MERGEABLE));
        assertEquals(ResultsCsv.Layout.BEFORE_OPTIMIZER_COLUMNS, MOMENTUM.layout(beforeOpt, ResultsCsv.RESUMABLE));
        assertEquals(ResultsCsv.Layout.CURRENT, GD.layout(beforeOpt, ResultsCsv.RESUMABLE),
                "a non-GD sweep's files before the momentum axis have a GD sweep's columns");
        assertEquals(ResultsCsv.Layout.PREVIOUS_VERSION, GD.layout(previous, ResultsCsv.MERGEABLE));
        // the policies: resume refuses the previous version, report the layouts before the axes
        assertNull(GD.layout(previous, ResultsCsv.RESUMABLE));
        assertNull(GD.layout(beforeWd, ResultsCsv.REPORTABLE));
        assertEquals(ResultsCsv.Layout.PREVIOUS_VERSION, GD.layout(previous, ResultsCsv.REPORTABLE));
        assertNull(GD.layout(GD.header() + ",extra", ResultsCsv.MERGEABLE), "another sweep's columns");
    }

    @Test
    void upgradeWritesRowsOfAnEarlierLayoutInTodaysFormAndLeavesTodaysAlone() {
        CellRow row = CellRow.builder(new Cell(1, 0.5, 0, 0, 0, 0.9, 1), 7L).exponents(new double[] {0.25})
                .build();
        String line = MOMENTUM.line(row);
        List<String> today = List.of(MOMENTUM.header(), line);
        assertSame(today, MOMENTUM.upgrade(today, Path.of("results.csv")));

        String[] h = MOMENTUM.header().split(",");
        String[] f = line.split(",", -1);
        List<String> keep = new ArrayList<>();
        List<String> keepH = new ArrayList<>();
        for (int i = 0; i < h.length; i++) {
            if (ResultsCsv.OPTIMIZER_COLUMNS.contains(h[i])) continue;
            keepH.add(h[i]);
            keep.add(f[i]);
        }
        List<String> old = List.of(String.join(",", keepH), String.join(",", keep));
        assertEquals(ResultsCsv.Layout.BEFORE_OPTIMIZER_COLUMNS, MOMENTUM.layout(old.get(0), ResultsCsv.RESUMABLE));
        assertEquals(today, MOMENTUM.upgrade(old, Path.of("results.csv")), "momentum index 0 and the optimizer's β");
    }
}
