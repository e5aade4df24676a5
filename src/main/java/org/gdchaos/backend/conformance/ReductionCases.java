package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gdchaos.backend.Reduction;

/**
 * Every {@link Reduction} over lengths 1, 1961 and 100,003 (batch 1 for n = 1, else 5), plus DOT
 * and SUM_SQ_DIFF against a shared (stride 0) second operand. {@code out[b]} starts with random
 * values (it must be overwritten) in a view with offset 1 and stride 3. Errors are relative to
 * the magnitude of the reduced sum, {@code Σ_k |g(x_k, y_k)|}, with growth max(1, log2 n): the
 * bound of pairwise (tree) summation, which GPU reductions use; a backend summing sequentially in
 * float must accumulate in a wider type or in blocks. A dropped term (error ≈ 1/n of the
 * magnitude) then fails at n = 1961 in both dtypes.
 */
final class ReductionCases {
    private ReductionCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        for (Reduction op : Reduction.values()) {
            for (long n : VectorCases.LENGTHS) {
                int batch = n == 1 ? 1 : 5;
                list.add(reduce(name(op) + "/n" + n + "/batch" + batch, op, batch, n, false));
            }
        }
        list.add(reduce(name(Reduction.DOT) + "/n1961/batch5/shared-y", Reduction.DOT, 5, 1961, true));
        list.add(reduce(name(Reduction.SUM_SQ_DIFF) + "/n1961/batch5/shared-y", Reduction.SUM_SQ_DIFF, 5, 1961, true));
        return list;
    }

    private static String name(Reduction op) {
        return "reduce/" + op.name().toLowerCase(Locale.ROOT);
    }

    private static ConformanceCase reduce(String name, Reduction op, int batch, long n, boolean sharedY) {
        return new DifferentialCase(name, fx -> {
            Operand x = fx.uniform(batch, n, Layout.spaced(3, 2));
            Operand y = op.binary() ? fx.uniform(batch, n, sharedY ? Layout.shared(1) : Layout.spaced(1, 4)) : null;
            Operand out = fx.uniform(batch, 1, VectorCases.SCALARS);
            fx.backend().reduce(op, batch, n, x.view(), y == null ? null : y.view(), out.view());
            fx.outputMagnitude("out", out, () -> {
                double[] mag = Fixture.absHost(out);
                for (int b = 0; b < batch; b++) {
                    double sum = 0;
                    for (long q = 0; q < n; q++) sum += Math.abs(op.term(x.get(b, q), y == null ? 0 : y.get(b, q)));
                    mag[out.index(b, 0)] = sum;
                }
                return mag;
            }, Fixture.log2Growth(n));
            fx.outputElementwise("x", x, 1);
        });
    }
}
