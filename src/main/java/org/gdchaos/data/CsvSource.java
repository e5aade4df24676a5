package org.gdchaos.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numeric table: {@code csv:FILE[:label=COL|target=COL,COL…][,classes=K]}. The first row names the columns;
 * every other row is one sample of numbers (comma-separated; a field may be double-quoted, {@code ""} inside
 * quotes is a quote; blank lines are skipped). One label column (a class index 0…K−1, written as an integer) makes
 * a classification task; one or more target columns make a regression task with that many outputs; every other
 * column is a feature. Without {@code label=} or {@code target=}, the last column is the label. A column is named
 * by its header text, or by its 0-based index when no header has that text.
 *
 * <p>Strict: an empty file, a missing header, a row with another number of fields, an empty or non-numeric cell,
 * NaN or infinity, and a label that is not an integer in range are each one {@link DataException} naming the file,
 * the line and the column. Only the rows used are parsed (counting the pool's rows reads the file once, without
 * parsing).
 */
final class CsvSource extends PoolSource {

    /** A decimal number as CSV writers print it: {@code -1}, {@code 2.5}, {@code .5}, {@code 1e-3}. */
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private final String spec;
    private final Path file;
    private final String label;
    private final List<String> targets;
    private final Integer classes;

    /**
     * @param label   the label column (null: the last column, unless targets are given)
     * @param targets the target columns (empty: classification)
     */
    CsvSource(String spec, Path file, String label, List<String> targets, Integer classes) {
        if (label != null && !targets.isEmpty()) {
            throw new DataException("bad data spec '" + spec + "': give label= or target=, not both");
        }
        if (classes != null && !targets.isEmpty()) {
            throw new DataException("bad data spec '" + spec + "': classes= goes with a label column, not targets");
        }
        this.spec = spec;
        this.file = file;
        this.label = label;
        this.targets = List.copyOf(targets);
        this.classes = classes;
    }

    @Override
    public String spec() {
        return spec;
    }

    private BufferedReader open() {
        if (!Files.exists(file)) throw new DataException("file not found: " + file);
        if (!Files.isRegularFile(file)) throw new DataException("not a regular file: " + file);
        try {
            Reader r = new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            return new BufferedReader(r, 1 << 16);
        } catch (IOException e) {
            throw NpyReader.wrap(file.toString(), e);
        }
    }

    /** The header's column names and which are label/targets. */
    private record Columns(String[] names, int[] features, int label, int[] targets) {
    }

    private Columns columns(String[] header) {
        int n = header.length;
        int[] tg = new int[targets.size()];
        for (int i = 0; i < tg.length; i++) tg[i] = column(header, targets.get(i), "target");
        int lab = -1;
        if (tg.length == 0) {
            lab = label == null ? n - 1 : column(header, label, "label");
        }
        boolean[] used = new boolean[n];
        if (lab >= 0) used[lab] = true;
        for (int t : tg) {
            if (used[t]) throw new DataException(file + ": column '" + header[t] + "' is named twice in target=");
            used[t] = true;
        }
        int[] feats = java.util.stream.IntStream.range(0, n).filter(i -> !used[i]).toArray();
        if (feats.length == 0) {
            throw new DataException(file + ": no feature columns are left (the header has " + n + " column(s): "
                    + String.join(", ", header) + ")");
        }
        return new Columns(header, feats, lab, tg);
    }

