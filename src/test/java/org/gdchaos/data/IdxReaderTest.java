package org.gdchaos.data;

import static org.gdchaos.data.IdxTestFiles.gzip;
import static org.gdchaos.data.IdxTestFiles.idx;
import static org.gdchaos.data.IdxTestFiles.images;
import static org.gdchaos.data.IdxTestFiles.labels;
import static org.gdchaos.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private DataException fails(Path file, Runnable r, String... fragments) {
        DataException e = assertThrows(DataException.class, r::run);
        assertTrue(e.getMessage().contains(file.toString()),
                "message should name the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': "
                    + e.getMessage());
        }
        return e;
    }

    @Test
    void readsRawImagesAsBytesOver255() throws Exception {
        byte[] payload = {0, 1, (byte) 128, (byte) 255, 7, 8};
        Path f = write(dir, "img", idx(0x803, new int[] {1, 2, 3}, payload));
        IdxImages img = IdxReader.readImages(f);
        assertEquals(1, img.count());
        assertEquals(2, img.rows());
        assertEquals(3, img.cols());
        assertArrayEquals(new double[] {0, 1 / 255.0, 128 / 255.0, 1.0, 7 / 255.0, 8 / 255.0},
                img.toDoubles(0, 1), 0.0);
    }

    @Test
    void gzipIsDetectedByMagicNotByName() throws Exception {
        byte[] raw = images(3, 4, 5, 1);
        Path gzNamedRaw = write(dir, "images.raw", gzip(raw));
        Path rawNamedGz = write(dir, "images.gz", raw);
        IdxImages a = IdxReader.readImages(gzNamedRaw);
        IdxImages b = IdxReader.readImages(rawNamedGz);
        assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), a.pixels());
        assertArrayEquals(a.pixels(), b.pixels());
        Path lab = write(dir, "labels.bin", gzip(labels(3, 0, 9)));
        assertArrayEquals(new int[] {3, 0, 9}, IdxReader.readLabels(lab, 10));
    }

    @Test
    void readDatasetBuildsOneHotTargets() throws Exception {
        Path img = write(dir, "i", images(3, 2, 2, 5));
        Path lab = write(dir, "l", labels(2, 0, 1));
        Dataset d = IdxReader.readDataset(img, lab, "tiny", 3);
        assertEquals(3, d.n());
        assertEquals(4, d.features());
        assertEquals(3, d.outputs());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.y(), 0.0);
        assertEquals(((5 * 11 + 4 * 37) & 0xff) / 255.0, d.x()[4], 0.0);
    }

    @Test
    void badMagic() throws Exception {
        Path f = write(dir, "junk", new byte[] {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 5});
        fails(f, () -> IdxReader.readImages(f), "bad magic", "0x12345678", "0x00000803");
        Path floats = write(dir, "floats", idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));
        fails(floats, () -> IdxReader.readImages(floats), "bad magic");
    }

    @Test
    void wrongRank() throws Exception {
        Path labelsAsImages = write(dir, "lab", labels(1, 2));
        fails(labelsAsImages, () -> IdxReader.readImages(labelsAsImages),
                "wrong dimensions", "rank 3", "rank 1");
        Path imagesAsLabels = write(dir, "img", images(1, 1, 1, 0));
        fails(imagesAsLabels, () -> IdxReader.readLabels(imagesAsLabels, 10),
                "wrong dimensions", "rank 1", "rank 3");
    }

    @Test
    void zeroOrNegativeSizes() throws Exception {
        Path zero = write(dir, "zero", idx(0x803, new int[] {2, 0, 3}, new byte[0]));
        fails(zero, () -> IdxReader.readImages(zero), "wrong dimensions", "size 1 is 0");
        Path neg = write(dir, "neg", idx(0x801, new int[] {-1}, new byte[0]));
        fails(neg, () -> IdxReader.readLabels(neg, 10), "wrong dimensions", "4294967295");
        Path noLabels = write(dir, "none", idx(0x801, new int[] {0}, new byte[0]));
        fails(noLabels, () -> IdxReader.readLabels(noLabels, 10), "size 0 is 0");
    }

    @Test
    void truncatedPayloadHeaderAndGzip() throws Exception {
        byte[] full = images(4, 3, 3, 2);
        Path cut = write(dir, "cut", Arrays.copyOf(full, full.length - 5));
        fails(cut, () -> IdxReader.readImages(cut), "truncated", "36 data bytes", "after 31");
        Path header = write(dir, "header", Arrays.copyOf(full, 10));
        fails(header, () -> IdxReader.readImages(header), "truncated", "dimension");
        byte[] gz = gzip(full);
        Path gzCut = write(dir, "gzcut", Arrays.copyOf(gz, gz.length / 2));
        fails(gzCut, () -> IdxReader.readImages(gzCut), "truncated");
        Path empty = write(dir, "empty", new byte[0]);
        fails(empty, () -> IdxReader.readImages(empty), "truncated", "magic");
    }

    @Test
    void trailingBytesAreRejected() throws Exception {
        byte[] full = labels(1, 2, 3);
        byte[] longer = Arrays.copyOf(full, full.length + 2);
        Path f = write(dir, "long", longer);
        fails(f, () -> IdxReader.readLabels(f, 10), "trailing data");
    }

    @Test
    void labelOutOfRange() throws Exception {
        Path ten = write(dir, "ten", labels(0, 9, 10));
        fails(ten, () -> IdxReader.readLabels(ten, 10), "label 10", "sample 2", "0..9");
        Path three = write(dir, "three", labels(0, 1, 2, 5));
        assertArrayEquals(new int[] {0, 1, 2, 5}, IdxReader.readLabels(three, 10));
        fails(three, () -> IdxReader.readLabels(three, 3), "label 5", "0..2");
    }

    @Test
    void countMismatch() throws Exception {
        Path img = write(dir, "img", images(3, 2, 2, 0));
        Path lab = write(dir, "lab", labels(1, 2));
        DataException e = assertThrows(DataException.class,
                () -> IdxReader.readDataset(img, lab, "x", 10));
        assertTrue(e.getMessage().contains("count mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"),
                e.getMessage());
        assertTrue(e.getMessage().contains(img.toString()) && e.getMessage().contains(lab.toString()));
    }

    @Test
    void missingFileAndFolder() {
        Path missing = dir.resolve("nope-idx3-ubyte.gz");
        fails(missing, () -> IdxReader.readImages(missing), "file not found");
        fails(dir, () -> IdxReader.readLabels(dir, 10), "not a regular file");
    }
}
