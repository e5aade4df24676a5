package org.gdchaos.backend.java;

import org.gdchaos.backend.Reduction;

/**
 * Per-trajectory reductions and column sums on contiguous ranges of heap arrays, accumulated in
 * 64-bit host doubles whatever the element type: reductions use a {@code loopBound}-style main
 * loop with four independent accumulators, then an explicit tail, summed as
 * {@code (s0+s1)+(s2+s3)}; each element is widened to a host double before its term is formed
 * (no operation in f64).
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class VectorKernelsF64 {
    private VectorKernelsF64() {
    }

    /** {@code Σ_k g(x[k], y[k])} (y unused for unary reductions). */
    static /*host*/double reduce(Reduction op, double[] x, int xo, double[] y, int yo, int n) {
        /*host*/double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0, bound = n & ~3;
        switch (op) {
            case SUM_ABS:
                for (; k < bound; k += 4) {
                    s0 += Math.abs((/*host*/double) x[xo + k]);
                    s1 += Math.abs((/*host*/double) x[xo + k + 1]);
                    s2 += Math.abs((/*host*/double) x[xo + k + 2]);
                    s3 += Math.abs((/*host*/double) x[xo + k + 3]);
                }
                for (; k < n; k++) s0 += Math.abs((/*host*/double) x[xo + k]);
                break;
            case SUM_SQ:
                for (; k < bound; k += 4) {
                    /*host*/double a = x[xo + k], b = x[xo + k + 1], c = x[xo + k + 2], d = x[xo + k + 3];
                    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
                }
                for (; k < n; k++) { /*host*/double a = x[xo + k]; s0 += a * a; }
                break;
            case SUM_ABS_DIFF:
                for (; k < bound; k += 4) {
                    s0 += Math.abs((/*host*/double) x[xo + k] - y[yo + k]);
                    s1 += Math.abs((/*host*/double) x[xo + k + 1] - y[yo + k + 1]);
                    s2 += Math.abs((/*host*/double) x[xo + k + 2] - y[yo + k + 2]);
                    s3 += Math.abs((/*host*/double) x[xo + k + 3] - y[yo + k + 3]);
                }
                for (; k < n; k++) s0 += Math.abs((/*host*/double) x[xo + k] - y[yo + k]);
                break;
            case SUM_SQ_DIFF:
                for (; k < bound; k += 4) {
                    /*host*/double a = (/*host*/double) x[xo + k] - y[yo + k];
                    /*host*/double b = (/*host*/double) x[xo + k + 1] - y[yo + k + 1];
                    /*host*/double c = (/*host*/double) x[xo + k + 2] - y[yo + k + 2];
                    /*host*/double d = (/*host*/double) x[xo + k + 3] - y[yo + k + 3];
                    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
                }
                for (; k < n; k++) { /*host*/double a = (/*host*/double) x[xo + k] - y[yo + k]; s0 += a * a; }
                break;
            default: // DOT
                for (; k < bound; k += 4) {
                    s0 += (/*host*/double) x[xo + k] * y[yo + k];
                    s1 += (/*host*/double) x[xo + k + 1] * y[yo + k + 1];
                    s2 += (/*host*/double) x[xo + k + 2] * y[yo + k + 2];
                    s3 += (/*host*/double) x[xo + k + 3] * y[yo + k + 3];
                }
                for (; k < n; k++) s0 += (/*host*/double) x[xo + k] * y[yo + k];
                break;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Smallest matrix (elements) summed by the 16-lane path of {@link #columnSums}. */
    static final int NARROW_SUM_MIN = 1 << 16;

    /** {@code acc[j − j0] = Σ_{i<rows} x[xo + i·cols + j]} for j0 ≤ j &lt; j1, in host doubles. */
    static void columnSums(double[] x, int xo, int rows, int cols, int j0, int j1, /*host*/double[] acc) {
        int w = j1 - j0;
        java.util.Arrays.fill(acc, 0, w, 0.0);
        if (j0 == 0 && j1 == cols && 16 % cols == 0 && (long) rows * cols >= NARROW_SUM_MIN) {
            // a convolution's few channels: 16 running sums over the flat matrix (lane t holds column t % cols),
            // so the loop vectorises; then the lanes of each column are added
            /*host*/double[] lanes = new /*host*/double[16];
            int n = rows * cols, full = n / 16 * 16;
            for (int base = xo; base < xo + full; base += 16) {
                for (int t = 0; t < 16; t++) lanes[t] += x[base + t];
            }
            for (int t = full; t < n; t++) lanes[t % 16] += x[xo + t];
            for (int t = 0; t < 16; t++) acc[t % cols] += lanes[t];
            return;
        }
        for (int i = 0, row = xo + j0; i < rows; i++, row += cols) {
            for (int j = 0; j < w; j++) acc[j] += x[row + j];
        }
    }
}
