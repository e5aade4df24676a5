package org.gdchaos.sweep.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished cell: its results row and its per-step curves (index = step 0..S).
 *
 * @param row    results row
 * @param curves per-step curves by name (loss, test_acc, distances or running exponents, …)
 */
public record CellOutcome(CellRow row, Map<String, double[]> curves) {
    public CellOutcome {
        curves = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(curves));
    }
}
