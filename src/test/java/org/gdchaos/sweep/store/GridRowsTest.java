package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 item 4: rows read back from a results.csv are checked against the grid by index and by
 * value ({@link GridRows}): duplicates, an lr (or weight decay) that contradicts its index, and cells
 * outside the grid are each reported with their line.
 */
class GridRowsTest {
    /** lr 0.1, 1, 10 × weight decay 0, 0.01 × 2 inits = 12 cells. */
    static final SweepSpec SPEC = SweepSpec.builder().learningRates(0.1, 1, 10).weightDecays(0, 0.01).inits(2).build();

    static CellRow row(int lrIndex, double lr, int wdIndex, double wd, int init) {
        return CellRow.builder(new Cell(lrIndex, lr, wdIndex, wd, init), 1).build();
    }

    static List<CellRow> grid() {
        List<CellRow> rows = new ArrayList<>();
        for (Cell c : SPEC.cells()) rows.add(CellRow.builder(c, 1).build());
        return rows;
    }

    @Test
    void theWholeGridInAnyOrderIsValid() {
        List<CellRow> rows = grid();
        java.util.Collections.reverse(rows);
        assertEquals(List.of(), GridRows.problems(rows, SPEC));
        assertEquals(List.of(), GridRows.problems(rows.subList(0, 5), SPEC), "a partial sweep is fine");
        assertNull(GridRows.describe(Path.of("results.csv"), rows, SPEC));
    }

    @Test
    void aDuplicatedCellIsRefusedEvenWhenIdentical() {
        List<CellRow> rows = grid();
        rows.add(rows.get(2));
        List<String> p = GridRows.problems(rows, SPEC);
        assertEquals(List.of("line 14: cell " + rows.get(2).cell().key() + " again (first on line 4)"), p);
    }

    @Test
    void anLrThatContradictsItsIndexIsRefused() {
        List<CellRow> rows = grid();
        rows.set(4, row(1, 0.5, 0, 0, 0));
        assertEquals(List.of("line 6: lr 0.5 contradicts lr_index 1 (the grid's rate there is 1.0)"),
                GridRows.problems(rows, SPEC));
    }

    @Test
    void aWeightDecayThatContradictsItsIndexIsRefused() {
        assertEquals(List.of("line 2: weight_decay 0.02 contradicts wd_index 1 (the grid's weight decay there is 0.01)"),
                GridRows.problems(List.of(row(0, 0.1, 1, 0.02, 0)), SPEC));
    }

    @Test
    void cellsOutsideTheGridAreRefused() {
        List<CellRow> rows = List.of(row(3, 100, 0, 0, 0), row(0, 0.1, 2, 0.1, 0), row(2, 10, 0, 0, 2));
        List<String> p = GridRows.problems(rows, SPEC);
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("line 2: lr_index 3 is outside the grid's 3 learning rates"), p.get(0));
        assertTrue(p.get(1).startsWith("line 3: wd_index 2 is outside the grid's 2 weight decays"), p.get(1));
        assertTrue(p.get(2).startsWith("line 4: init 2 is outside the grid's 2 initialisations"), p.get(2));
        String d = GridRows.describe(Path.of("x", "results.csv"), rows, SPEC);
        assertTrue(d.startsWith(Path.of("x", "results.csv") + " holds 3 row(s) that are not distinct cells"), d);
    }

    @Test
    void aCellAtAnotherCellsValueButItsOwnIndexIsCaughtByValue() {
        // lr_index 2 with the lr of index 0: a row that keys by index looks like cell 2/0, by value like cell 0/0
        List<CellRow> rows = grid();
        rows.set(8, row(2, 0.1, 0, 0, 0));
        List<String> p = GridRows.problems(rows, SPEC);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("lr 0.1 contradicts lr_index 2"), p.get(0));
    }
}
