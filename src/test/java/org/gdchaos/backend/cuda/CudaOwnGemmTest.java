package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;
import org.gdchaos.backend.cuda.KernelLaunch.Dim3;
import org.gdchaos.backend.kernels.KernelSource;
import org.junit.jupiter.api.Test;

/**
 * GEMM on the own path ({@code gemm_tiled} launched from the loaded module instead of cuBLAS):
 * geometry, argument order and C types against ops.cl, offsets, stride-0 operands, beta = 0,
 * and the numbers through the fake driver, which runs the launch with the kernel's documented
 * row-major semantics read from the packed arguments.
 */
class CudaOwnGemmTest {

    private final FakeCudaDriver driver = new FakeCudaDriver();
    private final CudaBackend backend;

    CudaOwnGemmTest() {
        driver.paths = new CudaPaths.Selection(CudaPaths.KernelPath.EMBEDDED, "libnvrtc.so.12 not found",
                CudaPaths.GemmPath.OWN, "libcublas.so.12 not found");
        backend = new CudaBackend(driver);
    }

    private static double[] random(int n, long seed, DType t) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = t == DType.F32 ? (float) r.nextDouble(-2, 2) : r.nextDouble(-2, 2);
        return x;
    }

    @Test
    void everyTransposeWithOffsetsStrideZeroAndBetaZeroLaunchesGemmTiled() {
        long seed = 1;
        List<String> sig = KernelSignatures.parse().get("gemm_tiled");
        for (DType t : DType.values()) {
            for (int tr = 0; tr < 4; tr++) {
                for (double beta : new double[] {0, 0.5}) {
                    boolean ta = (tr & 1) != 0, tb = (tr & 2) != 0;
                    GemmShape s = new GemmShape(3, 70, 5, 9, ta, tb, 1.5, beta);
                    Buffer a = backend.allocate(t, 2 + 3 * s.sizeA()), b = backend.allocate(t, 1 + s.sizeB());
                    Buffer c = backend.allocate(t, 4 + 3 * (s.sizeC() + 1));
                    View va = new View(a, 2, s.sizeA()), vb = new View(b, 1, 0), vc = new View(c, 4, s.sizeC() + 1);
                    double[] ha = random((int) a.length(), seed++, t), hb = random((int) b.length(), seed++, t);
                    double[] hc = random((int) c.length(), seed++, t);
                    if (beta == 0) hc[4] = Double.NaN;                 // beta = 0 must not read C
                    backend.upload(ha, 0, a, 0, ha.length);
                    backend.upload(hb, 0, b, 0, hb.length);
                    backend.upload(hc, 0, c, 0, hc.length);
                    driver.launches.clear();
                    backend.gemm(s, va, vb, vc);

                    assertEquals(1, driver.launches.size());
                    KernelLaunch l = driver.launches.get(0);
                    assertEquals("gemm_tiled", l.kernel());
                    assertEquals(t, l.dtype());
                    assertEquals(new Dim3(1, 2, 3), l.grid(), "(ceil(5/64), ceil(70/64), batch)");
                    assertEquals(new Dim3(KernelSource.GEMM_WG_X, KernelSource.GEMM_WG_Y, 1), l.block());
                    assertEquals(sig, l.args().stream().map(x -> KernelSignatures.kind(x, t)).toList(), "C types");
                    CudaDriver.Memory ma = ((CudaBuffer) a).memory(), mb = ((CudaBuffer) b).memory();
                    CudaDriver.Memory mc = ((CudaBuffer) c).memory();
                    assertEquals(List.of(KernelArg.i32(3), KernelArg.i32(70), KernelArg.i32(5), KernelArg.i32(9),
                            KernelArg.i32(ta ? 1 : 0), KernelArg.i32(tb ? 1 : 0), KernelArg.real(t, 1.5),
                            KernelArg.real(t, beta),
                            KernelArg.ptr(ma), KernelArg.i64(2), KernelArg.i64(s.sizeA()),
                            KernelArg.ptr(mb), KernelArg.i64(1), KernelArg.i64(0),
                            KernelArg.ptr(mc), KernelArg.i64(4), KernelArg.i64(s.sizeC() + 1)), l.args());

                    double[] got = new double[hc.length];
                    backend.download(c, 0, got, 0, got.length);
                    double[] want = CudaBackendFakeTest.oracle(s, ha, va, hb, vb, hc, vc);
                    double tol = t == DType.F32 ? 1e-5 : 1e-13;
                    for (int i = 0; i < want.length; i++) {   // incl. element 4: NaN overwritten when beta = 0
                        assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), t + " " + s + " element " + i);
                    }
                    for (Buffer x : List.of(a, b, c)) x.close();
                }
            }
        }
        assertFalse(driver.events.contains("gemm"), "cuBLAS is never called on the own path");
    }

    @Test
    void geometryTilesMAndNAndCapsTheBatchInGridZ() {
        Buffer a = backend.allocate(DType.F32, 784 * 64), x = backend.allocate(DType.F32, 784 * 130);
        Buffer c = backend.allocate(DType.F32, 64 * 130 * 2);
        // forward layer 1 of the paper workload: 64 × c × 784 with X shared (stride 0)
        backend.gemm(new GemmShape(2, 64, 130, 784, false, true, 1, 0), View.of(a, 0), View.shared(x), View.of(c, 64 * 130));
        assertEquals(new Dim3(3, 1, 2), driver.launches.get(0).grid());
        backend.gemm(new GemmShape(70_000, 1, 1, 1, false, false, 1, 0), View.shared(a), View.shared(x), View.shared(c));
        assertEquals(new Dim3(1, 1, KernelSource.MAX_GRID_YZ), driver.launches.get(1).grid(), "kernels loop over more");
        assertEquals(KernelArg.i32(70_000), driver.launches.get(1).args().get(0));
        backend.gemm(new GemmShape(1, 65, 64, 3, true, false, 1, 0), View.shared(a), View.shared(x), View.shared(c));
        assertEquals(new Dim3(1, 2, 1), driver.launches.get(2).grid());
        assertTrue(driver.launches.stream().allMatch(l -> l.block().count() == 256));
    }
}
