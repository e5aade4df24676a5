package org.gdchaos.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetTest {

    private static Dataset three() {
        return Dataset.classification("d", new double[] {1, 2, 3, 4, 5, 6}, new int[] {2, 0, 1},
                2, 3);
    }

    @Test
    void oneHotAndSubset() {
        Dataset d = three();
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.y(), 0.0);
        Dataset s = d.subset(1, 2);
        assertEquals(2, s.n());
        assertArrayEquals(new double[] {3, 4, 5, 6}, s.x(), 0.0);
        assertArrayEquals(new int[] {0, 1}, s.labels());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, s.y(), 0.0);
        assertArrayEquals(new int[] {1, 1, 1}, d.classCounts());
        assertSame(d, d.head(3));
        assertEquals(three(), d);
        Dataset r = d.withoutLabels();
        assertNull(r.labels());
        assertFalse(r.isClassification());
        assertArrayEquals(d.y(), r.y(), 0.0);
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> three().subset(2, 2));
        assertThrows(IllegalArgumentException.class, () -> three().subset(0, 0));
        assertThrows(IllegalArgumentException.class, () -> three().subset(-1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.regression("r", new double[3], new double[2], 3, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.regression("r", new double[4], new double[3], 3, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("c", new double[2], new int[] {0, 3}, 1, 3));
        // y that is not the one-hot of labels
        assertThrows(IllegalArgumentException.class, () -> new Dataset("c", new double[2],
                new double[] {1, 0, 1, 0}, new int[] {0, 1}, 2, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new DataSplit(three(),
                Dataset.regression("r", new double[2], new double[3], 1, 2, 3)));
    }
}
