package org.gdchaos.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

class EmbeddedMnistTest {

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = EmbeddedMnist.class.getResourceAsStream(
                EmbeddedMnist.RESOURCE_DIR + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void embeddedFilesMatchPublishedChecksums() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertEquals("1b08aec5266b9ded92964efa69a0e1883c7ff10c59b9679de88eb76066d94450",
                HexFormat.of().formatHex(sha.digest(resource(EmbeddedMnist.IMAGES))));
        assertEquals("85072031328340baba6174701ca73e98c872823be2db163dc212e6e4aa96056f",
                HexFormat.of().formatHex(sha.digest(resource(EmbeddedMnist.LABELS))));
        String readme = new String(resource("README.md"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(readme.contains("CC BY-SA 3.0"));
    }

    @Test
    void quickSplitMatchesRawBytes() throws Exception {
        DataSplit s = DataSpec.parse("mnist-10k").load(1000, 1000);
        assertEquals(1000, s.train().n());
        assertEquals(1000, s.test().n());
        assertEquals(784, s.features());
        assertEquals(10, s.outputs());
        // independent oracle: decode the gzip by hand, header is 16 / 8 bytes
        byte[] img;
        byte[] lab;
        try (InputStream in = new GZIPInputStream(
                new java.io.ByteArrayInputStream(resource(EmbeddedMnist.IMAGES)))) {
            img = in.readAllBytes();
        }
        try (InputStream in = new GZIPInputStream(
                new java.io.ByteArrayInputStream(resource(EmbeddedMnist.LABELS)))) {
            lab = in.readAllBytes();
        }
        assertEquals(16 + 10_000 * 784, img.length);
        assertEquals(8 + 10_000, lab.length);
        for (int i : new int[] {0, 1, 999}) {
            assertEquals(lab[8 + i], s.train().labels()[i]);
            assertEquals(1.0, s.train().y()[i * 10 + lab[8 + i]], 0.0);
            for (int p = 0; p < 784; p += 13) {
                assertEquals((img[16 + i * 784 + p] & 0xff) / 255.0, s.train().x()[i * 784 + p], 0.0);
            }
        }
        // the test set starts right after the training set
        assertEquals(lab[8 + 1000], s.test().labels()[0]);
        assertEquals(lab[8 + 1999], s.test().labels()[999]);
        assertEquals((img[16 + 1500 * 784 + 400] & 0xff) / 255.0,
                s.test().x()[500 * 784 + 400], 0.0);
        // any prefix is roughly balanced: each digit 5–15 % of the first 1000
        for (int c : s.train().classCounts()) {
            assertTrue(c >= 50 && c <= 150, "class count " + c);
        }
        double min = 1;
        double max = 0;
        for (double v : s.train().x()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0.0, min, 0.0);
        assertEquals(1.0, max, 0.0);
    }

    @Test
    void defaultsAndLimits() {
        DataSource src = DataSpec.parse(null);
        assertEquals("mnist-10k", src.spec());
        DataSplit d = src.load();
        assertEquals(src.sampleShape(), d.shape(), "the shape known before loading is the loaded one");
        assertEquals(new org.gdchaos.data.Shape(28, 28, 1), d.test().shape());
        assertEquals(8000, d.train().n());
        assertEquals(2000, d.test().n());
        assertEquals(9000, src.load(0, 1000).train().n());
        assertEquals(10_000, src.load(9999, 1).train().n() + 1);
        DataException e = assertThrows(DataException.class, () -> src.load(9000, 1001));
        assertTrue(e.getMessage().contains("mnist-10k") && e.getMessage().contains("10000"),
                e.getMessage());
        assertThrows(DataException.class, () -> src.load(10_000, 0));
        // prefix-consistency: the first 10 of a 1000-sample train set are the 10-sample one
        assertArrayEquals(src.load(10, 5).train().x(),
                src.load(1000, 5).train().subset(0, 10).x(), 0.0);
    }
}
