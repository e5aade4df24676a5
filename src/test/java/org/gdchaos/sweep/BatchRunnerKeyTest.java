package org.gdchaos.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Cells that differ only in their weight decay draw different random vectors (sharpness start vectors). */
class BatchRunnerKeyTest {
    @Test
    void theWeightDecayIsPartOfACellsKey() {
        Cell a = new Cell(1, 0.6, 0, 0, 1);
        Cell b = new Cell(1, 0.6, 1, 0.1, 1);
        Cell c = new Cell(1, 0.6, 2, 0.2, 1);
        assertNotEquals(BatchRunner.cellKey(a), BatchRunner.cellKey(b));
        assertNotEquals(BatchRunner.cellKey(b), BatchRunner.cellKey(c));
        assertEquals((1L << 32) | 1, BatchRunner.cellKey(a), "keys without weight decay are unchanged");
    }
}
