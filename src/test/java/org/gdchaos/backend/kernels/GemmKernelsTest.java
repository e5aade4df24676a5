package org.gdchaos.backend.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.junit.jupiter.api.Test;

class GemmKernelsTest {

    @Test
    void geometryIsTilesOfCTimesTheCappedBatch() {
        for (DType t : DType.values()) {
            GemmKernels.Launch l = GemmKernels.select(t, new GemmShape(7, 129, 10, 784, false, true, 1, 0));
            assertEquals("gemm_tiled", l.kernel());
            assertArrayEquals(new int[] {16, 16, 1}, l.local());
            assertArrayEquals(new long[] {1, 3, 7}, l.groups());
            assertArrayEquals(new long[] {16, 48, 7}, l.global());
        }
        GemmKernels.Launch big = GemmKernels.select(DType.F32, new GemmShape(100_000, 64, 784, 2048, true, false, 1, 0));
        assertArrayEquals(new long[] {13, 1, KernelSource.MAX_GRID_YZ}, big.groups());
        GemmKernels.Launch one = GemmKernels.select(DType.F64, new GemmShape(1, 1, 1, 1, false, false, 1, 0));
        assertArrayEquals(new long[] {1, 1, 1}, one.groups());
    }

    /** The kernel and its tiling never depend on the batch: only the third grid dimension does. */
    @Test
    void choiceDoesNotDependOnTheBatch() {
        int[][] shapes = {{2048, 64, 784}, {2048, 10, 64}, {10, 64, 2048}, {2048, 64, 10}, {64, 784, 2048}, {1, 1, 1},
                {63, 65, 17}};
        for (DType t : DType.values()) {
            for (int[] s : shapes) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        GemmKernels.Launch ref = GemmKernels.select(t, new GemmShape(1, s[0], s[1], s[2], ta, tb, 1, 0));
                        for (int batch : new int[] {2, 64, 1024, 65_535, 65_536, 1_000_000}) {
                            GemmKernels.Launch l = GemmKernels.select(t, new GemmShape(batch, s[0], s[1], s[2], ta, tb, 1, 0));
                            assertEquals(ref.kernel(), l.kernel());
                            assertArrayEquals(ref.local(), l.local());
                            assertEquals(ref.groups()[0], l.groups()[0]);
                            assertEquals(ref.groups()[1], l.groups()[1]);
                            assertEquals(Math.min(batch, KernelSource.MAX_GRID_YZ), l.groups()[2]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyGemmKernelIsInTheSource() {
        assertTrue(KernelSource.KERNELS.containsAll(GemmKernels.KERNELS));
        for (String k : GemmKernels.KERNELS) assertTrue(k.startsWith("gemm"), k);
        for (String k : KernelSource.KERNELS) {
            if (k.startsWith("gemm")) assertTrue(GemmKernels.KERNELS.contains(k), k + " missing from GemmKernels.KERNELS");
        }
    }
}
