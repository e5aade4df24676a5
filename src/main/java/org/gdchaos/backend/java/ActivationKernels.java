package org.gdchaos.backend.java;

import org.gdchaos.backend.Activation;

/**
 * Element-wise activation kernels on contiguous ranges of heap arrays, f64 and f32. Each
 * activation has its own simple loop so the JIT can vectorise the cheap ones; tanh, the paper's
 * activation and the costliest element-wise op of a training step, is {@link JavaMath#tanh}
 * (f32: in float arithmetic) and, when {@code vector} is set, its bit-identical Vector API twin
 * {@link TanhVector}. The sigmoid's exp is evaluated in double (f32: rounded once). Formulas:
 * see {@link Activation}.
 */
final class ActivationKernels {
    private ActivationKernels() {
    }

    // ------------------------------------------------------------------ f64

    /** {@code z[zo + r·cols + j] += bias[bo + j]} for r &lt; rows, j &lt; cols. */
    static void addBias(double[] z, int zo, double[] bias, int bo, int rows, int cols) {
        for (int r = 0, row = zo; r < rows; r++, row += cols) {
            for (int j = 0; j < cols; j++) z[row + j] += bias[bo + j];
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
                for (int i = zo; i < end; i++) z[i] = 1.0 / (1.0 + Math.exp(-z[i]));
                break;
            case RELU:
                for (int i = zo; i < end; i++) z[i] = z[i] > 0 ? z[i] : 0.0;
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
                    d[dOff + i] *= 1.0 - y * y;
                }
                break;
            case SIGMOID:
                for (int i = 0; i < count; i++) {
                    double y = h[ho + i];
                    d[dOff + i] *= y * (1.0 - y);
                }
                break;
            case RELU:
                for (int i = 0; i < count; i++) d[dOff + i] *= h[ho + i] > 0 ? 1.0 : 0.0;
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
                    double d1 = 1.0 - y * y;
                    double d2 = -2.0 * y * d1;
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * d2 * rz[rzo + i];
                }
                break;
            case SIGMOID:
                for (int i = 0; i < count; i++) {
                    double y = h[ho + i];
                    double d1 = y * (1.0 - y);
                    double d2 = d1 * (1.0 - 2.0 * y);
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * d2 * rz[rzo + i];
                }
                break;
            case RELU:
                for (int i = 0; i < count; i++) {
                    double d1 = h[ho + i] > 0 ? 1.0 : 0.0;
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * 0.0 * rz[rzo + i];
                }
                break;
            default:
                for (int i = 0; i < count; i++) rd[rdo + i] = rd[rdo + i] + e[eo + i] * 0.0 * rz[rzo + i];
                break;
        }
    }

    // ------------------------------------------------------------------ f32

    static void addBias(float[] z, int zo, float[] bias, int bo, int rows, int cols) {
        for (int r = 0, row = zo; r < rows; r++, row += cols) {
            for (int j = 0; j < cols; j++) z[row + j] += bias[bo + j];
        }
    }

    static void apply(Activation f, float[] z, int zo, int count, boolean vector) {
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
                for (int i = zo; i < end; i++) z[i] = (float) (1.0 / (1.0 + Math.exp(-z[i])));
                break;
            case RELU:
                for (int i = zo; i < end; i++) z[i] = z[i] > 0 ? z[i] : 0f;
                break;
            default:
                break;
        }
    }

    static void backward(Activation f, float[] h, int ho, float[] d, int dOff, int count) {
        switch (f) {
            case TANH:
                for (int i = 0; i < count; i++) {
                    float y = h[ho + i];
                    d[dOff + i] *= 1f - y * y;
                }
                break;
            case SIGMOID:
                for (int i = 0; i < count; i++) {
                    float y = h[ho + i];
                    d[dOff + i] *= y * (1f - y);
                }
                break;
            case RELU:
                for (int i = 0; i < count; i++) d[dOff + i] *= h[ho + i] > 0 ? 1f : 0f;
                break;
            default:
                break;
        }
    }

    static void backwardR(Activation f, float[] h, int ho, float[] e, int eo, float[] rz, int rzo,
                          float[] rd, int rdo, int count) {
        switch (f) {
            case TANH:
                for (int i = 0; i < count; i++) {
                    float y = h[ho + i];
                    float d1 = 1f - y * y;
                    float d2 = -2f * y * d1;
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * d2 * rz[rzo + i];
                }
                break;
            case SIGMOID:
                for (int i = 0; i < count; i++) {
                    float y = h[ho + i];
                    float d1 = y * (1f - y);
                    float d2 = d1 * (1f - 2f * y);
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * d2 * rz[rzo + i];
                }
                break;
            case RELU:
                for (int i = 0; i < count; i++) {
                    float d1 = h[ho + i] > 0 ? 1f : 0f;
                    rd[rdo + i] = rd[rdo + i] * d1 + e[eo + i] * 0f * rz[rzo + i];
                }
                break;
            default:
                for (int i = 0; i < count; i++) rd[rdo + i] = rd[rdo + i] + e[eo + i] * 0f * rz[rzo + i];
                break;
        }
    }
}
