package org.gdchaos.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * The suite can fail: backends with one planted bug each ("mutants" of the reference) must fail
 * exactly the cases that exercise the bug, and pass the rest of their family.
 */
class ConformanceSensitivityTest {

    /** Names of the failing cases among those whose name starts with {@code family} or "hand/". */
    private static Set<String> failures(Backend mutant, DType dtype, String family) {
        Set<String> failed = new TreeSet<>();
        try (ReferenceBackend reference = new ReferenceBackend()) {
            for (ConformanceCase c : Conformance.cases()) {
                if (!c.name().startsWith(family) && !c.name().startsWith("hand/")) continue;
                CaseResult r = Conformance.run(c, mutant, reference, dtype);
                if (r.failed()) failed.add(c.name());
            }
        }
        return failed;
    }

    private static Set<String> cases(Predicate<String> which) {
        Set<String> names = new TreeSet<>();
        for (ConformanceCase c : Conformance.cases()) if (which.test(c.name())) names.add(c.name());
        return names;
    }

    private static double[] all(Backend be, Buffer b) {
        double[] d = new double[Math.toIntExact(b.length())];
        be.download(b, 0, d, 0, d.length);
        return d;
    }

    @Test
    void gemmIgnoringTransBFailsExactlyTheTransposedBCases() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void gemm(GemmShape s, View a, View b, View c) {
                inner.gemm(new GemmShape(s.batch(), s.m(), s.n(), s.k(), s.transA(), false, s.alpha(), s.beta()), a, b, c);
            }
        };
        Set<String> want = cases(n -> n.matches("gemm/.T/.*") && !n.contains("/1x1x1/") && !n.contains("column-vector")
                || n.equals("hand/gemm/2x2/transposes-beta0-over-NaN"));
        assertEquals(want, failures(mutant, DType.F64, "gemm/"));
    }

    @Test
    void gemmPropagatingNaNFromCWhenBetaIsZeroIsCaught() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void gemm(GemmShape s, View a, View b, View c) {
                double beta = s.beta() == 0 ? Double.MIN_VALUE : s.beta(); // reads C: NaN·tiny = NaN
                inner.gemm(new GemmShape(s.batch(), s.m(), s.n(), s.k(), s.transA(), s.transB(), s.alpha(), beta), a, b, c);
            }
        };
        Set<String> want = cases(n -> n.startsWith("gemm/") && n.contains("beta0-NaN")
                || n.equals("hand/gemm/2x2/transposes-beta0-over-NaN"));
        assertEquals(want, failures(mutant, DType.F32, "gemm/"));
    }

    /** m, n, k of a GEMM case, from its name "gemm/OP/m×n×k/…". */
    private static int[] mnk(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^gemm/[NT]{2}/(\\d+)x(\\d+)x(\\d+)/").matcher(name);
        if (!m.find()) return null;
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    /** Depth of the k-tiles of a planted tiled-kernel bug. */
    private static final int TK = 16;

    /**
     * A tiled kernel that drops the last, partial k-tile (loops k / TK times instead of
     * ⌈k / TK⌉ when k > TK) fails exactly the cases whose depth leaves a partial tile.
     */
    @Test
    void gemmDroppingThePartialLastKTileFailsExactlyTheCasesWithSuchATile() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void gemm(GemmShape s, View a, View b, View c) {
                int k = s.k(), kept = k > TK ? k - k % TK : k;
                Buffer copy = inner.allocate(a.buffer().dtype(), a.buffer().length());
                double[] host = all(inner, a.buffer());
                for (int e = 0; e < s.batch(); e++) {
                    for (int i = 0; i < s.m(); i++) {
                        for (int p = kept; p < k; p++) {
                            host[(int) (a.at(e) + (s.transA() ? (long) p * s.m() + i : (long) i * k + p))] = 0;
                        }
                    }
                }
                inner.upload(host, 0, copy, 0, host.length);
                inner.gemm(s, new View(copy, a.offset(), a.stride()), b, c);
                copy.close();
            }
        };
        Set<String> want = cases(n -> {
            int[] d = mnk(n);
            return d != null && d[2] > TK && d[2] % TK != 0;
        });
        assertTrue(want.size() >= 20, want.toString());
        assertEquals(want, failures(mutant, DType.F64, "gemm/"));
    }

    /**
     * A tiled kernel launched with ⌊m / TM⌋ instead of ⌈m / TM⌉ row tiles (TM = the device
     * kernels' tile, 64) leaves the last rows of C untouched when m > TM: exactly the cases with
     * such a partial row tile fail, the paper's output-layer and weight-gradient shapes among them.
     */
    @Test
    void gemmSkippingThePartialLastRowTileFailsExactlyTheCasesWithSuchATile() {
        int tm = org.gdchaos.backend.kernels.KernelSource.GEMM_TM;
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void gemm(GemmShape s, View a, View b, View c) {
                double[] before = all(inner, c.buffer());
                inner.gemm(s, a, b, c);
                int m = s.m(), kept = m > tm ? m - m % tm : m;
                double[] after = all(inner, c.buffer());
                for (int e = 0; e < s.batch(); e++) {
                    for (long q = (long) kept * s.n(); q < (long) m * s.n(); q++) {
                        after[(int) (c.at(e) + q)] = before[(int) (c.at(e) + q)];
                    }
                }
                inner.upload(after, 0, c.buffer(), 0, after.length);
            }
        };
        Set<String> want = cases(n -> {
            int[] d = mnk(n);
            return d != null && d[0] > tm && d[0] % tm != 0;
        });
        assertTrue(want.contains("gemm/NT/129x10x64/batch3/paper-forward2-beta0-NaN"), want.toString());
        assertEquals(want, failures(mutant, DType.F64, "gemm/"));
    }

    @Test
    void tolerancesSeparateTheDtypes() {
        // alpha off by 1e-9 relative: far above f64 round-off, far below f32 round-off
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void gemm(GemmShape s, View a, View b, View c) {
                inner.gemm(new GemmShape(s.batch(), s.m(), s.n(), s.k(), s.transA(), s.transB(),
                        s.alpha() * (1 + 1e-9), s.beta()), a, b, c);
            }
        };
        // (the batch-invariance cases compare the candidate with itself: a uniformly wrong alpha passes them)
        assertEquals(cases(n -> n.startsWith("gemm/") && !n.contains("alpha0") && !n.startsWith("gemm/batch-invariance/")
                        || n.startsWith("hand/gemm/")),
                failures(mutant, DType.F64, "gemm/"));
        assertEquals(Set.of(), failures(mutant, DType.F32, "gemm/"));
    }

    @Test
    void reductionDroppingTheLastElementIsCaught() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void reduce(Reduction op, int batch, long n, View x, View y, View out) {
                inner.reduce(op, batch, n > 1 ? n - 1 : n, x, y, out);
            }
        };
        assertEquals(cases(n -> n.startsWith("reduce/") && !n.contains("/n1/") || n.equals("hand/reductions")),
                failures(mutant, DType.F64, "reduce/"));
        assertTrue(failures(mutant, DType.F32, "reduce/").containsAll(cases(n -> n.startsWith("reduce/") && n.contains("/n1961/"))));
    }

    @Test
    void nonFiniteReadingPastTheEntryIsCaught() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void nonFinite(int batch, long n, View x, View flags) {
                inner.nonFinite(batch, n + 1, x, flags);
            }
        };
        assertEquals(cases(n -> n.startsWith("nonFinite/") && !n.contains("/n1/") || n.equals("hand/non-finite")),
                failures(mutant, DType.F32, "nonFinite/"));
    }

    @Test
    void writingPastTheViewIsCaughtByTheGuards() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out) {
                inner.columnSums(batch, rows, cols, alpha, x, beta, out);
                for (int b = 0; b < batch; b++) inner.fill(out.buffer(), out.at(b) + cols, 1, 0.0);
            }
        };
        assertEquals(cases(n -> n.startsWith("colsum/") || n.equals("hand/column-sums")),
                failures(mutant, DType.F64, "colsum/"));
    }

    @Test
    void lastMaximumWinningTiesIsCaught() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
                double[] zs = all(inner, z.buffer()), ys = all(inner, y.buffer()), cs = all(inner, correct.buffer());
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < rows; i++) {
                        int zi = 0, yi = 0;
                        for (int j = 1; j < cols; j++) {
                            if (zs[(int) (z.at(b) + i * cols + j)] >= zs[(int) (z.at(b) + i * cols + zi)]) zi = j;
                            if (ys[(int) (y.at(b) + i * cols + j)] > ys[(int) (y.at(b) + i * cols + yi)]) yi = j;
                        }
                        if (zi == yi) cs[(int) correct.at(b)]++;
                    }
                }
                inner.upload(cs, 0, correct.buffer(), 0, cs.length);
            }
        };
        assertEquals(Set.of("count/17x7/batch3/soft-targets", "count/64x10/batch5/ties", "count/5000x10/batch2/ties",
                        "hand/count-correct/ties-first-max"),
                failures(mutant, DType.F64, "count/"));
    }

    /**
     * A bug only in large calls — a missing row loop: only the first 256 rows (one work-group) of
     * each entry are processed — is caught, by the large cases alone.
     */
    @Test
    void aBugOnlyInLargeCallsIsCaughtByTheLargeCases() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            private int rowsToUse(int batch, int rows, int cols) {
                return Math.min(rows, 256);
            }

            @Override
            public void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias) {
                inner.biasActivation(f, batch, rowsToUse(batch, rows, cols), cols, z, bias);
            }

            @Override
            public void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale, View grad,
                                     View lossSum) {
                inner.lossGradient(loss, batch, rowsToUse(batch, rows, cols), cols, z, y, scale, grad, lossSum);
            }

            @Override
            public void countCorrect(int batch, int rows, int cols, View z, View y, View correct) {
                inner.countCorrect(batch, rowsToUse(batch, rows, cols), cols, z, y, correct);
            }
        };
        Set<String> act = cases(n -> n.matches("act/[a-z]+/forward/2000x64/batch3/bias"));
        assertEquals(Activation.values().length, act.size(), act.toString());
        assertEquals(act, failures(mutant, DType.F64, "act/"));
        Set<String> lossAndCount = failures(mutant, DType.F64, "loss/");
        lossAndCount.addAll(failures(mutant, DType.F64, "count/"));
        assertEquals(Set.of("loss/ce/5000x10/batch2/one-hot-shared", "loss/mse/5000x10/batch2/soft-targets",
                "count/5000x10/batch2/ties"), lossAndCount);
    }

    @Test
    void updateIgnoringTheFreezeIsCaught() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void update(int batch, long n, View w, View g, View lr) {
                double[] ws = all(inner, w.buffer()), gs = all(inner, g.buffer()), ls = all(inner, lr.buffer());
                for (int b = 0; b < batch; b++) {
                    for (long q = 0; q < n; q++) ws[(int) (w.at(b) + q)] -= ls[(int) lr.at(b)] * gs[(int) (g.at(b) + q)];
                }
                inner.upload(ws, 0, w.buffer(), 0, ws.length);
            }
        };
        assertEquals(Set.of("hand/update-axpby-scale", "update/n100003/batch5", "update/n1961/batch5"),
                failures(mutant, DType.F64, "update/"));
    }

    @Test
    void unsupportedDtypeIsReportedSkippedNotFailed() {
        Backend f64Only = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public boolean supports(DType dtype) {
                return dtype == DType.F64;
            }
        };
        java.util.List<CaseResult> results = Conformance.run(f64Only, DType.F32);
        for (CaseResult r : results) {
            if (r.name().equals(Conformance.REFERENCE_SELF_CHECK)) {
                assertTrue(r.passed(), r.toString());
            } else {
                assertEquals(CaseResult.Status.SKIPPED, r.status(), r.toString());
                assertEquals("skipped: dtype unsupported", r.detail());
            }
        }
        assertTrue(Conformance.table(results).contains("1 passed, 0 failed, " + (results.size() - 1) + " skipped"));
    }

    @Test
    void col2imOverwritingInsteadOfAccumulatingIsCaught() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void col2im(ConvShape s, int batch, View cols, View dx) {
                for (int b = 0; b < batch; b++) inner.fill(dx.buffer(), dx.at(b), s.inputSize(), 0.0);
                inner.col2im(s, batch, cols, dx);
            }
        };
        assertEquals(cases(n -> n.startsWith("conv/col2im/") || n.equals("hand/conv/im2col-same-k3")),
                failures(mutant, DType.F64, "conv/"));
    }

    @Test
    void maxPoolingGradientToTheLastTiedMaximumIsCaught() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void poolBackward(PoolShape s, int batch, View x, View dy, View dx) {
                if (s.op() != PoolShape.Pooling.MAX) {
                    inner.poolBackward(s, batch, x, dy, dx);
                    return;
                }
                double[] xs = all(inner, x.buffer()), gs = all(inner, dy.buffer()), ds = all(inner, dx.buffer());
                int w = s.w(), c = s.c();
                for (int b = 0; b < batch; b++) {
                    for (long q = 0; q < s.inputSize(); q++) ds[(int) (dx.at(b) + q)] = 0;
                    for (int smp = 0; smp < s.n(); smp++) {
                        for (int oy = 0; oy < s.outH(); oy++) {
                            for (int ox = 0; ox < s.outW(); ox++) {
                                for (int ch = 0; ch < c; ch++) {
                                    int a = ((smp * s.h() + 2 * oy) * w + 2 * ox) * c + ch;
                                    int[] win = {a, a + c, a + w * c, a + w * c + c};
                                    int best = 0;
                                    for (int i = 1; i < 4; i++) {
                                        if (xs[(int) x.at(b) + win[i]] >= xs[(int) x.at(b) + win[best]]) best = i; // last max
                                    }
                                    int o = ((smp * s.outH() + oy) * s.outW() + ox) * c + ch;
                                    ds[(int) dx.at(b) + win[best]] = gs[(int) dy.at(b) + o];
                                }
                            }
                        }
                    }
                }
                inner.upload(ds, 0, dx.buffer(), 0, ds.length);
            }
        };
        Set<String> failed = failures(mutant, DType.F64, "pool/");
        // only max-pooling backward cases on tied inputs can fail; the hand cases and the larger
        // tied cases (dozens of windows of integers −3..2) must
        Set<String> possible = cases(n -> n.startsWith("pool/max/") && n.contains("/backward/") && n.endsWith("/ties")
                || n.equals("hand/pool/odd-3x5-ties") || n.equals("hand/pool/2ch-2samples"));
        Set<String> certain = cases(n -> possible.contains(n) && !n.contains("/n1-2x2x1/") && !n.contains("/n1-3x2x4/"));
        assertTrue(possible.containsAll(failed), "unexpected failures: " + failed);
        assertTrue(failed.containsAll(certain), "missed: " + certain + " failed only " + failed);
    }

    /**
     * A GEMM that sums over p in reverse order when called with one entry (another kernel for batch 1,
     * as the Java backend's sparse path was before issue 22) passes every differential case — the
     * difference is rounding — but fails every batch-invariance case.
     */
    @Test
    void gemmSummingInAnotherOrderForOneEntryFailsExactlyTheBatchInvarianceCases() {
        Backend mutant = new DelegatingBackend(new ReferenceBackend()) {
            @Override
            public void gemm(GemmShape s, View a, View b, View c) {
                if (s.batch() != 1) {
                    inner.gemm(s, a, b, c);
                    return;
                }
                int m = s.m(), n = s.n(), k = s.k();
                double[] ha = all(inner, a.buffer()), hb = all(inner, b.buffer());
                double[] ra = ha.clone(), rb = hb.clone();
                for (int p = 0; p < k; p++) {
                    int q = k - 1 - p;
                    for (int i = 0; i < m; i++) {
                        ra[(int) (a.offset() + (s.transA() ? (long) p * m + i : (long) i * k + p))] =
                                ha[(int) (a.offset() + (s.transA() ? (long) q * m + i : (long) i * k + q))];
                    }
                    for (int j = 0; j < n; j++) {
                        rb[(int) (b.offset() + (s.transB() ? (long) j * k + p : (long) p * n + j))] =
                                hb[(int) (b.offset() + (s.transB() ? (long) j * k + q : (long) q * n + j))];
                    }
                }
                try (Buffer ca = inner.allocate(a.buffer().dtype(), ra.length);
                     Buffer cb = inner.allocate(b.buffer().dtype(), rb.length)) {
                    inner.upload(ra, 0, ca, 0, ra.length);
                    inner.upload(rb, 0, cb, 0, rb.length);
                    inner.gemm(s, new View(ca, a.offset(), a.stride()), new View(cb, b.offset(), b.stride()), c);
                }
            }
        };
        Set<String> want = cases(n -> n.startsWith("gemm/batch-invariance/"));
        assertTrue(want.size() >= 10, want.toString());
        assertEquals(want, failures(mutant, DType.F64, "gemm/"));
    }
}
