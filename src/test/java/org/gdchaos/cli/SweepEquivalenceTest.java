package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.BackendProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full sweep on a device backend against the same sweep on the Java backend, float64, with the
 * paper's perturbation ε = {@value #EPSILON}. Initial weights and perturbations are drawn on the
 * host, so both start from the same bits and differ only by rounding (summation order). Two
 * numbers agree when {@code |x − y| ≤ REL·max(|x|, |y|) + FLOOR} (REL = {@value #REL}, FLOOR =
 * {@value #FLOOR}: relative, the floor only lets exact zeros such as {@code fit_start = 0} match);
 * non-numbers, NaN and ±∞ must be equal strings.
 * <ul>
 *   <li><b>Non-chaotic learning rates</b> (Java λ1 &lt; {@value #CHAOTIC}): every number of their
 *       rows in results.csv, summary.csv and curves.csv (loss, accuracies, ln d in both norms at
 *       every step, final losses, fit window, flags) agrees to REL — with one explicit exception,
 *       the quantities fitted to the divergence curve: {@code lambda_1}, {@code fit_r2},
 *       {@code lambda_1_stderr} and the summary's {@code lambda_1_mean}. They are not computed by the backend but by the host's
 *       least-squares fit of {@code ln_d_l1} over {@code [fit_start, fit_end]}, so their difference
 *       is exactly the fit's response to the curves' difference, and for a non-chaotic cell that
 *       response is large relative to λ itself: the curve is nearly flat (λ·window ≈ 2e-3 against
 *       |ln d| ≈ 10), so a slope or an R² of it amplifies ln d's rounding differences by
 *       |ln d|/(λ·window) ≈ 5000 (measured on PoCL: ln d agreeing to 2e-11 relative gave λ1
 *       8e-8 and fit_r2 4e-9 apart at η = 0.1). These four get REL plus the first-order
 *       propagation {@code Σ_t |∂q/∂y_t|·|Δy_t|} of the measured curve differences Δy (already
 *       required to agree to REL) through the fit — exact for the linear slope, doubled for R² —
 *       see {@link #fitTolerance}. With one initialisation per learning rate the summary's
 *       λ standard deviation and confidence bounds are NaN and compared as strings.</li>
 *   <li><b>Chaotic learning rates</b> amplify rounding differences, so only the first
 *       {@value #CHAOTIC_STEPS} steps' distances ({@code ln_d_l1}, {@code ln_d_l2}) are compared to
 *       REL, and the sign of λ1 must match. With ε = 1e-8 a rounding difference of u·|w| ≈ 1e-16
 *       is already 1e-8 of the perturbation, and it grows faster than the distance: measured on
 *       PoCL, the relative deviation of ln d at t = 1, 2, 3, 4 was 2e-11, 4e-11, 1.2e-10, 1.0e-9
 *       at η = 2.5 (λ1 ≈ 0.48), but 3e-11, 3e-9, 3e-9, 9e-9 at η = 10 — that is the precision of
 *       the distances, not a backend error. The grid's chaotic rate is therefore η = 2.5, whose
 *       first three steps leave a margin of ~10 below REL.</li>
 * </ul>
 * Subclasses name the backend. Unavailable, the test is skipped — unless {@code CI=true} and
 * {@link #requiredInCi()}, where it fails (like the conformance suite).
 */
abstract class SweepEquivalenceTest {
    static final double REL = 1e-9;
    static final double FLOOR = 1e-15;
    static final double CHAOTIC = 0.1;
    static final int CHAOTIC_STEPS = 3;
    static final String EPSILON = "1e-8";
    static final String[] SWEEP = {"--lr", "0.1,1,2.5", "--inits", "1", "--replicas", "2", "--steps", "20",
        "--eval-every", "5", "--accuracy-threshold", "0.3", "--dtype", "f64", "--epsilon", EPSILON, "--quiet"};

    @TempDir
    Path tmp;

    /** The backend's name for {@code --backend}. */
    protected abstract String backend();

    protected abstract BackendProvider provider();

    /** Whether an unavailable backend fails instead of skipping when {@code CI=true}. */
    protected abstract boolean requiredInCi();

    @Test
    void fullSweepMatchesTheJavaBackend() throws IOException {
        Availability a = provider().probe();
        if (!a.available()) {
            String reason = backend() + " unavailable: " + a.detail();
            if ("true".equalsIgnoreCase(System.getenv("CI")) && requiredInCi()) {
                fail("backend required in CI (CI=true) but unavailable: " + reason);
            }
            Assumptions.abort(reason);
        }
        Path java = tmp.resolve("java"), device = tmp.resolve(backend());
        Cli cj = Cli.tinySweep(java, Cli.with(SWEEP, "--backend", "java"));
        assertEquals(ExitCodes.OK, cj.code(), cj.toString());
        Cli cd = Cli.tinySweep(device, Cli.with(SWEEP, "--backend", backend()));
        assertEquals(ExitCodes.OK, cd.code(), cd.toString());

        Diffs diffs = new Diffs();
        List<String> rj = lines(java, "results.csv"), rd = lines(device, "results.csv");
        assertEquals(rj.get(0), rd.get(0));
        assertEquals(rj.size(), rd.size());
        Map<String, Integer> rc = columns(rj.get(0));
        Curves curvesJ = new Curves(lines(java, "curves.csv")), curvesD = new Curves(lines(device, "curves.csv"));
        assertEquals(curvesJ.header, curvesD.header);
        assertEquals(curvesJ.keys(), curvesD.keys(), "same cells and steps in curves.csv");
        Map<String, Double> lambdaSlack = new HashMap<>();   // per calm lr index: the largest λ allowance
        int chaotic = 0, calm = 0;
        for (int i = 1; i < rj.size(); i++) {
            String[] fj = rj.get(i).split(",", -1), fd = rd.get(i).split(",", -1);
            String lr = fj[rc.get("lr_index")], cell = lr + "/" + fj[rc.get("init")];
            double lj = Double.parseDouble(fj[rc.get("lambda_1")]), ld = Double.parseDouble(fd[rc.get("lambda_1")]);
            if (lj >= CHAOTIC) {
                chaotic++;
                assertTrue(ld > 0, "λ1 sign at lr " + fj[rc.get("lr")] + ": java " + lj + ", " + backend() + " " + ld);
                diffs.curves(curvesJ, curvesD, cell, CHAOTIC_STEPS, List.of("ln_d_l1", "ln_d_l2"));
            } else {
                calm++;
                double[] y = curvesJ.column(cell, "ln_d_l1"), yd = curvesD.column(cell, "ln_d_l1");
                double[] slack = fitTolerance(y, yd, step(fj[rc.get("fit_start")]), step(fj[rc.get("fit_end")]));
                lambdaSlack.merge(lr, slack[0], Math::max);
                diffs.row("results.csv cell " + cell, rj.get(0), fj, fd, Map.of("lambda_1", slack[0], "fit_r2", slack[1],
                        "lambda_1_stderr", slack[2]));
                diffs.curves(curvesJ, curvesD, cell, Integer.MAX_VALUE, null);
            }
        }
        List<String> sj = lines(java, "summary.csv"), sd = lines(device, "summary.csv");
        assertEquals(sj.get(0), sd.get(0));
        assertEquals(sj.size(), sd.size());
        for (int i = 1; i < sj.size(); i++) {
            String[] fj = sj.get(i).split(",", -1), fd = sd.get(i).split(",", -1);
            Double slack = lambdaSlack.get(fj[0]);
            if (slack != null) diffs.row("summary.csv lr " + fj[0], sj.get(0), fj, fd, Map.of("lambda_1_mean", slack));
        }
        assertTrue(chaotic >= 1 && calm >= 1, "the grid covers both regimes: chaotic " + chaotic + ", calm " + calm);
        diffs.assertNone(backend());
    }

    /** A step column of results.csv: the number, or −1 for NaN (absent). */
    static int step(String s) {
        return s.equals("NaN") ? -1 : Integer.parseInt(s);
    }

    /**
     * Allowances for the curve fit's outputs, {@code {λ, R², se(λ)}}: the first-order response of the
     * least-squares slope, R² and slope standard error of {@code y} over {@code t ∈ [a, b]} to the
     * differences {@code |y_t − y'_t|}. With centred sums Stt, Sty, Syy: {@code ∂λ/∂y_t = (t − t̄)/Stt}
     * (λ is linear in y: the bound is exact),
     * {@code ∂R²/∂y_t = 2·Sty·(t − t̄)/(Stt·Syy) − 2·Sty²·(y_t − ȳ)/(Stt·Syy²)} and, with residuals r_t
     * and {@code se² = Σr²/((n − 2)·Stt)}, {@code ∂se/∂y_t = r_t/((n − 2)·Stt·se)} (the residuals are
     * orthogonal to the fit); the last two doubled for the neglected second-order terms.
     */
    static double[] fitTolerance(double[] y, double[] other, int a, int b) {
        if (a < 0 || b <= a) return new double[] {0, 0, 0};           // no fit: λ, R² and se are NaN
        int n = b - a + 1;
        double tm = 0, ym = 0;
        for (int t = a; t <= b; t++) {
            tm += t;
            ym += y[t];
        }
        tm /= n;
        ym /= n;
        double stt = 0, sty = 0, syy = 0;
        for (int t = a; t <= b; t++) {
            stt += (t - tm) * (t - tm);
            sty += (t - tm) * (y[t] - ym);
            syy += (y[t] - ym) * (y[t] - ym);
        }
        double slope = sty / stt, ssr = 0;
        for (int t = a; t <= b; t++) ssr += Math.pow(y[t] - ym - slope * (t - tm), 2);
        double se = n > 2 ? Math.sqrt(ssr / (n - 2) / stt) : 0;
        double lambda = 0, r2 = 0, dse = 0;
        for (int t = a; t <= b; t++) {
            double dy = Math.abs(y[t] - other[t]);
            lambda += Math.abs(t - tm) / stt * dy;
            if (syy > 0) {
                r2 += Math.abs(2 * sty * (t - tm) / (stt * syy) - 2 * sty * sty * (y[t] - ym) / (stt * syy * syy)) * dy;
            }
            if (se > 0) dse += Math.abs((y[t] - ym - slope * (t - tm)) / ((n - 2) * stt * se)) * dy;
        }
        return new double[] {lambda, 2 * r2, 2 * dse};
    }

    static List<String> lines(Path dir, String f) throws IOException {
        return Files.readAllLines(dir.resolve(f), StandardCharsets.UTF_8);
    }

    static Map<String, Integer> columns(String header) {
        Map<String, Integer> m = new HashMap<>();
        String[] h = header.split(",");
        for (int i = 0; i < h.length; i++) m.put(h[i], i);
        return m;
    }

    /** Whether x and y agree to REL relative (plus FLOOR and an extra allowance). */
    static boolean agree(double x, double y, double extra) {
        return Math.abs(x - y) <= REL * Math.max(Math.abs(x), Math.abs(y)) + FLOOR + extra;
    }

    /** curves.csv by cell ("lrIndex/init") and step. */
    static final class Curves {
        final String header;
        final Map<String, Integer> col;
        final Map<String, TreeMap<Integer, String[]>> rows = new TreeMap<>();

        Curves(List<String> lines) {
            header = lines.get(0);
            col = columns(header);
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",", -1);
                rows.computeIfAbsent(f[col.get("lr_index")] + "/" + f[col.get("init")], k -> new TreeMap<>())
                        .put(Integer.parseInt(f[col.get("step")]), f);
            }
        }

        List<String> keys() {
            List<String> k = new ArrayList<>();
            rows.forEach((cell, steps) -> steps.keySet().forEach(s -> k.add(cell + "@" + s)));
            return k;
        }

        /** Column {@code name} of a cell indexed by step (steps 0, 1, … are all recorded). */
        double[] column(String cell, String name) {
            TreeMap<Integer, String[]> steps = rows.get(cell);
            double[] v = new double[steps.lastKey() + 1];
            steps.forEach((s, f) -> v[s] = Double.parseDouble(f[col.get(name)]));
            return v;
        }
    }

    /** Collects every disagreement, so a failure lists all of them (and how far off each is). */
    static final class Diffs {
        final List<String> found = new ArrayList<>();
        int compared;

        /** Field by field; {@code slack} adds an allowance to the named numeric columns. */
        void row(String what, String header, String[] a, String[] b, Map<String, Double> slack) {
            String[] names = header.split(",", -1);
            assertEquals(a.length, b.length, what);
            for (int k = 0; k < a.length; k++) field(what, names[k], a[k], b[k], slack.getOrDefault(names[k], 0.0));
        }

        void field(String what, String name, String a, String b, double extra) {
            compared++;
            double x, y;
            try {
                x = Double.parseDouble(a);
                y = Double.parseDouble(b);
            } catch (NumberFormatException e) {
                if (!a.equals(b)) found.add(what + " " + name + ": '" + a + "' vs '" + b + "'");
                return;
            }
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                if (!a.equals(b)) found.add(what + " " + name + ": " + a + " vs " + b);
                return;
            }
            if (!agree(x, y, extra)) {
                double m = Math.max(Math.abs(x), Math.abs(y));
                found.add(String.format(Locale.ROOT, "%s %s: %s vs %s (|Δ| %.3g, relative %.3g, allowed %.3g)", what,
                        name, a, b, Math.abs(x - y), Math.abs(x - y) / m, REL * m + FLOOR + extra));
            }
        }

        /** The cell's curves.csv rows for steps ≤ maxStep, on the named columns (null = every column). */
        void curves(Curves a, Curves b, String cell, int maxStep, List<String> names) {
            int before = compared;
            for (Map.Entry<Integer, String[]> e : a.rows.get(cell).headMap(maxStep, true).entrySet()) {
                String[] fa = e.getValue(), fb = b.rows.get(cell).get(e.getKey());
                String what = "curves.csv cell " + cell + " step " + e.getKey();
                if (names == null) {
                    row(what, a.header, fa, fb, Map.of());
                } else {
                    for (String n : names) field(what, n, fa[a.col.get(n)], fb[b.col.get(n)], 0);
                }
            }
            assertTrue(compared > before, "curves of cell " + cell);
        }

        void assertNone(String backend) {
            if (!found.isEmpty()) {
                fail(found.size() + " of " + compared + " compared fields differ between java and " + backend
                        + ":\n  " + String.join("\n  ", found));
            }
        }
    }
}
