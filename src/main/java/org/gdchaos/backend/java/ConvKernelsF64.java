package org.gdchaos.backend.java;

import java.util.Arrays;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.PoolShape;

/**
 * Convolution and pooling kernels on heap arrays, one image row per call so that
 * {@link JavaBackend} can spread (entry × sample × row) units over its threads. Formulas: see
 * {@link org.gdchaos.backend.Backend#im2col} and the pooling methods next to it.
 *
 * <p>No Vector API here: im2col copies runs of {@code cin} contiguous elements
 * ({@link System#arraycopy}, already an intrinsic), col2im adds such runs, and 2×2 pooling reads
 * four values per output; all of it is memory-bound and small next to the GEMM that follows, which
 * is where the floating-point work (and the Vector API) is. Averages are {@code ((a + b) + c + d)/4}
 * in the element type (division by 4 is exact), max pooling selects the first maximum in row-major
 * window order with a strict {@code >} (as the reference and the device kernels do).
 *
 * <p><b>Template.</b> Its single-precision twin is generated at build time (by
 * {@code src/build/java/org/gdchaos/build/PrecisionTwins.java}).
 */
final class ConvKernelsF64 {
    private ConvKernelsF64() {
    }

    /** im2col of output row (smp, oy): the {@code outW} im2col rows starting at row {@code (smp·outH + oy)·outW}. */
    static void im2colRow(double[] x, int xo, double[] cols, int co, ConvShape s, int smp, int oy) {
        int k = s.k(), cin = s.cin(), pad = s.pad(), w = s.w(), p = s.patch();
        int row = (smp * s.outH() + oy) * s.outW();
        for (int ox = 0; ox < s.outW(); ox++) {
            int dst = co + (row + ox) * p;
            for (int ky = 0; ky < k; ky++) {
                int iy = oy + ky - pad;
                if (iy < 0 || iy >= s.h()) {
                    Arrays.fill(cols, dst, dst + k * cin, 0);
                    dst += k * cin;
                    continue;
                }
                int src = xo + (smp * s.h() + iy) * w * cin;
                if (ox - pad >= 0 && ox - pad + k <= w) { // the whole kernel row is inside: one run of k·cin
                    System.arraycopy(x, src + (ox - pad) * cin, cols, dst, k * cin);
                    dst += k * cin;
                    continue;
                }
                for (int kx = 0; kx < k; kx++, dst += cin) {
                    int ix = ox + kx - pad;
                    if (ix < 0 || ix >= w) Arrays.fill(cols, dst, dst + cin, 0);
                    else System.arraycopy(x, src + ix * cin, cols, dst, cin);
                }
            }
        }
    }

