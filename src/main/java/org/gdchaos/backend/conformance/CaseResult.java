package org.gdchaos.backend.conformance;

import java.util.Objects;
import org.gdchaos.backend.DType;

/**
 * Outcome of one conformance case on one backend and dtype.
 *
 * @param name      case name, e.g. "gemm/TN/3x37x53/batch5"
 * @param dtype     element type the case ran in
 * @param status    pass, fail or skipped
 * @param maxAbs    largest absolute error over all outputs (NaN when skipped or the case threw)
 * @param maxRel    largest scaled (relative) error over all outputs
 * @param tolerance tolerance of the output closest to failing
 * @param millis    wall time of the candidate's part, in milliseconds
 * @param detail    worst output and element, the exception, or why it was skipped
 */
public record CaseResult(String name, DType dtype, Status status, double maxAbs, double maxRel,
                         double tolerance, double millis, String detail) {

    /** Outcome category. */
    public enum Status { PASS, FAIL, SKIPPED }

    public CaseResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    static CaseResult skipped(String name, DType dtype, String why) {
        return new CaseResult(name, dtype, Status.SKIPPED, Double.NaN, Double.NaN, Double.NaN, 0,
                "skipped: " + why);
    }

    static CaseResult threw(String name, DType dtype, String who, Throwable t, double millis) {
        return new CaseResult(name, dtype, Status.FAIL, Double.NaN, Double.NaN, Double.NaN, millis,
                who + " threw " + t.getClass().getSimpleName() + ": " + t.getMessage());
    }

    /** One line for reports and assertion messages. */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s [%s] %s maxAbs=%.3g maxRel=%.3g tol=%.3g %s",
                name, dtype.label(), status, maxAbs, maxRel, tolerance, detail);
    }
}
