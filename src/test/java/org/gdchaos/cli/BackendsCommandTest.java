package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.BackendOptions;
import org.gdchaos.backend.BackendProvider;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.View;
import org.gdchaos.backend.conformance.DelegatingBackend;
import org.gdchaos.backend.opencl.OpenClBackendProvider;
import org.gdchaos.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code gdchaos backends}: one row per provider with the reason when unavailable, the * marker
 * where a run without {@code --backend} would go (following a {@code gdchaos.backend} override —
 * the environment variable takes the same path but cannot be set in-process), and
 * {@code --verify} on every available backend (exit 0) or against a planted bug (exit 6).
 */
class BackendsCommandTest {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    /** One listed backend: status and device / reason. */
    record Row(String status, String detail) {
    }

    @AfterEach
    void clearOverride() {
        System.clearProperty(Backends.PROPERTY);
    }

    private static Map<String, Row> rows(String out) {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("backend  rank  status"), out);
        for (String l : lines.subList(1, lines.size())) {
            if (l.startsWith("*") || l.startsWith("!")) break;
            String[] f = l.trim().split("\\s+", 4);
            assertEquals(4, f.length, "row '" + l + "'");
            Integer.parseInt(f[1]);
            rows.put(f[0], new Row(f[2], f[3]));
        }
        return rows;
    }

    private static List<String> starred(Map<String, Row> rows) {
        return rows.entrySet().stream().filter(e -> e.getValue().status().endsWith("*")).map(Map.Entry::getKey).toList();
    }

    private static boolean openClAvailable() {
        Availability a = new OpenClBackendProvider().probe();
        if (CI) assertTrue(a.available(), "CI requires OpenCL: " + a.detail());
        return a.available();
    }

    @Test
    void oneRowPerProviderWithTheReasonWhenUnavailable() {
        assumeTrue(Backends.override() == null, "GDCHAOS_BACKEND is set in this environment");
        Cli c = Cli.run("backends");
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        Map<String, Row> rows = rows(c.out());
        List<Backends.Entry> entries = Backends.list();
        assertEquals(entries.stream().map(Backends.Entry::name).toList(), new ArrayList<>(rows.keySet()));
        assertEquals(List.of("cuda", "java", "opencl"), rows.keySet().stream().sorted().toList());
        for (Backends.Entry e : entries) {
            Row r = rows.get(e.name());
            assertEquals(e.availability().available(), r.status().startsWith("available"), e.name() + ": " + r);
            assertEquals(e.availability().detail(), r.detail());
            if (!e.availability().available()) {
                assertEquals("unavailable", r.status());
                assertTrue(r.detail().contains("fix:"), "an unavailable row says why and how to fix it: " + r);
            }
        }
        if (!Files.exists(Path.of("/dev/nvidiactl"))) {
            assertEquals("unavailable", rows.get("cuda").status(), "no NVIDIA driver here");
            assertTrue(rows.get("cuda").detail().contains("libcuda.so.1"), rows.get("cuda").detail());
        }
        // without an override, auto: the highest-ranked available backend; here (no GPU, PoCL a CPU
        // device ranked below Java) that is java
        List<String> star = starred(rows);
        assertEquals(1, star.size(), c.out());
        Backends.Entry top = entries.stream().filter(e -> e.availability().available()).findFirst().orElseThrow();
        assertEquals(top.name(), star.get(0));
        if (!rows.get("cuda").status().startsWith("available") && new OpenClBackendProvider().rank() < 100) {
            assertEquals("java", star.get(0));
        }
        assertTrue(c.out().contains("* used by runs without --backend (f64): " + top.name() + ", auto:"), c.out());
    }

    @Test
    void theMarkerFollowsAnOverride() {
        assumeTrue(openClAvailable(), "OpenCL unavailable");
        System.setProperty(Backends.PROPERTY, "opencl");
        Cli c = Cli.run("backends");
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        assertEquals(List.of("opencl"), starred(rows(c.out())), c.out());
        assertTrue(c.out().contains("* used by runs without --backend (f64): opencl, forced by -Dgdchaos.backend=opencl"),
                c.out());

        System.setProperty(Backends.PROPERTY, "java");
        Cli f32 = Cli.run("backends", "--dtype", "f32");
        assertEquals(List.of("java"), starred(rows(f32.out())), f32.out());
        assertTrue(f32.out().contains("(f32): java, forced by -Dgdchaos.backend=java"), f32.out());
    }

    @Test
    void anOverrideToAnUnavailableBackendMarksNothingAndSaysWhy() {
        assumeTrue(!new org.gdchaos.backend.cuda.CudaBackendProvider().probe().available(), "CUDA is available here");
        System.setProperty(Backends.PROPERTY, "cuda");
        Cli c = Cli.run("backends");
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        assertEquals(List.of(), starred(rows(c.out())), c.out());
        assertTrue(c.out().contains("! runs without --backend (f64) fail (forced by -Dgdchaos.backend=cuda): cuda is"
                + " unavailable: "), c.out());
    }

    @Test
    void verifyRunsOnEveryAvailableBackendAndExitsZero() {
        boolean opencl = openClAvailable();
        Cli c = Cli.run("backends", "--verify");
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        List<String> verified = new ArrayList<>();
        boolean table = false;
        for (String l : c.out().lines().toList()) {
            if (l.startsWith("backend  type")) {
                table = true;
                assertTrue(l.contains("max abs") && l.contains("max rel") && l.contains("worst/tol"), l);
                continue;
            }
            if (!table || l.isBlank() || l.startsWith("max abs")) continue;
            if (l.startsWith("all available")) break;
            String[] f = l.trim().split("\\s+");
            assertEquals("0", f[3], "no failures: " + l);
            assertTrue(Double.parseDouble(f[5]) >= 0 && Double.parseDouble(f[6]) >= 0, "max abs and max rel: " + l);
            verified.add(f[0] + " " + f[1]);
        }
        assertTrue(verified.containsAll(List.of("java f64", "java f32")), c.out());
        if (opencl) assertTrue(verified.containsAll(List.of("opencl f64", "opencl f32")), c.out());
        assertTrue(c.out().contains("all available backends agree with the reference"), c.out());
    }

    /** A backend whose scale is off by one part in a thousand. */
    static final class Mutant implements BackendProvider {
        @Override public String name() { return "mutant"; }
        @Override public int rank() { return 1; }
        @Override public Availability probe() { return Availability.yes("reference with a planted scale bug"); }

        @Override
        public Backend create(BackendOptions options) {
            return new DelegatingBackend(new ReferenceBackend()) {
                @Override
                public void scale(int batch, long n, View s, View y) {
                    inner.scale(batch, n, s, y);
                    inner.scale(batch, n, s, y);   // y·s² instead of y·s
                }
            };
        }
    }

    @Test
    void verifyExitsSixWhenABackendDisagreesWithTheReference() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BackendsCommand(() -> Backends.of(List.of(new Mutant()))));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("--verify");
        assertEquals(ExitCodes.VERIFY_FAILED, code, out.toString());
        assertTrue(out.toString().contains("VERIFY FAILED"), out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.matches("mutant\\s+f64\\s+\\d+\\s+[1-9]\\d*\\s.*")), out.toString());
        assertFalse(out.toString().contains("all available backends agree"));
    }
}
