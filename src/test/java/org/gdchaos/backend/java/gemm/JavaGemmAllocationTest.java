package org.gdchaos.backend.java.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.gdchaos.backend.GemmShape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.gdchaos.backend.java.cpu.VectorSupport;

/**
 * The no-allocation rule of the GEMM hot loop: once the JIT has compiled the micro-kernels, a
 * large GEMM call allocates almost nothing (task objects only), summed over every thread of
 * the JVM. A micro-kernel whose Vector API accumulators are not intrinsified (boxed vectors)
 * allocates a 64- to 128-byte object per vector operation, i.e. hundreds of megabytes per
 * call, so this fails loudly when C2 stops compiling the kernels into registers.
 *
 * <p>Each width runs in a fresh child JVM (one width per JVM, as in production). Warm-up is
 * bounded by a call count, not by time: the check passes as soon as one call
 * stays under the limit, after at most {@value #MAX_CALLS} calls.
 */
class JavaGemmAllocationTest {
    /**
     * Allocation allowed for a warmed set of four GEMM calls, all threads together. A warmed JVM
     * usually allocates ~4 KB here (task objects); in about one JVM in six C2 settles on a
     * compilation that still boxes a little (233 KB per set, measured 2026-12-01, also on the
     * code before that day's changes) and never recompiles it. Unintrinsified micro-kernels
     * allocate ~700 MB per set (the first, cold set), so 1 MiB keeps a 700× margin for the
     * failure this test exists to catch while not failing on that rare outcome.
     */
    private static final long LIMIT_BYTES = 1024 * 1024;
    private static final int MAX_CALLS = 150;
    private static com.sun.management.ThreadMXBean mx;

    @BeforeAll
    static void bean() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(b instanceof com.sun.management.ThreadMXBean, "needs HotSpot's ThreadMXBean");
        mx = (com.sun.management.ThreadMXBean) b;
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "needs allocation accounting");
        mx.setThreadAllocatedMemoryEnabled(true);
    }

    /** Bytes allocated so far by each live thread. */
    private static java.util.Map<Long, Long> snapshot() {
        long[] ids = mx.getAllThreadIds();
        long[] bytes = mx.getThreadAllocatedBytes(ids);
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                m.put(ids[i], bytes[i]);
            }
        }
        return m;
    }

    /** Bytes allocated between two snapshots, all threads (threads started in between count in full). */
    private static long allocatedBetween(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after) {
        long sum = 0;
        for (java.util.Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    @ParameterizedTest(name = "bits={0}")
    @ValueSource(ints = {0, 256, 512})
    void warmedLargeGemmAllocatesAlmostNothing(int bits) throws Exception {
        int width = bits == 0 ? 0 : VectorSupport.clampBits(bits);
        Assumptions.assumeTrue(bits == 0 || width == bits, "platform lacks " + bits + "-bit vectors");
        // A fresh JVM per width: one vector width per JVM, as in production (see the kernels'
        // Javadoc on profile pollution when several widths run in one JVM).
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), Integer.toString(width))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "child JVM hung: " + out);
        assertEquals(0, p.exitValue(), "child JVM failed: " + out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("best=(\\d+)").matcher(out);
        assertTrue(m.find(), "no result from child JVM: " + out);
        long best = Long.parseLong(m.group(1));
        assertTrue(best < LIMIT_BYTES, "a warmed set of 4 GEMM calls still allocates " + best
                + " bytes (boxed vectors in the micro-kernel?) at width " + width + ": " + out);
    }

    /** Runs in the child JVM: warms and measures, prints {@code best=<bytes>}. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            bean();
            ForkJoinPool pool = new ForkJoinPool(2);
            JavaGemm g = new JavaGemm(pool, Integer.parseInt(args[0]));
            // A shared (row super-block order) and a plain call (general order), both dtypes, k > KC.
            GemmShape shared = new GemmShape(8, 96, 64, 300, false, true, 1, 0);
            GemmShape plain = new GemmShape(2, 120, 112, 300, true, false, 1, 0.5);
            SplittableRandom rnd = new SplittableRandom(5);
            double[] a = rnd.doubles(2 * 120 * 300, -1, 1).toArray();
            double[] b = rnd.doubles(8 * 64 * 300, -1, 1).toArray();
            double[] c = new double[8 * 96 * 112];
            float[] af = JavaGemmBlockingTest.toFloat(a);
            float[] bf = JavaGemmBlockingTest.toFloat(b);
            float[] cf = new float[c.length];
            long best = Long.MAX_VALUE;
            long first = -1;
            for (int call = 0; call < MAX_CALLS && best >= LIMIT_BYTES; call++) {
                java.util.Map<Long, Long> before = snapshot();
                g.gemm(shared, a, 0, 0, b, 0, 64 * 300, c, 0, 96 * 64);
                g.gemm(plain, a, 0, 120 * 300, b, 0, 112 * 300, c, 0, 120 * 112);
                g.gemm(shared, af, 0, 0, bf, 0, 64 * 300, cf, 0, 96 * 64);
                g.gemm(plain, af, 0, 120 * 300, bf, 0, 112 * 300, cf, 0, 120 * 112);
                long bytes = allocatedBetween(before, snapshot());
                if (first < 0) {
                    first = bytes;
                }
                best = Math.min(best, bytes);
            }
            pool.shutdown();
            System.out.println("first=" + first + " best=" + best);
        }
    }
}
