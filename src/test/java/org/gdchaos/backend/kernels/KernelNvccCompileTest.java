package org.gdchaos.backend.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdchaos.backend.DType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compiles the CUDA dialect of the shared kernel source with {@code nvcc -x cu -ptx} for sm_80
 * and sm_90, in float and double, and checks with {@code ptxas -v} that no kernel spills
 * registers and that every GEMM kernel ({@link GemmKernels#KERNELS}) fits at least
 * {@value #GEMM_MIN_BLOCKS} blocks of {@code GEMM_WG_X·GEMM_WG_Y} threads per SM (registers and
 * shared memory; {@link Occupancy}). Skipped (assumption) only when nvcc is not on PATH.
 */
class KernelNvccCompileTest {
    private static final Pattern SPILL = Pattern.compile("(\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final String[] ARCHS = {"sm_80", "sm_90"};
    /** Resident GEMM blocks per SM the kernels must allow (GEMM_KERNEL's __launch_bounds__). */
    static final int GEMM_MIN_BLOCKS = 2;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DType.class)
    void cudaDialectCompilesWithoutSpills(DType dtype) throws Exception {
        Path nvcc = onPath("nvcc");
        assumeTrue(nvcc != null, "nvcc not on PATH: CUDA dialect not checked");
        Path ptxas = nvcc.resolveSibling("ptxas");
        String ptxasCmd = Files.isExecutable(ptxas) ? ptxas.toString() : "ptxas";

        Path cu = dir.resolve("gdchaos_ops_" + dtype.label() + ".cu");
        Files.writeString(cu, KernelSource.assemble(KernelSource.Dialect.CUDA, dtype, true), StandardCharsets.UTF_8);
        for (String arch : ARCHS) {
            Path ptx = dir.resolve("gdchaos_ops_" + dtype.label() + "_" + arch + ".ptx");
            Result c = run(List.of(nvcc.toString(), "-x", "cu", "-ptx", "-arch=" + arch, cu.toString(),
                    "-o", ptx.toString()));
            assertEquals(0, c.code, () -> "nvcc " + arch + " " + dtype.label() + " failed:\n" + c.output);
            String ptxText = Files.readString(ptx, StandardCharsets.UTF_8);
            for (String k : KernelSource.KERNELS) {
                assertTrue(ptxText.contains(".entry " + k + "("),
                        () -> "kernel " + k + " missing or mangled in PTX (" + arch + ", " + dtype.label() + ")");
            }

            Result p = run(List.of(ptxasCmd, "-v", "-arch=" + arch, ptx.toString(), "-o",
                    dir.resolve("out_" + arch + ".cubin").toString()));
            assertEquals(0, p.code, () -> "ptxas " + arch + " " + dtype.label() + " failed:\n" + p.output);
            Matcher m = SPILL.matcher(p.output);
            int reports = 0;
            while (m.find()) {
                reports++;
                long stores = Long.parseLong(m.group(1));
                long loads = Long.parseLong(m.group(2));
                assertTrue(stores == 0 && loads == 0, () -> "register spills (" + arch + ", " + dtype.label()
                        + "):\n" + p.output);
            }
            assertEquals(KernelSource.KERNELS.size(), reports,
                    () -> "ptxas -v should report every kernel (" + arch + "):\n" + p.output);

            Map<String, Occupancy.Usage> usage = Occupancy.parse(p.output);
            assertEquals(new TreeSet<>(KernelSource.KERNELS), usage.keySet(),
                    () -> "ptxas -v register report (" + arch + "):\n" + p.output);
            String table = Occupancy.table(usage, arch);
            System.out.println("ptxas " + arch + " " + dtype.label() + ":\n" + table);
            int threads = KernelSource.GEMM_WG_X * KernelSource.GEMM_WG_Y;
            for (String k : GemmKernels.KERNELS) {
                int blocks = Occupancy.blocksPerSm(usage.get(k), threads, arch);
                assertTrue(blocks >= GEMM_MIN_BLOCKS, () -> k + " fits " + blocks + " block(s) of " + threads
                        + " threads per SM on " + arch + " in " + dtype.label() + ", needs " + GEMM_MIN_BLOCKS
                        + "; all kernels:\n" + table);
            }
        }
    }

    private record Result(int code, String output) {
    }

    private Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        pb.directory(dir.toFile());
        Process proc = pb.start();
        byte[] out = proc.getInputStream().readAllBytes();
        if (!proc.waitFor(5, TimeUnit.MINUTES)) {
            proc.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new Result(proc.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
