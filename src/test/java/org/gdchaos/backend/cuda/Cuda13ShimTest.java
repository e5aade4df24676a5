package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jcuda.Pointer;
import jcuda.driver.CUstream;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA 13 shims without a GPU: fake {@code libcublas.so.13} and {@code libnvrtc.so.13}
 * (built here with gcc) stand in for CUDA 13; in a child JVM with {@code gdchaos.cuda.shim=on}
 * JCuda's JCublas2 and JNvrtc load through the shims, and gdchaos's calls reach the fakes with
 * their arguments intact (the fake GEMM prints the transposes, sizes, leading dimensions, strides, batch
 * count and host alpha and beta it received, which must equal what gdchaos sent). Proves the loading and forwarding chain, not cuBLAS/NVRTC 13 behaviour on a GPU.
 */
class Cuda13ShimTest {

    private static final String FAKE_CUBLAS = """
            #include <stdlib.h>
            int cublasCreate_v2(void **h) { *h = (void *) 0x5eed; return 0; }
            int cublasDestroy_v2(void *h) { return h == (void *) 0x5eed ? 0 : 7; }
            int cublasSetStream_v2(void *h, void *s) { return h == (void *) 0x5eed ? 0 : 7; }
            int cublasSetPointerMode_v2(void *h, int mode) { return mode == 0 ? 0 : 7; }
            #include <stdio.h>
            int cublasDgemmStridedBatched(void *h, int ta, int tb, int m, int n, int k, const double *alpha,
                    const double *a, int lda, long long sa, const double *b, int ldb, long long sb,
                    const double *beta, double *c, int ldc, long long sc, int count) {
              printf("dgemm ta=%d tb=%d m=%d n=%d k=%d lda=%d sa=%lld ldb=%d sb=%lld ldc=%d sc=%lld count=%d"
                     " alpha=%.3f beta=%.3f\\n", ta, tb, m, n, k, lda, sa, ldb, sb, ldc, sc, count, *alpha, *beta);
              fflush(stdout);
              return h == (void *) 0x5eed ? 0 : 7;
            }
            int cublasSgemmStridedBatched(void) { return 7; }
            """;

    private static final String FAKE_NVRTC = """
            int nvrtcVersion(int *major, int *minor) { *major = 13; *minor = 0; return 0; }
            int nvrtcGetNumSupportedArchs(int *n) { *n = 2; return 0; }
            int nvrtcGetSupportedArchs(int *a) { a[0] = 90; a[1] = 120; return 0; }
            """;

    /** Child JVM: selects paths in auto mode with the shim on, then calls cuBLAS and NVRTC through it. */
    public static void main(String[] args) {
        CudaPaths.Selection s = CudaPaths.select(BackendOptions.defaults(),
                new CudaPaths.Native(Cuda13Shim.enabled(BackendOptions.defaults())), 13000);
        System.out.println("paths: " + s.describe());
        System.out.println("nvrtc version: " + NvrtcCompiler.version());
        try (CublasGemm g = new CublasGemm(new CUstream())) {
            GemmShape shape = new GemmShape(6, 4, 3, 5, false, true, 2.0, 0.5);
            List<CublasGemmArgs> plan = CublasGemmArgs.plan(shape, 0, 15, 0, 0, 0, 12);
            for (CublasGemmArgs a : plan) {
                System.out.println(String.format(java.util.Locale.ROOT, "expect dgemm ta=%d tb=%d m=%d n=%d k=%d lda=%d"
                        + " sa=%d ldb=%d sb=%d ldc=%d sc=%d count=%d alpha=%.3f beta=%.3f", a.transA() ? 1 : 0,
                        a.transB() ? 1 : 0, a.m(), a.n(), a.k(), a.lda(), a.strideA(), a.ldb(), a.strideB(), a.ldc(),
                        a.strideC(), a.batchCount(), 2.0, 0.5));
                System.out.flush();
                g.gemm(DType.F64, a, 2.0, new Pointer(), new Pointer(), 0.5, new Pointer());
            }
            System.out.println("gemm: " + plan.size() + " call(s)");
        }
    }

    @TempDir
    Path dir;

    @Test
    void jcudaLoadsThroughTheShimsAndCallsReachTheCuda13Libraries() throws Exception {
        assumeTrue(Cuda13Shim.class.getResource(Cuda13Shim.RESOURCE_DIR + "cublas12-shim.so") != null,
                "the build had no gcc: no shim in target/classes");
        assumeTrue(CudaPaths.NativeLibraries.locate("libcublas.so.12") == null, "CUDA 12 cuBLAS is installed here");
        for (Map.Entry<String, String> e : Map.of("libcublas.so.13", FAKE_CUBLAS, "libnvrtc.so.13", FAKE_NVRTC).entrySet()) {
            Path c = dir.resolve(e.getKey() + ".c");
            Files.writeString(c, e.getValue());
            Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", dir.resolve(e.getKey()).toString(),
                    "-Wl,-soname," + e.getKey(), c.toString()).redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(gcc.waitFor(1, TimeUnit.MINUTES) && gcc.exitValue() == 0, log);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dgdchaos.cuda.shim=on", "-cp", System.getProperty("java.class.path"),
                Cuda13ShimTest.class.getName()).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("paths: kernels: nvrtc (libnvrtc.so.12 not found; libnvrtc.so.13 through gdchaos's CUDA 13"
                + " shim, unverified on a GPU); gemm: cublas (libcublas.so.12 not found; libcublas.so.13 through gdchaos's"
                + " CUDA 13 shim, unverified on a GPU)"), out);
        assertTrue(out.contains("nvrtc version: 13.0"), out);
        assertTrue(out.contains("gemm: 1 call(s)"), out);
        List<String> expected = out.lines().filter(l -> l.startsWith("expect dgemm ")).map(l -> l.substring(7)).toList();
        List<String> seen = out.lines().filter(l -> l.startsWith("dgemm ")).toList();
        assertEquals(1, expected.size(), out);
        assertEquals(expected, seen, "cuBLAS 13 (fake) received exactly gdchaos's arguments");
    }

    @Test
    void withoutTheSwitchAPresentCuda13LibraryIsOnlyMentioned() {
        assertFalse(Cuda13Shim.enabled(BackendOptions.defaults()));
        assertTrue(Cuda13Shim.enabled(new BackendOptions(Map.of("shim", "on"))));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Cuda13Shim.enabled(new BackendOptions(Map.of("shim", "maybe"))));
        assertTrue(e.getMessage().contains("must be on or off"));
    }
}
