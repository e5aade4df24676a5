package org.gdchaos.backend.java;

import org.gdchaos.backend.Checks;
import org.gdchaos.backend.View;

/**
 * Operand helpers of {@link JavaBackend}: range checks and array access (the operand checks of
 * each primitive are {@link Checks}').
 * Offsets are narrowed to int only after {@link View#checkFits} (or {@link #range}) proved
 * them inside a buffer, whose length is at most {@link org.gdchaos.backend.java.cpu.JavaTunables#MAX_BUFFER_LENGTH}.
 */
final class Operands {
    private Operands() {
    }

    static void range(JavaBuffer b, long offset, long n, String name) {
        Checks.range(offset, n, b.length(), name);
    }

    static double[] f64(View v) {
        return ((JavaBuffer) v.buffer()).f64();
    }

    static float[] f32(View v) {
        return ((JavaBuffer) v.buffer()).f32();
    }

    /** Offset of entry 0 as int (valid after {@link View#checkFits}). */
    static int off(View v) {
        return (int) v.offset();
    }

    /** Offset of entry b as int (valid after {@link View#checkFits} for b &lt; batch). */
    static int off(View v, int b) {
        return (int) v.at(b);
    }

    /**
     * Stride as int. A single entry keeps its view's stride (clamped to int: {@link View#checkFits} does
     * not bound it there, and only entry 0 is addressed), because the GEMM picks its kernel by which
     * operands have stride 0 (shared): a call with one entry must take the same kernel, and so give
     * the same bits, as that entry inside any batch. Collapsing it to 0 made a one-cell evaluation
     * take another kernel than the same cell among others (issue 22).
     */
    static int stride(View v, int batch) {
        return batch <= 1 ? (int) Math.min(v.stride(), Integer.MAX_VALUE) : (int) v.stride();
    }
}
