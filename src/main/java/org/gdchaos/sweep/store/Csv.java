package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;

import org.gdchaos.InputException;

import java.util.List;

/**
 * The CSV files' shared text rules: number formatting (shortest round-trip decimal, so values read back
 * exactly), columns found by name, and the cell key of a line.
 */
public final class Csv {
    private Csv() {
    }

    public static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "Infinity";
        if (v == Double.NEGATIVE_INFINITY) return "-Infinity";
        return Double.toString(v);
    }

    /** A step or count that may be absent: the number, or {@code NaN} for {@link CellRow#NONE}. */
    static String step(int v) {
        return v < 0 ? "NaN" : Integer.toString(v);
    }

    public static double parse(String s) {
        return Double.parseDouble(s.trim());
    }

    static String join(List<String> cells) {
        return String.join(",", cells);
    }

    /**
     * The whole text of a file gdchaos wrote (results.csv, curves.csv), decoded strictly as UTF-8.
     *
     * @throws DamagedTextException naming the file and the offset of the first byte that is not UTF-8, or of
     *                              the first carriage return (gdchaos writes {@code \n} line endings only)
     * @throws java.io.IOException when it cannot be read
     */
    public static String readUtf8(java.nio.file.Path p) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(p);
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            throw new DamagedTextException(p + " is not UTF-8 text: byte 0x" + String.format(java.util.Locale.ROOT,
                    "%02X", bytes[in.position()] & 0xff) + " at offset " + in.position() + " (the file is damaged or was "
                    + "not written by gdchaos)");
        }
        d.flush(out);
        String text = out.flip().toString();
        int cr = text.indexOf('\r');
        if (cr >= 0) { // gdchaos writes \n only: an editor or a copy converted the line endings
            throw new DamagedTextException(p + " has Windows line endings (a carriage return at character " + cr
                    + "), which gdchaos never writes: it was converted or edited by another program; convert it back "
                    + "(e.g. dos2unix " + p + ")");
        }
        return text;
    }

    /** A file gdchaos wrote no longer reads as it wrote it: bytes that are not UTF-8, or CRLF line endings. */
    public static final class DamagedTextException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        DamagedTextException(String message) {
            super(message);
        }
    }

    /** A line for a message: itself up to 80 characters, else its first 77 and "...". */
    public static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /**
     * The {@link Cell#key() cell key} of a results.csv or curves.csv line, from its columns
     * {@code lr_index}, {@code wd_index} (0 when the header has none: files written before weight
     * decay was a grid axis) and {@code init}, found by name in {@code header}.
     */
    public static String rowKey(String[] header, String line) {
        String[] f = line.split(",", -1);
        if (indexOf(header, "lr_index") < 0 || indexOf(header, "init") < 0 || f.length != header.length) {
            throw new InputException("malformed line: " + line);
        }
        try {
            return key(header, f);
        } catch (IllegalArgumentException e) {
            throw new InputException("malformed line: " + line);
        }
    }

    /**
     * The {@link Cell#key()} of a line's fields under {@code header}: {@code lr_index}, {@code wd_index} and
     * {@code momentum_index} (0 when the header lacks them: files of sweeps before those axes, or of GD) and
     * {@code init}, found by name.
     */
    public static String key(String[] header, String[] f) {
        int wd = indexOf(header, "wd_index"), m = indexOf(header, "momentum_index");
        return new Cell(Integer.parseInt(f[indexOf(header, "lr_index")]), 0, wd < 0 ? 0 : Integer.parseInt(f[wd]), 0,
                m < 0 ? 0 : Integer.parseInt(f[m]), 0, Integer.parseInt(f[indexOf(header, "init")])).key();
    }

    /** Position of {@code name} in {@code header}, or −1. */
    public static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) if (header[i].equals(name)) return i;
        return -1;
    }
}
