package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * A cell's random vectors (sharpness start vectors) are keyed by its values: cells that differ only in
 * their weight decay, momentum, learning rate or init draw different vectors, and one cell at two grid
 * positions draws the same.
 */
class BatchRunnerKeyTest {
    @Test
    void theKeyIsTheCellsValuesNotItsPosition() {
        Cell a = new Cell(1, 0.6, 0, 0, 1);
        Cell b = new Cell(1, 0.6, 1, 0.1, 1);
        Cell c = new Cell(1, 0.6, 2, 0.2, 1);
        Cell d = new Cell(1, 0.6, 0, 0, 1, 0.9, 1);
        assertNotEquals(BatchRunner.cellKey(a), BatchRunner.cellKey(b));
        assertNotEquals(BatchRunner.cellKey(b), BatchRunner.cellKey(c));
        assertNotEquals(BatchRunner.cellKey(a), BatchRunner.cellKey(d), "the momentum is part of the key");
        assertNotEquals(BatchRunner.cellKey(a), BatchRunner.cellKey(new Cell(1, 0.6, 0, 0, 2)), "so is the init");
        assertNotEquals(BatchRunner.cellKey(a), BatchRunner.cellKey(new Cell(1, 0.7, 0, 0, 1)), "and η");
        // the same values at other grid indices: the same key
        assertEquals(BatchRunner.cellKey(b), BatchRunner.cellKey(new Cell(7, 0.6, 0, 0.1, 3, 0, 1)));
        assertEquals(BatchRunner.cellKey(a), BatchRunner.cellKey(new Cell(1, 0.6, 0, -0.0, 1)), "−0.0 is 0");
    }
}
