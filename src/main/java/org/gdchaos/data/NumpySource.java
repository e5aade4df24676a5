package org.gdchaos.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Samples in NumPy arrays: {@code npy:X.npy,y.npy[:classes=K,layout=nchw]} (two {@code .npy} files, each raw or
 * gzip-compressed) or {@code npz:FILE[:x=KEY,y=KEY,classes=K,layout=nchw]} (two members of an {@code .npz}
 * archive, stored or deflated; keys default to {@code x}/{@code X}/{@code arr_0} and {@code y}/{@code Y}/
 * {@code arr_1}). Read by {@link NpyReader}: never unpickled, only the samples used are read.
 * <ul>
 *   <li>X of shape (N,) or (N, F) is N flat samples; (N, H, W) is N images H×W×1; (N, H, W, C) is N images with
 *       C channels last. A channels-first array (N, C, H, W) is named with {@code layout=nchw} and transposed to
 *       channels last as it loads (without it, the array is read as (N, H, W, C)).</li>
 *   <li>y of an integer or bool dtype, shape (N,) or (N, 1), is class labels 0…K−1 (classification; K from
 *       {@code classes=K}, else one more than the largest label read); a float y, shape (N,) or (N, K), is
 *       regression targets (K outputs).</li>
 *   <li>X of dtype uint8 counts as image bytes: scaled by 1/255 unless {@code --normalize} says otherwise.</li>
 * </ul>
 */
final class NumpySource extends PoolSource {

    private final String spec;
    private final Path x;
    private final Path y;
    private final Path archive;
    private final String xKey;
    private final String yKey;
    private final Integer classes;
    private final boolean nchw;

    private NumpySource(String spec, Path x, Path y, Path archive, String xKey, String yKey, Integer classes,
                        boolean nchw) {
        this.spec = spec;
        this.x = x;
        this.y = y;
        this.archive = archive;
        this.xKey = xKey;
        this.yKey = yKey;
        this.classes = classes;
        this.nchw = nchw;
    }

    /** {@code npy:X,y}. */
    static NumpySource npy(String spec, Path x, Path y, Integer classes, boolean nchw) {
        return new NumpySource(spec, x, y, null, null, null, classes, nchw);
    }

    /** {@code npz:FILE}; null keys: the defaults. */
    static NumpySource npz(String spec, Path archive, String xKey, String yKey, Integer classes, boolean nchw) {
        return new NumpySource(spec, null, null, archive, xKey, yKey, classes, nchw);
    }

    @Override
    public String spec() {
        return spec;
    }

    /** The two arrays' inputs and headers, opened (an npz archive stays open until closed). */
    private final class Arrays implements AutoCloseable {
        final ZipFile zip;
        final NpyReader.Input xIn;
        final NpyReader.Input yIn;
        final NpyReader.Header xh;
        final NpyReader.Header yh;

