package org.gdchaos.data;


/**
 * Images read from an idx3 file: {@code count} images of {@code rows × cols} unsigned bytes,
 * row-major, image after image. {@code pixels} is shared, not copied.
 */
public record IdxImages(String source, int count, int rows, int cols, byte[] pixels) {

    public IdxImages {
        if (count <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(source + ": sizes must be positive, got "
                    + count + " × " + rows + " × " + cols);
        }
        if (pixels == null || (long) pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException(source + ": expected " + (long) count * rows * cols
                    + " pixel bytes, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** The shape of one image: rows × cols × 1 (one grey channel). */
    public Shape shape() {
        return new Shape(rows, cols, 1);
    }

    /** Pixels per image, {@code rows·cols}. */
    public int features() {
        return rows * cols;
    }

    /**
     * Images {@code [from, from + n)} as doubles, {@code x[i·features + p] = (pixel & 0xff) / 255.0},
     * so every value lies in [0, 1] (no mean/std normalisation, as the paper).
     */
    public double[] toDoubles(int from, int n) {
        if (from < 0 || n < 0 || (long) from + n > count) {
            throw new IllegalArgumentException(source + ": images [" + from + ", "
                    + ((long) from + n) + ") outside [0, " + count + ")");
        }
        int f = features();
        double[] x = new double[Math.multiplyExact(n, f)];
        long base = (long) from * f;
        for (int i = 0; i < x.length; i++) {
            x[i] = (pixels[(int) (base + i)] & 0xff) / 255.0;
        }
        return x;
    }
}
