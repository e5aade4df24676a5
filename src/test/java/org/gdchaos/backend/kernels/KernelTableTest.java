package org.gdchaos.backend.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.kernels.Kernel.Geometry;
import org.junit.jupiter.api.Test;

/** The kernel table against the kernel source, its argument checks and its geometry. */
class KernelTableTest {

    /** What a table entry declares, in the parser's words: kind per C parameter. */
    private static List<String> kinds(Kernel k) {
        return k.parameterKinds().stream().map(c -> switch (c) {
            case INT -> "int";
            case OFF -> "off";
            case REAL -> "real";
            case POINTER -> "ptr";
            case OPERAND -> throw new AssertionError("operands are expanded");
        }).toList();
    }

    @Test
    void everyEntryHasItsKernelsParameterKindsAndNamesInOpsCl() {
        Map<String, List<OpsSignatures.Param>> src = OpsSignatures.parse();
        assertEquals(new ArrayList<>(src.keySet()), Kernel.names(), "the table lists every kernel of ops.cl, in order");
        for (Kernel k : Kernel.values()) {
            List<OpsSignatures.Param> want = src.get(k.kernelName());
            assertEquals(want.stream().map(OpsSignatures.Param::kind).toList(), kinds(k), k.kernelName() + " parameter kinds");
            int at = 0;
            for (Kernel.Param p : k.params()) {
                assertEquals(want.get(at).name(), p.name(), k.kernelName() + " parameter " + at);
                at += p.kind() == Kernel.Kind.OPERAND ? 3 : 1;
            }
        }
    }

    @Test
    void launchesAreCheckedAgainstTheTableInCountAndKind() {
        Arg.Operand x = new Arg.Operand("mem", 2, 5);
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> Kernel.SCALE.call(DType.F32, 10, 1, Arg.i(1), Arg.off(10), x));
        assertTrue(few.getMessage().contains("scale takes 4 arguments"), few.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> Kernel.SCALE.call(DType.F32, 10, 1, Arg.i(1), Arg.i(10), x, x));
        assertTrue(kind.getMessage().contains("argument 1 (OFF_T n) must be OFF"), kind.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Kernel.FILL.call(DType.F32, 10, 1, Arg.off(10), Arg.real(1), x, Arg.off(0)),
                "fill takes one pointer, not an operand");

        KernelCall c = Kernel.SCALE.call(DType.F64, 10, 3, Arg.i(3), Arg.off(10), x, new Arg.Operand("y", 0, 10));
        assertEquals(List.of(Arg.i(3), Arg.off(10), Arg.pointer("mem"), Arg.off(2), Arg.off(5), Arg.pointer("y"),
                Arg.off(0), Arg.off(10)), c.args(), "operands expand to (pointer, offset, stride)");
        assertThrows(IllegalStateException.class, () -> Kernel.GEMM_TILED.call(DType.F32, 1, 1),
                "GEMM geometry comes from the shape");
    }

    @Test
    void geometryOfEachClass() {
        int wg = KernelSource.WG;
        assertArrayEquals(new long[] {1, 1}, Geometry.ELEMENTWISE.groups(0, 1), "at least one group");
        assertArrayEquals(new long[] {2, 7}, Geometry.ELEMENTWISE.groups(wg + 1, 7));
        assertArrayEquals(new long[] {KernelSource.MAX_EW_GROUPS, KernelSource.MAX_GRID_YZ},
                Geometry.ELEMENTWISE.groups(1L << 40, 70_000), "capped: the kernels grid-stride");
        assertArrayEquals(new int[] {wg, 1}, Geometry.ELEMENTWISE.local());
        assertArrayEquals(new long[] {1, 5}, Geometry.PER_ENTRY.groups(123, 5));
        assertArrayEquals(new int[] {wg, 1}, Geometry.PER_ENTRY.local());
        assertArrayEquals(new long[] {3, 1, 4}, Geometry.COLUMN_SUMS.groups(33, 4));
        assertArrayEquals(new int[] {16, 16, 1}, Geometry.COLUMN_SUMS.local());

        KernelCall cs = KernelCalls.columnSums(DType.F32, 4, 9, 33, 1, new Arg.Operand("x", 0, 297), 0,
                new Arg.Operand("o", 0, 33));
        assertArrayEquals(new long[] {48, 16, 4}, cs.global(), "OpenCL global = groups × local");

        GemmShape s = new GemmShape(3, 70, 5, 9, false, true, 1.5, 0);
        KernelCall g = KernelCalls.gemm(DType.F32, s, new Arg.Operand("a", 0, 630), new Arg.Operand("b", 0, 0),
                new Arg.Operand("c", 0, 350));
        GemmKernels.Launch sel = GemmKernels.select(DType.F32, s);
        assertEquals(sel.kernel(), g.kernel().kernelName());
        assertArrayEquals(sel.groups(), g.groups());
        assertArrayEquals(sel.local(), g.local());
        assertEquals(Geometry.GEMM, g.kernel().geometry());
    }
}
