package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On a machine without {@code libnvrtc.so.12} and {@code libcublas.so.12}, choosing the paths
 * in auto mode must not load JCuda's {@code JNvrtc} or {@code JCublas2} classes (their static
 * initialisers load the natives). Checked in a child JVM with {@code -verbose:class}.
 */
class NoJcudaLibraryClassesTest {

    /** Child JVM entry point: asks the real library check in auto mode and prints the answers. */
    public static void main(String[] args) {
        CudaPaths.Native libs = new CudaPaths.Native();
        System.out.println("nvrtc: " + libs.nvrtcProblem(false));
        System.out.println("cublas: " + libs.cublasProblem(false));
    }

    @Test
    void autoModeDoesNotTouchJcudaLibraryClassesWhenTheLibrariesAreAbsent() throws Exception {
        assumeTrue(CudaPaths.NativeLibraries.locate("libnvrtc.so.12") == null
                && CudaPaths.NativeLibraries.locate("libcublas.so.12") == null, "CUDA 12 libraries are installed here");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                NoJcudaLibraryClassesTest.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("nvrtc: libnvrtc.so.12 not found"), out);
        assertTrue(out.contains("cublas: libcublas.so.12 not found"), out);
        assertTrue(out.contains("org.gdchaos.backend.cuda.CudaPaths$Native "), "the check ran in the child JVM");
        for (String cls : List.of("jcuda.nvrtc.JNvrtc ", "jcuda.jcublas.JCublas2 ", "org.gdchaos.backend.cuda.CublasGemm ",
                "org.gdchaos.backend.cuda.NvrtcCompiler ")) {
            assertFalse(out.contains(cls), cls + "was loaded");
        }
    }
}
