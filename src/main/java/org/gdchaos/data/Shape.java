package org.gdchaos.data;

/**
 * Shape of one sample's tensor, height × width × channels, stored NHWC (channels last): element
 * (y, x, c) at {@code (y·w + x)·c_count + c}. A flat feature vector of F values is 1×1×F; an
 * MNIST image is 28×28×1 (its 784 pixels row by row, as the IDX files store them).
 */
public record Shape(int h, int w, int c) {
    public Shape {
        if (h < 1 || w < 1 || c < 1) throw new IllegalArgumentException("shape sizes must be positive: " + h + "x" + w + "x" + c);
        if ((long) h * w * c > Integer.MAX_VALUE) throw new IllegalArgumentException("shape too large: " + h + "x" + w + "x" + c);
    }

    /** A flat vector of {@code features} values (1×1×features). */
    public static Shape flat(int features) {
        return new Shape(1, 1, features);
    }

    /** Values per sample, h·w·c. */
    public int size() {
        return h * w * c;
    }

    /** Whether this is a flat vector (1×1×c). */
    public boolean isFlat() {
        return h == 1 && w == 1;
    }

    /** {@code HxWxC}, the form {@code --arch input:…} takes. */
    @Override
    public String toString() {
        return h + "x" + w + "x" + c;
    }
}
