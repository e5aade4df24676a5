package org.gdchaos.backend.conformance;

/** The body of a conformance case: builds inputs, runs the operation, records outputs. */
@FunctionalInterface
public interface CaseBody {
    void run(Fixture fx);
}
