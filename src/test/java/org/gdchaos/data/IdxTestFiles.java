package org.gdchaos.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Crafts IDX files byte by byte for the tests. */
final class IdxTestFiles {
    private IdxTestFiles() {
    }

    /** magic, dims (big-endian int32), then payload. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] images(int count, int rows, int cols, int seed) {
        byte[] p = new byte[count * rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ((i * 37 + seed * 11) & 0xff);
        }
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, p);
    }

    static byte[] labels(int... values) {
        byte[] p = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            p[i] = (byte) values[i];
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {values.length}, p);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }
}
