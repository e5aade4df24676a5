package org.gdchaos.backend.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ptxas report parser and the blocks-per-SM arithmetic, on recorded ptxas -v output. */
class OccupancyTest {
    private static final String PTXAS = String.join("\n",
            "ptxas info    : 0 bytes gmem",
            "ptxas info    : Compiling entry function 'gemm_tiled' for 'sm_90'",
            "ptxas info    : Function properties for gemm_tiled",
            "    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads",
            "ptxas info    : Used 138 registers, used 1 barriers, 16640 bytes smem",
            "ptxas info    : Compiling entry function 'fill' for 'sm_90'",
            "ptxas info    : Function properties for fill",
            "    8 bytes stack frame, 4 bytes spill stores, 12 bytes spill loads",
            "ptxas info    : Used 12 registers, used 0 barriers",
            "ptxas info    : Compile time = 1.0 ms");

    @Test
    void parsesRegistersSharedMemoryAndSpillsPerKernel() {
        Map<String, Occupancy.Usage> u = Occupancy.parse(PTXAS);
        assertEquals(new Occupancy.Usage("gemm_tiled", 138, 16640, 0, 0), u.get("gemm_tiled"));
        assertEquals(new Occupancy.Usage("fill", 12, 0, 4, 12), u.get("fill"));
        assertEquals(2, u.size());
    }

    @Test
    void blocksPerSmFollowRegistersSharedMemoryAndThreads() {
        // 138 registers round up to 4,608 per warp: 14 warps, one 8-warp block (the old gemm_tiled in f64)
        assertEquals(1, Occupancy.blocksPerSm(new Occupancy.Usage("k", 138, 16640, 0, 0), 256, "sm_90"));
        // 128 registers: 4,096 per warp, 16 warps, two blocks
        assertEquals(2, Occupancy.blocksPerSm(new Occupancy.Usage("k", 128, 33792, 0, 0), 256, "sm_90"));
        // few registers: the 2,048-thread limit (8 blocks of 256)
        assertEquals(8, Occupancy.blocksPerSm(new Occupancy.Usage("k", 32, 0, 0, 0), 256, "sm_80"));
        // shared memory bound: 100 KiB per block fits once in 164 KiB, twice in 228 KiB
        assertEquals(1, Occupancy.blocksPerSm(new Occupancy.Usage("k", 32, 100 * 1024, 0, 0), 256, "sm_80"));
        assertEquals(2, Occupancy.blocksPerSm(new Occupancy.Usage("k", 32, 100 * 1024, 0, 0), 256, "sm_90"));
    }
}
