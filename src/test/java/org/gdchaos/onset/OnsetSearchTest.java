package org.gdchaos.onset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.gdchaos.InputException;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.junit.jupiter.api.Test;

/**
 * The search's decisions on synthetic rows: λ1(η, init) and steps(η, init) given as functions, so
 * the true onset and fastest η are known exactly. Drives {@link OnsetSearch#replay} as the runner
 * does: run the pending round's missing cells (here: make their rows), replay again.
 */
class OnsetSearchTest {

    /** A synthetic task: λ1 and steps to threshold as functions of (η, init); NEVER when steps &lt; 0. */
    interface Task {
        double lambda(double eta, int init);

        default int steps(double eta, int init) {
            return CellRow.NOT_APPLICABLE;
        }

        default boolean diverged(double eta, int init) {
            return false;
        }
    }

    static CellRow row(Cell c, Task t) {
        boolean div = t.diverged(c.lr(), c.init());
        return CellRow.builder(c, 1).exponents(div ? Double.NaN : t.lambda(c.lr(), c.init()))
                .stepsToThreshold(t.steps(c.lr(), c.init())).diverged(div, div ? 3 : -1).build();
    }

    /** Runs a search to its end on a synthetic task; returns the final replay. */
    static OnsetSearch.Replay search(OnsetSettings s, Task t, Map<Cell.Identity, CellRow> done) {
        OnsetSearch search = new OnsetSearch(s, 0);
        for (int guard = 0; guard < 100; guard++) {
            OnsetSearch.Replay r = search.replay(done);
            if (r.finished()) return r;
            for (Cell c : r.missing()) done.put(c.identity(), row(c, t));
        }
        throw new AssertionError("search did not end");
    }

    static OnsetSettings settings(double lo, double hi, boolean log, int k, double tol, double thr, int inits, int max) {
        return new OnsetSettings(lo, hi, log, k, 12, tol, thr, inits, max);
    }

    /** λ1 = 0.3·(η − onset) above the onset (plus a tiny init-dependent spread), −0.1 below. */
    static Task ramp(double onset) {
        return (eta, init) -> (eta > onset ? 0.3 * (eta - onset) + 0.05 : -0.1) + 1e-4 * init;
    }

    @Test
    void bracketsAKnownOnsetToTheToleranceWithFewCells() {
        double onset = 3.7;
        OnsetSettings s = settings(0.5, 20, true, 8, 0.02, 0.02, 3, 12);
        OnsetSearch.Replay r = search(s, ramp(onset), new HashMap<>());
        Lattice l = s.lattice();
        OnsetSearch.Onset o = r.state().onset();
        assertEquals(OnsetSearch.OnsetStatus.BRACKETED, o.status());
        assertTrue(l.value(o.low()) < onset && onset <= l.value(o.high()), () -> o + " " + l.value(o.low()));
        assertTrue(l.relativeWidth(o.low(), o.high()) <= 0.02 + 1e-12);
        assertEquals(OnsetSearch.Stop.LOCATED, r.stop());
        int cells = r.rounds().stream().mapToInt(d -> d.round().cells().size()).sum();
        long uniform = (long) (l.intervals() + 1) * 3;
        assertTrue(cells * 3L <= uniform, cells + " cells against " + uniform + " for a uniform grid");
    }

    @Test
    void periodicWindowsAboveTheOnsetDoNotCaptureIt() {
        // chaotic from 2.0, with regular windows at [4, 5) and [9, 12): the first crossing is 2.0
        Task t = (eta, init) -> eta < 2.0 || (eta >= 4 && eta < 5) || (eta >= 9 && eta < 12) ? -0.2 : 0.5 + 1e-3 * init;
        OnsetSettings s = settings(1, 16, true, 6, 0.02, 0.02, 2, 8);
        OnsetSearch.Replay r = search(s, t, new HashMap<>());
        Lattice l = s.lattice();
        OnsetSearch.Onset o = r.state().onset();
        assertEquals(OnsetSearch.OnsetStatus.BRACKETED, o.status());
        assertTrue(l.value(o.low()) < 2.0 && 2.0 <= l.value(o.high()), o.toString());
    }

    @Test
    void regularThroughoutSaysNoOnsetBelowHi() {
        OnsetSettings s = settings(0.1, 1, true, 5, 0.02, 0.02, 2, 8);
        OnsetSearch.Replay r = search(s, (eta, init) -> -0.01 - 1e-3 * init, new HashMap<>());
        assertEquals(OnsetSearch.OnsetStatus.NONE_BELOW_HI, r.state().onset().status());
        assertEquals(1, r.rounds().size(), "nothing to refine after round 0");
        assertTrue(OnsetAnswer.of(new OnsetSearch(s, 0), r).onsetLine().startsWith("no onset below η = 1"));
    }

