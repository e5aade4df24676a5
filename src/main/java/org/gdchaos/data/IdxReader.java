package org.gdchaos.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), gzip-compressed or raw. Compression is detected by
 * the gzip magic bytes {@code 1f 8b}, never by the file name.
 *
 * <p>Layout (all integers big-endian): magic {@code 00 00 TT RR} with type {@code TT = 0x08}
 * (unsigned byte) and rank {@code RR}; then {@code RR} int32 dimension sizes; then
 * {@code Π sizes} data bytes, and nothing after them. Images are rank 3
 * (magic {@code 0x00000803}: count, rows, cols); labels are rank 1 (magic {@code 0x00000801}).
 *
 * <p>Every failure is a {@link DataException} naming the file: missing file, bad magic,
 * wrong rank, zero or negative sizes, truncation (fewer bytes than the header declares,
 * including a truncated gzip stream), trailing bytes, labels outside {@code [0, classes)}.
 * The readers that take a {@code limit} read only that many samples (the rest of the file is neither
 * decompressed nor held: a gzip bomb costs what is asked for); they check the header and the
 * samples read, and the whole file only when every sample is asked for.
 */
public final class IdxReader {

    /** Magic of an unsigned-byte rank-3 IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte rank-1 IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** IDX type code of unsigned bytes. */
    static final int TYPE_UBYTE = 0x08;

    private IdxReader() {
    }

