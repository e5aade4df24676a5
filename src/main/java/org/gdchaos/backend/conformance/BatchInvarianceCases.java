package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.View;

/**
 * Batch invariance of GEMM ({@link Backend#batchInvariant}): entry b of a batched call must equal,
 * bit for bit, the same call with batch 1 on entry b's operands (same strides: a shared operand keeps
 * stride 0), for every b. The candidate is compared with itself, not with the reference. The
 * shapes are those whose kernel choice on the Java backend depends on the strides — the sparse
 * shared-operand kernel (mostly-zero shared A or B), the folded and narrow convolution products
 * (n or m ≤ 16 against a long side), the packed driver's A-shared loop order (k over one depth
 * block, alpha ≠ 1, beta ≠ 0, partial tiles, a split into tasks) — and plain per-entry products.
 * Before issue 22 a batch of one entry took another kernel than the same entry among others.
 */
final class BatchInvarianceCases {
    private BatchInvarianceCases() {
    }

    /** Which operand is shared by the batch (stride 0). */
    enum Sharing { NONE, A, B }

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        // first-layer products of an MLP on sparse data: sparse kernel when the shared operand is mostly zeros
        // (depth over several of the packed driver's k blocks, where its order differs from one FMA chain)
        list.add(new Case("sparse-shared-A/NT/40x16x784", new GemmShape(4, 40, 16, 784, false, true, 1, 0), Sharing.A, 0.8));
        list.add(new Case("sparse-shared-B/TN/16x200x600", new GemmShape(4, 16, 200, 600, true, false, 1, 1), Sharing.B,
                0.8));
        list.add(new Case("dense-shared-A/NT/40x16x784", new GemmShape(4, 40, 16, 784, false, true, 1, 0), Sharing.A, 0));
        // convolution shapes: narrow or folded forward (n ≤ 16), folded weight gradient (m ≤ 16), per-entry narrow
        for (int n : new int[] {2, 4, 8, 16}) {
            list.add(new Case("conv-forward-shared-A/NT/1100x" + n + "x25",
                    new GemmShape(3, 1100, n, 25, false, true, 1, 0), Sharing.A, 0));
            list.add(new Case("conv-forward/NT/1100x" + n + "x25",
                    new GemmShape(3, 1100, n, 25, false, true, 1, 0), Sharing.NONE, 0));
            list.add(new Case("conv-weight-gradient-shared-B/TN/" + n + "x25x1100",
                    new GemmShape(3, n, 25, 1100, true, false, 1, 1), Sharing.B, 0));
            list.add(new Case("conv-weight-gradient/TN/" + n + "x25x1100",
                    new GemmShape(3, n, 25, 1100, true, false, 1, 0), Sharing.NONE, 0));
        }
        // the packed driver: several depth blocks, partial tiles, alpha and beta applied, big enough to split
        list.add(new Case("driver-shared-A/NN/97x61x300", new GemmShape(4, 97, 61, 300, false, false, 0.75, 0.5),
                Sharing.A, 0));
        list.add(new Case("driver-shared-B/TT/97x61x300", new GemmShape(4, 97, 61, 300, true, true, -1.25, 1),
                Sharing.B, 0));
        list.add(new Case("driver/NT/97x61x300", new GemmShape(5, 97, 61, 300, false, true, 2, -0.5), Sharing.NONE, 0));
        list.add(new Case("driver/TN/10x64x50", new GemmShape(6, 10, 64, 50, true, false, 1, 1), Sharing.NONE, 0));
        return list;
    }

    /**
     * One batched GEMM against its entries run alone.
     *
     * @param zeros fraction of the shared operand set to exactly 0 (a sparse data matrix)
     */
    record Case(String variant, GemmShape shape, Sharing sharing, double zeros) implements ConformanceCase {
        @Override
        public String name() {
            return "gemm/batch-invariance/" + variant + "/batch" + shape.batch();
        }

        @Override
        public CaseResult run(Backend candidate, Backend reference, DType dtype) {
            if (!candidate.batchInvariant()) {
                return CaseResult.skipped(name(), dtype, candidate.name() + " does not claim batch invariance ("
                        + candidate.device() + ")");
            }
            long start = System.nanoTime();
            GemmShape s = shape;
            try (Fixture fx = new Fixture(candidate, dtype, DifferentialCase.seedOf(name()), false)) {
                Operand a = fx.uniform(s.batch(), s.sizeA(), sharing == Sharing.A ? Layout.shared(2) : Layout.spaced(1, 3));
                Operand b = fx.uniform(s.batch(), s.sizeB(), sharing == Sharing.B ? Layout.shared(3) : Layout.spaced(2, 1));
                Operand c = fx.uniform(s.batch(), s.sizeC(), Layout.spaced(1, 2));
                Operand shared = sharing == Sharing.A ? a : sharing == Sharing.B ? b : null;
                if (shared != null && zeros > 0) {
                    for (long q = 0; q < shared.span(); q++) {
                        if (fx.rng().nextDouble() < zeros) shared.set(0, q, 0);
                    }
                    fx.sync(shared);
                }
                // the same C before the call, for the entries run alone (beta ≠ 0 reads it)
                Operand alone = fx.uniform(s.batch(), s.sizeC(), Layout.spaced(1, 2));
                System.arraycopy(c.host(), 0, alone.host(), 0, c.host().length);
                fx.sync(alone);
                candidate.gemm(s, a.view(), b.view(), c.view());
                GemmShape one = new GemmShape(1, s.m(), s.n(), s.k(), s.transA(), s.transB(), s.alpha(), s.beta());
                for (int e = 0; e < s.batch(); e++) {
                    candidate.gemm(one, entry(a, e), entry(b, e), entry(alone, e));
                }
                double[] got = fx.download(c), want = fx.download(alone);
                double millis = (System.nanoTime() - start) / 1e6;
                for (int e = 0; e < s.batch(); e++) {
                    for (long q = 0; q < s.sizeC(); q++) {
                        int i = c.index(e, q);
                        if (Double.compare(got[i], want[i]) != 0) {
                            double rel = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), Double.MIN_NORMAL);
                            return new CaseResult(name(), dtype, CaseResult.Status.FAIL, Math.abs(got[i] - want[i]),
                                    rel, 0, millis, String.format(Locale.ROOT,
                                    "entry %d element %d: %.17g in the batch, %.17g alone", e, q, got[i], want[i]));
                        }
                    }
                }
                return new CaseResult(name(), dtype, CaseResult.Status.PASS, 0, 0, 0, millis,
                        "every entry bit-identical to its batch-1 call");
            } catch (RuntimeException | LinkageError | AssertionError e) {
                return CaseResult.threw(name(), dtype, candidate.name(), e, (System.nanoTime() - start) / 1e6);
            }
        }

        /** Entry e of op as a view of its own, stride kept (0 stays shared). */
        private static View entry(Operand op, int e) {
            return new View(op.buffer(), op.view().at(e), op.view().stride());
        }
    }
}
