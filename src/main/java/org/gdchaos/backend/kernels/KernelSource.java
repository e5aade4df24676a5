package org.gdchaos.backend.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;

/**
 * The shared CUDA/OpenCL kernel source ({@code kernels/} in the repository, carried in the jar
 * under {@code org/gdchaos/kernels/}). {@link #assemble} builds one self-contained translation
 * unit for a dialect and element type:
 * <pre>
 *   #define GDC_OPENCL 1 | #define GDC_CUDA 1
 *   #define REAL float   | #define REAL double
 *   #define GDC_FP64 1   (when double accumulation is available)
 *   #define GDC_ACT_TANH 0 …, GDC_LOSS_MSE 1 …, GDC_RED_DOT 4 …, GDC_OPT_ADAM 2 …
 *                (the codes of {@link Activation}, {@link Loss}, {@link Reduction} and
 *                {@link Optimizer.Kind}, emitted from the enums: {@link #codeDefines})
 *   prelude.h
 *   ops.cl
 * </pre>
 * with {@code #line} markers so compiler messages name the original file and line.
 */
public final class KernelSource {

    /** Classpath folder of the kernel files. */
    public static final String RESOURCE_DIR = "/org/gdchaos/kernels/";

    /** Every kernel entry point in {@code ops.cl}, in file order (the names of the {@link Kernel} table). */
    public static final List<String> KERNELS = Kernel.names();

    /** GEMM tile: rows of C per work-group ({@code GEMM_TM} in prelude.h). */
    public static final int GEMM_TM = 64;
    /** GEMM tile: columns of C per work-group ({@code GEMM_TN}). */
    public static final int GEMM_TN = 64;
    /** GEMM work-group size in dimension 0 ({@code GEMM_WG_X}). */
    public static final int GEMM_WG_X = 16;
    /** GEMM work-group size in dimension 1 ({@code GEMM_WG_Y}). */
    public static final int GEMM_WG_Y = 16;
    /** Work-group size of the 1-D element-wise and reduction kernels ({@code GDC_WG}). */
    public static final int WG = 256;

    /**
     * Most work-groups (CUDA: blocks) along dimension 0 of an element-wise kernel, on both
     * dialects: the kernels loop with a grid stride, so this only bounds the parallelism per entry
     * (1024 × {@link #WG} work-items).
     */
    public static final int MAX_EW_GROUPS = 1024;
    /** column_sums work-group size in dimension 0 ({@code COLSUM_WG_X}). */
    public static final int COLSUM_WG_X = 16;
    /** column_sums work-group size in dimension 1 ({@code COLSUM_WG_Y}). */
    public static final int COLSUM_WG_Y = 16;
    /** Largest group count in grid dimensions 1 and 2 (CUDA's limit; kernels loop beyond). */
    public static final int MAX_GRID_YZ = 65535;

    /** Target language of the assembled source. */
    public enum Dialect {
        OPENCL("GDC_OPENCL"), CUDA("GDC_CUDA");

        private final String macro;

        Dialect(String macro) {
            this.macro = macro;
        }

        /** The macro the prelude switches on. */
        public String macro() {
            return macro;
        }
    }

    private KernelSource() {
    }

    /**
     * The full source for one dialect and element type.
     *
     * @param dialect   OpenCL C or CUDA C
     * @param dtype     REAL = float for F32, double for F64
     * @param fp64      whether the device has double precision (reductions then accumulate in
     *                  double; must be true for F64; CUDA always has it)
     * @param extraDefines additional {@code #define} lines (e.g. "GEMM_TK 32"), may be empty
     */
    public static String assemble(Dialect dialect, DType dtype, boolean fp64, List<String> extraDefines) {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(dtype, "dtype");
        if (dtype == DType.F64 && !fp64) {
            throw new IllegalArgumentException("f64 kernels need a device with double precision");
        }
        StringBuilder sb = new StringBuilder(32_768);
        sb.append("#define ").append(dialect.macro()).append(" 1\n");
        sb.append("#define REAL ").append(dtype == DType.F64 ? "double" : "float").append('\n');
        if (fp64 || dialect == Dialect.CUDA) sb.append("#define GDC_FP64 1\n");
        for (String d : codeDefines()) sb.append("#define ").append(d).append('\n');
        for (String d : extraDefines) sb.append("#define ").append(d).append('\n');
        appendFile(sb, "prelude.h");
        appendFile(sb, "ops.cl");
        return sb.toString();
    }

    /**
     * The kernels' names for the codes the host passes, from the Java enums (the one home of each
     * number): {@code GDC_ACT_<activation>}, {@code GDC_LOSS_<loss>}, {@code GDC_RED_<reduction>}, {@code GDC_POOL_<pooling>},
     * {@code GDC_OPT_<kind>} for the fused optimizer kinds (GD has no kernel code).
     */
    public static List<String> codeDefines() {
        List<String> out = new java.util.ArrayList<>();
        for (Activation a : Activation.values()) out.add("GDC_ACT_" + a.name() + " " + a.code());
        for (Loss l : Loss.values()) out.add("GDC_LOSS_" + l.name() + " " + l.code());
        for (Reduction r : Reduction.values()) out.add("GDC_RED_" + r.name() + " " + r.code());
        for (PoolShape.Pooling q : PoolShape.Pooling.values()) out.add("GDC_POOL_" + q.name() + " " + q.code());
        for (Optimizer.Kind k : Optimizer.Kind.values()) {
            if (k != Optimizer.Kind.GD) out.add("GDC_OPT_" + k.name() + " " + k.code());
        }
        return List.copyOf(out);
    }

    /** {@link #assemble(Dialect, DType, boolean, List)} without extra defines. */
    public static String assemble(Dialect dialect, DType dtype, boolean fp64) {
        return assemble(dialect, dtype, fp64, List.of());
    }

    private static void appendFile(StringBuilder sb, String name) {
        sb.append("#line 1 \"").append(name).append("\"\n");
        sb.append(read(name));
        if (sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
    }

    /**
     * The text of one kernel file from the classpath.
     *
     * @throws IllegalStateException when the file is not on the classpath (a broken jar)
     */
    public static String read(String name) {
        String path = RESOURCE_DIR + name;
        try (InputStream in = KernelSource.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + path + " is missing from the classpath"
                        + " (the build copies kernels/ into the jar; rebuild with mvn package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + path, e);
        }
    }
}
