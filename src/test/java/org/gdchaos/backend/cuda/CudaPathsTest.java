package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.cuda.CudaPaths.GemmPath;
import org.gdchaos.backend.cuda.CudaPaths.KernelPath;
import org.gdchaos.backend.cuda.CudaPaths.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing NVRTC or the embedded module, cuBLAS or the own GEMM, with fakes for library loading. */
class CudaPathsTest {

    /** A machine: which libraries load, and what each query was asked. */
    static final class FakeLibraries implements CudaPaths.Libraries {
        final boolean nvrtc, cublas;
        final String embedded;
        final List<String> calls = new ArrayList<>();

        FakeLibraries(boolean nvrtc, boolean cublas, String embeddedProblem) {
            this.nvrtc = nvrtc;
            this.cublas = cublas;
            this.embedded = embeddedProblem;
        }

        @Override
        public String nvrtcProblem(boolean forced) {
            calls.add("nvrtc forced=" + forced);
            return nvrtc ? null : "libnvrtc.so.12 not found";
        }

        @Override
        public String cublasProblem(boolean forced) {
            calls.add("cublas forced=" + forced);
            return cublas ? null : "libcublas.so.12 not found";
        }

        @Override
        public String embeddedProblem(int driverVersion) {
            calls.add("embedded " + driverVersion);
            return embedded;
        }
    }

    private static final FakeLibraries DRIVER_ONLY = new FakeLibraries(false, false, null);
    private static final FakeLibraries CUDA12 = new FakeLibraries(true, true, null);

