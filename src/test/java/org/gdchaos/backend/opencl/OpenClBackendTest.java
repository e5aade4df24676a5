package org.gdchaos.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenCL-specific behaviour (device choice, fp64 refusal, build logs, resource release) and a
 * few hand-computed results. The op-by-op comparison with the reference backend is
 * {@link OpenClConformanceTest}. Runs when OpenCL is available; when {@code CI=true} an
 * unavailable OpenCL fails instead of skipping.
 */
class OpenClBackendTest {
    private static Availability availability;

    @BeforeAll
    static void probe() {
        availability = new OpenClBackendProvider().probe();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(availability.available(), "CI requires OpenCL: " + availability.detail());
        }
        assumeTrue(availability.available(), availability.detail());
    }

    private static OpenClBackend create(Map<String, String> options) {
        return (OpenClBackend) new OpenClBackendProvider().create(new BackendOptions(options));
    }

    @Test
    void providerIdentityAndCachedProbe() {
        OpenClBackendProvider p = new OpenClBackendProvider();
        assertEquals("opencl", p.name());
        // PoCL here is a CPU device: ranked below the Java backend so auto keeps Java on CPUs
        long type = OpenClDevices.choose(null, null).type();
        assertEquals((type & org.jocl.CL.CL_DEVICE_TYPE_GPU) == 0 && (type & org.jocl.CL.CL_DEVICE_TYPE_CPU) != 0
                ? OpenClBackendProvider.RANK_CPU : OpenClBackendProvider.RANK_GPU, p.rank());
        assertEquals(OpenClDevices.choose(null, null).fp64(), p.supports(DType.F64));
        assertTrue(p.supports(DType.F32));
        assertSame(p.probe(), p.probe(), "probe result is cached");
        assertTrue(Backends.list().stream().anyMatch(e -> e.name().equals("opencl") && e.availability().available()),
                "registered in META-INF/services and available");
        try (OpenClBackend b = create(Map.of())) {
            assertEquals("opencl", b.name());
            assertEquals(availability.detail(), b.device());
            assertTrue(b.memoryBytes() > 0);
        }
    }

    @Test
    void unknownDeviceOrPlatformIsOneClearLine() {
        Availability d = OpenClBackendProvider.probe(new BackendOptions(Map.of("device", "no-such-device-xyz")));
        assertFalse(d.available());
        assertTrue(d.detail().startsWith("OpenCL unavailable, because no OpenCL device matches"), d.detail());
        assertTrue(d.detail().contains("known: 0: ") && d.detail().contains("pocl-opencl-icd"), d.detail());
        assertFalse(d.detail().contains("\n"));

        Availability p = OpenClBackendProvider.probe(new BackendOptions(Map.of("platform", "99")));
        assertFalse(p.available());
        assertTrue(p.detail().contains("no OpenCL platform matches gdchaos.opencl.platform='99'"), p.detail());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> create(Map.of("device", "no-such-device-xyz")));
        assertTrue(e.getMessage().startsWith("OpenCL unavailable, because"));
    }

    @Test
    void deviceChosenByIndexAndByNameSubstring() {
        OpenClDevices.Device auto = OpenClDevices.choose(null, null);
        String sub = auto.name().substring(0, Math.min(4, auto.name().length())).toUpperCase();
        OpenClDevices.Device byName = OpenClDevices.choose(null, sub);
        assertEquals(auto.name(), byName.name(), "name substrings match case-insensitively");
        OpenClDevices.Device byIndex = OpenClDevices.choose("0", "0");
        assertTrue(byIndex.usable());
    }

    @Test
    void deviceWithoutFp64RefusesDoubleAndStillRunsFloat() {
        OpenClDevices.Device real = OpenClDevices.choose(null, null);
        OpenClDevices.Device noFp64 = new OpenClDevices.Device(real.platform(), real.id(), real.platformName(),
                real.platformVersion(), real.name(), real.version(), real.type(), false, real.globalMemory(),
                real.maxAllocation(), real.computeUnits(), true);
        try (OpenClBackend b = new OpenClBackend(noFp64, List.of())) {
            assertFalse(b.supports(DType.F64));
            assertTrue(b.supports(DType.F32));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> b.allocate(DType.F64, 4));
            assertTrue(e.getMessage().contains("cl_khr_fp64"), e.getMessage());
            // float kernels built without GDC_FP64 (float accumulators): sum of squares 1+4+9+16
            Buffer x = b.allocate(DType.F32, 4);
            Buffer out = b.allocate(DType.F32, 1);
            b.upload(new double[] {1, 2, 3, 4}, 0, x, 0, 4);
            b.reduce(Reduction.SUM_SQ, 1, 4, View.shared(x), null, View.shared(out));
            assertEquals(30.0, read(b, out)[0]);
        }
    }

    @Test
    void buildFailureCarriesTheBuildLog() {
        try (OpenClBackend b = new OpenClBackend(OpenClDevices.choose(null, null), List.of("GEMM_TK 16 +"))) {
            Buffer x = b.allocate(DType.F32, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.fill(x, 0, 1, 1.0));
            assertTrue(e.getMessage().contains("OpenCL kernel build failed (f32"), e.getMessage());
            assertTrue(e.getMessage().contains("build log:\n") && e.getMessage().contains("error"), e.getMessage());
        }
    }

    @Test
    void kernelsAreBuiltAsOpenClC12() {
        try (OpenClBackend b = create(Map.of())) {
            cl_device_id dev = OpenClDevices.choose(null, null).id();
            for (DType t : DType.values()) {
                if (!b.supports(t)) continue;
                cl_program p = b.programs().program(t);
                long[] size = new long[1];
                CL.clGetProgramBuildInfo(p, dev, CL.CL_PROGRAM_BUILD_OPTIONS, 0, null, size);
                byte[] bytes = new byte[(int) size[0]];
                CL.clGetProgramBuildInfo(p, dev, CL.CL_PROGRAM_BUILD_OPTIONS, bytes.length, Pointer.to(bytes), null);
                assertEquals("-cl-std=CL1.2", new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII).trim());
            }
        }
    }

    @Test
    void buffersAreReleasedOnCloseAndUnusableAfter() {
        OpenClBackend b = create(Map.of());
        Buffer kept = b.allocate(DType.F32, 10);
        Buffer closed = b.allocate(DType.F32, 10);
        Buffer empty = b.allocate(DType.F32, 0);
        assertEquals(3, b.liveBuffers());
        closed.close();
        closed.close(); // idempotent
        assertEquals(2, b.liveBuffers());
        assertThrows(IllegalStateException.class, () -> b.fill(closed, 0, 1, 0.0));
        assertEquals(0, empty.length());
        b.close();
        assertEquals(0, b.liveBuffers());
        assertThrows(IllegalStateException.class, () -> b.allocate(DType.F32, 1));
        kept.close(); // after the backend: harmless
        b.close(); // idempotent
    }

    @Test
    void allocateZeroFillsAndConvertsFloat() {
        try (OpenClBackend b = create(Map.of())) {
            Buffer f = b.allocate(DType.F32, 3);
            assertArrayEquals(new double[] {0, 0, 0}, read(b, f));
            b.upload(new double[] {9, 0.1, -2.5, 7}, 1, f, 0, 3);
            assertArrayEquals(new double[] {(float) 0.1, -2.5, 7}, read(b, f));
            assertThrows(IllegalArgumentException.class, () -> b.upload(new double[4], 0, f, 1, 3)); // the contract: Backend
        }
    }

    /** Hand-computed GEMM: shared A (stride 0), transposed B, beta = 0 ignoring NaN in C. */
    @Test
    void handComputedSharedTransposedGemm() {
        try (OpenClBackend b = create(Map.of())) {
            for (DType t : DType.values()) {
                Buffer a = b.allocate(t, 4);
                Buffer bt = b.allocate(t, 8);
                Buffer c = b.allocate(t, 8);
                b.upload(new double[] {1, 2, 3, 4}, 0, a, 0, 4); // A = [[1,2],[3,4]]
                // B[0] stored n×k = [[1,0],[0,1]] (op = I); B[1] = [[0,1],[1,0]] (op = swap)
                b.upload(new double[] {1, 0, 0, 1, 0, 1, 1, 0}, 0, bt, 0, 8);
                b.fill(c, 0, 8, Double.NaN);
                GemmShape s = new GemmShape(2, 2, 2, 2, false, true, 2.0, 0.0);
                b.gemm(s, View.shared(a), View.of(bt, 4), View.of(c, 4));
                assertArrayEquals(new double[] {2, 4, 6, 8, 4, 2, 8, 6}, read(b, c), t.label());
                // beta = 1 accumulates: C[0] += 1·A·I
                b.gemm(new GemmShape(1, 2, 2, 2, false, true, 1.0, 1.0), View.shared(a), View.of(bt, 4),
                        View.of(c, 4));
                assertArrayEquals(new double[] {3, 6, 9, 12, 4, 2, 8, 6}, read(b, c), t.label());
            }
        }
    }

    /** Every allowed GEMM_TK, none dividing k (tile edges inside the depth loop), gives the same result. */
    @Test
    void tunedTileDepthAgrees() {
        double[] x = new double[70 * 33];
        double[] w = new double[33 * 5];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(i);
        for (int i = 0; i < w.length; i++) w[i] = Math.cos(i);
        double[] expect = new double[70 * 5];
        for (int i = 0; i < 70; i++) {
            for (int j = 0; j < 5; j++) {
                double s = 0;
                for (int p = 0; p < 33; p++) s += x[i * 33 + p] * w[p * 5 + j];
                expect[i * 5 + j] = s;
            }
        }
        for (String tk : new String[] {"8", "16", "32"}) {
            try (OpenClBackend b = create(Map.of("gemm.tk", tk))) {
                Buffer xb = b.allocate(DType.F64, x.length);
                Buffer wb = b.allocate(DType.F64, w.length);
                Buffer cb = b.allocate(DType.F64, expect.length);
                b.upload(x, 0, xb, 0, x.length);
                b.upload(w, 0, wb, 0, w.length);
                b.gemm(new GemmShape(1, 70, 5, 33, false, false, 1, 0), View.shared(xb), View.shared(wb),
                        View.shared(cb));
                double[] got = read(b, cb);
                for (int i = 0; i < expect.length; i++) assertEquals(expect[i], got[i], 1e-12, "tk " + tk);
            }
        }
    }

    /**
     * One GEMM call over 5 entries gives, bit for bit, what 5 single-entry calls give, in every
     * transpose combination (tile edges in m, n and k; spaced entries; a shared operand): results
     * do not depend on how trajectories are batched.
     */
    @Test
    void gemmIsBitwiseIndependentOfTheBatching() {
        int batch = 5, m = 67, n = 10, k = 35;
        try (OpenClBackend b = create(Map.of())) {
            for (DType t : DType.values()) {
                if (!b.supports(t)) continue;
                for (int mode = 0; mode < 4; mode++) {
                    boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0;
                    GemmShape all = new GemmShape(batch, m, n, k, ta, tb, 0.75, 0);
                    long sa = all.sizeA() + 3, sc = all.sizeC() + 1;
                    Buffer a = b.allocate(t, batch * sa);
                    Buffer x = b.allocate(t, all.sizeB());
                    Buffer c1 = b.allocate(t, batch * sc);
                    Buffer c2 = b.allocate(t, batch * sc);
                    double[] h = new double[(int) a.length()];
                    for (int i = 0; i < h.length; i++) h[i] = Math.sin(0.37 * i + mode);
                    b.upload(h, 0, a, 0, h.length);
                    double[] hx = new double[(int) x.length()];
                    for (int i = 0; i < hx.length; i++) hx[i] = Math.cos(0.11 * i);
                    b.upload(hx, 0, x, 0, hx.length);
                    b.gemm(all, new View(a, 0, sa), View.shared(x), new View(c1, 0, sc));
                    GemmShape one = new GemmShape(1, m, n, k, ta, tb, 0.75, 0);
                    for (int e = 0; e < batch; e++) {
                        b.gemm(one, new View(a, e * sa, 0), View.shared(x), new View(c2, e * sc, 0));
                    }
                    double[] got1 = read(b, c1), got2 = read(b, c2);
                    for (int e = 0; e < batch; e++) {
                        for (int q = 0; q < m * n; q++) {
                            int i = (int) (e * sc + q);
                            assertEquals(Double.doubleToLongBits(got2[i]), Double.doubleToLongBits(got1[i]),
                                    t + " mode " + mode + " entry " + e + " element " + q);
                        }
                    }
                    for (Buffer buf : new Buffer[] {a, x, c1, c2}) buf.close();
                }
            }
        }
    }

    @Test
    void tileDepthOtherThan8Or16Or32IsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> create(Map.of("gemm.tk", "7")));
        assertTrue(e.getMessage().contains("gdchaos.opencl.gemm.tk must be 8, 16 or 32"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got 7"), e.getMessage());
    }

    private static double[] read(OpenClBackend b, Buffer buf) {
        double[] out = new double[(int) buf.length()];
        b.download(buf, 0, out, 0, out.length);
        return out;
    }
}
