package org.gdchaos.hessian;

import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;

/**
 * Per-trajectory vector algebra on batched views (entry t = one trajectory's vector of n
 * elements), with host traffic limited to one scalar per trajectory: norms, dot products,
 * projections (done on the device) and per-trajectory affine combinations. Used by Lanczos,
 * gradient flow and the tangent tracker.
 */
public final class BatchedVectors implements AutoCloseable {
    private final Backend backend;
    private final int capacity;
    private final long n;
    private final Buffer a;
    private final Buffer b;
    private final Buffer out;
    private final Buffer consts; // [−1, 1, 0]
    private final double[] host;

    /**
     * @param capacity largest batch
     * @param n        elements per vector
     */
    public BatchedVectors(Backend backend, DType dtype, int capacity, long n) {
        this.backend = backend;
        this.capacity = capacity;
        this.n = n;
        try (Allocations all = new Allocations()) { // a failed allocation releases the earlier ones
            a = all.add(backend.allocate(dtype, capacity));
            b = all.add(backend.allocate(dtype, capacity));
            out = all.add(backend.allocate(dtype, capacity));
            consts = all.add(backend.allocate(dtype, 3));
            backend.upload(new double[] {-1, 1, 0}, 0, consts, 0, 3);
            all.keep();
        }
        host = new double[capacity];
    }

    /** Device elements the constructor allocates for a capacity: {@code 3·capacity + 3}. */
    public static long deviceElements(int capacity) {
        return 3L * capacity + 3;
    }

    public long length() {
        return n;
    }

    /** {@code Σ_k g(x[t][k], y[t][k])} per trajectory (see {@link Reduction}), downloaded. */
    public double[] reduce(Reduction op, int count, View x, View y) {
        backend.reduce(op, count, n, x, op.binary() ? y : null, View.of(out, 1));
        double[] r = new double[count];
        backend.download(out, 0, r, 0, count);
        return r;
    }

    /** Euclidean norms ‖x[t]‖. */
    public double[] norms(int count, View x) {
        double[] s = reduce(Reduction.SUM_SQ, count, x, null);
        for (int i = 0; i < count; i++) s[i] = Math.sqrt(s[i]);
        return s;
    }

    /** {@code w[t] −= (w[t]·q[t])·q[t]} on the device (one MGS projection; q unit or zero). */
    public void project(int count, View q, View w) {
        backend.reduce(Reduction.DOT, count, n, w, q, View.of(out, 1));
        backend.scale(count, 1, new View(consts, 0, 0), View.of(out, 1));
        backend.axpby(count, n, View.of(out, 1), q, new View(consts, 1, 0), w);
    }

    /** {@code y[t] = alpha[t]·x[t] + beta[t]·y[t]} with host scalars. */
    public void axpby(int count, double[] alpha, View x, double[] beta, View y) {
        upload(alpha, a, count);
        upload(beta, b, count);
        backend.axpby(count, n, View.of(a, 1), x, View.of(b, 1), y);
    }

    /** {@code y[t] += alpha[t]·x[t]}. */
    public void axpy(int count, double[] alpha, View x, View y) {
        upload(alpha, a, count);
        backend.axpby(count, n, View.of(a, 1), x, new View(consts, 1, 0), y);
    }

    /** {@code x[t] *= s[t]}. */
    public void scale(int count, double[] s, View x) {
        upload(s, a, count);
        backend.scale(count, n, View.of(a, 1), x);
    }

    /** {@code dst[t] = src[t]} for t &lt; count (any strides). */
    public void copy(int count, View src, View dst) {
        if (src.stride() == n && dst.stride() == n) {
            backend.copy(src.buffer(), src.offset(), dst.buffer(), dst.offset(), count * n);
        } else {
            for (int t = 0; t < count; t++) backend.copy(src.buffer(), src.at(t), dst.buffer(), dst.at(t), n);
        }
    }

    private void upload(double[] v, Buffer dst, int count) {
        if (count > capacity) throw new IllegalArgumentException("batch " + count + " exceeds capacity " + capacity);
        System.arraycopy(v, 0, host, 0, count);
        backend.upload(host, 0, dst, 0, count);
    }

    @Override
    public void close() {
        a.close();
        b.close();
        out.close();
        consts.close();
    }
}
