package org.gdchaos.nn;

import org.gdchaos.Setting;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import org.gdchaos.InputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How initial parameters are drawn. Biases start at 0 for every random scheme.
 * <ul>
 *   <li>{@code normal:STD} — every weight ~ N(0, STD²) (the paper: STD = 1, not fan-in scaled)</li>
 *   <li>{@code xavier} — W_l ~ N(0, 2/(fan_in + fan_out)) (Glorot normal; for a convolution
 *       fan_in = k·k·c_in and fan_out = k·k·c_out, as PyTorch counts them)</li>
 *   <li>{@code he} — W_l ~ N(0, 2/fan_in)</li>
 *   <li>{@code values:v1,v2,…} — the flat parameter vector in {@link ParameterLayout} order</li>
 *   <li>{@code file:PATH} — the same vector from a file: a NumPy {@code .npy} array (any shape, read in C
 *       order; any numeric dtype) or text with one number per line (blank lines and lines starting with
 *       {@code #} skipped). It becomes a {@code values:} spec, so run.json records the numbers themselves.</li>
 * </ul>
 *
 * @param kind   scheme
 * @param std    standard deviation for {@code normal}
 * @param values explicit vector for {@code values}
 */
public record InitSpec(Kind kind, double std, double[] values) {
    public enum Kind { NORMAL, XAVIER, HE, VALUES }

    public InitSpec {
        if (kind == Kind.NORMAL && !(std >= 0 && Double.isFinite(std))) {
            throw new InputException(Setting.INIT.key(), "normal init needs a finite std ≥ 0, got " + std);
        }
        if (kind == Kind.VALUES && (values == null || values.length == 0)) {
            throw new InputException(Setting.INIT.key(), "values: init needs at least one value");
        }
        if (values != null) {
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new InputException(Setting.INIT.key(), "values: init needs finite numbers, value " + (i + 1) + " is "
                            + values[i]);
                }
            }
        }
        values = values == null ? null : values.clone();
    }

    public static InitSpec normal(double std) {
        return new InitSpec(Kind.NORMAL, std, null);
    }

    public static InitSpec values(double... v) {
        return new InitSpec(Kind.VALUES, 0, v);
    }

    /** Parses {@code normal:STD | xavier | he | values:v1,v2,…}. */
    public static InitSpec parse(String s) {
        String t = s.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("normal:")) return normal(Double.parseDouble(t.substring(7)));
            if (lower.equals("normal")) return normal(1.0);
            if (lower.equals("xavier") || lower.equals("glorot")) return new InitSpec(Kind.XAVIER, 0, null);
            if (lower.equals("he") || lower.equals("kaiming")) return new InitSpec(Kind.HE, 0, null);
            if (lower.startsWith("file:")) return values(readFile(java.nio.file.Path.of(t.substring(5).trim())));
            if (lower.startsWith("values:")) {
                return values(Arrays.stream(t.substring(7).split(",")).map(String::trim)
                        .mapToDouble(Double::parseDouble).toArray());
            }
        } catch (NumberFormatException e) {
            throw new InputException(Setting.INIT.key(), "bad number in init '" + s + "': " + e.getMessage());
        }
        throw new InputException(Setting.INIT.key(), "unknown init '" + s + "' (use normal:STD, xavier, he, values:v1,v2,... or file:PATH)");
    }

    /** Largest text file {@code file:} reads (a float64 .npy is checked against its header instead). */
    static final long MAX_TEXT_BYTES = 1L << 30;

    /**
     * The numbers of a {@code file:} init: a {@code .npy} array (by its magic bytes) or one number per line.
     *
     * @throws org.gdchaos.data.DataException naming the file and line of what cannot be read
     */
    static double[] readFile(java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new org.gdchaos.data.DataException("init file:" + file + ": file not found");
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] head = in.readNBytes(6);
            if (head.length == 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N') {
                return finite(org.gdchaos.data.NpyReader.readAll(file), file);
            }
            if (java.nio.file.Files.size(file) > MAX_TEXT_BYTES) {
                throw new org.gdchaos.data.DataException(file + ": a text file over 1 GiB; save the weights as .npy");
            }
        } catch (java.io.IOException e) {
            throw new org.gdchaos.data.DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        double[] v = new double[1024];
        int n = 0;
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(file)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) continue;
                double x;
                try {
                    x = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new org.gdchaos.data.DataException(file + ": line " + no + ": '"
                            + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "' is not a number (one number per line)");
                }
                if (!Double.isFinite(x)) {
                    throw new org.gdchaos.data.DataException(file + ": line " + no + ": " + t + " is not finite");
                }
                if (n == v.length) v = Arrays.copyOf(v, 2 * n);
                v[n++] = x;
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new org.gdchaos.data.DataException(file + ": neither an .npy array nor UTF-8 text", e);
        } catch (java.io.IOException e) {
            throw new org.gdchaos.data.DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (n == 0) throw new org.gdchaos.data.DataException(file + ": no numbers (an empty weights file)");
        return Arrays.copyOf(v, n);
    }

    private static double[] finite(double[] v, java.nio.file.Path file) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new org.gdchaos.data.DataException(file + ": element " + i + " is " + v[i]);
            }
        }
        if (v.length == 0) throw new org.gdchaos.data.DataException(file + ": an empty array");
        return v;
    }

    /**
     * Draws a parameter vector for {@code layout} from {@code rng}.
     *
     * @throws IllegalArgumentException when explicit values do not match the parameter count
     */
    public double[] draw(ParameterLayout layout, RandomGenerator rng) {
        ModelSpec spec = layout.spec();
        int p = (int) layout.size();
        if (kind == Kind.VALUES) {
            if (values.length != p) {
                throw new InputException(Setting.INIT.key(), "values: init has " + values.length + " numbers but model "
                        + spec + " has " + p + " parameters (weights row-major out×in, then bias, layer by layer)");
            }
            return values.clone();
        }
        double[] w = new double[p];
        for (int l = 1; l <= spec.layers(); l++) {
            int in = spec.fanIn(l), out = spec.fanOut(l);
            double sd = switch (kind) {
                case NORMAL -> std;
                case XAVIER -> Math.sqrt(2.0 / (in + out));
                case HE -> Math.sqrt(2.0 / in);
                default -> throw new AssertionError(kind);
            };
            int off = (int) layout.weightOffset(l);
            long count = layout.weightCount(l);
            for (int k = 0; k < count; k++) w[off + k] = sd * rng.nextGaussian();
        }
        return w;
    }

    /**
     * From run.json: the text {@code --init} takes ({@code "normal:1.0"}), or the object
     * {@code {"kind": "NORMAL", "std": 1.0, "values": null}} that earlier versions wrote.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static InitSpec fromJson(JsonNode n) {
        if (n.isTextual()) return parse(n.asText());
        if (n.isObject() && n.has("kind")) {
            Kind kind = Kind.valueOf(n.get("kind").asText().toUpperCase(Locale.ROOT));
            JsonNode v = n.get("values");
            double[] values = null;
            if (v != null && v.isArray()) {
                values = new double[v.size()];
                for (int i = 0; i < values.length; i++) values[i] = v.get(i).asDouble();
            }
            return new InitSpec(kind, n.path("std").asDouble(), values);
        }
        throw new InputException(Setting.INIT.key(), "cannot read the initialisation " + n
                + " (expected normal:STD, xavier, he or values:v1,v2,...)");
    }

    /** The text {@code --init} takes, e.g. {@code normal:1.0} (also in run.json). */
    @JsonValue
    @Override
    public String toString() {
        return switch (kind) {
            case NORMAL -> "normal:" + std;
            case XAVIER -> "xavier";
            case HE -> "he";
            case VALUES -> "values:" + Arrays.toString(values).replaceAll("[\\[\\] ]", "");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitSpec i && kind == i.kind && Double.compare(std, i.std) == 0
                && Arrays.equals(values, i.values);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(std) + Arrays.hashCode(values);
    }
}
