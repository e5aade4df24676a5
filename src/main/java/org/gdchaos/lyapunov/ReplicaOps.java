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
 * only host traffic is C numbers per call (K·C for a reduction over K state components).
 *
 * <p>State. A member's state is its parameters w, and, with {@code wholeState} and an optimizer
 * that has state (docs/science.md#optimizer-lyapunov), also its state vectors (v, or m and s):
 * every distance, product, norm and affine reset then acts on the concatenation (w, v, …), each
 * component stored in its own {@code [T × P]} buffer of the ensemble.
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
    /** The state components: the parameter buffer, then (whole state) the optimizer's state buffers. */
    private final Buffer[] components;
    private final double[] hostA;
    private final double[] hostB;
    private final double[] hostOut;

    ReplicaOps(Ensemble ensemble, CellLayout cells) {
        this(ensemble, cells, false);
    }

    /** @param wholeState whether members are (w, optimizer state), else the weights w only */
    ReplicaOps(Ensemble ensemble, CellLayout cells, boolean wholeState) {
        this.backend = ensemble.backend();
        int k = wholeState ? 1 + ensemble.stateVectors() : 1;
        this.components = new Buffer[k];
        components[0] = ensemble.paramBuffer();
        for (int i = 1; i < k; i++) components[i] = ensemble.stateBuffer(i - 1);
        this.ensemble = ensemble;
        this.cells = cells;
        this.p = ensemble.p();
        DType dt = ensemble.dtype();
        int c = cells.cells();
        try (Allocations a = new Allocations()) {
            scalarsA = a.add(backend.allocate(dt, c));
            scalarsB = a.add(backend.allocate(dt, c));
            out = a.add(backend.allocate(dt, (long) c * k));
            consts = a.add(backend.allocate(dt, 2));
            backend.upload(new double[] {-1, 1}, 0, consts, 0, 2);
            a.keep();
        }
        hostA = new double[c];
        hostB = new double[c];
        hostOut = new double[c * k];
    }

    /** Number of state components (1: the weights only). */
    int components() {
        return components.length;
    }

    /** Component j (0 = parameters) of member r of every cell (batch C). */
    private View member(int j, int r) {
        return new View(components[j], (long) r * cells.cells() * p, p);
    }

    /** Component j of member r of every cell, for reading (0 = the parameters). */
    View component(int j, int r) {
        return member(j, r);
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

    /** Per-cell reduction {@code Σ_k g(member r, member s)} over every state component, downloaded. */
    double[] reduce(Reduction op, int r, int s) {
        int c = cells.cells();
        for (int j = 0; j < components.length; j++) {
            backend.reduce(op, c, p, member(j, r), op.binary() ? member(j, s) : null, new View(out, (long) j * c, 1));
        }
        backend.download(out, 0, hostOut, 0, hostOut.length);
        double[] sum = new double[c];
        for (int j = 0; j < components.length; j++) for (int i = 0; i < c; i++) sum[i] += hostOut[j * c + i];
        return sum;
    }

    /** Per-cell {@code Σ_k w_k²} of member r's weights only (the size check of the renormalising methods). */
    double[] weightSumSq(int r) {
        backend.reduce(Reduction.SUM_SQ, cells.cells(), p, member(r), null, View.of(out, 1));
        double[] h = new double[cells.cells()];
        backend.download(out, 0, h, 0, h.length);
        return h;
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
        for (int j = 0; j < components.length; j++) {
            backend.axpby(cells.cells(), p, View.of(scalarsA, 1), member(j, s), View.of(scalarsB, 1), member(j, r));
        }
    }

    /** {@code member r −= member s} (a difference vector in place). */
    void subtract(int s, int r) {
        for (int j = 0; j < components.length; j++) {
            backend.axpby(cells.cells(), p, minusOne(), member(j, s), one(), member(j, r));
        }
    }

    /** {@code member r −= (member r · member s)·member s}, on device (no host traffic). */
    void project(int s, int r) {
        int c = cells.cells();
        for (int j = 0; j < components.length; j++) {
            backend.reduce(Reduction.DOT, c, p, member(j, r), member(j, s), new View(out, (long) j * c, 1));
        }
        for (int j = 1; j < components.length; j++) {
            backend.axpby(c, 1, one(), new View(out, (long) j * c, 1), one(), View.of(out, 1)); // Σ over components
        }
        backend.scale(c, 1, minusOne(), View.of(out, 1));
        for (int j = 0; j < components.length; j++) {
            backend.axpby(c, p, View.of(out, 1), member(j, s), one(), member(j, r));
        }
    }

    /**
     * {@code component j of member r ← max(component j of member r, 0)} element-wise (the RELU of
     * {@link Backend#biasActivation}, no bias): keeps Adam's second moment s ≥ 0.
     */
    void clampNonNegative(int j, int r) {
        backend.biasActivation(org.gdchaos.backend.Activation.RELU, cells.cells(), 1, Math.toIntExact(p), member(j, r), null);
    }

    /** {@code member r *= s[c]}. */
    void scale(double[] s, int r) {
        System.arraycopy(s, 0, hostA, 0, hostA.length);
        backend.upload(hostA, 0, scalarsA, 0, hostA.length);
        for (int j = 0; j < components.length; j++) backend.scale(cells.cells(), p, View.of(scalarsA, 1), member(j, r));
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
