package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the rows a results.csv holds against the sweep's grid before they are trusted (resuming,
 * rebuilding a report): each row must be a cell of the grid by index and by value, and no cell may
 * appear twice. A cell is its values ({@link Cell#identity()}); the index columns must agree with them,
 * so that the files' {@code lr_index}, {@code wd_index} and {@code momentum_index} name the same cell:
 * <ul>
 *   <li>{@code lr_index} within the learning-rate grid and {@code lr} equal (bit for bit, as
 *       results.csv writes round-trip decimals) to the grid's rate at that index; the same for
 *       {@code wd_index} and {@code weight_decay};</li>
 *   <li>{@code init} within {@code 0 … inits−1};</li>
 *   <li>each cell at most once (two rows for one cell, identical or not, are refused: they would
 *       count twice in every mean, and resume keeps both).</li>
 * </ul>
 */
public final class GridRows {
    private GridRows() {
    }

    /** Most problems one message lists. */
    static final int MAX_LISTED = 5;

    /**
     * What is wrong with {@code rows} (read from a results.csv, in file order: row i is on line i + 2)
     * for the grid of {@code spec}; empty when every row is a distinct cell of the grid.
     */
    public static List<String> problems(List<CellRow> rows, SweepSpec spec) {
        double[] lrs = spec.training().learningRates();
        double[] wds = spec.training().weightDecays();
        double[] ms = spec.training().momentumValues();
        int inits = spec.training().inits();
        List<String> out = new ArrayList<>();
        Map<Cell.Identity, Integer> seen = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Cell c = rows.get(i).cell();
            int line = i + 2;
            String why = null;
            if (c.lrIndex() >= lrs.length) {
                why = "lr_index " + c.lrIndex() + " is outside the grid's " + lrs.length + " learning rates";
            } else if (Double.compare(lrs[c.lrIndex()], c.lr()) != 0) {
                why = "lr " + Csv.num(c.lr()) + " contradicts lr_index " + c.lrIndex() + " (the grid's rate there is "
                        + Csv.num(lrs[c.lrIndex()]) + ")";
            } else if (c.wdIndex() >= wds.length) {
                why = "wd_index " + c.wdIndex() + " is outside the grid's " + wds.length + " weight decays";
            } else if (Double.compare(wds[c.wdIndex()], c.weightDecay()) != 0) {
                why = "weight_decay " + Csv.num(c.weightDecay()) + " contradicts wd_index " + c.wdIndex()
                        + " (the grid's weight decay there is " + Csv.num(wds[c.wdIndex()]) + ")";
            } else if (c.mIndex() >= ms.length) {
                why = "momentum_index " + c.mIndex() + " is outside the grid's " + ms.length + " momentum values";
            } else if (Double.compare(ms[c.mIndex()], c.momentum()) != 0) {
                why = "momentum " + Csv.num(c.momentum()) + " contradicts momentum_index " + c.mIndex()
                        + " (the grid's momentum there is " + Csv.num(ms[c.mIndex()]) + ")";
            } else if (c.init() >= inits) {
                why = "init " + c.init() + " is outside the grid's " + inits + " initialisations (0.." + (inits - 1) + ")";
            } else {
                Integer first = seen.putIfAbsent(c.identity(), line);
                if (first != null) why = "cell " + c.key() + " again (first on line " + first + ")";
            }
            if (why != null) out.add("line " + line + ": " + why);
        }
        return out;
    }

    /**
     * The one-line description of {@link #problems} in {@code file} (at most {@value #MAX_LISTED} listed),
     * or null when there are none.
     */
    public static String describe(Path file, List<CellRow> rows, SweepSpec spec) {
        List<String> p = problems(rows, spec);
        if (p.isEmpty()) return null;
        return file + " holds " + p.size() + " row(s) that are not distinct cells of this sweep's grid ("
                + String.join("; ", p.subList(0, Math.min(MAX_LISTED, p.size()))) + (p.size() > MAX_LISTED ? "; …" : "")
                + "): it was edited or written by another sweep";
    }
}
