package org.gdchaos.backend;

/**
 * Shape of a 2×2, stride-2 pooling over one trajectory's {@code n} samples in NHWC layout
 * (see {@link ConvShape}): output pixel (s, oy, ox, c) summarises the window of input rows
 * {@code 2oy, 2oy+1} and columns {@code 2ox, 2ox+1} of channel c. Output
 * {@code outH = ⌊h/2⌋, outW = ⌊w/2⌋}: for odd h (w) the last input row (column) belongs to no
 * window; the forward pass ignores it and the backward pass gives it gradient 0 (the "floor" /
 * "valid" convention of PyTorch's and Keras' default pooling).
 *
 * <p>Window order is row-major: (2oy, 2ox), (2oy, 2ox+1), (2oy+1, 2ox), (2oy+1, 2ox+1).
 *
 * @param op AVG or MAX
 * @param n  samples per trajectory
 * @param h  input height (≥ 2)
 * @param w  input width (≥ 2)
 * @param c  channels
 */
public record PoolShape(Pooling op, int n, int h, int w, int c) {

    /** Pooling operation; the codes are shared with the device kernels ({@code kernels/}). */
    public enum Pooling {
        /** Mean of the window: {@code ((x00 + x01) + x10 + x11)·¼}. */
        AVG(0),
        /** The first maximum of the window in row-major order. */
        MAX(1);

        private final int code;

        Pooling(int code) {
            this.code = code;
        }

        /** Code passed to device kernels. */
        public int code() {
            return code;
        }
    }

    public PoolShape {
        if (op == null) throw new NullPointerException("op");
        if (n < 1 || c < 1) throw new IllegalArgumentException("pooling sizes must be positive: n=" + n + " c=" + c);
        if (h < 2 || w < 2) {
            throw new IllegalArgumentException("2×2 pooling needs an input of at least 2×2, got " + h + "×" + w);
        }
        if ((long) n * h * w * c > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pooling input too large: " + ((long) n * h * w * c) + " elements");
        }
    }

    /** Output height ⌊h/2⌋. */
    public int outH() {
        return h / 2;
    }

    /** Output width ⌊w/2⌋. */
    public int outW() {
        return w / 2;
    }

    /** Elements of one entry's input: {@code n·h·w·c}. */
    public long inputSize() {
        return (long) n * h * w * c;
    }

    /** Elements of one entry's output: {@code n·⌊h/2⌋·⌊w/2⌋·c}. */
    public long outputSize() {
        return (long) n * outH() * outW() * c;
    }
}
