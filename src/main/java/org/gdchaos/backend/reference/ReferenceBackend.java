package org.gdchaos.backend.reference;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.Checks;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;

/**
 * The obviously-correct reference implementation of {@link Backend}: single-threaded loops written
 * straight from the Javadoc formulas, every intermediate in {@code double}, storage a
 * {@code double[]} per buffer. F32 buffers round each stored value to float, so results are the
 * correctly rounded value of a double computation — what a float backend should approach.
 *
 * <p>Readability over speed: no blocking, no vectorisation, no threads. It is the oracle of the
 * conformance suite ({@code org.gdchaos.backend.conformance}) and is deliberately not registered
 * with {@link java.util.ServiceLoader}. Every call's operands are checked by {@link Checks}, as on
 * every backend.
 */
public final class ReferenceBackend implements Backend {
    private boolean closed;

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String device() {
        return "host, plain double loops (conformance oracle)";
    }

    @Override
    public boolean supports(DType dtype) {
        return true;
    }

    @Override
    public long memoryBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Buffer allocate(DType dtype, long length) {
        ensureOpen();
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("reference buffers hold 0.." + (Integer.MAX_VALUE - 8)
                    + " elements, asked for " + length);
        }
        return new ReferenceBuffer(this, dtype, (int) length);
    }

    @Override
    public void upload(double[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        ReferenceBuffer d = mine(dst);
        Checks.range(srcOffset, n, src.length, "upload src array");
        Checks.range(dstOffset, n, d.length(), "upload dst");
        for (int i = 0; i < n; i++) d.set(dstOffset + i, src[srcOffset + i]);
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int n) {
        ReferenceBuffer s = mine(src);
        Checks.range(srcOffset, n, s.length(), "download src");
        Checks.range(dstOffset, n, dst.length, "download dst array");
        for (int i = 0; i < n; i++) dst[dstOffset + i] = s.get(srcOffset + i);
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        ReferenceBuffer s = mine(src);
        ReferenceBuffer d = mine(dst);
        Checks.copy(s, srcOffset, d, dstOffset, n);
        double[] tmp = new double[Math.toIntExact(n)]; // read everything first: ranges may overlap
        for (int i = 0; i < n; i++) tmp[i] = s.get(srcOffset + i);
        for (int i = 0; i < n; i++) d.set(dstOffset + i, tmp[i]);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, double value) {
        ReferenceBuffer d = mine(dst);
        Checks.range(offset, n, d.length(), "fill");
        for (long i = 0; i < n; i++) d.set(offset + i, value);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * {@code C[b][i][j] = alpha·Σ_p opA(i,p)·opB(p,j) + beta·C[b][i][j]} with
     * {@code opA(i,p) = transA ? A[p·m + i] : A[i·k + p]} and
     * {@code opB(p,j) = transB ? B[j·k + p] : B[p·n + j]}; the beta term is dropped when beta = 0.
     */
    @Override
    public void gemm(GemmShape s, View a, View b, View c) {
        ensureOpen();
        Checks.gemm(this, s, a, b, c);
        ReferenceBuffer ab = mine(a.buffer()), bb = mine(b.buffer()), cb = mine(c.buffer());
        int m = s.m(), n = s.n(), k = s.k();
        for (int e = 0; e < s.batch(); e++) {
            long a0 = a.at(e), b0 = b.at(e), c0 = c.at(e);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double aip = ab.get(a0 + (s.transA() ? (long) p * m + i : (long) i * k + p));
                        double bpj = bb.get(b0 + (s.transB() ? (long) j * k + p : (long) p * n + j));
                        sum += aip * bpj;
                    }
                    long ci = c0 + (long) i * n + j;
                    double value = s.alpha() * sum;
                    if (s.beta() != 0) value += s.beta() * cb.get(ci);
                    cb.set(ci, value);
                }
            }
        }
    }

    // ---------------------------------------------------------------- element-wise

    /** {@code z[b][i][j] = f(z[b][i][j] + bias[b][j])}, bias = 0 when the view is null. */
    @Override
    public void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias) {
        ensureOpen();
        Checks.biasActivation(this, f, batch, rows, cols, z, bias);
        ReferenceBuffer zb = mine(z.buffer());
        ReferenceBuffer bb = bias == null ? null : mine(bias.buffer());
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    long zi = z.at(e) + (long) i * cols + j;
                    double beta = bb == null ? 0.0 : bb.get(bias.at(e) + j);
                    zb.set(zi, f.apply(zb.get(zi) + beta));
                }
            }
        }
    }

    /** {@code delta *= f'(h)}, f' from the stored output. */
    @Override
    public void activationBackward(Activation f, int batch, int rows, int cols, View h, View delta) {
        ensureOpen();
        Checks.activationBackward(this, f, batch, rows, cols, h, delta);
        long span = (long) rows * cols;
        ReferenceBuffer hb = mine(h.buffer()), db = mine(delta.buffer());
        for (int e = 0; e < batch; e++) {
            for (long q = 0; q < span; q++) {
                long di = delta.at(e) + q;
                db.set(di, db.get(di) * f.derivativeFromOutput(hb.get(h.at(e) + q)));
            }
        }
    }

    /** {@code rdelta = rdelta·f'(h) + e·f''(h)·rz}. */
    @Override
    public void activationBackwardR(Activation f, int batch, int rows, int cols, View h, View e, View rz,
                                    View rdelta) {
        ensureOpen();
        Checks.activationBackwardR(this, f, batch, rows, cols, h, e, rz, rdelta);
        long span = (long) rows * cols;
        ReferenceBuffer hb = mine(h.buffer()), eb = mine(e.buffer()), rzb = mine(rz.buffer());
        ReferenceBuffer rb = mine(rdelta.buffer());
        for (int t = 0; t < batch; t++) {
            for (long q = 0; q < span; q++) {
                double hv = hb.get(h.at(t) + q);
                long ri = rdelta.at(t) + q;
                double value = rb.get(ri) * f.derivativeFromOutput(hv)
                        + eb.get(e.at(t) + q) * f.secondDerivativeFromOutput(hv) * rzb.get(rz.at(t) + q);
                rb.set(ri, value);
            }
        }
    }

    /**
     * Per row: CE with {@code lse = max z + log Σ exp(z − max z)}, {@code ℓ = −Σ y_j (z_j − lse)},
     * {@code g_j = softmax(z)_j·Σ y − y_j}; MSE with {@code ℓ = ½Σ(z − y)²}, {@code g = z − y}.
     * Each gradient row is computed completely before it is stored, so grad may alias z.
     */
    @Override
    public void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale,
                             View grad, View lossSum) {
        ensureOpen();
        Checks.lossGradient(this, loss, batch, rows, cols, z, y, grad, lossSum);
        ReferenceBuffer zb = mine(z.buffer()), yb = mine(y.buffer()), gb = mine(grad.buffer());
        ReferenceBuffer lb = mine(lossSum.buffer());
        double[] zr = new double[cols], yr = new double[cols], gr = new double[cols];
        for (int e = 0; e < batch; e++) {
            double total = 0;
            for (int i = 0; i < rows; i++) {
                long row = (long) i * cols;
                for (int j = 0; j < cols; j++) {
                    zr[j] = zb.get(z.at(e) + row + j);
                    yr[j] = yb.get(y.at(e) + row + j);
                }
                total += loss == Loss.MSE ? mseRow(zr, yr, gr) : crossEntropyRow(zr, yr, gr);
                for (int j = 0; j < cols; j++) gb.set(grad.at(e) + row + j, scale * gr[j]);
            }
            lb.set(lossSum.at(e), lb.get(lossSum.at(e)) + scale * total);
        }
    }

    /** Returns ½Σ(z−y)² and stores z − y in g. */
    private static double mseRow(double[] z, double[] y, double[] g) {
        double l = 0;
        for (int j = 0; j < z.length; j++) {
            g[j] = z[j] - y[j];
            l += 0.5 * g[j] * g[j];
        }
        return l;
    }

    /** Returns −Σ y_j log softmax(z)_j and stores softmax(z)·Σy − y in g. */
    private static double crossEntropyRow(double[] z, double[] y, double[] g) {
        double[] p = softmax(z);
        double lse = logSumExp(z);
        double l = 0, ySum = 0;
        for (int j = 0; j < z.length; j++) {
            l -= y[j] * (z[j] - lse);
            ySum += y[j];
        }
        for (int j = 0; j < z.length; j++) g[j] = p[j] * ySum - y[j];
        return l;
    }

    private static double logSumExp(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double s = 0;
        for (double v : z) s += Math.exp(v - max);
        return max + Math.log(s);
    }

    private static double[] softmax(double[] z) {
        double lse = logSumExp(z);
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) p[j] = Math.exp(z[j] - lse);
        return p;
    }

    /** MSE: {@code hv = scale·v}; CE: {@code hv = scale·Σy·(p⊙v − p·(p·v))}. hv may alias v. */
    @Override
    public void lossHessianVector(Loss loss, int batch, int rows, int cols, View z, View y, View v,
                                  double scale, View hv) {
        ensureOpen();
        Checks.lossHessianVector(this, loss, batch, rows, cols, z, y, v, hv);
        ReferenceBuffer zb = mine(z.buffer()), yb = mine(y.buffer()), vb = mine(v.buffer());
        ReferenceBuffer hb = mine(hv.buffer());
        double[] zr = new double[cols], vr = new double[cols], out = new double[cols];
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < rows; i++) {
                long row = (long) i * cols;
                double ySum = 0;
                for (int j = 0; j < cols; j++) {
                    zr[j] = zb.get(z.at(e) + row + j);
                    vr[j] = vb.get(v.at(e) + row + j);
                    ySum += yb.get(y.at(e) + row + j);
                }
                if (loss == Loss.MSE) {
                    for (int j = 0; j < cols; j++) out[j] = scale * vr[j];
                } else {
                    double[] p = softmax(zr);
                    double pv = 0;
                    for (int j = 0; j < cols; j++) pv += p[j] * vr[j];
                    for (int j = 0; j < cols; j++) out[j] = scale * ySum * (p[j] * vr[j] - p[j] * pv);
                }
                for (int j = 0; j < cols; j++) hb.set(hv.at(e) + row + j, out[j]);
            }
        }
    }

    /** {@code correct[b] += #{i : argmax z[b][i] = argmax y[i]}}, first maximum wins. */
    @Override
    public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
        ensureOpen();
        Checks.countCorrect(this, batch, rows, cols, z, y, correct);
        ReferenceBuffer zb = mine(z.buffer()), yb = mine(y.buffer()), cb = mine(correct.buffer());
        for (int e = 0; e < batch; e++) {
            int count = 0;
            for (int i = 0; i < rows; i++) {
                long row = (long) i * cols;
                if (argmax(zb, z.at(e) + row, cols) == argmax(yb, y.at(e) + row, cols)) count++;
            }
            cb.set(correct.at(e), cb.get(correct.at(e)) + count);
        }
    }

    /** Index of the first maximum of {@code cols} elements starting at {@code start}. */
    private static int argmax(ReferenceBuffer buf, long start, int cols) {
        int best = 0;
        for (int j = 1; j < cols; j++) {
            if (buf.get(start + j) > buf.get(start + best)) best = j;
        }
        return best;
    }

    /** {@code out[b][j] = alpha·Σ_i x[b][i][j] + beta·out[b][j]}, beta term dropped when beta = 0. */
    @Override
    public void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out) {
        ensureOpen();
        Checks.columnSums(this, batch, rows, cols, x, out);
        ReferenceBuffer xb = mine(x.buffer()), ob = mine(out.buffer());
        for (int e = 0; e < batch; e++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int i = 0; i < rows; i++) sum += xb.get(x.at(e) + (long) i * cols + j);
                long oi = out.at(e) + j;
                double value = alpha * sum;
                if (beta != 0) value += beta * ob.get(oi);
                ob.set(oi, value);
            }
        }
    }

    // ---------------------------------------------------------------- convolution and pooling

    /** {@code cols[b][r·P + (ky·k + kx)·cin + c] = x[b][((s·h + iy)·w + ix)·cin + c]}, 0 outside. */
    @Override
    public void im2col(ConvShape s, int batch, View x, View cols) {
        ensureOpen();
        Checks.im2col(this, s, batch, x, cols);
        ReferenceBuffer xb = mine(x.buffer()), cb = mine(cols.buffer());
        int p = s.patch(), pad = s.pad();
        for (int e = 0; e < batch; e++) {
            for (int smp = 0; smp < s.n(); smp++) {
                for (int oy = 0; oy < s.outH(); oy++) {
                    for (int ox = 0; ox < s.outW(); ox++) {
                        long r = ((long) smp * s.outH() + oy) * s.outW() + ox;
                        for (int ky = 0; ky < s.k(); ky++) {
                            for (int kx = 0; kx < s.k(); kx++) {
                                int iy = oy + ky - pad, ix = ox + kx - pad;
                                boolean inside = iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w();
                                for (int c = 0; c < s.cin(); c++) {
                                    double v = inside ? xb.get(x.at(e) + inputIndex(s, smp, iy, ix, c)) : 0.0;
                                    cb.set(cols.at(e) + r * p + ((long) ky * s.k() + kx) * s.cin() + c, v);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code dx[b][(s, iy, ix, c)] += Σ_{ky,kx} cols[b][r(s, iy + pad − ky, ix + pad − kx)][(ky, kx, c)]}. */
    @Override
    public void col2im(ConvShape s, int batch, View cols, View dx) {
        ensureOpen();
        Checks.col2im(this, s, batch, cols, dx);
        ReferenceBuffer cb = mine(cols.buffer()), db = mine(dx.buffer());
        int p = s.patch(), pad = s.pad();
        for (int e = 0; e < batch; e++) {
            for (int smp = 0; smp < s.n(); smp++) {
                for (int iy = 0; iy < s.h(); iy++) {
                    for (int ix = 0; ix < s.w(); ix++) {
                        for (int c = 0; c < s.cin(); c++) {
                            double sum = 0;
                            for (int ky = 0; ky < s.k(); ky++) {
                                for (int kx = 0; kx < s.k(); kx++) {
                                    int oy = iy + pad - ky, ox = ix + pad - kx;
                                    if (oy < 0 || oy >= s.outH() || ox < 0 || ox >= s.outW()) continue;
                                    long r = ((long) smp * s.outH() + oy) * s.outW() + ox;
                                    sum += cb.get(cols.at(e) + r * p + ((long) ky * s.k() + kx) * s.cin() + c);
                                }
                            }
                            long di = dx.at(e) + inputIndex(s, smp, iy, ix, c);
                            db.set(di, db.get(di) + sum);
                        }
                    }
                }
            }
        }
    }

    private static long inputIndex(ConvShape s, int smp, int iy, int ix, int c) {
        return (((long) smp * s.h() + iy) * s.w() + ix) * s.cin() + c;
    }

    /** AVG: {@code ((x00 + x01) + x10 + x11)·¼}; MAX: x at the first maximum of the window. */
    @Override
    public void pool(PoolShape s, int batch, View x, View y) {
        ensureOpen();
        Checks.pool(this, s, batch, x, y);
        ReferenceBuffer xb = mine(x.buffer()), yb = mine(y.buffer());
        for (int e = 0; e < batch; e++) {
            for (int smp = 0; smp < s.n(); smp++) {
                for (int oy = 0; oy < s.outH(); oy++) {
                    for (int ox = 0; ox < s.outW(); ox++) {
                        for (int c = 0; c < s.c(); c++) {
                            long[] win = window(s, x.at(e), smp, oy, ox, c);
                            double v = s.op() == PoolShape.Pooling.AVG ? average(xb, win)
                                    : xb.get(win[firstMax(xb, win)]);
                            yb.set(y.at(e) + outputIndex(s, smp, oy, ox, c), v);
                        }
                    }
                }
            }
        }
    }

    /** AVG: dx = dy/4 in the window; MAX: dx = dy at the first maximum, 0 elsewhere and outside windows. */
    @Override
    public void poolBackward(PoolShape s, int batch, View x, View dy, View dx) {
        ensureOpen();
        Checks.poolBackward(this, s, batch, x, dy, dx);
        boolean max = s.op() == PoolShape.Pooling.MAX;
        ReferenceBuffer xb = max ? mine(x.buffer()) : null, gb = mine(dy.buffer()), db = mine(dx.buffer());
        for (int e = 0; e < batch; e++) {
            for (long q = 0; q < s.inputSize(); q++) db.set(dx.at(e) + q, 0.0);
            for (int smp = 0; smp < s.n(); smp++) {
                for (int oy = 0; oy < s.outH(); oy++) {
                    for (int ox = 0; ox < s.outW(); ox++) {
                        for (int c = 0; c < s.c(); c++) {
                            double g = gb.get(dy.at(e) + outputIndex(s, smp, oy, ox, c));
                            long[] dwin = window(s, dx.at(e), smp, oy, ox, c);
                            if (max) {
                                int best = firstMax(xb, window(s, x.at(e), smp, oy, ox, c));
                                db.set(dwin[best], g);
                            } else {
                                for (long d : dwin) db.set(d, g * 0.25);
                            }
                        }
                    }
                }
            }
        }
    }

    /** AVG: {@code ry = pool_avg(rx)}; MAX: rx at the first maximum of x's window. */
    @Override
    public void poolR(PoolShape s, int batch, View x, View rx, View ry) {
        ensureOpen();
        Checks.poolR(this, s, batch, x, rx, ry);
        boolean max = s.op() == PoolShape.Pooling.MAX;
        ReferenceBuffer xb = max ? mine(x.buffer()) : null, rb = mine(rx.buffer()), yb = mine(ry.buffer());
        for (int e = 0; e < batch; e++) {
            for (int smp = 0; smp < s.n(); smp++) {
                for (int oy = 0; oy < s.outH(); oy++) {
                    for (int ox = 0; ox < s.outW(); ox++) {
                        for (int c = 0; c < s.c(); c++) {
                            long[] rwin = window(s, rx.at(e), smp, oy, ox, c);
                            double v = max ? rb.get(rwin[firstMax(xb, window(s, x.at(e), smp, oy, ox, c))])
                                    : average(rb, rwin);
                            yb.set(ry.at(e) + outputIndex(s, smp, oy, ox, c), v);
                        }
                    }
                }
            }
        }
    }

    /** Buffer indices of the 2×2 window of output pixel (smp, oy, ox), channel c, in row-major order. */
    private static long[] window(PoolShape s, long base, int smp, int oy, int ox, int c) {
        long[] w = new long[4];
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                w[2 * dy + dx] = base + (((long) smp * s.h() + 2 * oy + dy) * s.w() + 2 * ox + dx) * s.c() + c;
            }
        }
        return w;
    }

    /** Position in the window of its first maximum: a later element wins only when strictly greater. */
    private static int firstMax(ReferenceBuffer b, long[] win) {
        int best = 0;
        for (int i = 1; i < 4; i++) if (b.get(win[i]) > b.get(win[best])) best = i;
        return best;
    }

    /** {@code ((v0 + v1) + v2 + v3)·¼}, rounded to the buffer's dtype by the caller's store. */
    private static double average(ReferenceBuffer b, long[] win) {
        return (b.get(win[0]) + b.get(win[1]) + b.get(win[2]) + b.get(win[3])) * 0.25;
    }

    private static long outputIndex(PoolShape s, int smp, int oy, int ox, int c) {
        return (((long) smp * s.outH() + oy) * s.outW() + ox) * s.c() + c;
    }

    // ---------------------------------------------------------------- per-trajectory vectors

    /** {@code w[b][k] -= lr[b]·g[b][k]}; an entry with lr[b] = 0 is not touched at all. */
    @Override
    public void update(int batch, long n, View w, View g, View lr) {
        ensureOpen();
        Checks.update(this, batch, n, w, g, lr);
        ReferenceBuffer wb = mine(w.buffer()), gb = mine(g.buffer()), lb = mine(lr.buffer());
        for (int e = 0; e < batch; e++) {
            double rate = lb.get(lr.at(e));
            if (rate == 0) continue; // frozen trajectory: neither w nor g is read
            for (long q = 0; q < n; q++) {
                long wi = w.at(e) + q;
                wb.set(wi, wb.get(wi) - rate * gb.get(g.at(e) + q));
            }
        }
    }

    /**
     * The optimizer step of {@link Backend#optimizerUpdate}, in double, each stored value rounded
     * to the buffer's dtype; an entry with lr[b] = 0 is not touched at all.
     */
    @Override
    public void optimizerUpdate(Optimizer opt, long t, int batch, long n, View w, View g, View m, View s, View lr) {
        ensureOpen();
        Checks.optimizerUpdate(this, opt, t, batch, n, w, g, m, s, lr);
        boolean adam = opt.kind() == Optimizer.Kind.ADAM;
        ReferenceBuffer wb = mine(w.buffer()), gb = mine(g.buffer()), mb = mine(m.buffer()), lb = mine(lr.buffer());
        ReferenceBuffer sb = adam ? mine(s.buffer()) : null;
        double b1 = wb.round(opt.beta1()), b2 = wb.round(opt.beta2()), eps = wb.round(opt.epsilon());
        double c1 = wb.round(opt.c1(t)), c2 = wb.round(opt.c2(t));
        for (int e = 0; e < batch; e++) {
            double rate = lb.get(lr.at(e));
            if (rate == 0) continue; // frozen trajectory
            for (long q = 0; q < n; q++) {
                long wi = w.at(e) + q, mi = m.at(e) + q;
                double gv = gb.get(g.at(e) + q);
                switch (opt.kind()) {
                    case MOMENTUM -> {
                        mb.set(mi, b1 * mb.get(mi) - rate * gv);
                        wb.set(wi, wb.get(wi) + mb.get(mi));
                    }
                    case NESTEROV -> {
                        mb.set(mi, b1 * mb.get(mi) - rate * gv);
                        wb.set(wi, wb.get(wi) + (b1 * mb.get(mi) - rate * gv));
                    }
                    case ADAM -> {
                        long si = s.at(e) + q;
                        mb.set(mi, b1 * mb.get(mi) + wb.round(1 - b1) * gv);
                        sb.set(si, b2 * sb.get(si) + wb.round(1 - b2) * gv * gv);
                        wb.set(wi, wb.get(wi) - rate * (c1 * mb.get(mi)) / (Math.sqrt(c2 * sb.get(si)) + eps));
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
    }

    /**
     * Adam's tangent step of {@link Backend#adamTangent}, in double, each stored value rounded to
     * the buffer's dtype (m', s', r, d, δr kept in double); an entry with lr[b] = 0 is not touched.
     */
    @Override
    public void adamTangent(Optimizer opt, long t, int batch, long n, View dw, View dm, View ds, View hv, View g,
                            View m, View s, View lr) {
        ensureOpen();
        Checks.adamTangent(this, opt, t, batch, n, dw, dm, ds, hv, g, m, s, lr);
        ReferenceBuffer wb = mine(dw.buffer()), mb = mine(dm.buffer()), sb = mine(ds.buffer()), hb = mine(hv.buffer());
        ReferenceBuffer gb = mine(g.buffer()), rm = mine(m.buffer()), rs = mine(s.buffer()), lb = mine(lr.buffer());
        double b1 = wb.round(opt.beta1()), b2 = wb.round(opt.beta2()), eps = wb.round(opt.epsilon());
        double c1 = wb.round(opt.c1(t)), c2 = wb.round(opt.c2(t));
        double o1 = wb.round(1 - b1), o2 = wb.round(1 - b2);
        for (int e = 0; e < batch; e++) {
            double rate = lb.get(lr.at(e));
            if (rate == 0) continue; // frozen trajectory
            for (long q = 0; q < n; q++) {
                long wi = dw.at(e) + q, mi = dm.at(e) + q, si = ds.at(e) + q;
                double gv = gb.get(g.at(e) + q), dg = hb.get(hv.at(e) + q);
                double mn = b1 * rm.get(m.at(e) + q) + o1 * gv;
                double sn = b2 * rs.get(s.at(e) + q) + o2 * gv * gv;
                double r = Math.sqrt(c2 * sn), d = r + eps;
                mb.set(mi, b1 * mb.get(mi) + o1 * dg);
                sb.set(si, b2 * sb.get(si) + o2 * (2 * gv * dg));
                double dr = r > 0 ? c2 * sb.get(si) / (2 * r) : 0;
                wb.set(wi, wb.get(wi) - rate * (c1 * (mb.get(mi) - mn * dr / d)) / d);
            }
        }
    }

    /**
     * Adam's square-rooted preconditioner of {@link Backend#adamPrecondition}, in double
     * ({@code √(c2·s)}, the quotient and its root kept in double), each stored value rounded to the
     * buffer's dtype.
     */
    @Override
    public void adamPrecondition(Optimizer opt, long t, int batch, long n, View s, View x, View y) {
        ensureOpen();
        Checks.adamPrecondition(this, opt, t, batch, n, s, x, y);
        ReferenceBuffer sb = mine(s.buffer()), xb = mine(x.buffer()), yb = mine(y.buffer());
        double eps = yb.round(opt.epsilon()), c1 = yb.round(opt.c1(t)), c2 = yb.round(opt.c2(t));
        for (int e = 0; e < batch; e++) {
            for (long q = 0; q < n; q++) {
                double d = c1 / (Math.sqrt(c2 * sb.get(s.at(e) + q)) + eps);
                yb.set(y.at(e) + q, xb.get(x.at(e) + q) * Math.sqrt(d));
            }
        }
    }

    /** {@code y[b][k] = alpha[b]·x[b][k] + beta[b]·y[b][k]}. */
    @Override
    public void axpby(int batch, long n, View alpha, View x, View beta, View y) {
        ensureOpen();
        Checks.axpby(this, batch, n, alpha, x, beta, y);
        ReferenceBuffer ab = mine(alpha.buffer()), xb = mine(x.buffer());
        ReferenceBuffer bb = mine(beta.buffer()), yb = mine(y.buffer());
        for (int e = 0; e < batch; e++) {
            double a = ab.get(alpha.at(e)), b = bb.get(beta.at(e));
            for (long q = 0; q < n; q++) {
                long yi = y.at(e) + q;
                yb.set(yi, a * xb.get(x.at(e) + q) + b * yb.get(yi));
            }
        }
    }

    /** {@code y[b][k] *= s[b]}. */
    @Override
    public void scale(int batch, long n, View s, View y) {
        ensureOpen();
        Checks.scale(this, batch, n, s, y);
        ReferenceBuffer sb = mine(s.buffer()), yb = mine(y.buffer());
        for (int e = 0; e < batch; e++) {
            double factor = sb.get(s.at(e));
            for (long q = 0; q < n; q++) {
                long yi = y.at(e) + q;
                yb.set(yi, yb.get(yi) * factor);
            }
        }
    }

    /** {@code out[b] = Σ_k op.term(x[b][k], y[b][k])}, accumulated in double. */
    @Override
    public void reduce(Reduction op, int batch, long n, View x, View y, View out) {
        ensureOpen();
        Checks.reduce(this, op, batch, n, x, y, out);
        ReferenceBuffer xb = mine(x.buffer()), ob = mine(out.buffer());
        ReferenceBuffer yb = op.binary() ? mine(y.buffer()) : null;
        for (int e = 0; e < batch; e++) {
            double sum = 0;
            for (long q = 0; q < n; q++) {
                double yv = yb == null ? 0.0 : yb.get(y.at(e) + q);
                sum += op.term(xb.get(x.at(e) + q), yv);
            }
            ob.set(out.at(e), sum);
        }
    }

    /** {@code flags[b] = 1} when x[b][0..n) holds a NaN or an infinity; otherwise unchanged. */
    @Override
    public void nonFinite(int batch, long n, View x, View flags) {
        ensureOpen();
        Checks.nonFinite(this, batch, n, x, flags);
        ReferenceBuffer xb = mine(x.buffer()), fb = mine(flags.buffer());
        for (int e = 0; e < batch; e++) {
            boolean bad = false;
            for (long q = 0; q < n; q++) {
                if (!Double.isFinite(xb.get(x.at(e) + q))) bad = true;
            }
            if (bad) fb.set(flags.at(e), 1.0);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---------------------------------------------------------------- helpers

    private void ensureOpen() {
        if (closed) throw Checks.closed(this);
    }

    private ReferenceBuffer mine(Buffer buffer) {
        ensureOpen();
        return Checks.live(this, ReferenceBuffer.class, buffer, "buffer");
    }
}
