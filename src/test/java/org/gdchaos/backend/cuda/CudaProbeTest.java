package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Backends;
import org.junit.jupiter.api.Test;

/** Clean absence: the probe explains, caches and never throws. */
class CudaProbeTest {

    @Test
    void probeNeverThrowsAndIsCached() {
        CudaBackendProvider p = new CudaBackendProvider();
        Availability first = p.probe();
        Availability second = new CudaBackendProvider().probe();
        assertSame(first, second, "the probe result is cached for the process");
        assertEquals("cuda", p.name());
        assertEquals(300, p.rank());
        if (!first.available()) {
            String reason = first.detail();
            assertFalse(reason.contains("\n"), "one line: " + reason);
            assertFalse(reason.contains("\tat "), "no stack trace: " + reason);
            assertTrue(reason.contains("fix:"), "says how to fix it: " + reason);
        }
    }

    @Test
    void withoutAnNvidiaDriverTheProbeSaysWhy() {
        assumeFalse(Files.exists(Path.of("/dev/nvidiactl")), "this machine has an NVIDIA driver");
        Availability a = new CudaBackendProvider().probe();
        assertFalse(a.available());
        assertTrue(a.detail().contains("libcuda.so.1") || a.detail().contains("no CUDA device"), a.detail());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("cuda"));
        assertTrue(e.getMessage().contains(a.detail()), e.getMessage());
        assertTrue(Backends.list().stream().anyMatch(x -> x.name().equals("cuda") && !x.availability().available()));
    }

    @Test
    void explainsMissingLibrariesAsOneLineWithAFix() {
        String driver = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: "
                + "cannot open shared object file: No such file or directory\n\tat x.y(Z.java:1)";
        String r = CudaProbe.explain(new UnsatisfiedLinkError(driver));
        assertTrue(r.startsWith("no NVIDIA driver: libcuda.so.1 not found (fix: install the NVIDIA driver"), r);
        String nvrtc = "/tmp/libJNvrtc-12.6.0-linux-x86_64.so: libnvrtc.so.12: cannot open shared object file";
        assertTrue(CudaProbe.explain(new UnsatisfiedLinkError(nvrtc)).startsWith("CUDA 12 library libnvrtc.so.12 not found"));
        String blas = "/tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12: cannot open shared object file";
        assertTrue(CudaProbe.explain(new UnsatisfiedLinkError(blas)).contains("libcublas.so.12 not found (fix: install"));
        String later = CudaProbe.explain(new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver"));
        assertTrue(later.contains("failed to load earlier") && later.contains("fix:"), later);
        for (String s : new String[] {r, later, CudaProbe.explain(new RuntimeException("a\nb"))}) {
            assertFalse(s.contains("\n"), s);
        }
    }

    @Test
    void explainsDriverResultCodes() {
        assertTrue(CudaProbe.explainResult(100).startsWith("no CUDA device is visible"));
        assertTrue(CudaProbe.explainResult(803).contains("driver is too old"));
        String stub = CudaProbe.explainResult(34);           // toolkit stub libcuda on LD_LIBRARY_PATH
        assertTrue(stub.contains("stub") && stub.contains("fix: remove the stubs folder from LD_LIBRARY_PATH"), stub);
        assertTrue(CudaProbe.explainResult(802).contains("nvidia-fabricmanager"));
        assertTrue(CudaProbe.explainResult(804).contains("forward compatibility"));
        assertTrue(CudaProbe.explainResult(999).contains("CUDA_ERROR_UNKNOWN"));
        assertTrue(CudaProbe.explainResult(35).startsWith("cuInit failed with "), "35 is a runtime-API code: generic");
        for (int rc : new int[] {34, 100, 802, 803, 804, 999}) {
            String r = CudaProbe.explainResult(rc);
            assertTrue(r.contains("fix:") && !r.contains("\n"), rc + ": " + r);
        }
    }

    @Test
    void deviceOrdinalComesFromOptionOrProperty() {
        assertEquals(0, CudaProbe.deviceOrdinal(BackendOptions.defaults()));
        assertEquals(2, CudaProbe.deviceOrdinal(new BackendOptions(Map.of("device", "2"))));
        assertThrows(IllegalArgumentException.class, () -> CudaProbe.deviceOrdinal(new BackendOptions(Map.of("device", "gpu"))));
        assertThrows(IllegalArgumentException.class, () -> CudaProbe.deviceOrdinal(new BackendOptions(Map.of("device", "-1"))));
    }

    @Test
    void nvrtcTargetsCubinForKnownArchitecturesElsePtxForTheNewestOlder() {
        int[] nvrtc126 = {50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90};
        assertEquals(new NvrtcCompiler.Target("--gpu-arch=sm_90", true), NvrtcCompiler.target(90, nvrtc126));
        assertEquals(new NvrtcCompiler.Target("--gpu-arch=sm_86", true), NvrtcCompiler.target(86, nvrtc126));
        assertEquals(new NvrtcCompiler.Target("--gpu-arch=compute_90", false), NvrtcCompiler.target(100, nvrtc126));
        assertEquals(new NvrtcCompiler.Target("--gpu-arch=compute_80", false), NvrtcCompiler.target(85, nvrtc126));
        assertThrows(IllegalStateException.class, () -> NvrtcCompiler.target(37, nvrtc126));
    }

    @Test
    void deviceInfoDescribesAndNamesArchitectures() {
        DeviceInfo d = new DeviceInfo(1, "NVIDIA H100", 9, 0, 80L << 30, 132, 12040);
        assertEquals("--gpu-arch=sm_90", d.smArch());
        assertEquals("--gpu-arch=compute_90", d.computeArch());
        assertEquals("NVIDIA H100 (device 1, sm_90, 132 SMs, 80.0 GiB, driver CUDA 12.4)", d.describe());
    }
}
