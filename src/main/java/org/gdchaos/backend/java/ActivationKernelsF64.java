package org.gdchaos.backend.java;

import org.gdchaos.backend.Activation;

/**
 * Element-wise activation kernels on contiguous ranges of heap arrays. Each activation has its
 * own simple loop so the JIT can vectorise the cheap ones; tanh, the paper's activation and the
 * costliest element-wise op of a training step, is {@link JavaMath#tanh} (in the element type's
 * arithmetic) and, when {@code vector} is set, its bit-identical Vector API twin
 * {@link TanhVector}. The sigmoid is evaluated in 64-bit arithmetic and rounded once to the element
 * type. Constants are written as integers so that they are exact in either element type.
 * Formulas: see {@link Activation}.
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class ActivationKernelsF64 {
    private ActivationKernelsF64() {
    }

    /** Rows of a narrow matrix added per pass of the tiled bias ({@link #addBias}). */
    private static final int TILE_ROWS = 64;

    /**
     * {@code z[zo + r·cols + j] += bias[bo + j]} for r &lt; rows, j &lt; cols. Narrow rows (a convolution's
     * few channels) are added as one long run against the bias repeated {@value #TILE_ROWS} times, so the
     * loop vectorises; the sums are the same.
     */
    static void addBias(double[] z, int zo, double[] bias, int bo, int rows, int cols) {
        if (cols >= 16 || rows < 2 * TILE_ROWS) {
            for (int r = 0, row = zo; r < rows; r++, row += cols) {
                for (int j = 0; j < cols; j++) z[row + j] += bias[bo + j];
            }
            return;
        }
        int len = TILE_ROWS * cols;
        double[] tile = new double[len];
        for (int t = 0; t < len; t++) tile[t] = bias[bo + t % cols];
        int end = zo + rows * cols;
        for (int base = zo; base < end; base += len) {
            int n = Math.min(len, end - base);
            for (int t = 0; t < n; t++) z[base + t] += tile[t];
        }
    }

    /**
     * {@code z[zo + i] = f(z[zo + i])} for i &lt; count; {@code vector}: use the Vector API
     * where it pays (same bits as the scalar loop).
     */
    static void apply(Activation f, double[] z, int zo, int count, boolean vector) {
        int end = zo + count;
        switch (f) {
            case TANH:
                if (vector) {
                    TanhVector.apply(z, zo, end);
                } else {
                    for (int i = zo; i < end; i++) z[i] = JavaMath.tanh(z[i]);
                }
                break;
            case SIGMOID:
                for (int i = zo; i < end; i++) z[i] = (double) (1.0 / (1.0 + Math.exp(-z[i])));
                break;
            case RELU:
                for (int i = zo; i < end; i++) z[i] = z[i] > 0 ? z[i] : 0;
                break;
            default:
                break;
        }
    }

    /** {@code d[do + i] *= f'(h[ho + i])} for i &lt; count. */
    static void backward(Activation f, double[] h, int ho, double[] d, int dOff, int count) {
        switch (f) {
            case TANH:
                for (int i = 0; i < count; i++) {
                    double y = h[ho + i];
                    d[dOff + i] *= 1 - y * y;
                }
                break;
            case SIGMOID:
                for (int i = 0; i < count; i++) {
                    double y = h[ho + i];
                    d[dOff + i] *= y * (1 - y);
                }
                break;
            case RELU:
                for (int i = 0; i < count; i++) d[dOff + i] *= h[ho + i] > 0 ? (double) 1 : 0;
                break;
            default:
                break; // f' = 1
        }
    }

    /** {@code rd[i] = rd[i]·f'(h[i]) + e[i]·f''(h[i])·rz[i]} over count elements. */
    static void backwardR(Activation f, double[] h, int ho, double[] e, int eo, double[] rz, int rzo,
                          double[] rd, int rdo, int count) {
        switch (f) {
            case TANH:
                for (int i = 0; i < count; i++) {
                    double y = h[ho + i];
                    double d1 = 1 - y * y;
                    double d2 = -2 * y * d1;
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * d2 * rz[rzo + i];
                }
                break;
            case SIGMOID:
                for (int i = 0; i < count; i++) {
                    double y = h[ho + i];
                    double d1 = y * (1 - y);
                    double d2 = d1 * (1 - 2 * y);
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * d2 * rz[rzo + i];
                }
                break;
            case RELU:
                for (int i = 0; i < count; i++) {
                    double d1 = h[ho + i] > 0 ? (double) 1 : 0;
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * 0 * rz[rzo + i];
                }
                break;
            default:
                for (int i = 0; i < count; i++) rd[rdo + i] = rd[rdo + i] + e[eo + i] * 0 * rz[rzo + i];
                break;
        }
    }
}
