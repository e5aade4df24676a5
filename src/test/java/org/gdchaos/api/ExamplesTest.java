package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The programs in {@code examples/} (compiled with the tests, see pom.xml) run and print what their
 * Javadoc promises.
 */
class ExamplesTest {
    /** Runs {@code className.main(args)} and returns what it printed. */
    static String run(String className, String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            Class.forName(className).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(className + " failed; it printed:\n" + buf.toString(StandardCharsets.UTF_8),
                    e.getCause());
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sweepFromCodePrintsLambda1PerLearningRate() throws Exception {
        String out = run("SweepFromCode", "java");
        assertTrue(out.startsWith("backend: java"), out);
        Pattern row = Pattern.compile("(?m)^\\s*(\\S+)\\s+(\\S+)\\s+\\[\\s*(\\S+),\\s*(\\S+)\\]\\s+(\\d+)%$");
        Matcher m = row.matcher(out);
        List<Double> lrs = new java.util.ArrayList<>();
        while (m.find()) {
            lrs.add(Double.parseDouble(m.group(1)));
            double lambda = Double.parseDouble(m.group(2));
            assertTrue(Double.isFinite(lambda), out);
            assertTrue(Double.parseDouble(m.group(3)) <= lambda && lambda <= Double.parseDouble(m.group(4)), out);
        }
        assertEquals(List.of(0.05, 0.1, 0.2, 0.4), lrs, out);
        assertTrue(out.contains("over 150 steps"), out);
    }

    /** On the best backend available (under CI=true at least OpenCL on PoCL). */
    @Test
    void batchedGemmMatchesThePlainLoop() throws Exception {
        String out = run("BatchedGemm");
        assertTrue(out.contains("256 trajectories of (64x32)·(32x16)"), out);
        assertTrue(out.strip().endsWith("OK"), out);
    }
}
