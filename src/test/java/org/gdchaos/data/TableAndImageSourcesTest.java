package org.gdchaos.data;

import static org.gdchaos.data.NpyTestFiles.npy;
import static org.gdchaos.data.NpyTestFiles.text;
import static org.gdchaos.data.NpyTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** csv: tables, cifar10: folders, --test-data and --normalize. */
class TableAndImageSourcesTest {
    @TempDir
    Path tmp;

    @Test
    void csvLabelColumnTargetColumnsAndQuotes() throws IOException {
        Path c = text(tmp, "t.csv", "\"a\",b,\"c, d\",label\n1,2,3,1\n\n4,5,6,0\n\"7\",8,9e0,2\n");
        DataSplit s = DataSpec.parse("csv:" + c).load(2, 1);
        assertEquals(3, s.features());
        assertEquals(3, s.outputs());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, s.train().x(), 0);
        assertArrayEquals(new int[] {1, 0}, s.train().labels());
        DataSplit r = DataSpec.parse("csv:" + c + ":target=b,label").load(2, 1);
        assertFalse(r.isClassification());
        assertEquals(2, r.outputs());
        assertArrayEquals(new double[] {1, 3, 4, 6}, r.train().x(), 0, "features: the columns left, in order");
        assertArrayEquals(new double[] {2, 1, 5, 0}, r.train().y(), 0);
        DataSplit byIndex = DataSpec.parse("csv:" + c + ":label=0,classes=8").load(2, 1);
        assertEquals(8, byIndex.outputs());
        assertEquals(new Shape(1, 1, 3), DataSpec.parse("csv:" + c + ":label=0").sampleShape());
    }

    /** Only the rows used are parsed: a bad cell after them does not matter when both sizes are given. */
    @Test
    void csvPrefixStopsReading() throws IOException {
        Path c = text(tmp, "p.csv", "a,label\n1,0\n2,1\n3,0\nbroken,1\n");
        assertEquals(3, DataSpec.parse("csv:" + c).load(2, 1).train().n() + 1);
    }

    @Test
    void cifar10BatchesLoadChannelsLast() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("cifar"));
        try (OutputStream o = Files.newOutputStream(d.resolve("data_batch_1.bin"))) {
            NpyTestFiles.cifarBatch(o, new int[] {3, 9, 0}, 0);
        }
        try (OutputStream o = Files.newOutputStream(d.resolve("data_batch_2.bin"))) {
            NpyTestFiles.cifarBatch(o, new int[] {5, 1}, 3);
        }
        try (OutputStream o = Files.newOutputStream(d.resolve("test_batch.bin"))) {
            NpyTestFiles.cifarBatch(o, new int[] {7, 2}, 100);
        }
        DataSource s = DataSpec.parse("cifar10:" + d);
        assertEquals(new Shape(32, 32, 3), s.sampleShape());
        DataSplit sp = s.load(4, 1);
        assertArrayEquals(new int[] {3, 9, 0, 5}, sp.train().labels(), "batches in order");
        assertArrayEquals(new int[] {7}, sp.test().labels());
        assertEquals(10, sp.outputs());
        Dataset t = sp.train();
        for (int i : new int[] {0, 3}) {
            for (int[] hwc : new int[][] {{0, 0, 0}, {0, 1, 2}, {5, 7, 1}, {31, 31, 2}}) {
                int at = i * 3072 + (hwc[0] * 32 + hwc[1]) * 3 + hwc[2];
                assertEquals(NpyTestFiles.cifarPixel(i, hwc[2], hwc[0], hwc[1]) / 255.0, t.x()[at], 0,
                        "NHWC: sample " + i + " h,w,c " + java.util.Arrays.toString(hwc));
            }
        }
        assertEquals(5, s.load(0, 0).train().n(), "0 = every record of every batch");
        // a batch cut mid-record, and a label byte above 9
        Files.write(d.resolve("test_batch.bin"), java.util.Arrays.copyOf(Files.readAllBytes(d.resolve("test_batch.bin")),
                3073 + 100));
        DataException e = assertThrows(DataException.class, () -> s.load(1, 1));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("not a whole number"),
                e.getMessage());
        byte[] b = Files.readAllBytes(d.resolve("data_batch_1.bin"));
        b[3073] = 10;
        Files.write(d.resolve("data_batch_1.bin"), b);
        e = assertThrows(DataException.class, () -> DataSpec.load("cifar10:" + d, "split", Normalization.AUTO, 2, 0));
        assertTrue(e.getMessage().contains("data_batch_1.bin: record 1 has label 10"), e.getMessage());
    }

    @Test
    void testDataFromAnotherSourceAgreesOnClasses() throws IOException {
        Path x = write(tmp, "x.npy", npy("<f8", new long[] {4, 2}, 1, 2, 3, 4, 5, 6, 7, 8));
        Path y = write(tmp, "y.npy", npy("<i8", new long[] {4}, 0, 1, 0, 1));
        Path c = text(tmp, "test.csv", "a,b,label\n9,9,2\n8,8,0\n7,7,1\n");
        DataSplit s = DataSpec.load("npy:" + x + "," + y, "csv:" + c, Normalization.AUTO, 0, 2);
        assertEquals(4, s.train().n(), "the whole training pool");
        assertEquals(2, s.test().n(), "the first test-size rows of the test source");
        assertEquals(3, s.outputs(), "classes: the larger of the two");
        assertEquals(3, s.train().outputs());
        DataSplit own = DataSpec.load("npy:" + x + "," + y, "split", Normalization.AUTO, 3, 1);
        assertEquals(1, own.test().n());
        Path c4 = text(tmp, "wide.csv", "a,b,c,label\n1,2,3,0\n");
        DataException e = assertThrows(DataException.class,
                () -> DataSpec.load("npy:" + x + "," + y, "csv:" + c4, Normalization.AUTO, 0, 0));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void normalizationUsesTrainingStatistics() throws IOException {
        Path x = write(tmp, "x.npy", npy("<f8", new long[] {4, 2}, 0, 5, 2, 5, 4, 5, 10, 7));
        Path y = write(tmp, "y.npy", npy("<f8", new long[] {4}, 1, 2, 3, 4));
        String spec = "npy:" + x + "," + y;
        DataSplit raw = DataSpec.load(spec, null, Normalization.AUTO, 3, 1);
        assertSame(raw.train().x().length, 6);
        DataSplit unit = DataSpec.load(spec, null, Normalization.UNIT, 3, 1);
        assertArrayEquals(new double[] {0, 0, 0.5, 0, 1, 0}, unit.train().x(), 1e-15, "constant feature → 0");
        assertArrayEquals(new double[] {2.5, 0}, unit.test().x(), 1e-15, "test mapped with the training min/max");
        DataSplit std = DataSpec.load(spec, null, Normalization.STANDARD, 3, 1);
        double sd = Math.sqrt(8.0 / 3);
        assertArrayEquals(new double[] {-2 / sd, 0, 0, 0, 2 / sd, 0}, std.train().x(), 1e-12);
        assertArrayEquals(new double[] {8 / sd, 0}, std.test().x(), 1e-12);
        assertArrayEquals(raw.train().y(), std.train().y(), 0, "targets are not scaled");
        // image bytes: auto = /255, none = the bytes
        Path b = write(tmp, "b.npy", npy("|u1", new long[] {2, 2}, 0, 255, 51, 17));
        Path l = write(tmp, "l.npy", npy("<i8", new long[] {2}, 0, 1));
        String bs = "npy:" + b + "," + l;
        assertArrayEquals(new double[] {0, 1}, DataSpec.load(bs, null, Normalization.AUTO, 1, 1).train().x(), 0);
        assertArrayEquals(new double[] {0, 255}, DataSpec.load(bs, null, Normalization.NONE, 1, 1).train().x(), 0);
        assertArrayEquals(new double[] {51, 17}, DataSpec.load(bs, null, Normalization.NONE, 1, 1).test().x(), 0);
    }
}
