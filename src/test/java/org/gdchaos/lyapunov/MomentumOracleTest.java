package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Heavy ball on a quadratic loss against its closed form (docs/science.md#optimizer-lyapunov): least
 * squares on the linear model of {@link KnownExponentsTest#regressionData()} has the Hessian
 * H = diag(0.3, 0.7, 2.5, 1) and its minimum at w = 0, where the reference sits (gradient exactly 0,
 * v = 0), so every perturbation of the state (w, v) evolves by the linear map
 * {@code [[I − ηH, βI], [−ηH, βI]]}. Its multipliers are the roots z of
 * {@code z² − (1 + β − ηh)z + β = 0} per eigenvalue h, the exponents ln|z|. The full tangent
 * spectrum (2P = 8 exponents), the finite-replica spectrum and Benettin's λ1 are checked on Java
 * and OpenCL for β = 0 (GD: the P largest are ln|1 − ηh|, the others −∞), all roots real, all
 * roots complex (|z| = √β for every root), and beyond the heavy-ball threshold ηh &gt; 2 + 2β.
 */
class MomentumOracleTest {
    static Backend java;
    static Backend opencl;

    @BeforeAll
    static void open() {
        java = Backends.create("java");
        try {
            opencl = Backends.create("opencl");
        } catch (RuntimeException e) {
            opencl = null; // reported per test (skipped, as the other OpenCL tests are without a device)
        }
    }

    @AfterAll
    static void close() {
        java.close();
        if (opencl != null) opencl.close();
    }

    /** The 2P exponents ln|z| over the roots of z² − (1 + β − ηh)z + β, sorted descending (−∞ for z = 0). */
    static double[] oracle(double eta, double beta) {
        return oracle(eta, beta, false);
    }

    /**
     * As {@link #oracle(double, double)}; for Nesterov the map on (w, v) is
     * {@code [[I − η(1+β)H, β²I], [−ηH, βI]]}, whose multipliers solve
     * {@code z² − (1 + β − η(1+β)h)z + β(1 − ηh) = 0}.
     */
    static double[] oracle(double eta, double beta, boolean nesterov) {
        double[] out = new double[2 * KnownExponentsTest.MU.length];
        int i = 0;
        for (double h : KnownExponentsTest.MU) {
            double b = nesterov ? 1 + beta - eta * (1 + beta) * h : 1 + beta - eta * h;
            double c = nesterov ? beta * (1 - eta * h) : beta;
            double disc = b * b - 4 * c;
            if (disc >= 0) {
                double s = Math.sqrt(disc);
                out[i++] = Math.log(Math.abs((b + s) / 2));
                out[i++] = Math.log(Math.abs((b - s) / 2));
            } else {
                out[i++] = 0.5 * Math.log(c); // |z|² = c for a complex pair
                out[i++] = 0.5 * Math.log(c);
            }
        }
        Arrays.sort(out);
        for (int k = 0; k < out.length / 2; k++) {
            double t = out[k];
            out[k] = out[out.length - 1 - k];
            out[out.length - 1 - k] = t;
        }
        return out;
    }

    /** Whether every root for the H of the test is real (true) or every one complex (false); null when mixed. */
    static Boolean allReal(double eta, double beta) {
        int real = 0;
        for (double h : KnownExponentsTest.MU) {
            double b = 1 + beta - eta * h;
            if (b * b - 4 * beta >= 0) real++;
        }
        return real == KnownExponentsTest.MU.length ? Boolean.TRUE : real == 0 ? Boolean.FALSE : null;
    }

    /** name, η, β, exponents checked (β = 0: the P finite ones), tolerance. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("beta0", 0.9, 0.0, 4, 1e-9),
                Arguments.of("real", 0.15, 0.1, 8, 1e-6),
                Arguments.of("complex", 0.5, 0.81, 8, 5e-3),
                Arguments.of("unstable", 1.4, 0.5, 8, 5e-3));
    }

    static Stream<Arguments> casesOnBackends() {
        return cases().flatMap(a -> Stream.of("java", "opencl").map(b -> {
            Object[] x = a.get();
            return Arguments.of(b, x[0], x[1], x[2], x[3], x[4]);
        }));
    }

    static Backend backend(String name) {
        if (name.equals("opencl")) {
            Assumptions.assumeTrue(opencl != null || System.getenv("CI") != null, "OpenCL unavailable");
            if (opencl == null) throw new AssertionError("OpenCL must be available in CI");
            return opencl;
        }
        return java;
    }

    static CellResult run(Backend b, LyapunovConfig cfg, double eta, double beta, int steps) {
        ModelSpec spec = new ModelSpec(new int[] {3, 1}, Activation.IDENTITY, true, Loss.MSE);
        return TrackerRun.run(b, Optimizer.momentum(beta), spec, KnownExponentsTest.regressionData(), new double[4], 4,
                new double[][] {new double[4]}, new double[] {eta}, cfg, steps)[0];
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesOnBackends")
    void tangentAndReplicaSpectraAreTheLogsOfTheHeavyBallRoots(String backend, String name, double eta, double beta,
                                                               int k, double tol) {
        Backend b = backend(backend);
        double[] want = oracle(eta, beta);
        switch (name) {
            case "real" -> assertTrue(Boolean.TRUE.equals(allReal(eta, beta)), "oracle: all roots real");
            case "complex" -> assertTrue(Boolean.FALSE.equals(allReal(eta, beta)), "oracle: all roots complex");
            case "unstable" -> assertTrue(eta * 2.5 > 2 + 2 * beta && want[0] > 0, "oracle: beyond the threshold");
            default -> assertEquals(Math.log(1.25), want[0], 1e-12, "β = 0: GD's multiplier 1 − ηh");
        }
        // OpenCL launches ~40 kernels a step on a shared CPU: fewer steps, and for the degenerate moduli
        // (complex pairs, whose QR diagonal oscillates within a bounded factor) a tolerance ~1/steps
        boolean slow = backend.equals("opencl");
        int steps = slow ? 500 : 2000;
        if (slow && tol > 1e-4) tol *= 4;
        for (Method m : new Method[] {Method.TANGENT, Method.SPECTRUM}) {
            LyapunovConfig cfg = new LyapunovConfig(m, 1, k, 1e-6, 1, 100, Norm.L2, true,
                    org.gdchaos.analysis.GrowthFit.Method.GROWTH_PHASE);
            double[] got = run(b, cfg, eta, beta, steps).exponents();
            assertEquals(k, got.length);
            for (int i = 0; i < k; i++) {
                assertEquals(want[i], got[i], tol, m + " exponent " + (i + 1) + " of " + Arrays.toString(got));
            }
        }
        LyapunovConfig ben = new LyapunovConfig(Method.BENETTIN, 2, 1, 1e-6, 1, 100, Norm.L2, true,
                org.gdchaos.analysis.GrowthFit.Method.GROWTH_PHASE);
        assertEquals(want[0], run(b, ben, eta, beta, steps).lambda1(), tol, "Benettin λ1");
    }

    /**
     * Nesterov at β = 0.5: below its threshold (η = 0.5) and beyond it (η = 0.8: ηh = 2 for h = 2.5 exceeds
     * (2 + 2β)/(1 + 2β) = 1.5) where heavy ball with the same β and η is still stable ((2 + 2β) = 3 &gt; 2).
     */
    @ParameterizedTest(name = "nesterov η = {0}")
    @org.junit.jupiter.params.provider.ValueSource(doubles = {0.5, 0.8})
    void nesterovSpectrumIsTheLogsOfItsRoots(double eta) {
        double beta = 0.5;
        double[] want = oracle(eta, beta, true);
        if (eta == 0.8) {
            assertTrue(want[0] > 0 && oracle(eta, beta, false)[0] < 0, "oracle: Nesterov unstable, heavy ball stable");
        }
        for (Method m : new Method[] {Method.TANGENT, Method.SPECTRUM}) {
            LyapunovConfig cfg = new LyapunovConfig(m, 1, 8, 1e-6, 1, 100, Norm.L2, true,
                    org.gdchaos.analysis.GrowthFit.Method.GROWTH_PHASE);
            ModelSpec spec = new ModelSpec(new int[] {3, 1}, Activation.IDENTITY, true, Loss.MSE);
            double[] got = TrackerRun.run(java, Optimizer.nesterov(beta), spec, KnownExponentsTest.regressionData(),
                    new double[4], 4, new double[][] {new double[4]}, new double[] {eta}, cfg, 2000)[0].exponents();
            for (int i = 0; i < 8; i++) {
                assertEquals(want[i], got[i], 5e-3, m + " exponent " + (i + 1) + " of " + Arrays.toString(got)
                        + " want " + Arrays.toString(want));
            }
        }
    }
}
