package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gdchaos.backend.Backends;
import org.junit.jupiter.api.Test;

/** The backend errors the command line shows name flags where the library names settings. */
class BackendChoiceTest {

    @Test
    void aMissingDtypeIsFixedWithTheDtypeAndBackendFlags() {
        Backends.DTypeUnsupportedException e = new Backends.DTypeUnsupportedException("opencl", "fake GPU",
                org.gdchaos.backend.DType.F64);
        assertEquals("backend opencl (fake GPU) does not support f64; use --dtype f32 or another --backend",
                BackendChoice.message(e));
    }

    @Test
    void otherErrorsKeepTheirMessage() {
        assertEquals("unknown backend 'x'; known: auto, java",
                BackendChoice.message(new IllegalArgumentException("unknown backend 'x'; known: auto, java")));
    }
}
