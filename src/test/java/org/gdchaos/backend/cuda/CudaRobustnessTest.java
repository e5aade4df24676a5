package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.junit.jupiter.api.Test;

/**
 * Faults and resources on the CUDA backend, through the fake driver: errors name the kernels,
 * close releases everything after a fault and reports the first error, memory is planned from
 * free memory.
 */
class CudaRobustnessTest {

    @Test
    void syncDebugNamesTheFailingKernelWithDtypeAndGeometry() {
        FakeCudaDriver d = new FakeCudaDriver();
        d.faultOn = "reduce";
        CudaBackend b = new CudaBackend(d, true);
        Buffer x = b.allocate(DType.F64, 500), out = b.allocate(DType.F64, 5);
        b.scale(5, 100, View.of(out, 1), View.of(x, 100));        // fine: synchronised, then forgotten
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.reduce(Reduction.SUM_SQ, 5, 100, View.of(x, 100), null, View.of(out, 1)));
        assertEquals("CUDA kernel reduce (f64, grid (1, 5, 1), block (256, 1, 1)) failed: cuStreamSynchronize failed:"
                + " CUDA_ERROR_ILLEGAL_ADDRESS (found by gdchaos.cuda.sync)", e.getMessage());
        assertThrows(IllegalStateException.class, b::close);
    }

    @Test
    void withoutSyncDebugTheLaterErrorListsTheKernelsQueuedSinceTheLastGoodSync() {
        FakeCudaDriver d = new FakeCudaDriver();
        d.faultOn = "non_finite";
        CudaBackend b = new CudaBackend(d);
        Buffer x = b.allocate(DType.F32, 400), f = b.allocate(DType.F32, 4);
        b.fill(x, 0, 400, 1.0);                                   // before the successful sync: not a suspect
        b.download(f, 0, new double[4], 0, 4);
        b.scale(4, 100, View.of(f, 1), View.of(x, 100));
        b.nonFinite(4, 100, View.of(x, 100), View.of(f, 1));
        b.gemm(new GemmShape(4, 2, 2, 2, false, false, 1, 0), View.of(x, 100), View.of(x, 100), View.of(x, 100));
        assertEquals(1, d.synchronizations, "without the switch only the download synchronised");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.download(f, 0, new double[4], 0, 4));
        assertEquals("CUDA error at synchronize: cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS; queued since"
                + " the last successful synchronize: 3 launches: scale (f32, grid (1, 4, 1), block (256, 1, 1)),"
                + " non_finite (f32, grid (1, 4, 1), block (256, 1, 1)), cublasSgemmStridedBatched (m=2, n=2, k=2,"
                + " batch 4) (rerun with -Dgdchaos.cuda.sync=true or GDCHAOS_CUDA_SYNC=1 to name the failing kernel)",
                e.getMessage());
        assertThrows(IllegalStateException.class, b::close);
    }

    @Test
    void theRingKeepsTheLastLaunches() {
        LaunchLog log = new LaunchLog();
        assertEquals("no kernel or GEMM", log.describe());
        for (int i = 0; i < 40; i++) log.add("k" + i);
        String s = log.describe();
        assertTrue(s.startsWith("40 launches, the last 16 (oldest first): k24, k25,"), s);
        assertTrue(s.endsWith("k39"), s);
        log.clear();
        log.add("only");
        assertEquals("1 launch: only", log.describe());
    }

    @Test
    void closeAfterAFaultReleasesEverythingAndReportsTheFirstError() {
        FakeCudaDriver d = new FakeCudaDriver();
        d.faultOn = "update";
        CudaBackend b = new CudaBackend(d);
        Buffer w = b.allocate(DType.F64, 300), g = b.allocate(DType.F64, 300), lr = b.allocate(DType.F64, 3);
        b.upload(new double[300], 0, w, 0, 300);                  // staging buffers now exist
        b.download(w, 0, new double[300], 0, 300);
        b.update(3, 100, View.of(w, 100), View.of(g, 100), View.of(lr, 1));
        assertEquals(3, d.liveMemory);
        assertTrue(d.livePinned > 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::close);
        assertTrue(e.getMessage().startsWith("CUDA error at synchronize: cuStreamSynchronize failed:"
                + " CUDA_ERROR_ILLEGAL_ADDRESS; queued since the last successful synchronize: 1 launch: update (f64,"),
                e.getMessage());
        assertEquals(0, d.liveMemory, "every buffer freed");
        assertEquals(0, d.livePinned, "every staging buffer freed");
        assertEquals(1, d.closeCalls, "driver closed");
        long frees = d.events.stream().filter(s -> s.startsWith("free ")).count();
        assertEquals(3, frees);
        // the later failures (3 frees, pinned frees, the driver's close) are suppressed, not lost
        assertTrue(e.getSuppressed().length >= 5, Arrays.toString(e.getSuppressed()));
        assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(s -> s.getMessage().startsWith("cuDevicePrimaryCtxRelease")));
        b.close();                                                // idempotent, nothing more to report
        assertEquals(1, d.closeCalls);
        assertThrows(IllegalStateException.class, () -> b.allocate(DType.F32, 1));
    }

    @Test
    void memoryIsPlannedFromFreeMemoryNotTotal() {
        FakeCudaDriver d = new FakeCudaDriver();                 // 1 GiB total, 600 MiB free
        CudaBackend b = new CudaBackend(d);
        long planned = b.memoryBytes();
        assertEquals((long) ((600L << 20) * CudaTuning.MEMORY_FRACTION), planned);
        Buffer big = b.allocate(DType.F64, 10 << 20);            // 80 MiB of our own: still ours to plan with
        assertEquals(planned, b.memoryBytes());
        d.freeBytes -= 200L << 20;                                // another process takes 200 MiB
        assertEquals((long) ((400L << 20) * CudaTuning.MEMORY_FRACTION), b.memoryBytes());
        big.close();
        assertEquals((long) ((400L << 20) * CudaTuning.MEMORY_FRACTION), b.memoryBytes());
        b.close();
    }

    @Test
    void theSyncSwitchComesFromOptionPropertyOrEnvironment() {
        assertFalse(CudaBackend.syncEachLaunch(BackendOptions.defaults()) && System.getenv("GDCHAOS_CUDA_SYNC") == null);
        assertTrue(CudaBackend.syncEachLaunch(new BackendOptions(Map.of("sync", "true"))));
        assertFalse(CudaBackend.syncEachLaunch(new BackendOptions(Map.of("sync", "0"))));
        System.setProperty("gdchaos.cuda.sync", "1");
        try {
            assertTrue(CudaBackend.syncEachLaunch(BackendOptions.defaults()));
        } finally {
            System.clearProperty("gdchaos.cuda.sync");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaBackend.syncEachLaunch(new BackendOptions(Map.of("sync", "maybe"))));
        assertTrue(e.getMessage().contains("must be true or false"), e.getMessage());
    }

    @Test
    void aLaunchRejectedAtOnceNamesTheKernel() {
        FakeCudaDriver d = new FakeCudaDriver() {
            @Override
            public void launch(KernelLaunch launch) {
                throw new IllegalStateException("cuLaunchKernel(scale) failed: CUDA_ERROR_INVALID_VALUE");
            }
        };
        CudaBackend b = new CudaBackend(d);
        Buffer x = b.allocate(DType.F32, 10);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.scale(1, 10, View.shared(x), View.shared(x)));
        assertTrue(e.getMessage().startsWith("CUDA launch of scale (f32, grid (1, 1, 1), block (256, 1, 1)) failed:"),
                e.getMessage());
        b.close();
    }
}
