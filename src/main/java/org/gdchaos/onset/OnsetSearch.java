package org.gdchaos.onset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;

/**
 * The decisions of an onset search, as a pure function of finished rows (docs/science.md#onset).
 *
 * <p>Round 0 places K learning rates evenly over the {@link Lattice} (both ends included), each with
 * the initial number of initialisations. After every round each visited learning rate gets a
 * {@link Verdict} ({@link PointResult}) and two brackets follow:
 * <ul>
 *   <li><b>onset</b>: C = the smallest chaotic η, R = the largest regular η below C; the onset of
 *       chaos lies in (R, C]. Only the first crossing from below counts: regular η above C
 *       (periodic windows) never move it.</li>
 *   <li><b>fastest</b>: the η with the smallest median steps to the accuracy threshold (a cell that
 *       never reached it counts as +∞); ties are kept as a set [lowest, highest]; the bracket runs
 *       from the visited η below the set to the visited η above it, and is refined inside too (two
 *       tied η with a gap between may hide a faster one).</li>
 * </ul>
 * The next round gives every undecided η below C (every undecided η when there is no C) twice its
 * initialisations, at most maxInits, and places K new points in the gaps of the brackets that are
 * wider than the tolerance — half to each bracket when both are open (the onset gets the odd one),
 * spread over their gaps in proportion to the gaps' widths (in lattice steps), evenly inside each gap.
 * It stops when nothing is left (both brackets located to the tolerance, or only gaps between lattice
 * neighbours and undecided η at maxInits remain) or after maxRounds rounds.
 *
 * <p>{@link #replay} recomputes every round from the rows of the rounds before it only, so a search
 * killed at any moment and resumed makes the same decisions: the next points are a pure function of
 * the finished rows.
 */
public final class OnsetSearch {
    private final OnsetSettings settings;
    private final Lattice lattice;
    private final double weightDecay;
    private final double momentum;

    /**
     * @param settings    the search
     * @param weightDecay the one weight decay of the search's cells
     */
    public OnsetSearch(OnsetSettings settings, double weightDecay) {
        this(settings, weightDecay, 0);
    }

    /**
     * @param settings    the search
     * @param weightDecay the one weight decay of the search's cells
     * @param momentum    the one momentum coefficient β of the search's cells (0 for GD)
     */
    public OnsetSearch(OnsetSettings settings, double weightDecay, double momentum) {
        this.settings = settings;
        this.lattice = settings.lattice();
        this.weightDecay = weightDecay;
        this.momentum = momentum;
    }

    public OnsetSettings settings() {
        return settings;
    }

    public Lattice lattice() {
        return lattice;
    }

    /**
     * One round's work.
     *
     * @param round     its number (0 first)
     * @param newPoints lattice indices visited for the first time (with the initial initialisations)
     * @param moreInits lattice index → {from, to}: initialisations [from, to) added to an undecided η
     * @param cells     every cell of the round, learning rate major then init (the sweep's cell order)
     */
    public record Round(int round, List<Integer> newPoints, NavigableMap<Integer, int[]> moreInits, List<Cell> cells) {
        boolean isEmpty() {
            return cells.isEmpty();
        }
    }

    /** Where the onset lies. */
    public enum OnsetStatus {
        /** R and C found, (η_C − η_R)/η_R ≤ tolerance. */
        BRACKETED,
        /** R and C found, wider than the tolerance (rounds ran out, or undecided η at maxInits fill it). */
        OPEN,
        /** C found above LO but no η below it was decided regular. */
        NO_REGULAR_BELOW,
        /** η = LO is already chaotic. */
        BELOW_LO,
        /** No visited η is chaotic. */
        NONE_BELOW_HI
    }

    /**
     * The onset bracket.
     *
     * @param status   which case
     * @param low      lattice index of R (−1 when none)
     * @param high     lattice index of C (−1 when none)
     */
    public record Onset(OnsetStatus status, int low, int high) {
    }

    /** How the fastest learning rate was found. */
    public enum FastestStatus {
        /** Every gap of the fastest bracket (below the set … above it) is within the tolerance. */
        LOCATED,
        /** A gap of the bracket is still wider than the tolerance. */
        OPEN,
        /** No η reached the accuracy threshold (median +∞ everywhere). */
        NEVER_REACHED,
        /** The task has no accuracy (regression). */
        NOT_APPLICABLE
    }

    /**
     * The fastest learning rate(s).
     *
     * @param status     which case
     * @param lowest     lattice index of the lowest η with the smallest median (−1 when none)
     * @param highest    lattice index of the highest such η
     * @param below      visited η below the set (−1 when the set starts at the lowest visited η)
     * @param above      visited η above the set (−1 when it ends at the highest visited η)
     * @param steps      the smallest median steps
     */
    public record Fastest(FastestStatus status, int lowest, int highest, int below, int above, double steps) {
    }

    /**
     * The state after a round.
     *
     * @param points  every visited η (lattice index → result)
     * @param onset   the onset bracket
     * @param fastest the fastest η
     */
    public record State(NavigableMap<Integer, PointResult> points, Onset onset, Fastest fastest) {
    }

