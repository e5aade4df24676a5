package org.gdchaos.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendConformanceTest;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * The reference against the hand-computed cases (inherited factory: the reference as candidate,
 * where the differential cases are trivially exact and the hand cases are the real test), plus
 * checks of the suite's own plumbing.
 */
class ReferenceSelfTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }

    @Test
    void handCasesPassOnTheReferenceInBothDtypes() {
        try (ReferenceBackend ref = new ReferenceBackend()) {
            for (DType dtype : DType.values()) {
                for (ConformanceCase c : Conformance.handCases()) {
                    CaseResult r = c.run(ref, ref, dtype);
                    assertTrue(r.passed(), r.toString());
                }
            }
        }
    }

    @Test
    void referenceAgainstItselfIsExactAndTableSummarises() {
        try (ReferenceBackend candidate = new ReferenceBackend()) {
            List<CaseResult> results = Conformance.run(candidate, DType.F64);
            assertEquals(Conformance.cases().size() + 1, results.size());
            for (CaseResult r : results) {
                assertTrue(r.passed(), r.toString());
                if (!r.name().startsWith("hand/")) assertEquals(0.0, r.maxRel(), r.name());
            }
            String table = Conformance.table(results);
            assertTrue(table.contains(results.size() + " passed, 0 failed, 0 skipped"), table);
            assertTrue(table.contains(Conformance.REFERENCE_SELF_CHECK), table);
        }
    }

    @Test
    void caseNamesAreUnique() {
        List<String> names = Conformance.cases().stream().map(ConformanceCase::name).toList();
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }
}
