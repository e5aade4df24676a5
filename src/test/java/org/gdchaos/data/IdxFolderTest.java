package org.gdchaos.data;

import static org.gdchaos.data.IdxTestFiles.gzip;
import static org.gdchaos.data.IdxTestFiles.images;
import static org.gdchaos.data.IdxTestFiles.labels;
import static org.gdchaos.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFolderTest {

    @TempDir
    Path dir;

    private void standardLayout() throws Exception {
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(6, 2, 3, 1)));
        write(dir, "train-labels-idx1-ubyte.gz", gzip(labels(0, 1, 2, 3, 4, 5)));
        write(dir, "t10k-images-idx3-ubyte", images(4, 2, 3, 2));   // raw, no .gz
        write(dir, "t10k-labels-idx1-ubyte", labels(9, 8, 7, 6));
    }

    @Test
    void standardLayoutTakesPrefixes() throws Exception {
        standardLayout();
        DataSplit all = DataSpec.parse("idx:" + dir).load();
        assertEquals(6, all.train().n());
        assertEquals(4, all.test().n());
        assertEquals(6, all.features());
        assertEquals(10, all.outputs());
        assertArrayEquals(new int[] {9, 8, 7, 6}, all.test().labels());
        // pixel 0 of test image 1 = byte (6·37 + 2·11) & 0xff
        assertEquals(((6 * 37 + 22) & 0xff) / 255.0, all.test().x()[6], 0.0);

        DataSplit sub = DataSpec.parse("idx:" + dir).load(4, 2);
        assertEquals(4, sub.train().n());
        assertArrayEquals(new int[] {0, 1, 2, 3}, sub.train().labels());
        assertArrayEquals(java.util.Arrays.copyOf(all.train().x(), 24), sub.train().x(), 0.0);
        assertEquals(2, sub.test().n());

        DataException e = assertThrows(DataException.class,
                () -> DataSpec.parse("idx:" + dir).load(7, 1));
        assertTrue(e.getMessage().contains("7 training samples requested but only 6 exist"),
                e.getMessage());
        e = assertThrows(DataException.class, () -> DataSpec.parse("idx:" + dir).load(0, 5));
        assertTrue(e.getMessage().contains("5 test samples requested but only 4"), e.getMessage());
    }

    /** The sample shape is the header's rows × cols × 1, read before loading and carried by the split. */
    @Test
    void imagesKeepTheirShape() throws Exception {
        standardLayout();
        DataSource src = DataSpec.parse("idx:" + dir);
        assertEquals(new org.gdchaos.data.Shape(2, 3, 1), src.sampleShape());
        DataSplit d = src.load();
        assertEquals(new org.gdchaos.data.Shape(2, 3, 1), d.shape());
        assertEquals(d.shape(), d.test().shape());
        assertEquals(d.shape(), d.train().subset(1, 2).shape());
        // a missing folder: MNIST's shape, and load says what is wrong
        assertEquals(new org.gdchaos.data.Shape(28, 28, 1), DataSpec.parse("idx:" + dir.resolve("none")).sampleShape());
        // test images of another shape (same pixel count) are refused by name
        write(dir, "t10k-images-idx3-ubyte", images(4, 3, 2, 2));
        DataException e = assertThrows(DataException.class, src::load);
        assertTrue(e.getMessage().contains("2x3x1") && e.getMessage().contains("3x2x1"), e.getMessage());
    }

    @Test
    void singlePairIsSplitTrainThenTest() throws Exception {
        write(dir, "images-idx3-ubyte.gz", gzip(images(10, 1, 2, 3)));
        write(dir, "labels-idx1-ubyte.gz", gzip(labels(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        DataSource src = DataSpec.parse("idx:" + dir);
        assertEquals(new org.gdchaos.data.Shape(1, 2, 1), src.sampleShape());
        DataSplit s = src.load(3, 4);
        assertEquals(new org.gdchaos.data.Shape(1, 2, 1), s.shape());
        assertArrayEquals(new int[] {0, 1, 2}, s.train().labels());
        assertArrayEquals(new int[] {3, 4, 5, 6}, s.test().labels());
        DataSplit d = src.load();
        assertEquals(8, d.train().n());
        assertEquals(2, d.test().n());
        assertEquals(3, src.load(7, 0).test().n());
        DataException e = assertThrows(DataException.class, () -> src.load(6, 5));
        assertTrue(e.getMessage().contains("exceeds the 10 samples"), e.getMessage());
        e = assertThrows(DataException.class, () -> src.load(10, 0));
        assertTrue(e.getMessage().contains("leaves no test samples"), e.getMessage());
    }

    @Test
    void pairWithMismatchedCounts() throws Exception {
        write(dir, "images-idx3-ubyte.gz", gzip(images(5, 1, 2, 3)));
        write(dir, "labels-idx1-ubyte", labels(0, 1, 2));
        DataException e = assertThrows(DataException.class,
                () -> DataSpec.parse("idx:" + dir).load());
        assertTrue(e.getMessage().contains("count mismatch"), e.getMessage());
    }

    @Test
    void folderWithoutIdxFilesListsExpectedNames() throws Exception {
        Files.writeString(dir.resolve("readme.txt"), "hi");
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(1, 1, 1, 0)));
        DataException e = assertThrows(DataException.class,
                () -> DataSpec.parse("idx:" + dir).load());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("readme.txt"), e.getMessage());
    }

    @Test
    void missingFolderGivesHint() {
        Path nowhere = dir.resolve("absent");
        DataException e = assertThrows(DataException.class,
                () -> new IdxFolder(nowhere, "fashion-mnist", DataSpec.FASHION_MNIST_HINT).load());
        assertTrue(e.getMessage().contains("folder not found: " + nowhere), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void fashionMnistFromDebianPackage() {
        assumeTrue(Files.isDirectory(DataSpec.FASHION_MNIST_DIR),
                "dataset-fashion-mnist not installed");
        DataSplit s = DataSpec.parse("fashion-mnist").load(200, 100);
        assertEquals(200, s.train().n());
        assertEquals(100, s.test().n());
        assertEquals(784, s.features());
        assertEquals(10, s.outputs());
        int[] counts = s.train().classCounts();
        for (int c : counts) {
            assertTrue(c > 0, "every class present in the first 200 training samples");
        }
        double max = 0;
        for (double v : s.train().x()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertEquals(1.0, max, 0.0);
    }
}
