package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.reference.ReferenceBackend;

/**
 * The one conformance suite every backend runs: each {@link Backend} operation × dtype × shape
 * (1, odd sizes, large; stride-0 operands; all GEMM transposes; batch 1 and many; non-zero view
 * offsets with guarded gaps) against {@link ReferenceBackend}, plus hand-computed cases and the
 * GEMM's batch invariance (each entry of a batched call bit-identical to that entry alone,
 * {@link BatchInvarianceCases}, for backends that claim {@link Backend#batchInvariant}), and bad
 * calls that every backend must reject with the exception {@link Backend}'s rules name
 * ({@link ErrorCases}: null, closed and out-of-range operands).
 *
 * <p><b>Tolerances.</b> An output passes when every element's scaled error (see {@link Output})
 * is at most {@code tolerance(dtype)·growth}: {@value #TOL_F64} for F64 and {@value #TOL_F32} for
 * F32 (about 9,000 and 170 units of round-off). Sums are judged relative to the magnitude of the
 * summed terms: GEMM against {@code |alpha|·Σ_p|a_ip||b_pj| + |beta||c_ij|} with growth √k;
 * reductions against {@code Σ_k|g_k|} and column sums against {@code |alpha|·Σ_i|x_ij| +
 * |beta||out_j|} with growth max(1, log2 n) (pairwise-summation bound); update/axpby against
 * the sum of the absolute terms. Element-wise results with cancellation (backward passes,
 * gradients, Hessian-vector products) are compared normwise (relative to the array's largest
 * value); forward activations, scale, copies and counts element by element; the accumulated loss
 * element by element with growth √rows. The reference computes in double and rounds once,
 * so for F32 the measured error is essentially the candidate's own rounding error.
 *
 * <p>Used by the JUnit suite ({@code BackendConformanceTest}) and by
 * {@code gdchaos backends --verify}.
 */
public final class Conformance {
    /** Base tolerance for float64 results. */
    public static final double TOL_F64 = 1e-12;
    /** Base tolerance for float32 results. */
    public static final double TOL_F32 = 1e-5;
    /** Name of the summary row that checks the reference against the hand-computed cases. */
    public static final String REFERENCE_SELF_CHECK = "hand/reference-self-check";

    private Conformance() {
    }

    /** Base tolerance of a dtype. */
    public static double tolerance(DType dtype) {
        return dtype == DType.F64 ? TOL_F64 : TOL_F32;
    }

    /** Every case: differential families first, then the hand-computed ones, then the bad calls. */
    public static List<ConformanceCase> cases() {
        List<ConformanceCase> all = new ArrayList<>();
        all.addAll(GemmCases.all());
        all.addAll(BatchInvarianceCases.all());
        all.addAll(ElementwiseCases.all());
        all.addAll(LossCases.all());
        all.addAll(VectorCases.all());
        all.addAll(ReductionCases.all());
        all.addAll(ConvCases.all());
        all.addAll(HandCases.all());
        all.addAll(ErrorCases.all());
        return Collections.unmodifiableList(all);
    }

    /** Only the bad-call cases ({@code error/…}): every backend rejects them with the same exception. */
    public static List<ConformanceCase> errorCases() {
        return ErrorCases.all();
    }

    /** Only the hand-computed cases. */
    public static List<ConformanceCase> handCases() {
        return HandCases.all();
    }

    /**
     * Runs one case, or reports it skipped when the candidate does not support the dtype.
     * Never throws for a misbehaving candidate.
     */
    public static CaseResult run(ConformanceCase c, Backend candidate, Backend reference, DType dtype) {
        if (!candidate.supports(dtype)) return CaseResult.skipped(c.name(), dtype, "dtype unsupported");
        return c.run(candidate, reference, dtype);
    }

    /**
     * The whole suite for one dtype: first a summary row checking the reference itself against
     * the hand-computed cases, then every case on the candidate.
     */
    public static List<CaseResult> run(Backend candidate, DType dtype) {
        List<CaseResult> out = new ArrayList<>();
        try (ReferenceBackend reference = new ReferenceBackend()) {
            out.add(referenceSelfCheck(reference, dtype));
            for (ConformanceCase c : cases()) out.add(run(c, candidate, reference, dtype));
        }
        return out;
    }

    /** The whole suite for F64 then F32. */
    public static List<CaseResult> run(Backend candidate) {
        List<CaseResult> out = new ArrayList<>(run(candidate, DType.F64));
        out.addAll(run(candidate, DType.F32));
        return out;
    }

    /** The hand-computed cases on the reference, folded into one row. */
    static CaseResult referenceSelfCheck(ReferenceBackend reference, DType dtype) {
        CaseResult worst = null;
        double millis = 0;
        for (ConformanceCase c : handCases()) {
            CaseResult r = c.run(reference, reference, dtype);
            millis += r.millis();
            if (worst == null || r.failed() && !worst.failed()
                    || r.failed() == worst.failed() && r.maxRel() / r.tolerance() > worst.maxRel() / worst.tolerance()) {
                worst = r;
            }
        }
        return new CaseResult(REFERENCE_SELF_CHECK, dtype, worst.status(), worst.maxAbs(), worst.maxRel(),
                worst.tolerance(), millis, "reference on " + handCases().size() + " hand cases; worst "
                        + worst.name() + ": " + worst.detail());
    }

    /** Whether no result failed (skipped results do not count against a backend). */
    public static boolean passed(List<CaseResult> results) {
        return results.stream().noneMatch(CaseResult::failed);
    }

    /**
     * Plain-text table: one row per result (status, dtype, largest abs/rel error, tolerance,
     * time, case name), failures with their detail, and a summary line.
     */
    public static String table(List<CaseResult> results) {
        StringBuilder sb = new StringBuilder();
        int width = 4;
        for (CaseResult r : results) width = Math.max(width, r.name().length());
        String fmt = "%-7s %-4s %10s %10s %9s %8s  %-" + width + "s%n";
        sb.append(String.format(Locale.ROOT, fmt, "status", "type", "max abs", "max rel", "tol", "ms", "case"));
        int pass = 0, fail = 0, skip = 0;
        double worstPassRatio = 0;
        CaseResult worstPass = null;
        for (CaseResult r : results) {
            sb.append(String.format(Locale.ROOT, fmt, r.status(), r.dtype().label(), num(r.maxAbs()),
                    num(r.maxRel()), num(r.tolerance()), String.format(Locale.ROOT, "%.1f", r.millis()),
                    r.name()));
            if (r.status() != CaseResult.Status.PASS) sb.append("        ").append(r.detail()).append('\n');
            switch (r.status()) {
                case PASS:
                    pass++;
                    double ratio = r.maxRel() / r.tolerance();
                    if (worstPass == null || ratio > worstPassRatio) {
                        worstPassRatio = ratio;
                        worstPass = r;
                    }
                    break;
                case FAIL: fail++; break;
                default: skip++; break;
            }
        }
        sb.append(String.format(Locale.ROOT, "%d passed, %d failed, %d skipped", pass, fail, skip));
        if (worstPass != null) {
            sb.append(String.format(Locale.ROOT, "; closest pass: %s [%s] at %.2g of tolerance",
                    worstPass.name(), worstPass.dtype().label(), worstPassRatio));
        }
        return sb.append('\n').toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2e", v);
    }
}
