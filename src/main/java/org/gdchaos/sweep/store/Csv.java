package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;

import org.gdchaos.InputException;

import java.util.List;

/**
 * The CSV files' shared text rules: number formatting (shortest round-trip decimal, so values read back
 * exactly), columns found by name, and the cell of a line by its values ({@link #rowIdentity}).
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

    /**
     * The complete lines of a file gdchaos wrote ({@link #readUtf8}), header first: its text up to the last
     * newline, split at newlines (a torn last line, written by a process killed mid-write, is left out;
     * empty for a file without a newline, or with only one).
     *
     * @throws DamagedTextException as {@link #readUtf8}
     * @throws java.io.IOException  when it cannot be read
     */
    public static List<String> completeLines(java.nio.file.Path p) throws java.io.IOException {
        String s = readUtf8(p);
        int end = s.lastIndexOf('\n');
        List<String> out = new java.util.ArrayList<>();
        if (end > 0) out.addAll(List.of(s.substring(0, end).split("\n", -1)));
        return out;
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

    /** Position of {@code name} in {@code header}, or −1. */
    public static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) if (header[i].equals(name)) return i;
        return -1;
    }

    /**
     * The {@link Cell#identity() identity} of a results.csv or curves.csv line, from its columns
     * {@code lr}, {@code weight_decay}, {@code momentum} and {@code init} found by name in
     * {@code header} ({@link #identity}).
     *
     * @throws InputException for a line whose fields do not match the header or are not numbers
     */
    public static Cell.Identity rowIdentity(String[] header, String line, double absentMomentum) {
        String[] f = line.split(",", -1);
        if (indexOf(header, "lr") < 0 || indexOf(header, "init") < 0 || f.length != header.length) {
            throw new InputException("malformed line: " + line);
        }
        try {
            return identity(header, f, absentMomentum);
        } catch (IllegalArgumentException e) {
            throw new InputException("malformed line: " + line);
        }
    }

    /**
     * The {@link Cell#identity()} of a line's fields under {@code header}: the values of {@code lr},
     * {@code weight_decay} (0 when the header lacks it: files of sweeps before weight decay was an axis),
     * {@code momentum} ({@code absentMomentum}, the sweep's optimizer's β, when the header lacks it: files
     * of GD, or of sweeps before the momentum axis) and {@code init}, found by name. The files write
     * numbers as {@link Double#toString} does, which parses back to the same double, so a row's values
     * are its cell's bit for bit.
     */
    public static Cell.Identity identity(String[] header, String[] f, double absentMomentum) {
        int wd = indexOf(header, "weight_decay"), m = indexOf(header, "momentum");
        return new Cell.Identity(m < 0 ? absentMomentum : parse(f[m]), parse(f[indexOf(header, "lr")]),
                wd < 0 ? 0 : parse(f[wd]), Integer.parseInt(f[indexOf(header, "init")]));
    }
}
