package org.gdchaos.backend.kernels;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.DType;

/**
 * The kernel table: every entry point of {@code kernels/ops.cl} (in file order) with its typed
 * argument list and its launch geometry. The CUDA and OpenCL hosts launch only through it
 * ({@link #call}, built per primitive by {@link KernelCalls}): a launch's arguments are checked
 * here against the list (count and kinds), and its geometry is computed here
 * ({@link Geometry}), once for both dialects. {@code KernelTableTest} parses the signatures out
 * of ops.cl and fails when an entry's list differs from its kernel's.
 *
 * <p>Argument lists are written as in ops.cl: {@code int x}, {@code OFF_T x}, {@code REAL x},
 * {@code GLOBAL REAL* x} (one pointer), and a bare name {@code x} for an operand, the three
 * parameters {@code (GLOBAL REAL* x, OFF_T offX, OFF_T strideX)}.
 */
public enum Kernel {
    GEMM_TILED("gemm_tiled", Geometry.GEMM,
            "int batch, int m, int n, int k, int transA, int transB, REAL alpha, REAL beta, A, B, C"),
    BIAS_ACTIVATION("bias_activation", Geometry.ELEMENTWISE, "int batch, int rows, int cols, int act, z, bias, int hasBias"),
    ACTIVATION_BACKWARD("activation_backward", Geometry.ELEMENTWISE, "int batch, OFF_T n, int act, h, delta"),
    ACTIVATION_BACKWARD_R("activation_backward_r", Geometry.ELEMENTWISE, "int batch, OFF_T n, int act, h, ev, rz, rdelta"),
    LOSS_HESSIAN_VECTOR("loss_hessian_vector", Geometry.ELEMENTWISE,
            "int batch, int rows, int cols, int loss, z, y, v, REAL scale, hv"),
    UPDATE("update", Geometry.ELEMENTWISE, "int batch, OFF_T n, w, g, lr"),
    OPTIMIZER_UPDATE("optimizer_update", Geometry.ELEMENTWISE,
            "int batch, OFF_T n, int kind, REAL b1, REAL b2, REAL eps, REAL c1, REAL c2, w, g, m, s, lr"),
    ADAM_TANGENT("adam_tangent", Geometry.ELEMENTWISE,
            "int batch, OFF_T n, REAL b1, REAL b2, REAL eps, REAL c1, REAL c2, dw, dm, ds, hv, g, m, s, lr"),
    ADAM_PRECONDITION("adam_precondition", Geometry.ELEMENTWISE, "int batch, OFF_T n, REAL eps, REAL c1, REAL c2, s, x, y"),
    AXPBY("axpby", Geometry.ELEMENTWISE, "int batch, OFF_T n, alpha, x, beta, y"),
    SCALE("scale", Geometry.ELEMENTWISE, "int batch, OFF_T n, s, y"),
    FILL("fill", Geometry.ELEMENTWISE, "OFF_T n, REAL value, GLOBAL REAL* dst, OFF_T off"),
    LOSS_GRADIENT("loss_gradient", Geometry.PER_ENTRY, "int batch, int rows, int cols, int loss, z, y, REAL scale, grad, lossSum"),
    COUNT_CORRECT("count_correct", Geometry.PER_ENTRY, "int batch, int rows, int cols, z, y, correct"),
    REDUCE("reduce", Geometry.PER_ENTRY, "int batch, OFF_T n, int op, x, y, out"),
    NON_FINITE("non_finite", Geometry.PER_ENTRY, "int batch, OFF_T n, x, flags"),
    COLUMN_SUMS("column_sums", Geometry.COLUMN_SUMS, "int batch, int rows, int cols, REAL alpha, x, REAL beta, out"),
    IM2COL("im2col", Geometry.ELEMENTWISE, "int batch, int n, int h, int w, int cin, int k, int pad, x, cols"),
    COL2IM("col2im", Geometry.ELEMENTWISE, "int batch, int n, int h, int w, int cin, int k, int pad, cols, dx"),
    POOL("pool", Geometry.ELEMENTWISE, "int batch, int op, int n, int h, int w, int c, sel, v, y"),
    POOL_BACKWARD("pool_backward", Geometry.ELEMENTWISE, "int batch, int op, int n, int h, int w, int c, x, dy, dx");

    /** Kinds of host arguments; {@link #OPERAND} is three kernel parameters (pointer, offset, stride). */
    public enum Kind {
        /** {@code int}. */
        INT,
        /** {@code OFF_T} (64-bit). */
        OFF,
        /** {@code REAL} (float or double by the module's dtype). */
        REAL,
        /** {@code GLOBAL REAL*}. */
        POINTER,
        /** {@code GLOBAL REAL* x, OFF_T offX, OFF_T strideX}. */
        OPERAND
    }

    /** One host argument: its kind and its name in ops.cl (an operand's pointer name). */
    public record Param(Kind kind, String name) {
        @Override
        public String toString() {
            return switch (kind) {
                case INT -> "int " + name;
                case OFF -> "OFF_T " + name;
                case REAL -> "REAL " + name;
                case POINTER -> "GLOBAL REAL* " + name;
                case OPERAND -> name;
            };
        }
    }

    /**
     * Launch geometry classes. Sizes are OpenCL's (global = groups × local per dimension); CUDA
     * takes grid = groups, block = local. {@code B = min(batch, MAX_GRID_YZ)}: every kernel loops
     * over the batch (and element-wise kernels over the elements) with a grid stride, so the
     * caps are correct for any size.
     */
    public enum Geometry {
        /** Local (16, 16, 1), groups (⌈n/64⌉, ⌈m/64⌉, B): from {@link GemmKernels#select}, by shape. */
        GEMM,
        /**
         * Element-wise over {@code extent} elements per entry: local (WG, 1), groups
         * (max(1, min(⌈extent/WG⌉, MAX_EW_GROUPS)), B).
         */
        ELEMENTWISE,
        /** One work-group reduces one entry: local (WG, 1) (exactly WG), groups (1, B). */
        PER_ENTRY,
        /** Column sums over {@code extent} = cols: local (16, 16, 1), groups (⌈extent/16⌉, 1, B). */
        COLUMN_SUMS;