    /**
     * col2im of one sample: {@code dx[(smp, iy, ix, c)] += cols[…]} for every output pixel (oy, ox) in
     * row-major order and every kernel row ky, as one run of up to {@code k·cin} contiguous elements
     * (the kernel row's part inside the input) — cols is read once, in order, and the adds vectorise.
     * A sample's input is written by this call only, so samples can run in parallel.
     */
    static void col2imSample(double[] cols, int co, double[] dx, int xo, ConvShape s, int smp) {
        int k = s.k(), cin = s.cin(), pad = s.pad(), p = s.patch(), w = s.w(), h = s.h();
        int outH = s.outH(), outW = s.outW();
        int base = xo + smp * h * w * cin;
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int src = co + ((smp * outH + oy) * outW + ox) * p;
                int ix0 = ox - pad, kxLo = Math.max(0, -ix0), kxHi = Math.min(k, w - ix0);
                if (kxHi <= kxLo) continue;
                int len = (kxHi - kxLo) * cin;
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy + ky - pad;
                    if (iy < 0 || iy >= h) continue;
                    int d = base + (iy * w + ix0 + kxLo) * cin, c0 = src + (ky * k + kxLo) * cin;
                    for (int t = 0; t < len; t++) dx[d + t] += cols[c0 + t];
                }
            }
        }
    }

    /** Position (0..3, row-major) of the first maximum of x's window at a, a + c, a + w·c, a + w·c + c. */
    private static int firstMax(double[] x, int a, int right, int down) {
        int best = 0;
        double v = x[a];
        if (x[a + right] > v) {
            best = 1;
            v = x[a + right];
        }
        if (x[a + down] > v) {
            best = 2;
            v = x[a + down];
        }
        if (x[a + down + right] > v) best = 3;
        return best;
    }

    /** Offset of window position {@code pos} (0..3) from the window's first element. */
    private static int at(int pos, int right, int down) {
        return (pos >> 1) * down + (pos & 1) * right;
    }

    /**
     * Pooled output row (smp, oy). {@code sel} (x for MAX, ignored for AVG) decides the selection,
     * {@code v} gives the values: {@code pool} passes v = x, {@code poolR} passes v = rx.
     */
    static void poolRow(PoolShape s, double[] sel, int so, double[] v, int vo, double[] y, int yo, int smp, int oy) {
        int c = s.c(), right = c, down = s.w() * c;
        boolean max = s.op() == PoolShape.Pooling.MAX;
        int in = (smp * s.h() + 2 * oy) * down;
        int out = yo + (smp * s.outH() + oy) * s.outW() * c;
        if (max && sel == v && so == vo) { // forward max: only the value of the first maximum is needed
            for (int ox = 0; ox < s.outW(); ox++) {
                int q = vo + in + 2 * ox * c, o = out + ox * c;
                for (int ch = 0; ch < c; ch++, q++) {
                    // Math.max is branch-free; it can differ from the first maximum only when the
                    // result is NaN or ±0, and then the exact rule decides
                    double m = Math.max(Math.max(v[q], v[q + right]), Math.max(v[q + down], v[q + down + right]));
                    if (m == 0 || m != m) m = v[q + at(firstMax(v, q, right, down), right, down)];
                    y[o + ch] = m;
                }
            }
            return;
        }
        for (int ox = 0; ox < s.outW(); ox++) {
            int base = in + 2 * ox * c;
            for (int ch = 0; ch < c; ch++) {
                int a = base + ch;
                if (max) {
                    y[out + ox * c + ch] = v[vo + a + at(firstMax(sel, so + a, right, down), right, down)];
                } else {
                    int q = vo + a;
                    y[out + ox * c + ch] = (v[q] + v[q + right] + v[q + down] + v[q + down + right]) / 4;
                }
            }
        }
    }

    /**
     * Pooling backward for the input rows of output row (smp, oy): rows 2oy and 2oy+1, plus the
     * unpooled last row when h is odd and oy is the last output row. Overwrites them.
     */
    static void poolBackwardRows(PoolShape s, double[] x, int xo, double[] dy, int go, double[] dx, int dxo,
                                 int smp, int oy) {
        int c = s.c(), right = c, down = s.w() * c;
        boolean max = s.op() == PoolShape.Pooling.MAX;
        int in = (smp * s.h() + 2 * oy) * down;
        Arrays.fill(dx, dxo + in, dxo + in + 2 * down, 0);
        if (oy == s.outH() - 1 && s.h() % 2 == 1) Arrays.fill(dx, dxo + in + 2 * down, dxo + in + 3 * down, 0);
        int g = go + (smp * s.outH() + oy) * s.outW() * c;
        for (int ox = 0; ox < s.outW(); ox++) {
            int base = in + 2 * ox * c;
            for (int ch = 0; ch < c; ch++) {
                int a = base + ch;
                double grad = dy[g + ox * c + ch];
                if (max) {
                    dx[dxo + a + at(firstMax(x, xo + a, right, down), right, down)] = grad;
                } else {
                    double quarter = grad / 4;
                    int q = dxo + a;
                    dx[q] = quarter;
                    dx[q + right] = quarter;
                    dx[q + down] = quarter;
                    dx[q + down + right] = quarter;
                }
            }
        }
    }
}
