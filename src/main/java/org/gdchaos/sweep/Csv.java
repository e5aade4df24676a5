package org.gdchaos.sweep;

import java.util.List;

/** Number formatting for the CSV outputs: shortest round-trip decimal, so values read back exactly. */
final class Csv {
    private Csv() {
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "Infinity";
        if (v == Double.NEGATIVE_INFINITY) return "-Infinity";
        return Double.toString(v);
    }

    /** A step or count that may be absent: the number, or {@code NaN} for {@link CellRow#NONE}. */
    static String step(int v) {
        return v < 0 ? "NaN" : Integer.toString(v);
    }

    static double parse(String s) {
        return Double.parseDouble(s.trim());
    }

    static String join(List<String> cells) {
        return String.join(",", cells);
    }

    /**
     * The whole text of a file gdchaos wrote (results.csv, curves.csv), decoded strictly as UTF-8.
     *
     * @throws NotUtf8Exception naming the file and the byte offset of the first byte that is not UTF-8
     *                          (the file is damaged or not gdchaos's)
     * @throws java.io.IOException when it cannot be read
     */
    static String readUtf8(java.nio.file.Path p) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(p);
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        if (r.isError()) throw new NotUtf8Exception(p, in.position(), bytes[in.position()]);
        d.flush(out);
        return out.flip().toString();
    }

    /** A file that should be UTF-8 text holds a byte sequence that is not. */
    static final class NotUtf8Exception extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        NotUtf8Exception(java.nio.file.Path p, long offset, byte b) {
            super(p + " is not UTF-8 text: byte 0x" + String.format(java.util.Locale.ROOT, "%02X", b & 0xff)
                    + " at offset " + offset + " (the file is damaged or was not written by gdchaos)");
        }
    }
}
