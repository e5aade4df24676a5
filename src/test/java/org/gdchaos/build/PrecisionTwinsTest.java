package org.gdchaos.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator of the f32 twins: its rules on a small template, its refusals, and that the
 * twins the build compiled are exactly what the current templates generate (none stale, none
 * edited by hand, none also written by hand in src/main).
 */
class PrecisionTwinsTest {
    /** The templates the pom names (exec-maven-plugin, execution generate-f32). */
    static final List<String> TEMPLATES = List.of("gemm/GemmKernelF64", "gemm/GemmKernelF64Vector", "gemm/GemmDriverF64",
            "gemm/SparseSharedGemmF64", "gemm/FoldedGemmF64", "gemm/NarrowGemmF64", "gemm/NarrowVectorF64",
            "gemm/SparseRowsVectorF64", "ActivationKernelsF64", "VectorMapsF64", "JavaOpsF64", "VectorKernelsF64",
            "ConvKernelsF64");
    static final Path MAIN = Path.of("src/main/java/org/gdchaos/backend/java");

    @Test
    void rulesChangeTheElementTypeAndNamesOnly() {
        String template = String.join("\n",
                "package p;",
                "/**",
                " * The float64 thing of {@link XF64} (f64).",
                " *",
                " * <p><b>Template.</b> Said only in the template,",
                " * over two lines.",
                " */",
                "final class XF64 {",
                "    static final VectorSpecies<Double> S = DoubleVector.SPECIES_128;",
                "    double sum(double[] a, double alpha) { double t = (double) alpha; return t * a[0]; }",
                "    DoubleVector r(DoubleVector v) { return v.reinterpretAsDoubles(); }",
                "    double doubled = 2; // a longer word keeps its letters",
                "}", "");
        String out = PrecisionTwins.generate("XF64", template);
        assertEquals(String.join("\n",
                PrecisionTwins.header("XF64"),
                "package p;",
                "/**",
                " * The float32 thing of {@link XF32} (f32).",
                " *",
                " * <p><b>Generated</b> from {@link XF64} by {@code PrecisionTwins} (element type and names changed):"
                        + " edit the template, not this file.",
                " */",
                "final class XF32 {",
                "    static final VectorSpecies<Float> S = FloatVector.SPECIES_128;",
                "    float sum(float[] a, float alpha) { float t = (float) alpha; return t * a[0]; }",
                "    FloatVector r(FloatVector v) { return v.reinterpretAsFloats(); }",
                "    float doubled = 2; // a longer word keeps its letters",
                "}", ""), out);
        assertTrue(out.startsWith("// GENERATED from XF64.java by "), out);
        assertEquals("GemmDriverF32", PrecisionTwins.twinName("GemmDriverF64"));
        assertThrows(IllegalArgumentException.class, () -> PrecisionTwins.twinName("Gemm"));
    }

    @Test
    void hostDoublesStayDoubleWithTheirMarker() {
        String template = String.join("\n",
                "final class XF64 {",
                "    /*host*/double[] sums(double[] a, /*host*/double scale) {",
                "        /*host*/double[] out = new /*host*/double[1];",
                "        out[0] = scale * a[0]; double e = (double) scale; return out;",
                "    }",
                "    double / *host*/ doubled; // only the exact marker, glued to the word, keeps a double",
                "}", "");
        String out = PrecisionTwins.generate("XF64", template);
        assertEquals(String.join("\n",
                PrecisionTwins.header("XF64"),
                "final class XF32 {",
                "    /*host*/double[] sums(float[] a, /*host*/double scale) {",
                "        /*host*/double[] out = new /*host*/double[1];",
                "        out[0] = scale * a[0]; float e = (float) scale; return out;",
                "    }",
                "    float / *host*/ doubled; // only the exact marker, glued to the word, keeps a float",
                "}", ""), out);
    }

    @Test
    void refusesTemplatesThatWouldBeAmbiguous() {
        for (String word : List.of("float", "Float", "F32", "f32", "float32")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PrecisionTwins.generate("XF64", "package p;\n\nclass XF64 { /* " + word + " */ }\n"));
            assertEquals("XF64.java:3: a template must not contain '" + word
                    + "' (it would be ambiguous in the generated f32 twin)", e.getMessage());
        }
    }

    @Test
    void theBuildsTwinsAreTheCurrentTemplatesGenerated() throws Exception {
        Path generated = Path.of(System.getProperty("gdchaos.f32Sources", "target/generated-sources/f32"))
                .resolve("org/gdchaos/backend/java");
        for (String path : TEMPLATES) {
            String name = Path.of(path).getFileName().toString();
            String twin = Path.of(path).resolveSibling(PrecisionTwins.twinName(name)).toString();
            assertFalse(Files.exists(MAIN.resolve(twin + ".java")), twin + " must not be written by hand in src/main");
            String expected = PrecisionTwins.generate(name, Files.readString(MAIN.resolve(path + ".java")));
            assertEquals(expected, Files.readString(generated.resolve(twin + ".java")), twin + " is stale");
        }
    }

    @Test
    void aTwinWhoseTemplateMovedIsDeletedAndHandWrittenFilesStay(@org.junit.jupiter.api.io.TempDir Path out)
            throws Exception {
        Path stale = out.resolve("OldF32.java"), kept = out.resolve("gemm/NewF32.java"), other = out.resolve("Mine.java");
        Files.createDirectories(kept.getParent());
        Files.writeString(stale, PrecisionTwins.header("OldF64") + "\nclass OldF32 {}\n");
        Files.writeString(kept, PrecisionTwins.header("NewF64") + "\nclass NewF32 {}\n");
        Files.writeString(other, "class Mine {}\n");
        PrecisionTwins.removeStale(out, java.util.Set.of(kept.toAbsolutePath().normalize()));
        assertFalse(Files.exists(stale));
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(kept) && Files.exists(other));
    }
}
