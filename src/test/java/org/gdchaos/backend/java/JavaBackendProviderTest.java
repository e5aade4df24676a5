package org.gdchaos.backend.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.Backends;
import org.junit.jupiter.api.Test;
import org.gdchaos.backend.java.cpu.VectorSupport;

class JavaBackendProviderTest {

    @Test
    void discoveredThroughServiceLoaderAndAvailable() {
        List<Backends.Entry> all = Backends.list();
        Backends.Entry java = all.stream().filter(e -> e.name().equals("java")).findFirst().orElseThrow();
        assertEquals(100, java.provider().rank());
        assertTrue(java.availability().available());
        assertTrue(java.availability().detail().matches("Java [0-9.]+.* \\((Vector API \\d+-bit|scalar), \\d+ threads?.*"),
                java.availability().detail());
        assertEquals("java", Backends.select("java").name());
    }

    @Test
    void createsBackendWithOptions() {
        try (Backend b = new JavaBackendProvider().create(new BackendOptions(java.util.Map.of("threads", "3", "vectorBits", "0")))) {
            assertEquals("java", b.name());
            assertTrue(b.device().endsWith("(scalar, 3 threads)"), b.device());
            assertTrue(b.memoryBytes() > 0);
        }
    }

    @Test
    void vectorWidthFollowsModulePresence() {
        try (JavaBackend b = new JavaBackend(BackendOptions.defaults())) {
            if (VectorWidth.moduleAvailable() && System.getProperty(VectorWidth.PROPERTY) == null) {
                assertEquals(VectorSupport.clampBits(VectorWidth.preferredBits()), b.vectorBits());
            } else if (!VectorWidth.moduleAvailable()) {
                assertEquals(0, b.vectorBits());
            }
        }
    }
}