    /** Reads an idx3 image file. */
    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
    }

    /**
     * The header of an idx3 image file: {count, rows, cols}, without reading the pixels (the first
     * 16 bytes, decompressed when the file is gzip).
     */
    public static int[] readImagesHeader(Path file) {
        try (InputStream in = open(file)) {
            return readHeader(decompressIfGzip(in), file.toString(), 3, "images");
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
    }

    /** Reads an idx3 image file from a stream (gzip detected); {@code source} names it in errors. */
    public static IdxImages readImages(InputStream raw, String source) {
        return readImages(raw, source, 0);
    }

    /**
     * Reads only the first {@code limit} images of an idx3 image file (all when {@code limit ≤ 0} or
     * the file has no more): the rest of the file is never decompressed or held, so a small gzip file
     * whose header declares millions of images costs only the images asked for. When every image is
     * read the file is checked whole (truncation, trailing bytes); otherwise only up to the last
     * image read.
     */
    public static IdxImages readImages(Path file, int limit) {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString(), limit);
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
    }

    /** {@link #readImages(Path, int)} from a stream (gzip detected); {@code source} names it in errors. */
    public static IdxImages readImages(InputStream raw, String source, int limit) {
        try {
            InputStream in = decompressIfGzip(raw);
            int[] dims = readHeader(in, source, 3, "images");
            int n = limit > 0 && limit < dims[0] ? limit : dims[0];
            long total = (long) n * dims[1] * dims[2];
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataException(source + ": " + n + " × " + dims[1] + " × " + dims[2]
                        + " images are too large to hold in memory (" + total + " bytes)");
            }
            byte[] pixels = n == dims[0] ? readPayload(in, source, (int) total)
                    : readExactly(in, (int) total, source, null);
            return new IdxImages(source, n, dims[1], dims[2], pixels);
        } catch (IOException e) {
            throw wrap(source, e);
        }
    }

    /** The number of labels an idx1 label file declares, from its 8-byte header (decompressed when gzip). */
    public static int readLabelsCount(Path file) {
        try (InputStream in = open(file)) {
            return readHeader(decompressIfGzip(in), file.toString(), 1, "labels")[0];
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
    }

    /**
     * The first {@code limit} labels of an idx1 label file (all when {@code limit ≤ 0}); each read one
     * must lie in {@code [0, classes)}. As {@link #readImages(Path, int)}, only they are read.
     */
    public static int[] readLabels(Path file, int classes, int limit) {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString(), classes, limit);
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
    }

    /** Reads an idx1 label file; every label must lie in {@code [0, classes)}. */
    public static int[] readLabels(Path file, int classes) {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString(), classes);
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
    }

    /** Reads an idx1 label file from a stream (gzip detected). */
    public static int[] readLabels(InputStream raw, String source, int classes) {
        return readLabels(raw, source, classes, 0);
    }

    /** {@link #readLabels(Path, int, int)} from a stream (gzip detected). */
    public static int[] readLabels(InputStream raw, String source, int classes, int limit) {
        if (classes <= 0 || classes > 256) {
            throw new IllegalArgumentException("classes must be in 1..256, got " + classes);
        }
        try {
            InputStream in = decompressIfGzip(raw);
            int[] dims = readHeader(in, source, 1, "labels");
            int n = limit > 0 && limit < dims[0] ? limit : dims[0];
            byte[] bytes = n == dims[0] ? readPayload(in, source, n) : readExactly(in, n, source, null);
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                int c = bytes[i] & 0xff;
                if (c >= classes) {
                    throw new DataException(source + ": label " + c + " of sample " + i
                            + " is outside 0.." + (classes - 1));
                }
                labels[i] = c;
            }
            return labels;
        } catch (IOException e) {
            throw wrap(source, e);
        }
    }

    /**
     * Reads images and labels of the same samples and checks that their counts agree.
     * Pixels become {@code byte/255.0}; targets are one-hot over {@code classes}.
     */
    public static Dataset readDataset(Path images, Path labels, String name, int classes) {
        IdxImages img = readImages(images);
        int[] lab = readLabels(labels, classes);
        checkCounts(img, lab, labels.toString());
        return Dataset.classification(name, img.toDoubles(0, img.count()), lab,
                img.features(), classes).withShape(img.shape());
    }

    /** Throws when the image and label counts that the headers declare differ. */
    static void checkCounts(Path images, int imageCount, Path labels, int labelCount) {
        if (imageCount != labelCount) {
            throw new DataException("label/image count mismatch: " + images + " has " + imageCount + " images but "
                    + labels + " has " + labelCount + " labels");
        }
    }

    /** Throws when the image and label counts differ. */
    static void checkCounts(IdxImages images, int[] labels, String labelSource) {
        if (images.count() != labels.length) {
            throw new DataException("label/image count mismatch: " + images.source() + " has "
                    + images.count() + " images but " + labelSource + " has " + labels.length
                    + " labels");
        }
    }

    private static InputStream open(Path file) {
        if (!Files.exists(file)) {
            throw new DataException("file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new DataException("not a regular file: " + file);
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
    }

    private static InputStream decompressIfGzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    /** Reads magic + dimensions; returns the sizes. */
    private static int[] readHeader(InputStream in, String source, int rank, String what)
            throws IOException {
        byte[] magic = readExactly(in, 4, source, "the 4-byte magic number");
        int m = ((magic[0] & 0xff) << 24) | ((magic[1] & 0xff) << 16)
                | ((magic[2] & 0xff) << 8) | (magic[3] & 0xff);
        int expected = (TYPE_UBYTE << 8) | rank;
        if (magic[0] != 0 || magic[1] != 0 || (magic[2] & 0xff) != TYPE_UBYTE) {
            throw new DataException(source + ": bad magic number 0x" + hex(m) + ", expected 0x"
                    + hex(expected) + " (IDX " + what + ", unsigned bytes): not an IDX file,"
                    + " or an unsupported element type");
        }
        if ((magic[3] & 0xff) != rank) {
            throw new DataException(source + ": wrong dimensions: IDX " + what + " must have rank "
                    + rank + " (magic 0x" + hex(expected) + "), this file has rank "
                    + (magic[3] & 0xff) + " (magic 0x" + hex(m) + ")");
        }
        byte[] raw = readExactly(in, 4 * rank, source, "the " + rank + " dimension size(s)");
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = ((raw[4 * d] & 0xff) << 24) | ((raw[4 * d + 1] & 0xff) << 16)
                    | ((raw[4 * d + 2] & 0xff) << 8) | (raw[4 * d + 3] & 0xff);
            if (dims[d] <= 0) {
                throw new DataException(source + ": wrong dimensions: size " + d + " is "
                        + (dims[d] & 0xffffffffL) + " (as unsigned), every size must be positive"
                        + " and below 2^31");
            }
        }
        return dims;
    }

    private static byte[] readPayload(InputStream in, String source, int length)
            throws IOException {
        byte[] data = readExactly(in, length, source, null);
        if (in.read() != -1) {
            throw new DataException(source + ": trailing data after the " + length
                    + " bytes the header declares (wrong dimensions in the header?)");
        }
        return data;
    }

    /** Largest buffer allocated before the bytes to fill it have been read. */
    static final int CHUNK = 1 << 20;

    /**
     * Reads exactly {@code length} bytes. The buffer grows (doubling, from at most {@link #CHUNK})
     * only as bytes actually arrive, so a header that claims more than the file holds fails with
     * "truncated" after allocating about twice what the file has, never what the header claims.
     */
    private static byte[] readExactly(InputStream in, int length, String source, String what)
            throws IOException {
        byte[] buf = new byte[Math.min(length, CHUNK)];
        int off = 0;
        while (off < length) {
            if (off == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(length, 2L * buf.length));
            }
            int r = in.read(buf, off, buf.length - off);
            if (r < 0) {
                throw new DataException(source + ": truncated: "
                        + (what == null ? "the header declares " + length + " data bytes"
                                : "expected " + what)
                        + " but the file ends after " + off + (what == null ? "" : " of " + length)
                        + " bytes");
            }
            off += r;
        }
        return buf;
    }

    private static DataException wrap(String source, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataException("file not found: " + source, e);
        }
        if (e instanceof EOFException) {
            return new DataException(source + ": truncated: the gzip stream ends early ("
                    + e.getMessage() + ")", e);
        }
        if (e instanceof ZipException) {
            return new DataException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        return new DataException(source + ": cannot read (" + e + ")", e);
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }
}
