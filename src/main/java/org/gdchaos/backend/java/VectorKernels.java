package org.gdchaos.backend.java;

import org.gdchaos.backend.Reduction;

/**
 * Per-trajectory reductions and column sums on contiguous ranges of heap arrays, f64 and f32,
 * both accumulated in double: reductions use a {@code loopBound}-style main loop with four
 * independent double accumulators, then an explicit tail, summed as {@code (s0+s1)+(s2+s3)}.
 * The f32 methods widen each element to double before its term is formed, so they are not the
 * f64 code with another element type: they are written out here, not generated (the
 * element-wise maps are, see {@link VectorMapsF64}).
 */
final class VectorKernels {
    private VectorKernels() {
    }

    // ------------------------------------------------------------------ f64

    /** {@code Σ_k g(x[k], y[k])} (y unused for unary reductions). */
    static double reduce(Reduction op, double[] x, int xo, double[] y, int yo, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0, bound = n & ~3;
        switch (op) {
            case SUM_ABS:
                for (; k < bound; k += 4) {
                    s0 += Math.abs(x[xo + k]); s1 += Math.abs(x[xo + k + 1]);
                    s2 += Math.abs(x[xo + k + 2]); s3 += Math.abs(x[xo + k + 3]);
                }
                for (; k < n; k++) s0 += Math.abs(x[xo + k]);
                break;
            case SUM_SQ:
                for (; k < bound; k += 4) {
                    double a = x[xo + k], b = x[xo + k + 1], c = x[xo + k + 2], d = x[xo + k + 3];
                    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
                }
                for (; k < n; k++) s0 += x[xo + k] * x[xo + k];
                break;
            case SUM_ABS_DIFF:
                for (; k < bound; k += 4) {
                    s0 += Math.abs(x[xo + k] - y[yo + k]); s1 += Math.abs(x[xo + k + 1] - y[yo + k + 1]);
                    s2 += Math.abs(x[xo + k + 2] - y[yo + k + 2]); s3 += Math.abs(x[xo + k + 3] - y[yo + k + 3]);
                }
                for (; k < n; k++) s0 += Math.abs(x[xo + k] - y[yo + k]);
                break;
            case SUM_SQ_DIFF:
                for (; k < bound; k += 4) {
                    double a = x[xo + k] - y[yo + k], b = x[xo + k + 1] - y[yo + k + 1];
                    double c = x[xo + k + 2] - y[yo + k + 2], d = x[xo + k + 3] - y[yo + k + 3];
                    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
                }
                for (; k < n; k++) { double a = x[xo + k] - y[yo + k]; s0 += a * a; }
                break;
            default: // DOT
                for (; k < bound; k += 4) {
                    s0 += x[xo + k] * y[yo + k]; s1 += x[xo + k + 1] * y[yo + k + 1];
                    s2 += x[xo + k + 2] * y[yo + k + 2]; s3 += x[xo + k + 3] * y[yo + k + 3];
                }
                for (; k < n; k++) s0 += x[xo + k] * y[yo + k];
                break;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code acc[j − j0] = Σ_{i<rows} x[xo + i·cols + j]} for j0 ≤ j &lt; j1. */
    static void columnSums(double[] x, int xo, int rows, int cols, int j0, int j1, double[] acc) {
        int w = j1 - j0;
        java.util.Arrays.fill(acc, 0, w, 0.0);
        for (int i = 0, row = xo + j0; i < rows; i++, row += cols) {
            for (int j = 0; j < w; j++) acc[j] += x[row + j];
        }
    }

    // ------------------------------------------------------------------ f32

    /** As the f64 version, each element widened to double before its term is formed. */
    static double reduce(Reduction op, float[] x, int xo, float[] y, int yo, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0, bound = n & ~3;
        switch (op) {
            case SUM_ABS:
                for (; k < bound; k += 4) {
                    s0 += Math.abs((double) x[xo + k]); s1 += Math.abs((double) x[xo + k + 1]);
                    s2 += Math.abs((double) x[xo + k + 2]); s3 += Math.abs((double) x[xo + k + 3]);
                }
                for (; k < n; k++) s0 += Math.abs((double) x[xo + k]);
                break;
            case SUM_SQ:
                for (; k < bound; k += 4) {
                    double a = x[xo + k], b = x[xo + k + 1], c = x[xo + k + 2], d = x[xo + k + 3];
                    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
                }
                for (; k < n; k++) { double a = x[xo + k]; s0 += a * a; }
                break;
            case SUM_ABS_DIFF:
                for (; k < bound; k += 4) {
                    s0 += Math.abs((double) x[xo + k] - y[yo + k]);
                    s1 += Math.abs((double) x[xo + k + 1] - y[yo + k + 1]);
                    s2 += Math.abs((double) x[xo + k + 2] - y[yo + k + 2]);
                    s3 += Math.abs((double) x[xo + k + 3] - y[yo + k + 3]);
                }
                for (; k < n; k++) s0 += Math.abs((double) x[xo + k] - y[yo + k]);
                break;
            case SUM_SQ_DIFF:
                for (; k < bound; k += 4) {
                    double a = (double) x[xo + k] - y[yo + k], b = (double) x[xo + k + 1] - y[yo + k + 1];
                    double c = (double) x[xo + k + 2] - y[yo + k + 2], d = (double) x[xo + k + 3] - y[yo + k + 3];
                    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
                }
                for (; k < n; k++) { double a = (double) x[xo + k] - y[yo + k]; s0 += a * a; }
                break;
            default: // DOT
                for (; k < bound; k += 4) {
                    s0 += (double) x[xo + k] * y[yo + k]; s1 += (double) x[xo + k + 1] * y[yo + k + 1];
                    s2 += (double) x[xo + k + 2] * y[yo + k + 2]; s3 += (double) x[xo + k + 3] * y[yo + k + 3];
                }
                for (; k < n; k++) s0 += (double) x[xo + k] * y[yo + k];
                break;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Column sums accumulated in double. */
    static void columnSums(float[] x, int xo, int rows, int cols, int j0, int j1, double[] acc) {
        int w = j1 - j0;
        java.util.Arrays.fill(acc, 0, w, 0.0);
        for (int i = 0, row = xo + j0; i < rows; i++, row += cols) {
            for (int j = 0; j < w; j++) acc[j] += x[row + j];
        }
    }
}
