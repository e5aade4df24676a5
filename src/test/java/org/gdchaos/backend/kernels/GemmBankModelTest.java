package org.gdchaos.backend.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A model of {@code gemm_tiled}'s local-memory addressing (ops.cl: gdc_gemm_plan/gdc_gemm_stash,
 * GEMM_OWN, GEMM_PAD = 16 bytes; kept in step with the kernel by hand) on 32 banks of 4 bytes:
 * every warp store into the tiles and every 128-bit load of the multiply loop is free of bank
 * conflicts, in f32 and f64. A warp access is served in phases of {@code 128 / width} lanes;
 * a phase costs as many wavefronts as the most distinct words any bank holds.
 */
class GemmBankModelTest {
    private static final int TM = KernelSource.GEMM_TM, TN = KernelSource.GEMM_TN;
    private static final int WGX = KernelSource.GEMM_WG_X, WGY = KernelSource.GEMM_WG_Y, TH = WGX * WGY;
    private static final int TK = 16;

    /** Wavefronts of one warp access: lane byte addresses, bytes per lane. */
    static int wavefronts(int[] addr, int width) {
        int perPhase = Math.min(32, 128 / width), total = 0;
        for (int ph = 0; ph < 32; ph += perPhase) {
            Map<Integer, Set<Integer>> banks = new HashMap<>();
            for (int l = ph; l < ph + perPhase; l++) {
                for (int w = addr[l] / 4; w < (addr[l] + width) / 4; w++) {
                    banks.computeIfAbsent(w % 32, x -> new HashSet<>()).add(w);
                }
            }
            total += banks.values().stream().mapToInt(Set::size).max().orElse(0);
        }
        return total;
    }

    @Test
    void modelCountsConflicts() {
        int[] stride32 = new int[32], same = new int[32], contiguous = new int[32];
        for (int l = 0; l < 32; l++) {
            stride32[l] = l * 128;
            contiguous[l] = l * 4;
        }
        assertEquals(32, wavefronts(stride32, 4));
        assertEquals(1, wavefronts(same, 4));
        assertEquals(1, wavefronts(contiguous, 4));
        int[] v4 = new int[32];
        for (int l = 0; l < 32; l++) v4[l] = l * 16;
        assertEquals(4, wavefronts(v4, 16));
        int[] twoWay = new int[32];
        for (int l = 0; l < 32; l++) twoWay[l] = (l % 8) * 32;
        assertEquals(8, wavefronts(twoWay, 16), "8 lanes 32 B apart: 2-way per phase");
    }

    @Test
    void tileStoresAreConflictFree() {
        for (int size : new int[] {4, 8}) {
            int row = (TM + 16 / size) * size;
            for (boolean pmajor : new boolean[] {true, false}) {
                for (int warp = 0; warp < TH / 32; warp++) {
                    for (int e = 0; e < TM * TK / TH; e++) {
                        int[] addr = new int[32];
                        for (int lane = 0; lane < 32; lane++) {
                            int l = warp * 32 + lane + e * TH, i, p;
                            if (pmajor) {
                                i = l % TM;
                                p = l / TM;
                            } else {
                                p = l % 8 + 8 * ((l / 32) % (TK / 8));
                                i = (l % 32) / 8 + 4 * (l / (4 * TK));
                            }
                            addr[lane] = p * row + i * size;
                        }
                        assertEquals(size / 4, wavefronts(addr, size),
                                "store, " + size + "-byte elements, pmajor " + pmajor + ", warp " + warp + ", e " + e);
                    }
                }
            }
        }
    }

    @Test
    void multiplyLoopLoadsAreConflictFree() {
        for (int size : new int[] {4, 8}) {
            int vec = 16 / size;
            for (int warp = 0; warp < TH / 32; warp++) {
                for (int e = 0; e < 4; e += vec) {
                    final int w = warp, first = e;
                    IntUnaryOperator tc = lane -> lane % 8 + 8 * (w % (WGX / 8));
                    IntUnaryOperator tr = lane -> lane / 8 + 4 * (w / (WGX / 8));
                    int[] a = new int[32], b = new int[32];
                    for (int lane = 0; lane < 32; lane++) {
                        a[lane] = own(tr.applyAsInt(lane), first, WGY, vec) * size;
                        b[lane] = own(tc.applyAsInt(lane), first, WGX, vec) * size;
                    }
                    // 4 phases of 8 lanes: one wavefront each, the minimum for 128-bit loads
                    assertEquals(4, wavefronts(a, 16), "A, " + size + "-byte elements, warp " + warp);
                    assertEquals(4, wavefronts(b, 16), "B, " + size + "-byte elements, warp " + warp);
                }
            }
        }
    }

    /** GEMM_OWN(t, e, w) of prelude.h. */
    private static int own(int t, int e, int w, int vec) {
        return ((e / vec) * w + t) * vec + e % vec;
    }
}
