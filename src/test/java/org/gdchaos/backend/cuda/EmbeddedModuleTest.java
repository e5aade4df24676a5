package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.kernels.KernelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The embedded CUDA module matches {@code kernels/}: the manifest's source hashes equal the
 * current assembled sources (no nvcc needed, so editing ops.cl without rerunning the script
 * fails everywhere), the committed fat binaries hold every kernel for every listed
 * architecture, and, where nvcc exists, a fresh compile with the manifest's flags reproduces
 * them byte for byte (nvcc 13.0 is deterministic here: same bytes from different folders).
 */
class EmbeddedModuleTest {

    private static final String FIX = "the embedded CUDA module is stale: run " + EmbeddedModule.SCRIPT
            + " and commit src/main/resources/org/gdchaos/kernels/cuda/";

    @TempDir
    Path dir;

    private static Properties manifest() {
        Properties m = EmbeddedModule.manifest();
        assertNotNull(m, "no " + EmbeddedModule.RESOURCE_DIR + EmbeddedModule.MANIFEST + " on the classpath: " + FIX);
        return m;
    }

    private static byte[] fatbin(DType t) throws IOException {
        String name = manifest().getProperty(t.label() + ".fatbin");
        try (InputStream in = EmbeddedModule.class.getResourceAsStream(EmbeddedModule.RESOURCE_DIR + name)) {
            assertNotNull(in, name + " missing: " + FIX);
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void manifestHashesTheCurrentKernelSource(DType t) {
        String current = EmbeddedModule.sha256(KernelSource.assemble(KernelSource.Dialect.CUDA, t, true));
        assertEquals(current, manifest().getProperty(t.label() + ".source.sha256"),
                () -> t.label() + ": kernels/ changed since the module was built; " + FIX);
        assertNull(EmbeddedModule.problem(13000), () -> "embedded module unusable: " + EmbeddedModule.problem(13000));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fatbinHoldsEveryKernelForEveryListedArchitecture(DType t) throws IOException {
        byte[] file = fatbin(t);
        assertEquals(manifest().getProperty(t.label() + ".fatbin.sha256"), EmbeddedModule.sha256(file),
                t.label() + " fat binary differs from its manifest hash: " + FIX);
        List<Fatbin.Entry> entries = Fatbin.parse(file);
        List<String> want = new ArrayList<>(Arrays.asList(manifest().getProperty("cubins").split(" ")));
        want.add(manifest().getProperty("ptx"));
        assertEquals(want.stream().sorted().toList(), entries.stream().map(Fatbin.Entry::name).sorted().toList(),
                "architectures in the " + t.label() + " fat binary");
        for (Fatbin.Entry e : entries) {
            String text = e.text();
            for (String k : KernelSource.KERNELS) {
                String needle = e.ptx() ? ".entry " + k + "(" : ".text." + k + "\0";
                assertTrue(text.contains(needle), () -> "kernel " + k + " missing from " + e.name() + " ("
                        + t.label() + ")");
            }
            if (e.ptx()) {
                assertTrue(text.contains(".target sm_" + e.arch()), "PTX target " + e.arch());
                assertTrue(text.contains(t == DType.F64 ? ".f64" : ".f32"), "PTX of the right dtype");
            } else {
                assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, Arrays.copyOf(e.data(), 4), e.name() + " is ELF");
            }
        }
    }

    @Test
    void staleOrTooOldDriverIsExplained() {
        Properties m = new Properties();
        m.putAll(manifest());
        assertNull(EmbeddedModule.problem(m, EmbeddedModule::source, 13000));
        String stale = EmbeddedModule.problem(m, t -> EmbeddedModule.source(t) + "// edited\n", 13000);
        assertTrue(stale.contains("stale") && stale.contains(EmbeddedModule.SCRIPT), stale);
        String old = EmbeddedModule.problem(m, EmbeddedModule::source, 12040);
        assertTrue(old.contains("CUDA 13.0 or newer") && old.contains("supports CUDA 12.4") && old.contains("fix:"), old);
        String none = EmbeddedModule.problem(null, EmbeddedModule::source, 13000);
        assertTrue(none.contains("no embedded CUDA module") && none.contains(EmbeddedModule.SCRIPT), none);
        for (String s : List.of(stale, old, none)) assertTrue(!s.contains("\n"), s);
    }

    @Test
    void olderGpusThanTheModuleAreRefusedWithAReason() {
        assertEquals(80, EmbeddedModule.minComputeCapability(manifest()));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> EmbeddedModule.image(DType.F32, 13000, 75));
        assertEquals("the embedded CUDA module has code for compute capability 8.0 and newer, this GPU is 7.5 (fix:"
                + " install the CUDA 12 NVRTC library, libnvrtc.so.12)", e.getMessage());
        assertTrue(EmbeddedModule.image(DType.F64, 13000, 90).length > 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> EmbeddedModule.image(DType.F64, 12080, 90), "driver too old");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void freshNvccCompileReproducesTheCommittedModule(DType t) throws Exception {
        Path nvcc = onPath("nvcc");
        assumeTrue(nvcc != null, "nvcc not on PATH: fresh compile not compared");
        Properties m = manifest();
        String cu = "gdchaos_" + t.label() + ".cu";
        Files.writeString(dir.resolve(cu), EmbeddedModule.source(t), StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(nvcc.toString()));
        cmd.addAll(Arrays.asList(m.getProperty("nvcc.flags").trim().split("\\s+")));
        cmd.addAll(List.of("-o", "fresh.fatbin", cu));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "nvcc timed out");
        assertEquals(0, p.exitValue(), () -> "nvcc failed:\n" + out);
        byte[] fresh = Files.readAllBytes(dir.resolve("fresh.fatbin"));
        String version = new String(new ProcessBuilder(nvcc.toString(), "--version").start().getInputStream()
                .readAllBytes(), StandardCharsets.UTF_8);
        if (version.contains(m.getProperty("nvcc.version"))) {
            assertEquals(EmbeddedModule.sha256(fatbin(t)), EmbeddedModule.sha256(fresh),
                    t.label() + ": a fresh compile with the same nvcc differs from the committed module; " + FIX);
        } else {                                                  // another nvcc: same entries and kernels
            assertEquals(Fatbin.parse(fatbin(t)).stream().map(Fatbin.Entry::name).toList(),
                    Fatbin.parse(fresh).stream().map(Fatbin.Entry::name).toList());
        }
    }

    private static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) return Path.of(d, exe);
        }
        return null;
    }
}
