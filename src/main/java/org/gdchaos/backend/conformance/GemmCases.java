package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.GemmShape;

/**
 * GEMM cases, {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}: every transpose combination
 * on odd shapes, batch 1 and 5, stride-0 A or B (the shared-input trick), beta = 0 over NaN in C,
 * alpha = 0, degenerate vectors (m = 1, n = 1, k = 1), tile-edge sizes and one large product.
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
        return list;
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
