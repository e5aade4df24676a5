package org.gdchaos.onset;

import java.nio.file.Path;
import java.util.List;
import org.gdchaos.sweep.store.CellRow;

/**
 * A finished onset search.
 *
 * @param dir      the output folder
 * @param settings the settings as run (K resolved)
 * @param replay   every round and the final state
 * @param answer   the onset bracket, the fastest η and where one lies relative to the other
 * @param rows     the rows of every cell the search visited, round by round
 * @param cellsRun cells run by this process (the rest were on disk already)
 * @param seconds  wall time of this process's run
 * @param files    figures and pages written
 */
public record OnsetResult(Path dir, OnsetSettings settings, OnsetSearch.Replay replay, OnsetAnswer answer,
                          List<CellRow> rows, int cellsRun, double seconds, List<Path> files) {
    public OnsetResult {
        rows = List.copyOf(rows);
        files = List.copyOf(files);
    }

    /** Cells a uniform grid over the same range at the lattice's resolution would need: (N + 1) × initial inits. */
    public long uniformGridCells() {
        return (long) (settings.lattice().intervals() + 1) * settings.inits();
    }
}
