package org.gdchaos.backend.kernels;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource use per kernel as {@code ptxas -v} reports it, and the resulting number of resident
 * blocks per SM (the CUDA occupancy calculation, limited to registers, shared memory and threads).
 */
final class Occupancy {
    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '(\\w+)'");
    private static final Pattern USED = Pattern.compile("Used (\\d+) registers");
    private static final Pattern SMEM = Pattern.compile("(\\d+) bytes smem");
    private static final Pattern SPILL = Pattern.compile("(\\d+) bytes spill stores, (\\d+) bytes spill loads");

    /** Registers per SM (every architecture since sm_50). */
    static final int REGS_PER_SM = 65_536;
    /** Register allocation unit per warp. */
    static final int REG_UNIT = 256;
    /** Shared memory the runtime reserves per block (sm_80 and later). */
    static final int SMEM_RESERVED = 1024;

    private Occupancy() {
    }

    /** One kernel's use: registers per thread, static shared memory (bytes), spill bytes. */
    record Usage(String kernel, int registers, int sharedBytes, int spillStores, int spillLoads) {
    }

    /** Parses every kernel's report from {@code ptxas -v} output. */
    static Map<String, Usage> parse(String ptxasOutput) {
        Map<String, Usage> out = new TreeMap<>();
        String kernel = null;
        int stores = 0, loads = 0;
        for (String line : ptxasOutput.split("\\R")) {
            Matcher e = ENTRY.matcher(line);
            if (e.find()) {
                kernel = e.group(1);
                stores = 0;
                loads = 0;
                continue;
            }
            Matcher sp = SPILL.matcher(line);
            if (sp.find()) {
                stores = Integer.parseInt(sp.group(1));
                loads = Integer.parseInt(sp.group(2));
            }
            Matcher u = USED.matcher(line);
            if (u.find() && kernel != null) {
                Matcher sm = SMEM.matcher(line);
                int smem = sm.find() ? Integer.parseInt(sm.group(1)) : 0;
                out.put(kernel, new Usage(kernel, Integer.parseInt(u.group(1)), smem, stores, loads));
                kernel = null;
            }
        }
        return out;
    }

    /** Shared memory per SM available to blocks on {@code arch} (sm_80: 164 KiB, sm_90: 228 KiB). */
    static int sharedPerSm(String arch) {
        return switch (arch) {
            case "sm_80" -> 164 * 1024;
            case "sm_90" -> 228 * 1024;
            default -> throw new IllegalArgumentException("no occupancy table for " + arch);
        };
    }

    /** Resident threads per SM on {@code arch}. */
    static int threadsPerSm(String arch) {
        sharedPerSm(arch);
        return 2048;
    }

    /** Blocks of {@code threads} work-items that fit on one SM at once. */
    static int blocksPerSm(Usage u, int threads, String arch) {
        int warps = (threads + 31) / 32;
        int regsPerWarp = (u.registers() * 32 + REG_UNIT - 1) / REG_UNIT * REG_UNIT;
        int byRegs = regsPerWarp == 0 ? Integer.MAX_VALUE : REGS_PER_SM / regsPerWarp / warps;
        int bySmem = sharedPerSm(arch) / (u.sharedBytes() + SMEM_RESERVED);
        int byThreads = threadsPerSm(arch) / threads;
        return Math.min(byRegs, Math.min(bySmem, byThreads));
    }

    /** One line per kernel: registers, shared memory, spills, blocks per SM at 256 threads. */
    static String table(Map<String, Usage> usage, String arch) {
        StringBuilder sb = new StringBuilder();
        for (Usage u : usage.values()) {
            sb.append(String.format(Locale.ROOT, "  %-22s %3d regs %6d B smem  spills %d/%d  %d blocks of 256/SM%n",
                    u.kernel(), u.registers(), u.sharedBytes(), u.spillStores(), u.spillLoads(),
                    blocksPerSm(u, 256, arch)));
        }
        return sb.toString();
    }
}
