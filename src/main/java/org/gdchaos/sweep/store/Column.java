package org.gdchaos.sweep.store;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One column of a CSV output ({@code results.csv}, {@code summary.csv}, {@code curves.csv}): its
 * name, its type and what it holds. The writers declare their columns with this record, so the
 * README's column tables and the strict-typed reading test come from the same place as the files.
 *
 * <p>Missing values are {@code NaN} in every numeric column (never {@code -1} or a word);
 * booleans are {@code true}/{@code false}.
 *
 * @param name        the header name; a documented family of columns uses a placeholder
 *                    ({@code lambda_k}: {@code lambda_1}, {@code lambda_2}, …; {@code Q_mean}: the mean
 *                    of each summarised quantity Q)
 * @param type        what every value of the column parses as
 * @param description what it holds (one sentence or a few; Markdown)
 */
public record Column(String name, Type type, String description) {
    /** The value types of the outputs. */
    public enum Type {
        /** A whole number, never missing ({@code Long.parseLong}; pandas: int64). */
        INT("int"),
        /** A whole number or {@code NaN} when absent (pandas: float64). */
        INT_OR_NAN("int or NaN"),
        /** A decimal number, {@code NaN} when missing, {@code Infinity}/{@code -Infinity} where stated. */
        DOUBLE("double"),
        /** {@code true} or {@code false}. */
        BOOLEAN("boolean"),
        /** A word without commas, never missing (pandas: object). */
        TEXT("text");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The name the README's tables use. */
        public String label() {
            return label;
        }

        /** Whether {@code text} is a value of this type (the strict reader's rule). */
        public boolean accepts(String text) {
            try {
                switch (this) {
                    case INT:
                        Long.parseLong(text);
                        return true;
                    case INT_OR_NAN: {
                        if (text.equals("NaN")) return true;
                        Long.parseLong(text);
                        return true;
                    }
                    case DOUBLE:
                        if (!text.equals(text.trim()) || text.isEmpty()) return false;
                        Double.parseDouble(text);
                        return !text.endsWith("d") && !text.endsWith("f") && !text.endsWith("D")
                                && !text.endsWith("F");
                    case BOOLEAN:
                        return text.equals("true") || text.equals("false");
                    case TEXT:
                        return !text.isEmpty() && !text.contains(",") && !text.contains("\n");
                    default:
                        throw new AssertionError(this);
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    public Column {
        if (name.isEmpty() || name.contains(",")) throw new IllegalArgumentException("bad column name '" + name + "'");
    }

    /** The same column under a concrete name (a member of a documented family). */
    Column named(String concrete) {
        return new Column(concrete, type, description);
    }

    /** Whether the concrete header name {@code header} belongs to this (possibly templated) column. */
    public boolean matches(String header) {
        return pattern().matcher(header).matches();
    }

    private Pattern pattern() {
        if (name.startsWith("Q_")) return Pattern.compile("[a-z0-9_]+" + Pattern.quote(name.substring(1)));
        String[] parts = name.split("_k(?=_|$)", -1);
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) p.append("_[1-9][0-9]*");
            p.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(p.toString());
    }

    /** A Markdown table of columns: name, type, meaning. */
    public static String markdownTable(List<Column> columns) {
        StringBuilder sb = new StringBuilder("| column | type | meaning |\n|---|---|---|\n");
        for (Column c : columns) {
            sb.append("| `").append(c.name()).append("` | ").append(c.type().label()).append(" | ")
                    .append(c.description().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return sb.toString();
    }
}