    private int column(String[] header, String name, String what) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) return i;
        }
        try {
            int i = Integer.parseInt(name);
            if (i >= 0 && i < header.length) return i;
        } catch (NumberFormatException e) {
            // not an index either
        }
        throw new DataException(file + ": no " + what + " column '" + name + "'; the header has "
                + String.join(", ", Arrays.asList(header).subList(0, Math.min(header.length, 30)))
                + (header.length > 30 ? ", …" : ""));
    }

    /** Reads the header line (line 1). */
    private String[] header(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) throw new DataException(file + ": empty file (expected a header row, then numeric rows)");
        if (line.startsWith("\uFEFF")) line = line.substring(1);
        String[] h = split(line, 1);
        boolean numbers = true;
        boolean fraction = false;
        for (int i = 0; i < h.length; i++) {
            h[i] = h[i].trim();
            numbers &= NUMBER.matcher(h[i]).matches();
            fraction |= h[i].contains(".");
        }
        if (numbers && fraction) {
            throw new DataException(file + ": line 1 holds numbers, not a header row naming the columns (add one)");
        }
        return h;
    }

    @Override
    public Shape sampleShape() {
        try (BufferedReader in = open()) {
            String[] h = header(in);
            Columns c = columns(h);
            return Shape.flat(c.features().length);
        } catch (IOException e) {
            throw wrapIo(e);
        }
    }

    @Override
    int size() {
        try (BufferedReader in = open()) {
            header(in);
            int n = 0;
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) n++;
            }
            if (n == 0) throw new DataException(file + ": no data rows after the header");
            return n;
        } catch (IOException e) {
            throw wrapIo(e);
        }
    }

    @Override
    Dataset read(int count, String name, int minClasses) {
        try (BufferedReader in = open()) {
            String[] h = header(in);
            Columns c = columns(h);
            int f = c.features().length;
            int outs = c.targets().length;
            int cap = count > 0 ? count : Integer.MAX_VALUE;
            double[] x = new double[Math.min(cap, 1024) * f];
            double[] y = new double[Math.min(cap, 1024) * Math.max(outs, 1)];
            int[] labels = c.label() >= 0 ? new int[Math.min(cap, 1024)] : null;
            int n = 0;
            int lineNo = 1;
            String line;
            while (n < cap && (line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] cells = split(line, lineNo);
                if (cells.length != h.length) {
                    throw new DataException(file + ": line " + lineNo + " has " + cells.length + " fields but the"
                            + " header has " + h.length);
                }
                if ((long) (n + 1) * f > x.length) {
                    NpyReader.checkFits(file.toString(), 2L * (n + 1) * (f + Math.max(outs, 1)));
                    x = Arrays.copyOf(x, (int) Math.min((long) x.length * 2, (long) cap * f));
                    y = Arrays.copyOf(y, (int) Math.min((long) y.length * 2, (long) cap * Math.max(outs, 1)));
                    if (labels != null) labels = Arrays.copyOf(labels, (int) Math.min(2L * labels.length, cap));
                }
                for (int j = 0; j < f; j++) x[n * f + j] = number(cells, c.features()[j], h, lineNo);
                for (int j = 0; j < outs; j++) y[n * outs + j] = number(cells, c.targets()[j], h, lineNo);
                if (labels != null) {
                    double v = number(cells, c.label(), h, lineNo);
                    if (v != Math.rint(v) || v < 0 || v >= (classes != null ? classes : MAX_AUTO_CLASSES)) {
                        throw new DataException(file + ": line " + lineNo + ", column '" + h[c.label()] + "': label "
                                + cells[c.label()].trim() + " is not a class index 0.."
                                + ((classes != null ? classes : MAX_AUTO_CLASSES) - 1)
                                + (classes == null ? " (give classes=K for more classes)" : ""));
                    }
                    labels[n] = (int) v;
                }
                n++;
            }
            if (n == 0) throw new DataException(file + ": no data rows after the header");
            if (count > 0 && n < count) {
                throw new DataException(file + ": " + count + " rows wanted but the file has " + n);
            }
            x = Arrays.copyOf(x, n * f);
            Shape shape = Shape.flat(f);
            if (labels != null) {
                labels = Arrays.copyOf(labels, n);
                int k = classes(labels, classes, minClasses, file.toString(), "row");
                return Dataset.classification(name, x, labels, f, k).withShape(shape);
            }
            return Dataset.regression(name, x, Arrays.copyOf(y, n * outs), n, f, outs);
        } catch (IOException e) {
            throw wrapIo(e);
        }
    }

    private double number(String[] cells, int col, String[] h, int lineNo) {
        String s = cells[col].trim();
        if (s.isEmpty()) {
            throw new DataException(file + ": line " + lineNo + ", column '" + h[col] + "' (" + (col + 1)
                    + "): empty cell; remove or impute missing values first");
        }
        if (!NUMBER.matcher(s).matches()) {
            throw new DataException(file + ": line " + lineNo + ", column '" + h[col] + "' (" + (col + 1) + "): '"
                    + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "' is not a number"
                    + (s.matches("(?i)[-+]?(nan|inf|infinity|na|null|none)") ? "; remove or impute missing values first"
                    : ""));
        }
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            throw new DataException(file + ": line " + lineNo + ", column '" + h[col] + "' (" + (col + 1) + "): '"
                    + s + "' overflows a double");
        }
        return v;
    }

    /** Splits one line into fields (double quotes group, {@code ""} is a quote). */
    private String[] split(String line, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' && cur.toString().isBlank()) {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) throw new DataException(file + ": line " + lineNo + ": a quote is not closed");
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }

    private DataException wrapIo(IOException e) {
        if (e instanceof CharacterCodingException) {
            return new DataException(file + ": not UTF-8 text (a binary file?)", e);
        }
        return NpyReader.wrap(file.toString(), e);
    }

    @Override
    public String toString() {
        return spec;
    }
}
