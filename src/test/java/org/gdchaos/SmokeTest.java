package org.gdchaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gdchaos.backend.DType;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void dtypeParses() {
        assertEquals(DType.F64, DType.parse("float64"));
    }
}
