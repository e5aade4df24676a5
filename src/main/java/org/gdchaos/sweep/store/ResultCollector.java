package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ResultSink} in memory: the finished cells' rows, and with {@code keepCurves} their per-step
 * curves, as the runner computed them (no text, no file). The values equal those a {@link ResultStore}
 * writes and reads back: results.csv and curves.csv write doubles as {@link Double#toString}, which
 * parses back to the same double.
 */
public final class ResultCollector implements ResultSink {
    private final boolean keepCurves;
    private final List<CellRow> rows = new ArrayList<>();
    private final Map<Cell.Identity, Map<String, double[]>> curves = new LinkedHashMap<>();

    /**
     * @param keepCurves also keep every cell's per-step curves (memory: cells × (steps + 1) × curves doubles)
     */
    public ResultCollector(boolean keepCurves) {
        this.keepCurves = keepCurves;
    }

    @Override
    public Optional<Path> folder() {
        return Optional.empty();
    }

    @Override
    public void append(List<CellOutcome> outcomes) {
        for (CellOutcome o : outcomes) {
            rows.add(o.row());
            if (keepCurves) curves.put(o.row().cell().identity(), o.curves());
        }
    }

    /** The rows appended, in order. */
    @Override
    public List<CellRow> rows() {
        return List.copyOf(rows);
    }

    /**
     * The kept curves by {@link Cell#identity()}, each by curve name (index = step 0 … S; the arrays are the
     * runner's, not copies); empty without {@code keepCurves}.
     */
    public Map<Cell.Identity, Map<String, double[]>> curves() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(curves));
    }
}