    /** A finished round and the state after it. */
    public record Done(Round round, State after) {
    }

    /** Why a search stopped. */
    public enum Stop {
        /** The onset bracket (and the fastest set's ends) met the tolerance, or the range's end. */
        LOCATED,
        /** Nothing left to refine: gaps between lattice neighbours, undecided η at maxInits. */
        NOTHING_LEFT,
        /** The round budget ran out with work left. */
        ROUND_BUDGET
    }

    /**
     * The search replayed over the rows on disk.
     *
     * @param rounds  the finished rounds, in order
     * @param pending the next round with cells still to run (null when the search has ended)
     * @param missing the pending round's cells not yet on disk
     * @param stop    why it ended (null while pending)
     * @param state   the state after the last finished round (null before round 0 finished)
     */
    public record Replay(List<Done> rounds, Round pending, List<Cell> missing, Stop stop, State state) {
        public boolean finished() {
            return pending == null;
        }
    }

    /**
     * Replays the search over {@code done} (finished rows by {@link Cell#identity()}: by value, so that a
     * row is its cell's whichever lattice position names it): each round's cells follow from the rows of
     * the rounds before it only.
     */
    public Replay replay(Map<Cell.Identity, CellRow> done) {
        Map<Integer, List<CellRow>> seen = new TreeMap<>();
        Map<Integer, Integer> initsOf = new HashMap<>();
        List<Done> rounds = new ArrayList<>();
        State state = null;
        for (int r = 0; ; r++) {
            Round next = r == 0 ? firstRound() : nextRound(r, state, initsOf);
            if (next.isEmpty()) return new Replay(rounds, null, List.of(), state == null ? Stop.NOTHING_LEFT
                    : located(state) ? Stop.LOCATED : Stop.NOTHING_LEFT, state);
            if (r >= settings.maxRounds()) return new Replay(rounds, null, List.of(), Stop.ROUND_BUDGET, state);
            List<Cell> missing = next.cells().stream().filter(c -> !done.containsKey(c.identity())).toList();
            if (!missing.isEmpty()) return new Replay(rounds, next, missing, null, state);
            for (Cell c : next.cells()) seen.computeIfAbsent(c.lrIndex(), k -> new ArrayList<>()).add(done.get(c.identity()));
            for (int j : next.newPoints()) initsOf.put(j, settings.inits());
            next.moreInits().forEach((j, range) -> initsOf.put(j, range[1]));
            state = state(seen);
            rounds.add(new Done(next, state));
        }
    }

    /** Round 0: K points evenly over the lattice, both ends included (fewer when the lattice is coarser). */
    Round firstRound() {
        int n = lattice.intervals();
        int k = Math.min(settings.points(), n + 1);
        TreeSet<Integer> idx = new TreeSet<>();
        for (int i = 0; i < k; i++) idx.add((int) Math.round((double) n * i / (k - 1)));
        return round(0, new ArrayList<>(idx), new TreeMap<>());
    }

    /** A later round from the state after the previous one. */
    Round nextRound(int r, State s, Map<Integer, Integer> initsOf) {
        NavigableMap<Integer, int[]> more = new TreeMap<>();
        int c = s.onset().high();
        for (PointResult p : s.points().values()) {
            if (p.verdict() != Verdict.UNDECIDED || (c >= 0 && p.index() >= c)) continue;
            int have = initsOf.get(p.index());
            if (have >= settings.maxInits()) continue;
            more.put(p.index(), new int[] {have, Math.min(2 * have, settings.maxInits())});
        }
        List<int[]> onsetGaps = onsetGaps(s);
        List<int[]> fastGaps = fastestGaps(s);
        int k = settings.points();
        int kOnset = onsetGaps.isEmpty() ? 0 : fastGaps.isEmpty() ? k : (k + 1) / 2;
        int kFast = fastGaps.isEmpty() ? 0 : k - kOnset;
        TreeSet<Integer> fresh = new TreeSet<>(place(onsetGaps, kOnset));
        fresh.addAll(place(fastGaps, kFast));
        fresh.removeAll(s.points().keySet());
        return round(r, new ArrayList<>(fresh), more);
    }

    private Round round(int r, List<Integer> fresh, NavigableMap<Integer, int[]> more) {
        TreeMap<Integer, int[]> inits = new TreeMap<>(more);
        for (int j : fresh) inits.put(j, new int[] {0, settings.inits()});
        List<Cell> cells = new ArrayList<>();
        inits.forEach((j, range) -> {
            for (int i = range[0]; i < range[1]; i++) cells.add(new Cell(j, lattice.value(j), 0, weightDecay, 0, momentum, i));
        });
        return new Round(r, List.copyOf(fresh), more, List.copyOf(cells));
    }

    /** The state from the rows of finished rounds (lattice index → rows). */
    State state(Map<Integer, List<CellRow>> seen) {
        NavigableMap<Integer, PointResult> points = new TreeMap<>();
        seen.forEach((j, rows) -> points.put(j, PointResult.of(j, lattice.value(j), rows, settings.chaosThreshold())));
        return new State(points, onset(points), fastest(points));
    }