    @Test
    void chaoticThroughoutSaysOnsetBelowLo() {
        OnsetSettings s = settings(0.1, 1, true, 5, 0.02, 0.02, 2, 8);
        OnsetSearch.Replay r = search(s, (eta, init) -> 0.4 + 1e-3 * init, new HashMap<>());
        assertEquals(OnsetSearch.OnsetStatus.BELOW_LO, r.state().onset().status());
        assertTrue(OnsetAnswer.of(new OnsetSearch(s, 0), r).onsetLine().contains("below η = 0.1"));
    }

    @Test
    void undecidedPointsGetMoreInitialisationsUpToTheBound() {
        // at η in [2, 3) half the inits are chaotic: the mean's interval straddles λ* however many inits
        Task t = (eta, init) -> eta < 2 ? -0.05 - 1e-3 * init : eta < 3 ? (init % 2 == 0 ? 0.2 : -0.1) : 0.5 + 1e-3 * init;
        OnsetSettings s = settings(1, 4, true, 4, 0.02, 0.02, 2, 8);
        OnsetSearch.Replay r = search(s, t, new HashMap<>());
        boolean sawMore = false;
        for (OnsetSearch.Done d : r.rounds()) {
            for (int[] range : d.round().moreInits().values()) {
                sawMore = true;
                assertTrue(range[0] < range[1] && range[1] <= 8 && range[1] == Math.min(2 * range[0], 8));
            }
        }
        assertTrue(sawMore, "undecided η below the first chaotic η got more initialisations");
        for (PointResult p : r.state().points().values()) {
            if (p.lr() >= 2 && p.lr() < 3) {
                assertEquals(Verdict.UNDECIDED, p.verdict(), p.toString());
                assertEquals(8, p.cells(), "an undecided η ends with the most initialisations: " + p);
            }
        }
        // the bracket runs from the last regular η below 2 to the first chaotic η at or above 3
        OnsetSearch.Onset o = r.state().onset();
        Lattice l = s.lattice();
        assertTrue(l.value(o.low()) < 2 && l.value(o.high()) >= 3, o.toString());
        assertEquals(OnsetSearch.Stop.NOTHING_LEFT, r.stop());
    }

    @Test
    void divergedHalfCountsAsChaoticAndTheFastestSetIsLocatedWithTies() {
        // steps: minimum 10 on η in [2.0, 2.5], growing away from it; diverges from η = 8
        Task t = new Task() {
            public double lambda(double eta, int init) {
                return eta < 4 ? -0.05 - 1e-3 * init : 0.3 + 1e-3 * init;
            }

            public int steps(double eta, int init) {
                if (eta >= 2.0 && eta <= 2.5) return 10;
                return (int) Math.round(10 + 20 * Math.abs(Math.log(eta / 2.2)));
            }

            public boolean diverged(double eta, int init) {
                return eta >= 8;
            }
        };
        OnsetSettings s = settings(0.5, 10, true, 6, 0.02, 0.02, 2, 8);
        OnsetSearch.Replay r = search(s, t, new HashMap<>());
        Lattice l = s.lattice();
        OnsetSearch.Fastest f = r.state().fastest();
        assertEquals(OnsetSearch.FastestStatus.LOCATED, f.status());
        assertEquals(10, f.steps());
        assertTrue(l.value(f.lowest()) >= 2.0 && l.value(f.highest()) <= 2.5, f.toString());
        assertTrue(l.relativeWidth(f.below(), f.lowest()) <= 0.02 + 1e-12 || f.lowest() - f.below() == 1);
        for (PointResult p : r.state().points().values()) {
            if (p.lr() >= 8) assertEquals(Verdict.CHAOTIC, p.verdict(), "diverged counts as chaotic: " + p);
        }
        OnsetAnswer a = OnsetAnswer.of(new OnsetSearch(s, 0), r);
        assertEquals("below", a.relation(), a.fastestLine());
        assertTrue(a.fastestLine().contains("tied"), a.fastestLine());
    }

    @Test
    void replayOfAnyPrefixPlansTheSameRounds() {
        OnsetSettings s = settings(0.5, 20, true, 5, 0.02, 0.02, 2, 8);
        Map<Cell.Identity, CellRow> all = new HashMap<>();
        OnsetSearch.Replay full = search(s, ramp(6.1), all);
        // every cell in the order the search ran them; drop a suffix of it: the replay asks for exactly that suffix's
        // round and nothing decided differs before it
        List<Cell> order = new ArrayList<>();
        for (OnsetSearch.Done d : full.rounds()) order.addAll(d.round().cells());
        OnsetSearch search = new OnsetSearch(s, 0);
        for (int keep : new int[] {0, 1, order.size() / 3, order.size() / 2, order.size() - 1}) {
            Map<Cell.Identity, CellRow> part = new HashMap<>();
            for (Cell c : order.subList(0, keep)) part.put(c.identity(), all.get(c.identity()));
            OnsetSearch.Replay r = search.replay(part);
            assertFalse(r.finished());
            int round = r.pending().round();
            assertEquals(full.rounds().get(round).round().cells(), r.pending().cells(), "round " + round + " replanned");
            for (Cell c : r.missing()) assertNull(part.get(c.identity()));
        }
        assertEquals(full.rounds().size(), search.replay(all).rounds().size());
    }

