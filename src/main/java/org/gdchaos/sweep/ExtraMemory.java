package org.gdchaos.sweep;

import java.util.Objects;
import java.util.function.IntToLongFunction;

/**
 * Device memory a batch needs beyond its trajectories' training state, for {@link Planner}:
 * elements per cell as a function of the chunk rows (the tangent method's vectors and
 * Hessian-vector workspace), and a fixed reservation per batch (the sharpness / gradient-flow
 * meter, which measures in groups of its own size).
 *
 * @param perCellWhat     what the per-cell elements are, for the plan's messages ("" when none)
 * @param perCellElements elements per cell for a chunk of rows
 * @param fixedWhat       what the reservation is, for the plan's messages ("" when none)
 * @param fixedElements   elements reserved once per batch
 */
public record ExtraMemory(String perCellWhat, IntToLongFunction perCellElements, String fixedWhat,
                          long fixedElements) {
    /** Nothing beyond the training state (paper, benettin, spectrum without extras). */
    public static final ExtraMemory NONE = new ExtraMemory("", chunk -> 0, "", 0);

    public ExtraMemory {
        Objects.requireNonNull(perCellWhat, "perCellWhat");
        Objects.requireNonNull(perCellElements, "perCellElements");
        Objects.requireNonNull(fixedWhat, "fixedWhat");
        if (fixedElements < 0) throw new IllegalArgumentException("fixedElements must be ≥ 0");
    }

    /** This with a per-batch reservation of {@code elements} for {@code what}. */
    public ExtraMemory withFixed(String what, long elements) {
        return new ExtraMemory(perCellWhat, perCellElements, what, elements);
    }
}
