package org.gdchaos.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy {@code .npy} arrays (format versions 1, 2 and 3) and the members of {@code .npz} archives, written by
 * hand so that nothing is ever unpickled: object arrays ({@code descr '|O'}) and structured arrays are refused.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length (uint16 little-endian
 * in version 1, uint32 in versions 2 and 3), the header (a Python dict literal
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (N, F), }} padded with spaces and a newline), then
 * {@code Π shape · itemsize} data bytes. Element types: {@code f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1}, little- or
 * big-endian; C order (last axis fastest) or Fortran order (first axis fastest).
 *
 * <p>Safety: the header is at most {@link #MAX_HEADER} bytes; {@code shape × itemsize} is checked, without
 * overflow, against the real length of the data (the file's length, an npz member's length, or for a gzip file
 * against the most its compressed bytes can expand to) before anything is allocated; only the samples asked for
 * are read (a prefix of a C-order file reads only its first bytes; Fortran order skips, seeking in a plain file);
 * buffers never exceed what was asked for. Every failure is a {@link DataException} naming the file (and member).
 */
public final class NpyReader {

    /** The six magic bytes {@code \x93NUMPY}. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Longest header accepted (NumPy itself refuses headers over 10,000 bytes by default). */
    public static final int MAX_HEADER = 1 << 16;
    /** Deflate (zip, gzip) cannot expand data by more than about 1032:1; a claim beyond this is a corrupt file or a bomb. */
    static final long MAX_DEFLATE_RATIO = 1100;

    private NpyReader() {
    }

    /**
     * The header of one array.
     *
     * @param source     names the array in messages ({@code x.npy}, {@code data.npz:x})
     * @param kind       {@code 'f'} float, {@code 'i'} signed, {@code 'u'} unsigned, {@code 'b'} bool
     * @param itemSize   bytes per element
     * @param bigEndian  byte order of the elements
     * @param fortran    Fortran (column-major) order
     * @param shape      the dimensions ({@code ()} for a scalar)
     * @param dataOffset bytes before the data (magic, version, length, header)
     */
    public record Header(String source, char kind, int itemSize, boolean bigEndian, boolean fortran, long[] shape,
                         long dataOffset) {
        /** Elements in the array. */
        public long elements() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }

        /** Samples: the first dimension (1 for a scalar). */
        public long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        /** Elements per sample: the product of the other dimensions. */
        public long rowElements() {
            long n = 1;
            for (int i = 1; i < shape.length; i++) n = Math.multiplyExact(n, shape[i]);
            return n;
        }

        /** Data bytes the header declares. */
        public long dataBytes() {
            return Math.multiplyExact(elements(), itemSize);
        }

        /** Whether elements are integers (or booleans). */
        public boolean integral() {
            return kind != 'f';
        }

        /** The dtype as NumPy writes it, e.g. {@code <f8}. */
        public String dtype() {
            return (itemSize == 1 ? "|" : bigEndian ? ">" : "<") + kind + itemSize;
        }

        /** The shape as Python prints it, e.g. {@code (150, 4)}. */
        public String shapeText() {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(shape[i]);
            return b.append(shape.length == 1 ? ",)" : ")").toString();
        }
    }

    /** Where an array's bytes come from: a plain file, a gzip file, or an npz member. */
    interface Input {
        /** Names the array in messages. */
        String source();

        /** A fresh stream at the array's first byte (the magic). */
        InputStream open() throws IOException;

        /** Exact bytes of the array (header included), or -1 when only an upper bound is known. */
        long length();

        /** An upper bound on the bytes the stream can yield. */
        long maxLength();
    }

    /** An array in a {@code .npy} file, raw or gzip-compressed (detected by the gzip magic, never by the name). */
    static Input file(Path file) {
        String source = file.toString();
        if (!Files.exists(file)) throw new DataException("file not found: " + file);
        if (!Files.isRegularFile(file)) throw new DataException("not a regular file: " + file);
        long size;
        boolean gzip;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            gzip = in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw wrap(source, e);
        }
        final long fileSize = size;
        return new Input() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public InputStream open() throws IOException {
                InputStream raw = Files.newInputStream(file);
                return gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            }

            @Override
            public long length() {
                return gzip ? -1 : fileSize;
            }

            @Override
            public long maxLength() {
                return gzip ? Math.multiplyExact(fileSize, MAX_DEFLATE_RATIO) + (1 << 16) : fileSize;
            }
        };
    }

    /**
     * The member {@code key} (or {@code key.npy}) of an open npz archive.
     *
     * @throws DataException when the member does not exist (listing those that do) or its sizes are impossible
     */
    static Input member(ZipFile zip, String archive, String key) {
        ZipEntry found = zip.getEntry(key.endsWith(".npy") ? key : key + ".npy");
        if (found == null) found = zip.getEntry(key);
        final ZipEntry e = found;
        if (e == null) {
            throw new DataException(archive + ": no array '" + key + "' in the archive; it holds "
                    + String.join(", ", members(zip)));
        }
        String source = archive + ":" + key;
        long size = e.getSize();
        long packed = e.getCompressedSize();
        if (size < 0 || packed < 0) {
            throw new DataException(source + ": the archive does not record the member's size (corrupt npz)");
        }
        if (e.getMethod() == ZipEntry.STORED ? size != packed
                : size > Math.multiplyExact(Math.max(packed, 1), MAX_DEFLATE_RATIO) + (1 << 16)) {
            throw new DataException(source + ": the archive says " + packed + " stored bytes expand to " + size
                    + ", more than deflate can produce: a corrupt archive or a decompression bomb; refused");
        }
        return new Input() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public InputStream open() throws IOException {
                return new BufferedInputStream(zip.getInputStream(e), 1 << 16);
            }

            @Override
            public long length() {
                return size;
            }

            @Override
            public long maxLength() {
                return size;
            }
        };
    }

    /** The array names of an npz archive (member names without {@code .npy}). */
    static List<String> members(ZipFile zip) {
        List<String> out = new ArrayList<>();
        zip.stream().limit(50).forEach(z -> out.add(z.getName().endsWith(".npy")
                ? z.getName().substring(0, z.getName().length() - 4) : z.getName()));
        return out.isEmpty() ? List.of("nothing") : out;
    }

    /** Reads and checks the header of an array (nothing of its data). */
    static Header header(Input input) {
        try (InputStream in = input.open()) {
            return header(in, input);
        } catch (IOException e) {
            throw wrap(input.source(), e);
        }
    }

    private static Header header(InputStream in, Input input) throws IOException {
        String src = input.source();
        byte[] lead = readFully(in, 8, src, "the 8-byte magic and version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (lead[i] != MAGIC[i]) {
                if (lead[0] == 'P' && lead[1] == 'K') {
                    throw new DataException(src + ": a zip archive, not an .npy array: use npz:" + src);
                }
                throw new DataException(src + ": not a NumPy .npy file (bad magic; np.save writes \\x93NUMPY)");
            }
        }
        int major = lead[6] & 0xff;
        if (major < 1 || major > 3) {
            throw new DataException(src + ": .npy format version " + major + "." + (lead[7] & 0xff)
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = readFully(in, lenBytes, src, "the header length");
        long hlen = 0;
        for (int i = lenBytes - 1; i >= 0; i--) hlen = (hlen << 8) | (lb[i] & 0xff);
        if (hlen <= 0 || hlen > MAX_HEADER) {
            throw new DataException(src + ": corrupt .npy header: it claims " + hlen + " bytes (at most "
                    + MAX_HEADER + " accepted)");
        }
        long offset = 8 + lenBytes + hlen;
        if (offset > input.maxLength()) {
            throw new DataException(src + ": truncated .npy header: it claims " + hlen + " bytes but the file holds "
                    + Math.max(0, input.maxLength() - 8 - lenBytes));
        }
        byte[] hb = readFully(in, (int) hlen, src, "the " + hlen + "-byte header");
        String text = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(text, src, offset);
        long data;
        try {
            data = h.dataBytes();
        } catch (ArithmeticException e) {
            throw new DataException(src + ": the header's shape " + h.shapeText() + " overflows 64 bits: corrupt file");
        }
        long need = offset + data;
        if (need < 0 || need > input.maxLength()) {
            throw new DataException(src + ": the header claims shape " + h.shapeText() + " of " + h.dtype() + " ("
                    + data + " data bytes) but " + (input.length() >= 0 ? "the file holds "
                    + Math.max(0, input.length() - offset) : "the compressed file can hold at most "
                    + (input.maxLength() - offset)) + ": truncated or corrupt file");
        }
        if (input.length() >= 0 && need != input.length()) {
            throw new DataException(src + ": the header claims shape " + h.shapeText() + " of " + h.dtype() + " ("
                    + data + " data bytes) but the file holds " + (input.length() - offset)
                    + ": wrong header or trailing bytes");
        }
        return h;
    }

    /**
     * Parses the header dict. Strict: exactly the keys {@code descr}, {@code fortran_order}, {@code shape}.
     */
    static Header parseHeader(String text, String src, long offset) {
        Lexer lx = new Lexer(text, src);
        String descr = null;
        Boolean fortran = null;
        long[] shape = null;
        lx.expect('{');
        while (!lx.peek('}')) {
            String key = lx.string();
            lx.expect(':');
            switch (key) {
                case "descr" -> {
                    if (lx.peek('[')) {
                        throw new DataException(src + ": a structured array (record dtype): save a plain numeric"
                                + " array instead");
                    }
                    descr = lx.string();
                }
                case "fortran_order" -> fortran = lx.bool();
                case "shape" -> shape = lx.tuple();
                default -> throw lx.bad("unknown key '" + key + "'");
            }
            if (!lx.peek('}')) lx.expect(',');
        }
        lx.expect('}');
        lx.end();
        if (descr == null || fortran == null || shape == null) {
            throw lx.bad("it lacks " + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'" : "'shape'"));
        }
        if (descr.length() >= 2 && descr.charAt(1) == 'O' || descr.equals("O")) {
            throw new DataException(src + ": an object array (dtype '" + descr + "') holds Python pickles, which"
                    + " gdchaos never loads; save a numeric array (np.save(..., allow_pickle=False))");
        }
        if (descr.length() < 3) throw lx.bad("unknown dtype '" + descr + "'");
        char order = descr.charAt(0);
        char kind = descr.charAt(1);
        int size;
        try {
            size = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new DataException(src + ": unsupported dtype '" + descr + "' (numbers only: f4, f8, i1..i8,"
                    + " u1..u8, b1)");
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok || "<>|=".indexOf(order) < 0) {
            throw new DataException(src + ": unsupported dtype '" + descr + "' (numbers only: f4, f8, i1..i8,"
                    + " u1..u8, b1)");
        }
        boolean big = order == '>' || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
        return new Header(src, kind, size, big, fortran, shape, offset);
    }

    /** A tokenizer for the header's Python literal. */
    private static final class Lexer {
        private final String s;
        private final String src;
        private int i;

        Lexer(String s, String src) {
            this.s = s;
            this.src = src;
        }

        DataException bad(String why) {
            return new DataException(src + ": corrupt .npy header: " + why);
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        boolean peek(char c) {
            skip();
            return i < s.length() && s.charAt(i) == c;
        }

        void expect(char c) {
            skip();
            if (i >= s.length() || s.charAt(i) != c) {
                throw bad("expected '" + c + "' at character " + i);
            }
            i++;
        }

        void end() {
            skip();
            if (i != s.length()) throw bad("unexpected text after the dict at character " + i);
        }

        String string() {
            skip();
            if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
                throw bad("expected a quoted string at character " + i);
            }
            char q = s.charAt(i++);
            int start = i;
            while (i < s.length() && s.charAt(i) != q) {
                if (s.charAt(i) == '\\' || i - start > 64) throw bad("unexpected string at character " + start);
                i++;
            }
            if (i >= s.length()) throw bad("unterminated string");
            return s.substring(start, i++);
        }

        boolean bool() {
            skip();
            if (s.startsWith("True", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return false;
            }
            throw bad("expected True or False at character " + i);
        }

        long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!peek(')')) {
                skip();
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                // NumPy 1.x on Windows wrote 5L for a long
                String digits = s.substring(start, i);
                if (i < s.length() && s.charAt(i) == 'L') i++;
                if (digits.isEmpty() || digits.length() > 18) throw bad("bad dimension at character " + start);
                dims.add(Long.parseLong(digits));
                if (dims.size() > 32) throw bad("more than 32 dimensions");
                if (!peek(')')) expect(',');
            }
            expect(')');
            return dims.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /**
     * The first {@code rows} samples of an array as doubles, each sample's elements in C order (a Fortran-order
     * array is transposed while it is read). Element {@code (i, j…)} of an array of shape {@code (N, d…)} lands at
     * {@code i·Πd + (j…)}.
     *
     * @throws DataException when the data is shorter than the header says, or the prefix cannot fit in memory
     */
    static double[] readRows(Input input, Header h, int rows) {
        long per = h.rowElements();
        long total = (long) rows * per;
        if (rows < 0 || rows > h.rows()) {
            throw new IllegalArgumentException(rows + " rows of " + h.source() + " with " + h.rows());
        }
        checkFits(h.source(), total);
        double[] out = new double[(int) total];
        try (InputStream in = input.open()) {
            skipFully(in, h.dataOffset(), h.source());
            Converter conv = new Converter(in, h);
            if (!h.fortran() || h.shape().length <= 1 || rows == 0) {
                conv.read(out, 0, (int) total, 1);
            } else {
                // Fortran: element (i, j…) at i + N·f(j), f(j) = j1 + d1·(j2 + d2·(…)): read each column's prefix
                long n = h.rows();
                long[] shape = h.shape();
                int dims = shape.length - 1;
                long[] cStride = new long[dims];
                long s = 1;
                for (int d = dims - 1; d >= 0; d--) {
                    cStride[d] = s;
                    s *= shape[d + 1];
                }
                for (long k = 0; k < per; k++) {
                    long rest = k;
                    long c = 0;
                    for (int d = 0; d < dims; d++) {
                        c += (rest % shape[d + 1]) * cStride[d];
                        rest /= shape[d + 1];
                    }
                    conv.read(out, (int) c, rows, (int) per);
                    if (k + 1 < per) conv.skip((n - rows) * h.itemSize());
                }
            }
        } catch (IOException e) {
            throw wrap(h.source(), e);
        }
        return out;
    }

    /** Refuses a read whose doubles cannot fit in an array or in half of the heap. */
    static void checkFits(String source, long doubles) {
        long heap = Runtime.getRuntime().maxMemory();
        if (doubles > Integer.MAX_VALUE - 8 || doubles * 8 > heap / 2) {
            throw new DataException(source + ": " + doubles + " values (" + (doubles * 8 >> 20) + " MiB as doubles)"
                    + " do not fit in memory (heap " + (heap >> 20) + " MiB): ask for fewer samples"
                    + " (--train-size, --test-size) or give Java more memory (-Xmx)");
        }
    }

    /** Decodes elements from a stream in chunks. */
    private static final class Converter {
        private final InputStream in;
        private final Header h;
        private final ByteBuffer buf;

        Converter(InputStream in, Header h) {
            this.in = in;
            this.h = h;
            this.buf = ByteBuffer.allocate(1 << 16).order(h.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            buf.limit(0);
        }

        /** Reads {@code count} elements into {@code out[at + k·stride]}. */
        void read(double[] out, int at, int count, int stride) throws IOException {
            int size = h.itemSize();
            for (int k = 0; k < count; k++) {
                if (buf.remaining() < size) refill(size, (long) (count - k) * size);
                out[at + k * stride] = switch (h.kind()) {
                    case 'f' -> size == 4 ? buf.getFloat() : buf.getDouble();
                    case 'b' -> buf.get() != 0 ? 1 : 0;
                    case 'i' -> switch (size) {
                        case 1 -> buf.get();
                        case 2 -> buf.getShort();
                        case 4 -> buf.getInt();
                        default -> buf.getLong();
                    };
                    default -> switch (size) {
                        case 1 -> buf.get() & 0xff;
                        case 2 -> buf.getShort() & 0xffff;
                        case 4 -> buf.getInt() & 0xffffffffL;
                        default -> unsigned(buf.getLong());
                    };
                };
            }
        }

        void skip(long bytes) throws IOException {
            long inBuf = Math.min(bytes, buf.remaining());
            buf.position(buf.position() + (int) inBuf);
            skipFully(in, bytes - inBuf, h.source());
        }

        /** Buffers at least {@code need} bytes, reading no more than {@code want} (the rest of this run). */
        private void refill(int need, long want) throws IOException {
            buf.compact();
            int end = (int) Math.min(buf.capacity(), Math.max(need, want));
            while (buf.position() < need) {
                int r = in.read(buf.array(), buf.position(), end - buf.position());
                if (r < 0) {
                    throw new DataException(h.source() + ": truncated: the data ends before the " + h.shapeText()
                            + " elements its header declares");
                }
                buf.position(buf.position() + r);
            }
            buf.flip();
        }
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static void skipFully(InputStream in, long bytes, String src) throws IOException {
        long left = bytes;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new DataException(src + ": truncated: the data ends before its header says");
                }
                k = 1;
            }
            left -= k;
        }
    }

    private static byte[] readFully(InputStream in, int n, String src, String what) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new DataException(src + ": truncated .npy header: the file ends " + (off == 0 && what
                        .startsWith("the 8") ? "before" : "inside") + " " + what + (off == 0 && what.startsWith("the 8")
                        && n == 8 ? " (empty or not an .npy file)" : ""));
            }
            off += r;
        }
        return b;
    }

    /**
     * A whole array read as doubles in C order (for {@code --init file:}): any shape, any supported dtype.
     */
    public static double[] readAll(Path file) {
        Input in = file(file);
        Header h = header(in);
        if (h.elements() > Integer.MAX_VALUE - 8) {
            throw new DataException(file + ": " + h.elements() + " elements are too many");
        }
        if (h.shape().length == 0) return readRows(in, new Header(h.source(), h.kind(), h.itemSize(), h.bigEndian(),
                h.fortran(), new long[] {1}, h.dataOffset()), 1);
        return readRows(in, h, (int) h.rows());
    }

    static DataException wrap(String source, IOException e) {
        if (e instanceof NoSuchFileException) return new DataException("file not found: " + source, e);
        if (e instanceof EOFException) {
            return new DataException(source + ": truncated: the compressed stream ends early (" + e.getMessage()
                    + ")", e);
        }
        if (e instanceof ZipException) {
            return new DataException(source + ": corrupt compressed data (" + e.getMessage() + ")", e);
        }
        return new DataException(source + ": cannot read (" + e + ")", e);
    }
}
