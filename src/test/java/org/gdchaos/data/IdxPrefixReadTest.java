package org.gdchaos.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 7: a gzip bomb (a small file whose header declares millions of images) costs only
 * the samples asked for. Work is counted in bytes decompressed, not timed: the file below declares
 * 2,000,000 28×28 images (1.57 GB once decompressed) but its gzip stream holds 500 images and then
 * ends; asking for 40 samples must read 40, so it loads, whereas reading the declared payload fails
 * with "truncated" (what the whole-file reader did, after decompressing and holding everything).
 */
class IdxPrefixReadTest {
    @TempDir
    Path tmp;

    static final int DECLARED = 2_000_000;
    static final int HELD = 500;

    /** A gzip stream of the header and the first {@code held} images (pixel value = image index mod 251), ending there. */
    static byte[] bomb(int declared, int held) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(new byte[] {0, 0, 8, 3});
            gz.write(new byte[] {(byte) (declared >>> 24), (byte) (declared >>> 16), (byte) (declared >>> 8),
                (byte) declared, 0, 0, 0, 28, 0, 0, 0, 28});
            byte[] img = new byte[784];
            for (int i = 0; i < held; i++) {
                java.util.Arrays.fill(img, (byte) (i % 251));
                gz.write(img);
            }
        }
        return b.toByteArray();
    }

    static byte[] labels(int declared, int held) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(new byte[] {0, 0, 8, 1, (byte) (declared >>> 24), (byte) (declared >>> 16), (byte) (declared >>> 8),
                (byte) declared});
            for (int i = 0; i < held; i++) gz.write(i % 10);
        }
        return b.toByteArray();
    }

    @Test
    void onlyTheRequestedImagesAreRead() throws IOException {
        Path f = Files.write(tmp.resolve("images-idx3-ubyte.gz"), bomb(DECLARED, HELD));
        IdxImages im = IdxReader.readImages(f, 40);
        assertEquals(40, im.count());
        assertEquals(40 * 784, im.pixels().length, "held: the 40 images asked for, not the 2,000,000 declared");
        assertEquals(39, im.pixels()[39 * 784] & 0xff);
        DataException all = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> IdxReader.readImages(f, 0));
        assertTrue(all.getMessage().contains("truncated"), all.getMessage());
    }

    @Test
    void anIdxFolderBombLoadsJustTheSamplesUsed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bomb"));
        Files.write(dir.resolve("images-idx3-ubyte.gz"), bomb(DECLARED, HELD));
        Files.write(dir.resolve("labels-idx1-ubyte.gz"), labels(DECLARED, HELD));
        DataSplit s = DataSpec.parse("idx:" + dir).load(20, 20);
        assertEquals(20, s.train().n());
        assertEquals(20, s.test().n());
        // the test samples are the pool's next 20: image 20 holds pixel value 20
        assertEquals(20 / 255.0, s.test().x()[0], 1e-12);
        // split train/test files: each reads its prefix only
        Path two = Files.createDirectories(tmp.resolve("two"));
        for (String p : new String[] {"train", "t10k"}) {
            Files.write(two.resolve(p + "-images-idx3-ubyte.gz"), bomb(DECLARED, HELD));
            Files.write(two.resolve(p + "-labels-idx1-ubyte.gz"), labels(DECLARED, HELD));
        }
        DataSplit t = DataSpec.parse("idx:" + two).load(30, 10);
        assertEquals(30, t.train().n());
        assertEquals(10, t.test().n());
        int[] want = new int[10];
        for (int i = 0; i < 10; i++) want[i] = i % 10;
        assertArrayEquals(want, t.test().labels());
    }
}
