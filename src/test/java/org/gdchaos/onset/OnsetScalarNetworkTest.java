package org.gdchaos.onset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.SweepSpec;
import org.gdchaos.testing.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The onset search on the balanced scalar network (docs/science.md#o8): {@code --model linear
 * --width 1 --data scalar:x=1,y=1}, a = b at the start, is the map s' = s(1 + η − ηs²), whose
 * period-doubling cascade accumulates at the onset of chaos η∞. The test computes η∞ from the map
 * itself (superstable parameters of the 2^k cycles, extrapolated with Feigenbaum's δ) and requires
 * the search (Benettin, f64) over lin:1:2 to bracket it to the tolerance, on every backend CI runs.
 */
class OnsetScalarNetworkTest {
    static final int STEPS = 1500;
    static final int TRANSIENT = 300;

    static SweepSpec base() {
        LyapunovConfig lc = new LyapunovConfig(Method.BENETTIN, 1, 1, 1e-7, 1, TRANSIENT, Norm.L2, false,
                GrowthFit.Method.GROWTH_PHASE);
        return SweepSpec.builder().data("scalar:x=1,y=1").trainSize(0).testSize(0).model(ModelSpec.linear(1))
                .init(InitSpec.values(new double[] {0.5, 0.5})).learningRates(1).inits(2).seed(1).steps(STEPS)
                .batchSize(0).dtype(DType.F64).lyapunov(lc).accuracyThreshold(0.0).evalEvery(0).build();
    }

    static OnsetSettings settings(double lo, double hi, int rounds) {
        return new OnsetSettings(lo, hi, false, 8, rounds, 0.02, 0.01, 2, 4);
    }

    static OnsetResult run(String backend, OnsetSettings s, Path dir, boolean resume) {
        try (Backend be = TestBackends.openOrSkip(backend)) {
            return new OnsetRunner(be, base(), s, dir, resume, 0).run();
        }
    }

    // ---------------------------------------------------------------- the map's own answers

    static double map(double s, double eta) {
        return s * (1 + eta - eta * s * s);
    }

    /** f^n(s_c) − s_c at the critical point s_c = √((1 + η)/(3η)) (f'(s_c) = 0). */
    static double returnGap(double eta, int n) {
        double sc = Math.sqrt((1 + eta) / (3 * eta)), x = sc;
        for (int i = 0; i < n; i++) x = map(x, eta);
        return x - sc;
    }

    /** The first sign change of {@link #returnGap} on a fine grid of [a, b], refined by bisection. */
    static double superstable(double a, double b, int n) {
        int grid = 2000;
        double prev = returnGap(a, n);
        for (int i = 1; i <= grid; i++) {
            double x = a + (b - a) * i / grid, v = returnGap(x, n);
            if (prev == 0 || (v > 0) != (prev > 0)) {
                double lo = a + (b - a) * (i - 1) / grid, hi = x, flo = prev;
                for (int k = 0; k < 200; k++) {
                    double m = 0.5 * (lo + hi), fm = returnGap(m, n);
                    if ((fm > 0) == (flo > 0)) {
                        lo = m;
                        flo = fm;
                    } else {
                        hi = m;
                    }
                }
                return 0.5 * (lo + hi);
            }
            prev = v;
        }
        throw new AssertionError("no superstable parameter of period " + n + " in [" + a + ", " + b + "]");
    }

    /**
     * η∞ of the cascade: superstable η_k of the 2^k cycles (η_0 = 1/2 where s = 1 is superstable),
     * each searched one Feigenbaum step after the last, and η∞ ≈ η_k + (η_k − η_{k−1})/(δ − 1).
     */
    static double accumulationPoint() {
        double delta = 4.669201609;
        List<Double> e = new ArrayList<>(List.of(0.5, superstable(1.0001, 1.29, 2)));
        for (int k = 2; k <= 10; k++) {
            double last = e.get(e.size() - 1), gap = (last - e.get(e.size() - 2)) / delta;
            e.add(superstable(last + 0.5 * gap, last + 1.6 * gap, 1 << k));
        }
        double ek = e.get(e.size() - 1), ek1 = e.get(e.size() - 2);
        return ek + (ek - ek1) / (delta - 1);
    }

    /** λ of the map at η, from the derivative along a long orbit. */
    static double mapExponent(double eta) {
        double s = 0.5, acc = 0;
        for (int i = 0; i < 5000; i++) s = map(s, eta);
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            acc += Math.log(Math.max(Math.abs(1 + eta - 3 * eta * s * s), 1e-300));
            s = map(s, eta);
        }
        return acc / n;
    }

    @Test
    void theMapsAccumulationPointIsKnownToSeveralDigits() {
        assertEquals(1.3022834627, accumulationPoint(), 1e-8);
        assertTrue(mapExponent(1.30) < 0 && mapExponent(1.31) > 0);
    }

    // ---------------------------------------------------------------- the search against them

    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void bracketsThePeriodDoublingAccumulationPoint(String backend, @TempDir Path dir) {
        double eta = accumulationPoint();
        OnsetResult r = run(backend, settings(1, 2, 8), dir, false);
        OnsetAnswer a = r.answer();
        assertEquals(OnsetSearch.OnsetStatus.BRACKETED, r.replay().state().onset().status(), a.onsetLine());
        assertTrue(a.onsetLow() < eta && eta <= a.onsetHigh(), a.onsetLine() + " must hold η∞ = " + eta);
        assertTrue((a.onsetHigh() - a.onsetLow()) / a.onsetLow() <= 0.02 + 1e-12, a.onsetLine());
        // K = 8: 28 cells where a uniform grid at the lattice resolution has 51 × 2 = 102 (the issue asks ≤ 1/3)
        assertTrue(r.rows().size() * 3L <= r.uniformGridCells(), r.rows().size() + " cells of " + r.uniformGridCells());
        assertTrue(Files.exists(dir.resolve(OnsetRunner.FILE)) && Files.exists(dir.resolve("report.html")));
    }

    @Test
    void aRegularRangeHasNoOnsetAndAChaoticOneHasItBelowLo(@TempDir Path dir) {
        OnsetResult reg = run("java", settings(0.5, 0.95, 4), dir.resolve("regular"), false);
        assertEquals(OnsetSearch.OnsetStatus.NONE_BELOW_HI, reg.replay().state().onset().status());
        assertTrue(reg.answer().onsetLine().startsWith("no onset below η = 0.95"), reg.answer().onsetLine());
        OnsetResult cha = run("java", settings(1.9, 2.0, 4), dir.resolve("chaotic"), false);
        assertEquals(OnsetSearch.OnsetStatus.BELOW_LO, cha.replay().state().onset().status());
        assertTrue(cha.answer().onsetLine().contains("below η = 1.9"), cha.answer().onsetLine());
    }

    @Test
    void aRangeStartingInAPeriodicWindowBracketsTheWindowsEnd(@TempDir Path dir) {
        double lo = 1.455; // inside the window [≈1.451, ≈1.468] of the map
        assertTrue(mapExponent(lo) < -0.01, "1.455 lies in a periodic window");
        double cross = lo;
        while (mapExponent(cross) <= 0.01) cross += 1e-4; // the map's first crossing of λ* from lo upward
        assertTrue(cross > 1.46 && cross < 1.47, "window end " + cross);
        OnsetResult r = run("java", settings(lo, 1.6, 8), dir, false);
        OnsetAnswer a = r.answer();
        assertTrue(a.onsetLow() >= lo && a.onsetLow() < cross && cross - 1e-4 <= a.onsetHigh(), a.onsetLine()
                + " must hold the window's end " + cross);
    }

    // ---------------------------------------------------------------- resume

    @Test
    void aSearchStoppedAndResumedEndsWithTheSameBytes(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole"), staged = dir.resolve("staged"), cut = dir.resolve("cut");
        OnsetSettings s = settings(1, 2, 8);
        run("java", s, whole, false);
        // stopped after round 0 (a round budget of 1), then resumed with the full budget
        run("java", settings(1, 2, 1), staged, false);
        run("java", s, staged, true);
        // killed mid-round: the last results rows gone (their curves are dropped on resume)
        Files.createDirectories(cut);
        for (String f : List.of("results.csv", "curves.csv", "run.json")) {
            Files.copy(whole.resolve(f), cut.resolve(f));
        }
        List<String> lines = Files.readAllLines(cut.resolve("results.csv"));
        Files.write(cut.resolve("results.csv"), lines.subList(0, lines.size() - 3));
        run("java", s, cut, true);
        for (Path other : List.of(staged, cut)) {
            for (String f : List.of("results.csv", "curves.csv", "summary.csv", OnsetRunner.FILE)) {
                assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(other.resolve(f)),
                        f + " of " + other.getFileName());
            }
        }
    }

    @Test
    void resumingWithOtherSettingsIsRefusedNamingEach(@TempDir Path dir) {
        run("java", settings(1, 2, 1), dir, false);
        OutputFolderException e = assertThrows(OutputFolderException.class,
                () -> run("java", new OnsetSettings(1, 2, false, 8, 8, 0.05, 0.02, 2, 4), dir, true));
        String m = e.message(k -> "<" + k + ">");
        assertTrue(m.contains("<onset.tolerance>") && m.contains("<onset.chaosThreshold>"), m);
        assertThrows(OutputFolderException.class, () -> run("java", settings(1, 2, 1), dir, false),
                "a folder holding a search needs --resume");
    }
}
