package org.gdchaos.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the float (f32) classes of the Java backend from their double (f64) templates, so that
 * the two precisions have one source. Run by Maven at {@code generate-sources} (see pom.xml,
 * {@code exec-maven-plugin}, execution {@code generate-f32}) as a single-file program:
 * <pre>
 *   java PrecisionTwins.java TEMPLATE_DIR OUT_DIR Path…     # e.g. gemm/GemmDriverF64 → OUT_DIR/gemm/GemmDriverF32.java
 * </pre>
 * A template is an ordinary, compiled f64 class written so that a textual change of type names
 * turns it into its f32 twin with the same shapes, loops and fields (what the JIT sees is the
 * same code with another element type):
 * <ul>
 *   <li>{@code double} → {@code float}, {@code Double} → {@code Float} (so {@code DoubleVector}
 *       → {@code FloatVector}, {@code VectorSpecies<Double>} → {@code VectorSpecies<Float>},
 *       {@code reinterpretAsDoubles} → {@code reinterpretAsFloats});</li>
 *   <li>{@code F64} → {@code F32}, {@code f64} → {@code f32}, {@code float64} → {@code float32} in names
 *       and comments.</li>
 * </ul>
 * Every {@code double} of a template is therefore the element type: a template writes values that
 * must convert to the element type as casts {@code (double) x} (no operation in f64, a rounding
 * in f32) and constants as integers or casts ({@code 1}, not {@code 1.0}). A template must not
 * contain the words {@code float} or {@code Float}, nor {@code F32}/{@code f32}: they would be
 * ambiguous in the generated twin, so the generator refuses such a template. A template's class
 * comment may hold one paragraph that starts {@code <p><b>Template.</b>}; in the twin it becomes
 * a pointer back to the template. The output starts with the line {@link #header}; it is never
 * edited by hand.
 *
 * <p>Host values. The backend's interface speaks 64-bit doubles whatever the element type (values
 * uploaded and downloaded, scalars such as a loss scale, partial sums accumulated across blocks).
 * A template writes that type as <code>/*host*&#47;double</code> (the comment glued to the word);
 * the generator keeps such a {@code double}, marker included, unchanged in the twin. Every other
 * {@code double} is the element type.
 */
public final class PrecisionTwins {
    private static final Pattern FORBIDDEN = Pattern.compile("\\bfloat\\b|Float|F32|\\bf32\\b|float32");
    private static final Pattern NOTE = Pattern.compile(" \\* <p><b>Template\\.</b>.*?(?=\n \\*\n|\n \\*/)",
            Pattern.DOTALL);
    /** A host (always 64-bit) double: kept as it is in the twin. */
    private static final Pattern HOST = Pattern.compile("/\\*host\\*/double\\b");
    /** Stands for a host double while the rules run (no rule matches it). */
    private static final String HOST_HOLD = "\u0000HOST\u0000";
    private static final String[][] RULES = {
        {"\\bfloat64\\b", "float32"},
        {"\\bdouble\\b", "float"},
        {"Double", "Float"},
        {"F64", "F32"},
        {"\\bf64\\b", "f32"},
    };

    private PrecisionTwins() {
    }

    /** The first line of a generated file. */
    public static String header(String templateName) {
        return "// GENERATED from " + templateName + ".java by src/build/java/org/gdchaos/build/PrecisionTwins.java"
                + " at build time — do not edit; edit the template.";
    }

    /** The name of the f32 twin of template class {@code name} ({@code GemmDriverF64} → {@code GemmDriverF32}). */
    public static String twinName(String name) {
        if (!name.contains("F64")) throw new IllegalArgumentException("template name " + name + " has no F64 in it");
        return name.replace("F64", "F32");
    }

    /**
     * The f32 source of a template.
     *
     * @throws IllegalArgumentException when the template contains a word the rules would make ambiguous
     */
    public static String generate(String templateName, String template) {
        Matcher bad = FORBIDDEN.matcher(template);
        if (bad.find()) {
            int line = 1;
            for (int i = 0; i < bad.start(); i++) if (template.charAt(i) == '\n') line++;
            throw new IllegalArgumentException(templateName + ".java:" + line + ": a template must not contain '"
                    + bad.group() + "' (it would be ambiguous in the generated f32 twin)");
        }
        if (template.indexOf('\u0000') >= 0) throw new IllegalArgumentException(templateName + ".java contains a NUL character");
        String s = HOST.matcher(template).replaceAll(Matcher.quoteReplacement(HOST_HOLD));
        for (String[] r : RULES) s = s.replaceAll(r[0], r[1]);
        s = s.replace(HOST_HOLD, "/*host*/double");
        s = NOTE.matcher(s).replaceFirst(Matcher.quoteReplacement(" * <p><b>Generated</b> from {@link " + templateName
                + "} by {@code PrecisionTwins} (element type and names changed): edit the template, not this file."));
        return header(templateName) + "\n" + s;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: java PrecisionTwins.java TEMPLATE_DIR OUT_DIR TemplateF64Path…");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Set<Path> written = new HashSet<>();
        for (int i = 2; i < args.length; i++) {
            String path = args[i];                                  // a class name, or sub/package/ClassName
            String name = Path.of(path).getFileName().toString();
            String template = Files.readString(in.resolve(path + ".java"), StandardCharsets.UTF_8);
            String generated;
            try {
                generated = generate(name, template);
            } catch (IllegalArgumentException e) {
                System.err.println("PrecisionTwins: " + e.getMessage());
                System.exit(1);
                return;
            }
            Path target = out.resolve(path).resolveSibling(twinName(name) + ".java");
            Files.createDirectories(target.getParent());
            written.add(target.toAbsolutePath().normalize());
            // rewrite only on change, so that an unchanged twin keeps its timestamp (incremental builds)
            if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(generated)) {
                Files.writeString(target, generated, StandardCharsets.UTF_8);
            }
        }
        removeStale(out, written);
    }

    /**
     * Deletes the twins under {@code out} that this run did not write (a template that was moved or
     * removed), so that an incremental build does not compile a twin of a class that is gone.
     */
    static void removeStale(Path out, Set<Path> written) throws IOException {
        List<Path> stale;
        try (Stream<Path> files = Files.walk(out)) {
            stale = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !written.contains(f.toAbsolutePath().normalize()))
                    .toList();
        }
        for (Path f : stale) {
            if (Files.readString(f, StandardCharsets.UTF_8).startsWith("// GENERATED from ")) Files.delete(f);
        }
    }
}
