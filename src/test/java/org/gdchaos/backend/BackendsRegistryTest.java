package org.gdchaos.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.conformance.DelegatingBackend;
import org.gdchaos.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery on injected providers: a name probes only that provider; {@code auto} skips
 * providers without the dtype and falls back, with one warning line, when opening one fails; a
 * named backend that fails to open stays an error.
 */
class BackendsRegistryTest {

    /** A provider whose probe, dtype support and create are scripted; it counts probes and creates. */
    static class Fake implements BackendProvider {
        final String name;
        final int rank;
        final boolean available;
        final boolean f64;
        final RuntimeException createFails;
        int probes;
        int creates;
        Backend last;

        Fake(String name, int rank, boolean available, boolean f64, RuntimeException createFails) {
            this.name = name;
            this.rank = rank;
            this.available = available;
            this.f64 = f64;
            this.createFails = createFails;
        }

        @Override public String name() { return name; }
        @Override public int rank() { return rank; }

        @Override
        public Availability probe() {
            probes++;
            return available ? Availability.yes("fake " + name) : Availability.no("fake " + name + " is absent (fix: none)");
        }

        @Override
        public boolean supports(DType dtype) {
            return dtype == DType.F32 || f64;
        }

        @Override
        public Backend create(BackendOptions options) {
            creates++;
            if (createFails != null) throw createFails;
            last = new ReferenceBackend();
            return last;
        }
    }

    private final List<String> warnings = new ArrayList<>();

    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    @Test
    void aNameProbesOnlyThatProvider() {
        Fake java = new Fake("java", 100, true, true, null), ocl = new Fake("opencl", 200, true, true, null),
                cuda = new Fake("cuda", 300, true, true, null);
        Backends.Registry r = Backends.of(List.of(ocl, java, cuda));
        assertEquals("java", r.select("java").name());
        try (Backend b = r.open("java", DType.F64, warnings::add)) {
            assertSame(java.last, b);
        }
        assertEquals(0, ocl.probes + cuda.probes + ocl.creates + cuda.creates, "other providers untouched");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.select("vulkan"));
        assertEquals("unknown backend 'vulkan'; known: auto, opencl, java, cuda", e.getMessage());
        assertEquals(0, ocl.probes + cuda.probes);
        assertEquals("cuda", r.select("auto").name(), "auto probes all and takes the highest rank");
    }

    @Test
    void autoFallsBackWithOneWarningWhenOpeningFails() {
        Fake java = new Fake("java", 100, true, true, null);
        Fake cuda = new Fake("cuda", 300, true, true,
                new IllegalStateException("cuDevicePrimaryCtxRetain failed: CUDA_ERROR_OUT_OF_MEMORY\nmore detail"));
        Backends.Registry r = Backends.of(List.of(java, cuda));
        try (Backend b = r.open(null, DType.F64, warnings::add)) {
            assertSame(java.last, b);
        }
        assertEquals(List.of("backend cuda failed to open (cuDevicePrimaryCtxRetain failed: CUDA_ERROR_OUT_OF_MEMORY);"
                + " trying the next backend"), warnings);
        assertEquals(1, cuda.creates);
    }

    @Test
    void aNamedBackendThatFailsToOpenIsAnError() {
        Fake java = new Fake("java", 100, true, true, null);
        Fake cuda = new Fake("cuda", 300, true, true, new IllegalStateException("cublasCreate failed: CUBLAS_STATUS_NOT_INITIALIZED"));
        Backends.Registry r = Backends.of(List.of(java, cuda));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.open("cuda", DType.F64, warnings::add));
        assertEquals("backend cuda failed to open: cublasCreate failed: CUBLAS_STATUS_NOT_INITIALIZED", e.getMessage());
        System.setProperty(Backends.PROPERTY, "cuda");           // forced by property: still a name, still an error
        assertThrows(IllegalStateException.class, () -> r.open(null, DType.F64, warnings::add));
        assertTrue(warnings.isEmpty());
        assertEquals(0, java.creates, "no silent fallback for a named backend");
    }

    @Test
    void autoSkipsProvidersWithoutTheDtypeAndUnavailableOnes() {
        Fake java = new Fake("java", 100, true, true, null), ocl = new Fake("opencl", 200, true, false, null),
                cuda = new Fake("cuda", 300, false, true, null);
        Backends.Registry r = Backends.of(List.of(java, ocl, cuda));
        try (Backend b = r.open("auto", DType.F64, warnings::add)) {
            assertSame(java.last, b);
        }
        try (Backend b = r.open("auto", DType.F32, warnings::add)) {
            assertSame(ocl.last, b);
        }
        assertEquals(1, ocl.creates, "the f64 run did not open opencl");
        assertEquals(new Backends.Plan("auto", "java", null), Backends.plan(null, DType.F64, r.list()));
        assertEquals(new Backends.Plan("auto", "opencl", null), Backends.plan(null, DType.F32, r.list()));
        Backends.Plan p = Backends.plan("cuda", DType.F64, r.list());
        assertNull(p.backend());
        assertTrue(p.problem().startsWith("cuda is unavailable: fake cuda is absent"), p.problem());
        System.setProperty(Backends.PROPERTY, "opencl");
        assertEquals("opencl does not support f64", Backends.plan(null, DType.F64, r.list()).problem());
        assertEquals(new Backends.Plan("opencl", "opencl", null), Backends.plan(null, DType.F32, r.list()));
    }

    @Test
    void whenEveryCandidateFailsTheErrorListsWhy() {
        Fake a = new Fake("a", 2, true, true, new IllegalStateException("boom a"));
        Fake b = new Fake("b", 1, true, true, new IllegalArgumentException("bad option b"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.of(List.of(a, b)).open(null, DType.F64, warnings::add));
        assertEquals("no backend could be opened for f64: a failed to open (boom a); b failed to open (bad option b)",
                e.getMessage());
        assertEquals(2, warnings.size());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> Backends.of(List.of(new Fake("c", 1, false, true, null))).open(null, DType.F64, warnings::add));
        assertTrue(none.getMessage().startsWith("no available backend supports f64: c (fake c is absent"), none.getMessage());
    }

    /** An F32-only backend (a reference backend that reports no F64), for the "lacks the dtype" error. */
    static Backend f32Only() {
        return new DelegatingBackend(new ReferenceBackend()) {
            @Override public String name() { return "opencl"; }
            @Override public String device() { return "fake GPU"; }
            @Override public boolean supports(DType dtype) { return dtype == DType.F32; }
        };
    }

    @Test
    void aNamedBackendWithoutTheDtypeNamesTheSettingsNotFlags() {
        Fake ocl = new Fake("opencl", 200, true, true, null) {
            @Override
            public Backend create(BackendOptions options) {
                creates++;
                last = f32Only();
                return last;
            }
        };
        Backends.DTypeUnsupportedException e = assertThrows(Backends.DTypeUnsupportedException.class,
                () -> Backends.of(List.of(ocl)).open("opencl", DType.F64, warnings::add));
        assertEquals("backend opencl (fake GPU) does not support f64; use training.dtype f32 or another backend",
                e.getMessage());
        assertEquals("backend opencl (fake GPU) does not support f64; use <training.dtype> f32 or another <backend>",
                e.message(k -> "<" + k + ">"));
    }
}
