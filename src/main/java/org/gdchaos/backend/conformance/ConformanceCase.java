package org.gdchaos.backend.conformance;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;

/**
 * One conformance check: a differential case (candidate against the reference backend on seeded
 * random inputs, {@link DifferentialCase}) or a hand-computed one (candidate against known
 * numbers, {@link HandCase}). Cases never throw: failures, exceptions included, are results.
 */
public interface ConformanceCase {

    /** Unique name, "family/variant/shape", e.g. "gemm/TN/3x37x53/batch5". */
    String name();

    /**
     * Runs the case on {@code candidate} in {@code dtype}; {@code reference} is the oracle for
     * differential cases (ignored by hand-computed ones). The caller checks dtype support.
     */
    CaseResult run(Backend candidate, Backend reference, DType dtype);
}
