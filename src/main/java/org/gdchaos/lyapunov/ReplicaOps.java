package org.gdchaos.lyapunov;

import java.util.random.RandomGenerator;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.nn.CellSeeds;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.train.Ensemble;

/**
 * Device-side bookkeeping shared by the Lyapunov trackers: views of member r of every cell,
 * distances to the reference, and per-cell affine resets, with small scalar buffers so the
 * only host traffic is C numbers per call.
 */
final class ReplicaOps implements AutoCloseable {
    final Backend backend;
    final Ensemble ensemble;
    final CellLayout cells;
    final long p;
    private final Buffer scalarsA;
    private final Buffer scalarsB;
    private final Buffer out;
    private final Buffer consts; // [−1, 1]
    private final double[] hostA;
    private final double[] hostB;
    private final double[] hostOut;

    ReplicaOps(Ensemble ensemble, CellLayout cells) {
        this.backend = ensemble.backend();
        this.ensemble = ensemble;
        this.cells = cells;
        this.p = ensemble.p();
        DType dt = ensemble.dtype();
        int c = cells.cells();
        try (Allocations a = new Allocations()) {
            scalarsA = a.add(backend.allocate(dt, c));
            scalarsB = a.add(backend.allocate(dt, c));
            out = a.add(backend.allocate(dt, c));
            consts = a.add(backend.allocate(dt, 2));
            backend.upload(new double[] {-1, 1}, 0, consts, 0, 2);
            a.keep();
        }
        hostA = new double[c];
        hostB = new double[c];
        hostOut = new double[c];
    }

    /** Member r of every cell (batch C). */
    View member(int r) {
        return new View(ensemble.paramBuffer(), (long) r * cells.cells() * p, p);
    }

    View minusOne() {
        return new View(consts, 0, 0);
    }

    View one() {
        return new View(consts, 1, 0);
    }

    /** Per-cell reduction {@code Σ_k g(member r, member s)}, downloaded. */
    double[] reduce(Reduction op, int r, int s) {
        backend.reduce(op, cells.cells(), p, member(r), op.binary() ? member(s) : null, View.of(out, 1));
        backend.download(out, 0, hostOut, 0, hostOut.length);
        return hostOut.clone();
    }

    /** Distance of member r to the reference per cell in {@code norm}. */
    double[] distance(Norm norm, int r) {
        if (norm == Norm.L1) return reduce(Reduction.SUM_ABS_DIFF, r, 0);
        double[] d = reduce(Reduction.SUM_SQ_DIFF, r, 0);
        for (int i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]);
        return d;
    }

    /** {@code member r = a[c]·member s + b[c]·member r} per cell. */
    void axpby(double[] a, int s, double[] b, int r) {
        System.arraycopy(a, 0, hostA, 0, hostA.length);
        System.arraycopy(b, 0, hostB, 0, hostB.length);
        backend.upload(hostA, 0, scalarsA, 0, hostA.length);
        backend.upload(hostB, 0, scalarsB, 0, hostB.length);
        backend.axpby(cells.cells(), p, View.of(scalarsA, 1), member(s), View.of(scalarsB, 1), member(r));
    }

    /** {@code member r −= member s} (a difference vector in place). */
    void subtract(int s, int r) {
        backend.axpby(cells.cells(), p, minusOne(), member(s), one(), member(r));
    }

    /** {@code member r −= (member r · member s)·member s}, on device (no host traffic). */
    void project(int s, int r) {
        backend.reduce(Reduction.DOT, cells.cells(), p, member(r), member(s), View.of(out, 1));
        backend.scale(cells.cells(), 1, minusOne(), View.of(out, 1));
        backend.axpby(cells.cells(), p, View.of(out, 1), member(s), one(), member(r));
    }

    /** {@code member r *= s[c]}. */
    void scale(double[] s, int r) {
        System.arraycopy(s, 0, hostA, 0, hostA.length);
        backend.upload(hostA, 0, scalarsA, 0, hostA.length);
        backend.scale(cells.cells(), p, View.of(scalarsA, 1), member(r));
    }

    /**
     * Random perturbation directions for a cell: a mask of the perturbed parameters and a
     * generator seeded by (seed, init, replica).
     */
    static boolean[] mask(ParameterLayout layout, boolean perturbBiases) {
        boolean[] m = new boolean[(int) layout.size()];
        for (int k = 0; k < m.length; k++) m[k] = perturbBiases || layout.isWeight(k);
        return m;
    }

    static RandomGenerator perturbation(long seed, int init, int replica) {
        return CellSeeds.stream(seed, CellSeeds.PERTURB, init, replica);
    }

    /** Releases the four buffers (all of them even if one close throws). */
    @Override
    public void close() {
        try (scalarsA; scalarsB; out; consts) {
            // closed in reverse order by try-with-resources
        }
    }
}
