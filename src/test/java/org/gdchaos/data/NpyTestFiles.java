package org.gdchaos.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes .npy, .npz, gzip, CSV and CIFAR-10 files in their exact formats for the tests (no NumPy needed). */
public final class NpyTestFiles {
    private NpyTestFiles() {
    }

    /** An .npy file (version 1.0) with a header as NumPy writes it, padded to 64 bytes. */
    public static byte[] npy(String descr, boolean fortran, long[] shape, byte[] data) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        s.append(shape.length == 1 ? ",)" : ")");
        return npyWithHeader("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + s + ", }", data);
    }

    /** An .npy file with the given header dict text. */
    public static byte[] npyWithHeader(String dict, byte[] data) {
        int pre = 10;
        int len = dict.length() + 1;
        int pad = (64 - (pre + len) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.write(header.length() & 0xff);
        b.write(header.length() >> 8);
        b.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(data);
        return b.toByteArray();
    }

    /**
     * The bytes of {@code values} (in file order) as dtype {@code descr}: {@code <f8 >f8 <f4 >f4 |u1 <i8 >i4 <i2 |b1}
     * and the like.
     */
    public static byte[] encode(String descr, double... values) {
        char order = descr.charAt(0);
        char kind = descr.charAt(1);
        int size = Integer.parseInt(descr.substring(2));
        ByteBuffer b = ByteBuffer.allocate(values.length * size)
                .order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (kind == 'f') {
                if (size == 4) b.putFloat((float) v);
                else b.putDouble(v);
            } else if (size == 1) {
                b.put((byte) (long) v);
            } else if (size == 2) {
                b.putShort((short) (long) v);
            } else if (size == 4) {
                b.putInt((int) (long) v);
            } else {
                b.putLong((long) v);
            }
        }
        return b.array();
    }

    /** A C-order .npy of {@code values} (row-major) with this dtype and shape. */
    public static byte[] npy(String descr, long[] shape, double... values) {
        return npy(descr, false, shape, encode(descr, values));
    }

    public static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    /** An .npz archive of {@code members} (name without .npy → bytes), deflated or stored. */
    public static byte[] npz(Map<String, byte[]> members, boolean deflate) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey() + ".npy");
                if (!deflate) {
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    /** Writes {@code text} as UTF-8. */
    public static Path text(Path dir, String name, String text) throws IOException {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A CIFAR-10 batch of {@code labels.length} records: label byte, then R, G, B planes of 32×32; the pixel of
     * record i, channel c, row h, column w is {@link #cifarPixel}.
     */
    public static void cifarBatch(OutputStream out, int[] labels, int first) throws IOException {
        for (int i = 0; i < labels.length; i++) {
            byte[] rec = new byte[3073];
            rec[0] = (byte) labels[i];
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 32; h++) {
                    for (int w = 0; w < 32; w++) rec[1 + 1024 * c + 32 * h + w] = (byte) cifarPixel(first + i, c, h, w);
                }
            }
            out.write(rec);
        }
    }

    /** The test pattern of CIFAR-10 files: distinct per record, channel, row and column. */
    public static int cifarPixel(int i, int c, int h, int w) {
        return (7 * i + 50 * c + 3 * h + w) & 0xff;
    }
}