        Arrays() {
            if (archive == null) {
                zip = null;
                xIn = NpyReader.file(x);
                yIn = NpyReader.file(y);
            } else {
                if (!Files.exists(archive)) throw new DataException("file not found: " + archive);
                if (!Files.isRegularFile(archive)) throw new DataException("not a regular file: " + archive);
                try {
                    zip = new ZipFile(archive.toFile());
                } catch (ZipException e) {
                    throw new DataException(archive + ": not a zip archive (.npz), or a corrupt one ("
                            + e.getMessage() + ")", e);
                } catch (IOException e) {
                    throw NpyReader.wrap(archive.toString(), e);
                }
                try {
                    xIn = NpyReader.member(zip, archive.toString(), key(xKey, "x", "X", "arr_0"));
                    yIn = NpyReader.member(zip, archive.toString(), key(yKey, "y", "Y", "arr_1"));
                } catch (RuntimeException e) {
                    close();
                    throw e;
                }
            }
            try {
                xh = NpyReader.header(xIn);
                yh = NpyReader.header(yIn);
                check();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private String key(String given, String... defaults) {
            if (given != null) return given;
            for (String d : defaults) {
                if (zip.getEntry(d + ".npy") != null) return d;
            }
            throw new DataException(archive + ": none of the arrays " + String.join(", ", defaults) + " is in the"
                    + " archive (it holds " + String.join(", ", NpyReader.members(zip)) + "); name them with "
                    + "npz:" + archive + ":x=KEY,y=KEY");
        }

        private void check() {
            if (xh.shape().length == 0 || xh.shape().length > 4) {
                throw new DataException(xh.source() + ": X has shape " + xh.shapeText() + "; expected (N,), (N, F),"
                        + " (N, H, W) or (N, H, W, C)");
            }
            for (long d : xh.shape()) {
                if (d > Integer.MAX_VALUE - 8) {
                    throw new DataException(xh.source() + ": dimension " + d + " of " + xh.shapeText() + " is too large");
                }
            }
            if (xh.rows() == 0 || xh.rowElements() == 0) {
                throw new DataException(xh.source() + ": X of shape " + xh.shapeText() + " holds no samples");
            }
            if (yh.shape().length == 0 || yh.shape().length > 2 || yh.rowElements() == 0) {
                throw new DataException(yh.source() + ": y has shape " + yh.shapeText() + "; expected (N,) or (N, K)");
            }
            if (yh.rows() != xh.rows()) {
                throw new DataException("mismatched lengths: " + xh.source() + " has " + xh.rows() + " samples but "
                        + yh.source() + " has " + yh.rows());
            }
            if (yh.integral() && yh.rowElements() != 1) {
                throw new DataException(yh.source() + ": integer y of shape " + yh.shapeText() + ": class labels are"
                        + " one per sample, (N,) or (N, 1); for regression targets save a float array");
            }
            if (nchw && xh.shape().length != 4) {
                throw new DataException(xh.source() + ": layout=nchw needs X of shape (N, C, H, W), got "
                        + xh.shapeText());
            }
        }

        @Override
        public void close() {
            if (zip != null) {
                try {
                    zip.close();
                } catch (IOException e) {
                    // read-only: nothing to lose
                }
            }
        }
    }

    private static Shape shapeOf(long[] s, boolean nchw) {
        return switch (s.length) {
            case 1 -> Shape.flat(1);
            case 2 -> Shape.flat((int) s[1]);
            case 3 -> new Shape((int) s[1], (int) s[2], 1);
            default -> nchw ? new Shape((int) s[2], (int) s[3], (int) s[1]) : new Shape((int) s[1], (int) s[2], (int) s[3]);
        };
    }

    @Override
    public Shape sampleShape() {
        try (Arrays a = new Arrays()) {
            return shapeOf(a.xh.shape(), nchw);
        }
    }

    /** Whether X holds unsigned bytes (image pixels, scaled by 1/255 by default). */
    @Override
    public boolean bytePixels() {
        try (Arrays a = new Arrays()) {
            return a.xh.kind() == 'u' && a.xh.itemSize() == 1;
        }
    }

    @Override
    int size() {
        try (Arrays a = new Arrays()) {
            return (int) Math.min(Integer.MAX_VALUE - 8, a.xh.rows());
        }
    }

    @Override
    Dataset read(int count, String name, int minClasses) {
        try (Arrays a = new Arrays()) {
            int n = count <= 0 ? (int) Math.min(Integer.MAX_VALUE - 8, a.xh.rows()) : count;
            Shape shape = shapeOf(a.xh.shape(), nchw);
            int f = shape.size();
            NpyReader.checkFits(a.xh.source(), (long) n * f * 2 + (long) n * a.yh.rowElements());
            double[] xs = NpyReader.readRows(a.xIn, a.xh, n);
            PoolSource.checkFinite(xs, f, a.xh.source(), "feature");
            if (nchw) xs = toChannelsLast(xs, n, shape);
            if (a.xh.kind() == 'u' && a.xh.itemSize() == 1) {
                for (int i = 0; i < xs.length; i++) xs[i] /= 255.0;
            }
            double[] ys = NpyReader.readRows(a.yIn, a.yh, n);
            if (a.yh.integral()) {
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    double v = ys[i];
                    labels[i] = v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
                }
                int k = classes(labels, classes, minClasses, a.yh.source(), "sample");
                NpyReader.checkFits(a.yh.source(), (long) n * k);
                return Dataset.classification(name, xs, labels, f, k).withShape(shape);
            }
            if (classes != null) {
                throw new DataException(a.yh.source() + ": classes=" + classes + " given but y holds floats ("
                        + a.yh.dtype() + "), which are regression targets; save the labels as integers");
            }
            PoolSource.checkFinite(ys, (int) a.yh.rowElements(), a.yh.source(), "target");
            return Dataset.regression(name, xs, ys, n, f, (int) a.yh.rowElements()).withShape(shape);
        }
    }

    /** (N, C, H, W) → (N, H, W, C). */
    static double[] toChannelsLast(double[] v, int n, Shape s) {
        double[] out = new double[v.length];
        int hw = s.h() * s.w();
        int per = hw * s.c();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < s.c(); c++) {
                for (int p = 0; p < hw; p++) out[i * per + p * s.c() + c] = v[i * per + c * hw + p];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return spec;
    }
}
