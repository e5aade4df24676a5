package org.gdchaos.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.gdchaos.backend.ConvShape.Padding;
import org.gdchaos.backend.PoolShape.Pooling;
import org.junit.jupiter.api.Test;

class ConvShapeTest {

    @Test
    void convolutionSizes() {
        ConvShape same = new ConvShape(4, 28, 27, 3, 5, Padding.SAME);
        assertEquals(2, same.pad());
        assertEquals(28, same.outH());
        assertEquals(27, same.outW());
        assertEquals(75, same.patch());
        assertEquals(4 * 28 * 27, same.outPixels());
        assertEquals(4L * 28 * 27 * 3, same.inputSize());
        assertEquals(4L * 28 * 27 * 75, same.colsSize());
        ConvShape valid = new ConvShape(2, 7, 5, 1, 3, Padding.VALID);
        assertEquals(0, valid.pad());
        assertEquals(5, valid.outH());
        assertEquals(3, valid.outW());
        assertEquals(2L * 5 * 3 * 9, valid.colsSize());
        assertEquals(1, new ConvShape(1, 1, 1, 1, 1, Padding.VALID).colsSize());
    }

    @Test
    void invalidConvolutionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ConvShape(1, 8, 8, 1, 4, Padding.SAME));
        assertThrows(IllegalArgumentException.class, () -> new ConvShape(1, 4, 8, 1, 5, Padding.VALID));
        assertThrows(IllegalArgumentException.class, () -> new ConvShape(0, 8, 8, 1, 3, Padding.VALID));
        assertThrows(IllegalArgumentException.class, () -> new ConvShape(1, 8, 8, 0, 3, Padding.VALID));
        assertThrows(NullPointerException.class, () -> new ConvShape(1, 8, 8, 1, 3, null));
        // im2col matrix past 2^31 − 1 elements (kernels index an entry in int)
        assertThrows(IllegalArgumentException.class, () -> new ConvShape(1024, 224, 224, 64, 3, Padding.SAME));
    }

    @Test
    void poolingSizesFloorOddDimensions() {
        PoolShape p = new PoolShape(Pooling.MAX, 3, 7, 6, 2);
        assertEquals(3, p.outH());
        assertEquals(3, p.outW());
        assertEquals(3L * 7 * 6 * 2, p.inputSize());
        assertEquals(3L * 3 * 3 * 2, p.outputSize());
        assertEquals(0, Pooling.AVG.code());
        assertEquals(1, Pooling.MAX.code());
        assertThrows(IllegalArgumentException.class, () -> new PoolShape(Pooling.AVG, 1, 1, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new PoolShape(Pooling.AVG, 1, 4, 4, 0));
        assertThrows(NullPointerException.class, () -> new PoolShape(null, 1, 4, 4, 1));
    }
}
