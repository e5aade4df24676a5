package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.kernels.KernelSource;

/**
 * GEMM cases, {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}: every transpose combination
 * on odd shapes, batch 1 to 5, stride-0 A or B (the shared-input trick), non-zero per-entry
 * offsets and gaps, beta = 0 over NaN in C, beta ≠ 0, alpha ∉ {0, 1}, alpha = 0, degenerate
 * vectors (m = 1, n = 1, k = 1), sizes around the device kernels' tiles (T−1, T+1, 2T±1) with
 * depths that leave a partial k-tile, m or n = 10 (the output layer), the paper workload's five
 * GEMMs scaled down with their real layouts, and large products. k = 0 is not a GEMM
 * ({@link GemmShape} rejects it).
 * Names read "gemm/&lt;op&gt;/m×n×k/…" with op NN, NT, TN or TT (T = transposed operand).
 *
 * <p>C is judged relative to {@code |alpha|·Σ_p|op(A)_ip||op(B)_pj| + |beta||C_ij|} with growth
 * √k; A and B must come back bit-identical.
 */
final class GemmCases {
    private GemmCases() {
    }

    private static final boolean[][] TRANSPOSES = {{false, false}, {false, true}, {true, false}, {true, true}};

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        Layout spaced = Layout.spaced(5, 7);
        list.add(gemm("gemm/NN/1x1x1/batch1", new GemmShape(1, 1, 1, 1, false, false, 1, 0),
                Layout.PACKED, Layout.PACKED, Layout.PACKED, false));
        for (boolean[] t : TRANSPOSES) {
            String op = op(t);
            list.add(gemm("gemm/" + op + "/3x37x53/batch5", new GemmShape(5, 3, 37, 53, t[0], t[1], 0.75, 0.5),
                    spaced, Layout.spaced(3, 11), Layout.spaced(1, 2), false));
            list.add(gemm("gemm/" + op + "/37x53x29/batch1", new GemmShape(1, 37, 53, 29, t[0], t[1], 1.25, -1),
                    Layout.spaced(2, 1), Layout.spaced(9, 0), spaced, false));
            list.add(gemm("gemm/" + op + "/17x29x41/batch5/shared-A", new GemmShape(5, 17, 29, 41, t[0], t[1], 1, 0),
                    Layout.shared(4), spaced, spaced, false));
            list.add(gemm("gemm/" + op + "/19x13x31/batch5/shared-B", new GemmShape(5, 19, 13, 31, t[0], t[1], -0.5, 1),
                    spaced, Layout.shared(6), spaced, false));
            list.add(gemm("gemm/" + op + "/23x9x15/batch3/beta0-NaN-in-C",
                    new GemmShape(3, 23, 9, 15, t[0], t[1], 1, 0), spaced, spaced, spaced, true));
        }
        list.add(gemm("gemm/NN/11x7x5/batch2/alpha0", new GemmShape(2, 11, 7, 5, false, false, 0, 1.5),
                spaced, spaced, spaced, false));
        list.add(gemm("gemm/NT/1x37x53/batch5/row-vector", new GemmShape(5, 1, 37, 53, false, true, 1, 0.25),
                spaced, spaced, spaced, false));
        list.add(gemm("gemm/TN/37x1x53/batch5/column-vector", new GemmShape(5, 37, 1, 53, true, false, 1, 0),
                spaced, spaced, spaced, false));
        list.add(gemm("gemm/NN/37x53x1/batch5/outer-product", new GemmShape(5, 37, 53, 1, false, false, 1, 1),
                spaced, spaced, spaced, false));
        list.add(gemm("gemm/NN/33x65x17/batch3/tile-edges", new GemmShape(3, 33, 65, 17, false, false, 1, 0),
                spaced, spaced, spaced, false));
        list.add(gemm("gemm/TN/64x64x64/batch2/shared-A", new GemmShape(2, 64, 64, 64, true, false, 1, 0),
                Layout.shared(0), Layout.PACKED, Layout.PACKED, false));
        list.add(gemm("gemm/NN/200x300x150/batch1/large", new GemmShape(1, 200, 300, 150, false, false, 1, 0),
                Layout.PACKED, Layout.PACKED, Layout.spaced(3, 0), false));
        list.add(gemm("gemm/TT/200x300x150/batch1/large", new GemmShape(1, 200, 300, 150, true, true, 0.5, 2),
                Layout.spaced(1, 0), Layout.PACKED, Layout.PACKED, false));
        tileEdges(list);
        outputLayer(list);
        paper(list);
        return list;
    }

    /**
     * Sizes around the tiles of the device kernels ({@link KernelSource#GEMM_TM} ×
     * {@link KernelSource#GEMM_TN}): one row/column short of a tile and one past it, two tiles
     * and one more, in every transpose combination; depths one short of and one past a multiple
     * of 8 and 16 (GEMM_TK is a tunable multiple of 8), so the last k-tile is partial.
     */
    private static void tileEdges(List<ConformanceCase> list) {
        int tm = KernelSource.GEMM_TM, tn = KernelSource.GEMM_TN;
        for (boolean[] t : TRANSPOSES) {
            String op = op(t);
            list.add(gemm("gemm/" + op + "/" + (tm - 1) + "x" + (tn + 1) + "x17/batch2/tile-edge",
                    new GemmShape(2, tm - 1, tn + 1, 17, t[0], t[1], -1.5, 0.25),
                    Layout.spaced(3, 5), Layout.spaced(1, 2), Layout.spaced(7, 1), false));
            list.add(gemm("gemm/" + op + "/" + (tm + 1) + "x" + (tn - 1) + "x33/batch2/tile-edge-beta0-NaN",
                    new GemmShape(2, tm + 1, tn - 1, 33, t[0], t[1], 1, 0),
                    Layout.spaced(2, 1), Layout.spaced(5, 3), Layout.spaced(1, 4), true));
            list.add(gemm("gemm/" + op + "/" + (2 * tm + 1) + "x" + (2 * tn - 1) + "x31/batch1/tile-edge",
                    new GemmShape(1, 2 * tm + 1, 2 * tn - 1, 31, t[0], t[1], 0.5, -2),
                    Layout.spaced(1, 0), Layout.spaced(2, 0), Layout.spaced(3, 0), false));
        }
        list.add(gemm("gemm/NN/" + tm + "x" + tn + "x47/batch3/whole-tiles-partial-depth",
                new GemmShape(3, tm, tn, 47, false, false, 1, 1), Layout.spaced(1, 1), Layout.shared(2),
                Layout.spaced(0, 6), false));
        list.add(gemm("gemm/TT/1x" + (tn + 1) + "x" + (tm + 1) + "/batch2/row-past-tile",
                new GemmShape(2, 1, tn + 1, tm + 1, true, true, 2, 0), Layout.spaced(4, 4), Layout.spaced(0, 3),
                Layout.spaced(2, 2), false));
    }

    /** m or n = 10, the output layer, in the transposes the trainer uses and the others. */
    private static void outputLayer(List<ConformanceCase> list) {
        list.add(gemm("gemm/NT/75x10x33/batch4/n10", new GemmShape(4, 75, 10, 33, false, true, 1, 0),
                Layout.spaced(3, 2), Layout.spaced(1, 5), Layout.spaced(2, 2), false));
        list.add(gemm("gemm/TN/10x33x75/batch4/m10", new GemmShape(4, 10, 33, 75, true, false, 1, 1),
                Layout.spaced(1, 1), Layout.spaced(2, 7), Layout.spaced(5, 3), false));
        list.add(gemm("gemm/NN/75x33x10/batch4/k10", new GemmShape(4, 75, 33, 10, false, false, 1, 0),
                Layout.spaced(2, 2), Layout.spaced(4, 1), Layout.spaced(1, 1), false));
        list.add(gemm("gemm/TT/10x75x33/batch4/m10", new GemmShape(4, 10, 75, 33, true, true, -1, 0.5),
                Layout.spaced(0, 3), Layout.spaced(3, 3), Layout.spaced(3, 0), false));
        list.add(gemm("gemm/NN/10x10x10/batch3/m10-n10-k10-shared-B", new GemmShape(3, 10, 10, 10, false, false, 1, 0),
                Layout.spaced(1, 2), Layout.shared(5), Layout.spaced(0, 1), false));
    }

    /** Widths of the paper's network (784-64-10) and its parameter stride (weights and biases). */
    static final int IN = 784, HIDDEN = 64, OUT = 10, PARAMS = IN * HIDDEN + HIDDEN + HIDDEN * OUT + OUT;

    /**
     * The five GEMMs of one training chunk of the paper workload (MLP 784-64-10, as
     * {@code train.BatchedNetwork} issues them) scaled down to c = 2·GEMM_TM + 1 rows and 3
     * trajectories, with the real operand layouts: X shared (stride 0) at a row offset, weights
     * and weight gradients inside the parameter buffer at stride p = 50,890 (W2 at offset 50,240:
     * in f32 not 16-byte aligned), activations and deltas at a chunk stride larger than c.
     */
    private static void paper(List<ConformanceCase> list) {
        int c = 2 * KernelSource.GEMM_TM + 1, t = 3, chunk = c + 3;
        Layout x = Layout.shared((long) 5 * IN);
        Layout w1 = new Layout(0, PARAMS - (long) IN * HIDDEN, false);
        Layout w2 = new Layout((long) IN * HIDDEN + HIDDEN, PARAMS - (long) HIDDEN * OUT, false);
        Layout h1 = new Layout(0, (long) (chunk - c) * HIDDEN, false);
        Layout d2 = new Layout(0, (long) (chunk - c) * OUT, false);
        list.add(gemm("gemm/NT/" + c + "x64x784/batch3/paper-forward1-shared-X-beta0-NaN",
                new GemmShape(t, c, HIDDEN, IN, false, true, 1, 0), x, w1, h1, true));
        list.add(gemm("gemm/NT/" + c + "x10x64/batch3/paper-forward2-beta0-NaN",
                new GemmShape(t, c, OUT, HIDDEN, false, true, 1, 0), h1, w2, d2, true));
        list.add(gemm("gemm/TN/10x64x" + c + "/batch3/paper-weight-gradient2",
                new GemmShape(t, OUT, HIDDEN, c, true, false, 1, 1), d2, h1, w2, false));
        list.add(gemm("gemm/NN/" + c + "x64x10/batch3/paper-delta-beta0-NaN",
                new GemmShape(t, c, HIDDEN, OUT, false, false, 1, 0), d2, w2, h1, true));
        list.add(gemm("gemm/TN/64x784x" + c + "/batch3/paper-weight-gradient1-shared-X-beta0-NaN",
                new GemmShape(t, HIDDEN, IN, c, true, false, 1, 0), h1, x, w1, true));
    }

    private static String op(boolean[] t) {
        return (t[0] ? "T" : "N") + (t[1] ? "T" : "N");
    }

    /** A differential GEMM case; {@code nanC} fills C's entries with NaN first (use with beta 0). */
    static ConformanceCase gemm(String name, GemmShape s, Layout la, Layout lb, Layout lc, boolean nanC) {
        return new DifferentialCase(name, fx -> {
            Operand a = fx.uniform(s.batch(), s.sizeA(), la);
            Operand b = fx.uniform(s.batch(), s.sizeB(), lb);
            Operand c = fx.uniform(s.batch(), s.sizeC(), lc);
            if (nanC) {
                for (int e = 0; e < s.batch(); e++) {
                    for (long q = 0; q < s.sizeC(); q++) c.set(e, q, Double.NaN);
                }
                fx.sync(c);
            }
            fx.backend().gemm(s, a.view(), b.view(), c.view());
            fx.outputMagnitude("C", c, () -> magnitude(s, a, b, c), Math.sqrt(s.k()));
            fx.outputElementwise("A", a, 1);
            fx.outputElementwise("B", b, 1);
        });
    }

    /** Per element of C's buffer: {@code |alpha|·Σ_p|op(A)_ip||op(B)_pj| + |beta||C_ij|}. */
    static double[] magnitude(GemmShape s, Operand a, Operand b, Operand c) {
        double[] mag = Fixture.absHost(c);
        int m = s.m(), n = s.n(), k = s.k();
        for (int e = 0; e < s.batch(); e++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double aip = a.get(e, s.transA() ? (long) p * m + i : (long) i * k + p);
                        double bpj = b.get(e, s.transB() ? (long) j * k + p : (long) p * n + j);
                        sum += Math.abs(aip * bpj);
                    }
                    int ci = c.index(e, (long) i * n + j);
                    mag[ci] = Math.abs(s.alpha()) * sum + (s.beta() == 0 ? 0 : Math.abs(s.beta() * c.host()[ci]));
                }
            }
        }
        return mag;
    }
}
