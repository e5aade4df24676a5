package org.gdchaos.cli;

import org.gdchaos.backend.BackendProvider;
import org.gdchaos.backend.java.JavaBackendProvider;

/** {@link SweepBatchingTest} on the Java backend. */
class JavaSweepBatchingTest extends SweepBatchingTest {
    @Override
    protected String backend() {
        return "java";
    }

    @Override
    protected BackendProvider provider() {
        return new JavaBackendProvider();
    }

    @Override
    protected boolean requiredInCi() {
        return true;
    }
}