        /** Work-items per group (CUDA: block). */
        public int[] local() {
            return switch (this) {
                case GEMM -> new int[] {KernelSource.GEMM_WG_X, KernelSource.GEMM_WG_Y, 1};
                case ELEMENTWISE, PER_ENTRY -> new int[] {KernelSource.WG, 1};
                case COLUMN_SUMS -> new int[] {KernelSource.COLSUM_WG_X, KernelSource.COLSUM_WG_Y, 1};
            };
        }

        /**
         * Groups per dimension (CUDA: grid) for {@code extent} (see each class) and {@code batch}
         * entries.
         *
         * @throws IllegalStateException for {@link #GEMM}, whose groups depend on the whole shape
         */
        public long[] groups(long extent, int batch) {
            long b = Math.min(batch, KernelSource.MAX_GRID_YZ);
            return switch (this) {
                case GEMM -> throw new IllegalStateException("GEMM geometry comes from GemmKernels.select");
                case ELEMENTWISE -> new long[] {Math.max(1, Math.min(ceilDiv(extent, KernelSource.WG),
                        KernelSource.MAX_EW_GROUPS)), b};
                case PER_ENTRY -> new long[] {1, b};
                case COLUMN_SUMS -> new long[] {ceilDiv(extent, KernelSource.COLSUM_WG_X), 1, b};
            };
        }

        private static long ceilDiv(long a, long b) {
            return (a + b - 1) / b;
        }
    }

    private final String kernelName;
    private final Geometry geometry;
    private final List<Param> params;

    Kernel(String kernelName, Geometry geometry, String params) {
        this.kernelName = kernelName;
        this.geometry = geometry;
        this.params = parse(params);
    }

    /** The entry point's name in ops.cl. */
    public String kernelName() {
        return kernelName;
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Host arguments in order (an operand counts once). */
    public List<Param> params() {
        return params;
    }

    /**
     * The kernel's C parameter kinds in order, operands expanded to {@code POINTER, OFF, OFF}: what
     * ops.cl declares and what a {@link KernelCall} holds.
     */
    public List<Kind> parameterKinds() {
        List<Kind> out = new ArrayList<>();
        for (Param p : params) {
            if (p.kind() == Kind.OPERAND) out.addAll(List.of(Kind.POINTER, Kind.OFF, Kind.OFF));
            else out.add(p.kind());
        }
        return List.copyOf(out);
    }

    /** Every kernel name, in ops.cl order. */
    public static List<String> names() {
        return java.util.Arrays.stream(values()).map(Kernel::kernelName).toList();
    }

    /** The entry for an ops.cl name. */
    public static Kernel named(String name) {
        for (Kernel k : values()) {
            if (k.kernelName.equals(name)) return k;
        }
        throw new IllegalArgumentException("no kernel '" + name + "' in the kernel table");
    }

    /**
     * A launch of this kernel over {@code extent} (see {@link Geometry}) for {@code batch}
     * entries in the {@code dtype} module.
     *
     * @throws IllegalArgumentException when the arguments do not match {@link #params()} in count
     *                                  and kinds
     * @throws IllegalStateException    for a GEMM kernel (use {@link KernelCalls#gemm})
     */
    public KernelCall call(DType dtype, long extent, int batch, Arg... args) {
        return call(dtype, geometry.local(), geometry.groups(extent, batch), args);
    }

    /** A launch with the given geometry (GEMM: from {@link GemmKernels#select}). */
    KernelCall call(DType dtype, int[] local, long[] groups, Arg... args) {
        return new KernelCall(this, dtype, local, groups, bind(args));
    }

    /** Checks {@code args} against the table and expands operands into kernel parameters. */
    private List<Arg> bind(Arg... args) {
        if (args.length != params.size()) {
            throw new IllegalArgumentException(kernelName + " takes " + params.size() + " arguments (" + params
                    + "), got " + args.length);
        }
        List<Arg> out = new ArrayList<>(params.size() + 8);
        for (int i = 0; i < args.length; i++) {
            Param p = params.get(i);
            if (args[i] == null || args[i].kind() != p.kind()) {
                throw new IllegalArgumentException(kernelName + " argument " + i + " (" + p + ") must be "
                        + p.kind() + ", got " + args[i]);
            }
            if (args[i] instanceof Arg.Operand o) {
                out.add(Arg.pointer(o.memory()));
                out.add(Arg.off(o.offset()));
                out.add(Arg.off(o.stride()));
            } else {
                out.add(args[i]);
            }
        }
        return List.copyOf(out);
    }

    private static List<Param> parse(String spec) {
        List<Param> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String s = part.trim();
            int sp = s.lastIndexOf(' ');
            String type = sp < 0 ? "" : s.substring(0, sp);
            String name = s.substring(sp + 1);
            Kind kind = switch (type) {
                case "" -> Kind.OPERAND;
                case "int" -> Kind.INT;
                case "OFF_T" -> Kind.OFF;
                case "REAL" -> Kind.REAL;
                case "GLOBAL REAL*" -> Kind.POINTER;
                default -> throw new IllegalArgumentException("unknown parameter type in '" + s + "'");
            };
            out.add(new Param(kind, name));
        }
        return List.copyOf(out);
    }
}
