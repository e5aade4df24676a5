package org.gdchaos.backend.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdchaos.backend.DType;
import org.junit.jupiter.api.Test;

class KernelSourceTest {

    /**
     * The codes the host passes have one home, the Java enums: the assembled source defines each
     * by name with the enum's value, and ops.cl compares codes only by those names (a bare
     * {@code case 2:} or {@code loss == 1} would silently disagree when an enum is renumbered).
     */
    @Test
    void codesComeFromTheEnumsAndOpsClUsesThemByName() {
        String src = KernelSource.assemble(KernelSource.Dialect.OPENCL, DType.F32, true);
        assertTrue(src.indexOf("#define GDC_ACT_TANH") < src.indexOf("#line 1 \"prelude.h\""));
        for (org.gdchaos.backend.Activation a : org.gdchaos.backend.Activation.values()) {
            assertEquals(a.code(), define(src, "GDC_ACT_" + a.name()), a.name());
        }
        for (org.gdchaos.backend.Loss l : org.gdchaos.backend.Loss.values()) {
            assertEquals(l.code(), define(src, "GDC_LOSS_" + l.name()), l.name());
        }
        for (org.gdchaos.backend.Reduction r : org.gdchaos.backend.Reduction.values()) {
            assertEquals(r.code(), define(src, "GDC_RED_" + r.name()), r.name());
        }
        for (org.gdchaos.backend.PoolShape.Pooling q : org.gdchaos.backend.PoolShape.Pooling.values()) {
            assertEquals(q.code(), define(src, "GDC_POOL_" + q.name()), q.name());
        }
        assertEquals(org.gdchaos.backend.Optimizer.Kind.ADAM.code(), define(src, "GDC_OPT_ADAM"));
        assertEquals(org.gdchaos.backend.Optimizer.Kind.NESTEROV.code(), define(src, "GDC_OPT_NESTEROV"));
        String ops = KernelSource.read("ops.cl");
        Matcher bare = Pattern.compile("case -?\\d+:|\\b(act|op|loss|kind) [=!]= -?\\d").matcher(ops);
        assertFalse(bare.find(), () -> "a code written as a number in ops.cl: " + bare.group());
    }

    @Test
    void assemblesDialectTypeAndAccumulatorDefines() {
        String cl32 = KernelSource.assemble(KernelSource.Dialect.OPENCL, DType.F32, false);
        assertTrue(cl32.startsWith("#define GDC_OPENCL 1\n#define REAL float\n"));
        assertFalse(cl32.contains("#define GDC_FP64 1\n#line"), "no fp64: float accumulators");
        assertTrue(cl32.contains("#line 1 \"prelude.h\"") && cl32.contains("#line 1 \"ops.cl\""));

        String cl64 = KernelSource.assemble(KernelSource.Dialect.OPENCL, DType.F64, true);
        assertTrue(cl64.startsWith("#define GDC_OPENCL 1\n#define REAL double\n#define GDC_FP64 1\n"));

        String cu = KernelSource.assemble(KernelSource.Dialect.CUDA, DType.F32, false);
        assertTrue(cu.startsWith("#define GDC_CUDA 1\n#define REAL float\n#define GDC_FP64 1\n"),
                "CUDA always has double accumulation");

        String tuned = KernelSource.assemble(KernelSource.Dialect.OPENCL, DType.F32, true, List.of("GEMM_TK 32"));
        assertTrue(tuned.contains("#define GEMM_TK 32\n#line 1 \"prelude.h\""));
    }

    @Test
    void refusesDoubleWithoutFp64() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelSource.assemble(KernelSource.Dialect.OPENCL, DType.F64, false));
        assertTrue(e.getMessage().contains("double precision"));
    }

    @Test
    void kernelListMatchesTheSourceInOrder() {
        Matcher m = Pattern.compile("KERNEL void (\\w+)\\(").matcher(KernelSource.read("ops.cl"));
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group(1));
        assertEquals(KernelSource.KERNELS, found);
    }

    @Test
    void geometryConstantsMatchThePrelude() {
        String prelude = KernelSource.read("prelude.h");
        assertEquals(KernelSource.GEMM_TM, define(prelude, "GEMM_TM"));
        assertEquals(KernelSource.GEMM_TN, define(prelude, "GEMM_TN"));
        assertEquals(KernelSource.GEMM_WG_X, define(prelude, "GEMM_WG_X"));
        assertEquals(KernelSource.GEMM_WG_Y, define(prelude, "GEMM_WG_Y"));
        assertEquals(KernelSource.WG, define(prelude, "GDC_WG"));
        assertEquals(KernelSource.COLSUM_WG_X, define(prelude, "COLSUM_WG_X"));
        assertEquals(KernelSource.COLSUM_WG_Y, define(prelude, "COLSUM_WG_Y"));
        assertEquals(0, KernelSource.WG & (KernelSource.WG - 1), "tree reduction needs a power of two");
    }

    @Test
    void readmeDocumentsEveryKernel() {
        String readme = KernelSource.read("README.md");
        for (String k : KernelSource.KERNELS) assertTrue(readme.contains("`" + k + "`"), k);
    }

    @Test
    void missingFileIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelSource.read("nope.cl"));
        assertTrue(e.getMessage().contains("missing from the classpath"));
    }

    private static int define(String text, String name) {
        Matcher m = Pattern.compile("#\\s*define " + name + " (\\d+)").matcher(text);
        assertTrue(m.find(), name);
        return Integer.parseInt(m.group(1));
    }
}
