package org.gdchaos.backend;

/**
 * Per-trajectory reduction over a vector of n elements, {@code out[b] = Σ_k g(x[b][k], y[b][k])}:
 * <ul>
 *   <li>SUM_ABS: g = |x| (L1 norm; y unused, may be null)</li>
 *   <li>SUM_SQ: g = x² (squared L2 norm; y unused, may be null)</li>
 *   <li>SUM_ABS_DIFF: g = |x − y| (L1 distance)</li>
 *   <li>SUM_SQ_DIFF: g = (x − y)² (squared L2 distance)</li>
 *   <li>DOT: g = x·y</li>
 * </ul>
 * Codes are shared with the device kernels.
 */
public enum Reduction {
    SUM_ABS(0, false), SUM_SQ(1, false), SUM_ABS_DIFF(2, true), SUM_SQ_DIFF(3, true), DOT(4, true);

    private final int code;
    private final boolean binary;

    Reduction(int code, boolean binary) {
        this.code = code;
        this.binary = binary;
    }

    public int code() { return code; }

    /** Whether the reduction reads a second operand y. */
    public boolean binary() { return binary; }

    /** g(x, y). */
    public double term(double x, double y) {
        switch (this) {
            case SUM_ABS: return Math.abs(x);
            case SUM_SQ: return x * x;
            case SUM_ABS_DIFF: return Math.abs(x - y);
            case SUM_SQ_DIFF: { double d = x - y; return d * d; }
            default: return x * y;
        }
    }
}