    private Onset onset(NavigableMap<Integer, PointResult> points) {
        Integer c = null;
        for (PointResult p : points.values()) {
            if (p.verdict() == Verdict.CHAOTIC) {
                c = p.index();
                break;
            }
        }
        if (c == null) return new Onset(OnsetStatus.NONE_BELOW_HI, -1, -1);
        if (c == 0) return new Onset(OnsetStatus.BELOW_LO, -1, 0);
        Integer rIdx = null;
        for (PointResult p : points.headMap(c, false).descendingMap().values()) {
            if (p.verdict() == Verdict.REGULAR) {
                rIdx = p.index();
                break;
            }
        }
        if (rIdx == null) return new Onset(OnsetStatus.NO_REGULAR_BELOW, -1, c);
        boolean met = c - rIdx <= 1 || lattice.relativeWidth(rIdx, c) <= settings.tolerance();
        return new Onset(met ? OnsetStatus.BRACKETED : OnsetStatus.OPEN, rIdx, c);
    }

    private Fastest fastest(NavigableMap<Integer, PointResult> points) {
        boolean any = points.values().stream().anyMatch(p -> !Double.isNaN(p.medianSteps()));
        if (!any) return new Fastest(FastestStatus.NOT_APPLICABLE, -1, -1, -1, -1, Double.NaN);
        double best = points.values().stream().mapToDouble(PointResult::medianSteps).filter(Double::isFinite).min()
                .orElse(Double.POSITIVE_INFINITY);
        if (Double.isInfinite(best)) return new Fastest(FastestStatus.NEVER_REACHED, -1, -1, -1, -1, best);
        int lo = -1, hi = -1;
        for (PointResult p : points.values()) {
            if (p.medianSteps() == best) {
                if (lo < 0) lo = p.index();
                hi = p.index();
            }
        }
        Integer below = points.lowerKey(lo), above = points.higherKey(hi);
        boolean open = !gaps(points.subMap(below == null ? lo : below, true, above == null ? hi : above, true).keySet())
                .isEmpty();
        return new Fastest(open ? FastestStatus.OPEN : FastestStatus.LOCATED, lo, hi, below == null ? -1 : below,
                above == null ? -1 : above, best);
    }

    /** Whether the gap between visited lattice indices a &lt; b can and should be refined. */
    private boolean gapOpen(int a, int b) {
        return b - a > 1 && lattice.relativeWidth(a, b) > settings.tolerance();
    }

    private List<int[]> onsetGaps(State s) {
        Onset o = s.onset();
        if (o.status() != OnsetStatus.OPEN && o.status() != OnsetStatus.NO_REGULAR_BELOW) return List.of();
        int from = o.low() >= 0 ? o.low() : s.points().firstKey();
        return gaps(s.points().subMap(from, true, o.high(), true).keySet());
    }

    private List<int[]> fastestGaps(State s) {
        Fastest f = s.fastest();
        if (f.status() != FastestStatus.OPEN) return List.of();
        int from = f.below() >= 0 ? f.below() : f.lowest(), to = f.above() >= 0 ? f.above() : f.highest();
        return gaps(s.points().subMap(from, true, to, true).keySet());
    }

    private List<int[]> gaps(java.util.Set<Integer> visited) {
        List<int[]> g = new ArrayList<>();
        Integer prev = null;
        for (int j : visited) {
            if (prev != null && gapOpen(prev, j)) g.add(new int[] {prev, j});
            prev = j;
        }
        return g;
    }

    /**
     * Places up to {@code k} lattice points in {@code gaps}: one at a time to the gap with the largest
     * width / (points + 1) that still has room, then evenly inside each gap
     * ({@code a + round(i·(b − a)/(m + 1))}, i = 1 … m: distinct and strictly inside since m ≤ b − a − 1).
     */
    static List<Integer> place(List<int[]> gaps, int k) {
        int[] m = new int[gaps.size()];
        for (int n = 0; n < k; n++) {
            int best = -1;
            double bestW = 0;
            for (int g = 0; g < gaps.size(); g++) {
                int w = gaps.get(g)[1] - gaps.get(g)[0];
                if (m[g] >= w - 1) continue;
                double score = (double) w / (m[g] + 1);
                if (score > bestW) {
                    bestW = score;
                    best = g;
                }
            }
            if (best < 0) break;
            m[best]++;
        }
        List<Integer> out = new ArrayList<>();
        for (int g = 0; g < gaps.size(); g++) {
            int a = gaps.get(g)[0], b = gaps.get(g)[1];
            for (int i = 1; i <= m[g]; i++) out.add(a + (int) Math.round((double) (b - a) * i / (m[g] + 1)));
        }
        return out;
    }

    /** Whether the state needs nothing more: the onset is settled and the fastest set located (or undefined). */
    boolean located(State s) {
        OnsetStatus o = s.onset().status();
        boolean onsetDone = o == OnsetStatus.BRACKETED || o == OnsetStatus.BELOW_LO || o == OnsetStatus.NONE_BELOW_HI;
        return onsetDone && s.fastest().status() != FastestStatus.OPEN;
    }
}