    private static BackendOptions opts(String... kv) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return new BackendOptions(m);
    }

    @Test
    void driverOnlyMachineUsesTheEmbeddedModuleAndTheOwnGemm() {
        Selection s = CudaPaths.select(opts(), DRIVER_ONLY, 13000);
        assertEquals(KernelPath.EMBEDDED, s.kernels());
        assertEquals(GemmPath.OWN, s.gemm());
        assertEquals("kernels: embedded (libnvrtc.so.12 not found); gemm: own (libcublas.so.12 not found)", s.describe());
    }

    @Test
    void cuda12MachineKeepsNvrtcAndCublasAndNeverLooksAtTheEmbeddedModule() {
        FakeLibraries libs = new FakeLibraries(true, true, "must not be asked");
        Selection s = CudaPaths.select(opts(), libs, 12040);
        assertEquals("kernels: nvrtc (default); gemm: cublas (default)", s.describe());
        assertEquals(List.of("nvrtc forced=false", "cublas forced=false"), libs.calls, "auto never forces a load");
    }

    @Test
    void eachPathCanBeForced() {
        Selection s = CudaPaths.select(opts("kernels", "embedded", "gemm", "own"), CUDA12, 13000);
        assertEquals("kernels: embedded (forced); gemm: own (forced)", s.describe());
        FakeLibraries libs = new FakeLibraries(true, true, null);
        Selection n = CudaPaths.select(opts("kernels", "NVRTC", "gemm", " cublas "), libs, 12040);
        assertEquals("kernels: nvrtc (forced); gemm: cublas (forced)", n.describe());
        assertEquals(List.of("nvrtc forced=true", "cublas forced=true"), libs.calls, "a forced path tries to load");
        Selection mixed = CudaPaths.select(opts("gemm", "own"), CUDA12, 12040);
        assertEquals("kernels: nvrtc (default); gemm: own (forced)", mixed.describe());
    }

    @Test
    void forcingAnAbsentPathIsAClearError() {
        IllegalStateException k = assertThrows(IllegalStateException.class,
                () -> CudaPaths.select(opts("kernels", "nvrtc"), DRIVER_ONLY, 13000));
        assertEquals("gdchaos.cuda.kernels=nvrtc but NVRTC is unavailable: libnvrtc.so.12 not found (fix: install the"
                + " CUDA 12 NVRTC library, or use -Dgdchaos.cuda.kernels=auto)", k.getMessage());
        IllegalStateException g = assertThrows(IllegalStateException.class,
                () -> CudaPaths.select(opts("gemm", "cublas"), DRIVER_ONLY, 13000));
        assertTrue(g.getMessage().startsWith("gdchaos.cuda.gemm=cublas but cuBLAS is unavailable: libcublas.so.12"
                + " not found"), g.getMessage());
        FakeLibraries oldDriver = new FakeLibraries(true, true, "needs a driver for CUDA 13.0");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CudaPaths.select(opts("kernels", "embedded"), oldDriver, 12040));
        assertTrue(e.getMessage().contains("embedded module is unusable: needs a driver for CUDA 13.0"), e.getMessage());
    }

    @Test
    void autoWithNeitherKernelSourceSaysBothReasons() {
        FakeLibraries none = new FakeLibraries(false, false, "the embedded module needs a driver for CUDA 13.0");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaPaths.select(opts(), none, 12040));
        assertEquals("no CUDA kernels: NVRTC: libnvrtc.so.12 not found; embedded module: the embedded module needs a"
                + " driver for CUDA 13.0", e.getMessage());
    }

    @Test
    void unknownModesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaPaths.select(opts("kernels", "ptx"), CUDA12, 13000));
        assertEquals("gdchaos.cuda.kernels must be auto, nvrtc or embedded; got 'ptx'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaPaths.select(opts("gemm", "cutlass"), CUDA12, 13000));
    }

    @Test
    void theProbeReportsADriverOnlyMachineAvailableThroughEmbeddedAndOwn() {
        List<Selection> opened = new ArrayList<>();
        Availability a = CudaProbe.probe(opts(), DRIVER_ONLY,
                ordinal -> new DeviceInfo(ordinal, "Fake H200", 9, 0, 141L << 30, 132, 13000),
                (info, paths) -> {
                    opened.add(paths);
                    FakeCudaDriver d = new FakeCudaDriver();
                    d.paths = paths;
                    return d;
                });
        assertTrue(a.available(), a.detail());
        assertEquals("Fake H200 (device 0, sm_90, 132 SMs, 141.0 GiB, driver CUDA 13.0); kernels: embedded"
                + " (libnvrtc.so.12 not found); gemm: own (libcublas.so.12 not found)", a.detail());
        assertEquals(GemmPath.OWN, opened.get(0).gemm());
    }

    @Test
    void theProbeFailsWhenTheTestKernelOrGemmReturnsWrongValues() {
        for (boolean own : new boolean[] {true, false}) {
            Availability a = CudaProbe.probe(opts("gemm", own ? "own" : "cublas"), CUDA12,
                    ordinal -> new DeviceInfo(ordinal, "Fake", 9, 0, 1L << 30, 4, 12040),
                    (info, paths) -> {
                        FakeCudaDriver d = new FakeCudaDriver();
                        d.paths = paths;
                        d.execute = false;                    // kernels do nothing: the read-back must notice
                        return d;
                    });
            assertFalse(a.available());
            assertTrue(a.detail().startsWith("the CUDA test kernel ran but returned [0.0, 0.0, 0.0, 0.0]"), a.detail());
        }
        Availability forcedAbsent = CudaProbe.probe(opts("gemm", "cublas"), DRIVER_ONLY,
                ordinal -> new DeviceInfo(ordinal, "Fake", 9, 0, 1L << 30, 4, 13000),
                (info, paths) -> new FakeCudaDriver());
        assertFalse(forcedAbsent.available());
        assertTrue(forcedAbsent.detail().startsWith("gdchaos.cuda.gemm=cublas but cuBLAS is unavailable"));
    }

    @Test
    void theProbeFailsWhenOnlyTheGemmIsWrong() {
        Availability a = CudaProbe.probe(opts(), CUDA12,
                ordinal -> new DeviceInfo(ordinal, "Fake", 9, 0, 1L << 30, 4, 12040),
                (info, paths) -> new FakeCudaDriver() {
                    @Override
                    public void gemm(org.gdchaos.backend.DType dtype, CublasGemmArgs args, double alpha, Memory x,
                                     Memory y, double beta, Memory c) {
                        // a broken cuBLAS: returns success, computes nothing
                    }
                });
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("the CUDA test GEMM (cublas) returned [0.0, 0.0, 0.0, 0.0] instead of"
                + " [19.0, 22.0, 43.0, 50.0]"), a.detail());
    }

    @Test
    void theProbeChecksTheGemmResultOnEachPath() {
        for (String gemm : new String[] {"own", "cublas"}) {
            List<FakeCudaDriver> drivers = new ArrayList<>();
            Availability a = CudaProbe.probe(opts("gemm", gemm), CUDA12,
                    ordinal -> new DeviceInfo(ordinal, "Fake", 9, 0, 1L << 30, 4, 12040),
                    (info, paths) -> {
                        FakeCudaDriver d = new FakeCudaDriver();
                        d.paths = paths;
                        drivers.add(d);
                        return d;
                    });
            assertTrue(a.available(), a.detail());
            FakeCudaDriver d = drivers.get(0);
            assertEquals(gemm.equals("own"), d.launches.stream().anyMatch(l -> l.kernel().equals("gemm_tiled")), gemm);
            assertEquals(gemm.equals("cublas"), d.events.contains("gemm"), gemm);
            assertEquals(0, d.liveMemory, "probe frees its buffers");
            assertEquals(0, d.livePinned);
            assertTrue(d.closed);
        }
    }

    @TempDir
    Path tmp;

    @Test
    void librariesAreLocatedWithoutLoadingThem() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(b.resolve("libnvrtc.so.12"), "");
        Path cache = tmp.resolve("ld.so.cache");
        Files.write(cache, "glibc-ld.so.cache1.1\0libcublas.so.12\0/usr/local/cuda/lib64/libcublas.so.12\0"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(b.resolve("libnvrtc.so.12").toString(),
                CudaPaths.NativeLibraries.locate("libnvrtc.so.12", a + ":" + b, cache, List.of()));
        assertEquals("ld.so.cache", CudaPaths.NativeLibraries.locate("libcublas.so.12", null, cache, List.of()));
        assertNull(CudaPaths.NativeLibraries.locate("libcublas.so.12", a.toString(), tmp.resolve("none"), List.of()));
        assertNull(CudaPaths.NativeLibraries.locate("libcublas.so.1", null, cache, List.of()), "no prefix match");
        assertEquals(b.resolve("libnvrtc.so.12").toString(),
                CudaPaths.NativeLibraries.locate("libnvrtc.so.12", "", tmp.resolve("none"), List.of(a.toString(), b.toString())));
    }

    @Test
    void optionsComeFromPropertiesToo() {
        System.setProperty("gdchaos.cuda.gemm", "own");
        try {
            assertEquals(GemmPath.OWN, CudaPaths.select(BackendOptions.defaults(), CUDA12, 12040).gemm());
            assertEquals(GemmPath.CUBLAS, CudaPaths.select(new BackendOptions(Map.of("gemm", "auto")), CUDA12, 12040).gemm());
        } finally {
            System.clearProperty("gdchaos.cuda.gemm");
        }
    }
}