    @Test
    void theFiguresDrawOnALogAxisWithIntervalsAndOnALinearOneWithoutAccuracy() {
        Task t = new Task() {
            public double lambda(double eta, int init) {
                return eta < 3 ? -0.05 + 0.01 * init : 0.4 + 0.05 * init;
            }

            public int steps(double eta, int init) {
                return (int) Math.round(10 + 20 * Math.abs(Math.log(eta / 2.2))) + init;
            }
        };
        OnsetSettings log = settings(0.01, 20, true, 6, 0.02, 0.02, 3, 6);
        OnsetSearch.Replay r = search(log, t, new HashMap<>());
        OnsetSearch search = new OnsetSearch(log, 0);
        List<org.gdchaos.sweep.report.SweepPlots.Figure> f = OnsetReport.figures(search, r, OnsetAnswer.of(search, r),
                org.gdchaos.plot.PlotOptions.DEFAULT);
        assertEquals(List.of("onset_lambda", "onset_steps"), f.stream().map(org.gdchaos.sweep.report.SweepPlots.Figure::name)
                .toList());
        for (org.gdchaos.sweep.report.SweepPlots.Figure x : f) assertTrue(org.gdchaos.plot.Charts.svg(x.chart()).length() > 1000);
        OnsetSettings lin = settings(1, 2, false, 4, 0.05, 0.01, 2, 4);
        OnsetSearch.Replay r2 = search(lin, ramp(1.5), new HashMap<>());
        OnsetSearch s2 = new OnsetSearch(lin, 0);
        assertEquals(1, OnsetReport.figures(s2, r2, OnsetAnswer.of(s2, r2), org.gdchaos.plot.PlotOptions.DEFAULT).size(),
                "no accuracy: no steps panel");
    }

    @Test
    void placementIsEvenDistinctAndInsideTheGaps() {
        List<Integer> p = OnsetSearch.place(List.of(new int[] {0, 10}, new int[] {10, 13}), 5);
        assertEquals(5, p.size());
        assertEquals(p.size(), p.stream().distinct().count());
        for (int j : p) assertTrue(j > 0 && j < 13 && j != 10, p.toString());
        // a gap with no room takes nothing
        assertTrue(OnsetSearch.place(List.of(new int[] {4, 5}), 3).isEmpty());
    }

    @Test
    void latticeNeighboursMeetTheTolerance() {
        for (boolean log : new boolean[] {true, false}) {
            Lattice l = new OnsetSettings(0.3, 7, log, 4, 3, 0.05, 0.01, 2, 4).lattice();
            assertEquals(0.3, l.value(0));
            assertEquals(7, l.value(l.intervals()));
            for (int j = 0; j < l.intervals(); j++) assertTrue(l.relativeWidth(j, j + 1) <= 0.05 + 1e-12);
        }
    }

    @Test
    void badSettingsAreInputErrors() {
        assertThrows(InputException.class, () -> settings(2, 1, true, 4, 0.02, 0.02, 2, 8));
        assertThrows(InputException.class, () -> settings(1, 1, true, 4, 0.02, 0.02, 2, 8));
        assertThrows(InputException.class, () -> settings(0, 1, true, 4, 0.02, 0.02, 2, 8));
        assertThrows(InputException.class, () -> settings(-1, 1, false, 4, 0.02, 0.02, 2, 8));
        assertThrows(InputException.class, () -> settings(1, 2, true, 1, 0.02, 0.02, 2, 8));
        assertThrows(InputException.class, () -> settings(1, 2, true, 4, 0, 0.02, 2, 8));
        assertThrows(InputException.class, () -> settings(1, 2, true, 4, 1, 0.02, 2, 8));
        assertThrows(InputException.class, () -> settings(1, 2, true, 4, 0.02, 0.02, 2, 1));
        assertThrows(InputException.class, () -> settings(1e-6, 1e6, false, 4, 1e-3, 0.02, 2, 8).lattice());
        assertThrows(InputException.class, () -> OnsetSettings.parseRange("1:x"));
        assertThrows(InputException.class, () -> OnsetSettings.parseRange("1"));
        double[] r = OnsetSettings.parseRange("lin:0.5:2");
        assertEquals(0.5, r[0]);
        assertEquals(0, r[2]);
        DoubleUnaryOperator unused = x -> x;
        assertEquals(1.0, unused.applyAsDouble(1.0));
    }
}
