package org.gdchaos.backend;

/**
 * Shape of a stride-1 square convolution over one trajectory's batch of {@code n} samples in
 * NHWC layout (channels last): sample s, row y, column x, channel c of an input tensor sits at
 * {@code ((s·h + y)·w + x)·cin + c}. The convolution itself is {@link Backend#im2col} followed by
 * the batched GEMM
 * <pre>  cols[n·outH·outW][k·k·cin] × W[k·k·cin][cout] = out[n·outH·outW][cout]</pre>
 * whose result is already NHWC ({@code out} row {@code (s·outH + oy)·outW + ox}), so bias and
 * activation are {@link Backend#biasActivation} with {@code rows = n·outH·outW, cols = cout}
 * and flattening for a dense layer is free. A row of {@code cols} (and a row of W) is indexed
 * {@code (ky·k + kx)·cin + c}.
 *
 * <p>Padding: {@link Padding#VALID} uses no padding ({@code outH = h − k + 1}); {@link Padding#SAME}
 * pads {@code pad = (k − 1)/2} zeros on every side ({@code outH = h}) and needs an odd k.
 *
 * @param n       samples per trajectory (the mini-batch)
 * @param h       input height
 * @param w       input width
 * @param cin     input channels
 * @param k       kernel size (k×k)
 * @param padding VALID or SAME
 */
public record ConvShape(int n, int h, int w, int cin, int k, Padding padding) {

    /** Zero padding of a stride-1 convolution. */
    public enum Padding {
        /** No padding: the kernel stays inside the input, {@code out = in − k + 1}. */
        VALID,
        /** {@code (k − 1)/2} zeros on each side (odd k): {@code out = in}. */
        SAME
    }

    public ConvShape {
        if (padding == null) throw new NullPointerException("padding");
        if (n < 1 || h < 1 || w < 1 || cin < 1 || k < 1) {
            throw new IllegalArgumentException("convolution sizes must be positive: n=" + n + " h=" + h + " w=" + w
                    + " cin=" + cin + " k=" + k);
        }
        if (padding == Padding.SAME && k % 2 == 0) {
            throw new IllegalArgumentException("SAME padding needs an odd kernel size, got k=" + k);
        }
        if (padding == Padding.VALID && (k > h || k > w)) {
            throw new IllegalArgumentException("VALID convolution: kernel " + k + "×" + k + " larger than the "
                    + h + "×" + w + " input");
        }
        int pad = padding == Padding.SAME ? (k - 1) / 2 : 0;
        long cols = (long) n * (h + 2 * pad - k + 1) * (w + 2 * pad - k + 1) * k * k * cin;
        if (cols > Integer.MAX_VALUE) { // kernels index within an entry in int (kernels/ops.cl)
            throw new IllegalArgumentException("convolution too large: im2col matrix of " + cols + " elements");
        }
    }

    /** Zeros added on each side: 0 (VALID) or {@code (k − 1)/2} (SAME). */
    public int pad() {
        return padding == Padding.SAME ? (k - 1) / 2 : 0;
    }

    /** Output height {@code h + 2·pad − k + 1}. */
    public int outH() {
        return h + 2 * pad() - k + 1;
    }

    /** Output width {@code w + 2·pad − k + 1}. */
    public int outW() {
        return w + 2 * pad() - k + 1;
    }

    /** Length of one im2col row (= rows of the weight matrix): {@code k·k·cin}. */
    public int patch() {
        return k * k * cin;
    }

    /** Rows of the im2col matrix (= output pixels of all samples): {@code n·outH·outW}. */
    public int outPixels() {
        return n * outH() * outW();
    }

    /** Elements of one entry's input tensor: {@code n·h·w·cin}. */
    public long inputSize() {
        return (long) n * h * w * cin;
    }

    /** Elements of one entry's im2col matrix: {@code n·outH·outW·k·k·cin}. */
    public long colsSize() {
        return (long) outPixels() * patch();
    }
}
