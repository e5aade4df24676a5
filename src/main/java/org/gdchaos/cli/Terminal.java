package org.gdchaos.cli;

import java.io.FileOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.text.Normalizer;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where the command line's text meets the terminal. Messages are written in the
 * charset the stream actually uses (JDK 17: {@code sun.stdout.encoding}/{@code sun.stderr.encoding}
 * when the stream is a console, else {@code native.encoding}, the locale's; JDK 19+:
 * {@code stdout.encoding}/{@code stderr.encoding}), and every character that charset cannot
 * encode is replaced by an ASCII spelling ({@link #ASCII}: × → x, — → -, ≤ → &lt;=, ± → +/-,
 * η → eta, λ → lambda, ≥ → &gt;=, ∞ → inf, … → ..., ‖ → ||, …; accented letters lose the accent;
 * anything else becomes {@code ?}). Under a UTF-8 locale the text passes unchanged; under
 * {@code LC_ALL=C} (US-ASCII) it stays readable instead of turning into question marks. Files
 * (CSV, JSON, HTML) are written as UTF-8 elsewhere, whatever the locale.
 */
public final class Terminal {
    /** ASCII spellings of the symbols gdchaos prints. */
    static final Map<Character, String> ASCII = Map.ofEntries(
            Map.entry('×', "x"), Map.entry('—', "-"), Map.entry('–', "-"), Map.entry('−', "-"),
            Map.entry('≤', "<="), Map.entry('≥', ">="), Map.entry('±', "+/-"), Map.entry('η', "eta"),
            Map.entry('λ', "lambda"), Map.entry('Λ', "Lambda"), Map.entry('∞', "inf"), Map.entry('…', "..."),
            Map.entry('‖', "||"), Map.entry('ε', "eps"), Map.entry('δ', "delta"), Map.entry('τ', "tau"),
            Map.entry('σ', "sigma"), Map.entry('Σ', "sum"), Map.entry('μ', "mu"), Map.entry('→', "->"),
            Map.entry('←', "<-"), Map.entry('·', "*"), Map.entry('⟨', "<"), Map.entry('⟩', ">"),
            Map.entry('ᵀ', "^T"), Map.entry('²', "^2"), Map.entry('√', "sqrt"), Map.entry('≈', "~"),
            Map.entry('≠', "!="), Map.entry('‘', "'"), Map.entry('’', "'"), Map.entry('“', "\""),
            Map.entry('”', "\""), Map.entry('•', "*"), Map.entry('█', "#"), Map.entry('░', "."),
            Map.entry('\u00a0', " "));

    private Terminal() {
    }

    /** The charset of standard output: what the JVM writes {@code System.out} in (or the console's). */
    public static Charset stdoutCharset() {
        return charset("stdout.encoding", "sun.stdout.encoding", true);
    }

    /** The charset of standard error. */
    public static Charset stderrCharset() {
        return charset("stderr.encoding", "sun.stderr.encoding", false);
    }

    private static Charset charset(String jdk19, String jdk17, boolean console) {
        for (String key : new String[] {jdk19, jdk17}) {
            Optional<Charset> c = named(System.getProperty(key));
            if (c.isPresent()) return c.get();
        }
        if (console && System.console() != null) return System.console().charset();
        return named(System.getProperty("native.encoding")).orElse(Charset.defaultCharset());
    }

    private static Optional<Charset> named(String name) {
        if (name == null || name.isBlank()) return Optional.empty();
        try {
            return Optional.of(Charset.forName(name.trim()));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** An auto-flushing writer to {@code out} in {@code charset}, with ASCII spellings for what it cannot encode. */
    public static PrintWriter writer(OutputStream out, Charset charset) {
        return new PrintWriter(new Fallback(new OutputStreamWriter(out, charset), charset), true);
    }

    /** A print stream to {@code out} in {@code charset}, with ASCII spellings (for {@code System.setErr}). */
    public static PrintStream printStream(OutputStream out, Charset charset) {
        Writer w = new Fallback(new OutputStreamWriter(out, charset), charset);
        return new PrintStream(new OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) throws IOException {
                line.write(b);
                if (b == '\n') flush();
            }

            @Override
            public synchronized void flush() throws IOException {
                // the PrintStream below encodes in UTF-8, which round-trips every character
                w.write(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                line.reset();
                w.flush();
            }

            @Override
            public void close() throws IOException {
                flush();
                w.close();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Standard error for the command line. With {@code -Dgdchaos.stderr=PATH} (the launchers pass
     * {@code /dev/fd/3}, the terminal, while the JVM's own stderr goes through a filter that drops
     * the JVM's "Using incubator modules" line) messages are written to that path, so they reach
     * the terminal directly, in order and unbuffered. {@link System#err} is pointed there too, so
     * other code's messages follow. Without the property, or if the path cannot be opened: the
     * JVM's standard error.
     */
    static OutputStream stderrStream() {
        String path = System.getProperty("gdchaos.stderr");
        if (path != null && !path.isBlank()) {
            try {
                OutputStream s = new FileOutputStream(path, true);
                System.setErr(printStream(s, stderrCharset()));
                return s;
            } catch (IOException | SecurityException e) {
                // fall back to the JVM's standard error
            }
        }
        return System.err;
    }

    /** {@code text} with every character {@code charset} cannot encode spelled in ASCII. */
    public static String encodable(String text, Charset charset) {
        if (charset.name().toUpperCase(java.util.Locale.ROOT).startsWith("UTF")) return text; // all of Unicode
        CharsetEncoder enc = charset.newEncoder();
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 || enc.canEncode(c)) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(text.length() + 16).append(text, 0, i);
            b.append(ascii(c));
        }
        return b == null ? text : b.toString();
    }

    /** The ASCII spelling of one character: {@link #ASCII}, else its letters without accents, else {@code ?}. */
    static String ascii(char c) {
        String s = ASCII.get(c);
        if (s != null) return s;
        String base = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return !base.isEmpty() && base.chars().allMatch(ch -> ch < 128) ? base : "?";
    }

    /** A writer that spells in ASCII what its charset cannot encode. */
    static final class Fallback extends FilterWriter {
        private final Charset charset;

        Fallback(Writer out, Charset charset) {
            super(out);
            this.charset = charset;
        }

        @Override
        public void write(int c) throws IOException {
            out.write(encodable(String.valueOf((char) c), charset));
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            out.write(encodable(new String(cbuf, off, len), charset));
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            out.write(encodable(str.substring(off, off + len), charset));
        }
    }
}
