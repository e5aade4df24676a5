package org.gdchaos.sweep.run;

import org.gdchaos.sweep.SweepSpec;

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
 * @param sharedLowerings further copies, besides the training's, of the first convolution's lowering of
 *                        the shared data ({@code NetworkOps.sharedElements}) that a batch allocates once
 *                        (the tangent method's second-order workspace has its own): 0 or 1
 */
public record ExtraMemory(String perCellWhat, IntToLongFunction perCellElements, String fixedWhat,
                          long fixedElements, int sharedLowerings) {
    /** Nothing beyond the training state (paper, benettin, spectrum without extras). */
    public static final ExtraMemory NONE = new ExtraMemory("", chunk -> 0, "", 0);

    public ExtraMemory {
        Objects.requireNonNull(perCellWhat, "perCellWhat");
        Objects.requireNonNull(perCellElements, "perCellElements");
        Objects.requireNonNull(fixedWhat, "fixedWhat");
        if (fixedElements < 0) throw new IllegalArgumentException("fixedElements must be ≥ 0");
        if (sharedLowerings < 0) throw new IllegalArgumentException("sharedLowerings must be ≥ 0");
    }

    /** Without further shared lowerings. */
    public ExtraMemory(String perCellWhat, IntToLongFunction perCellElements, String fixedWhat, long fixedElements) {
        this(perCellWhat, perCellElements, fixedWhat, fixedElements, 0);
    }

    /**
     * What a cell and a batch of {@code spec} allocate beyond the training state: every cell's
     * per-step curves, {@code (S+1)·}{@link SweepRunner#curveValuesPerStep} values held in the Java
     * heap until its batch is written (counted against the backend's memory: the heap itself for
     * the Java backend, a small overestimate for device backends); the method's device memory per
     * cell ({@link org.gdchaos.lyapunov.LyapunovMethod#deviceElementsPerCell}); the sharpness
     * meter's buffers for at most {@code cells} trajectories (it measures in groups, so its memory
     * is bounded by its group size), with the chunk of {@link #meterChunk}. A sweep passes its whole
     * grid's cells, not the cells left to run, so that the training chunk the planner derives from
     * this is the same for every shard, resumed run and batching of the sweep (issue 22).
     */
    static ExtraMemory of(SweepSpec spec, int cells, int trainRows, long memoryBytes) {
        long points = spec.training().steps() + 1L;
        long curveElements = points * SweepRunner.curveValuesPerStep(spec) * 8 / spec.training().dtype().bytes();
        String curves = "per-step curves (" + points + " steps × " + SweepRunner.curveValuesPerStep(spec) + " values)";
        org.gdchaos.lyapunov.LyapunovConfig l = spec.lyapunov();
        org.gdchaos.lyapunov.LyapunovMethod method = l.method().impl();
        String device = method.deviceMemoryWhat(l);
        // the optimizer's state vectors (docs/science.md#optimizers): S·P per trajectory, and for the
        // tangent method S·P more per tangent vector (its (δw, δv) pairs); 0 for GD
        int sv = spec.training().optimizer().kind().stateVectors();
        long p = new org.gdchaos.nn.ParameterLayout(spec.model().network()).size();
        long optimizerElements = sv * p * (spec.trajectoriesPerCell()
                + (l.method() == org.gdchaos.lyapunov.Method.TANGENT ? l.exponents() : 0));
        if (sv > 0) device = device.isEmpty() ? "the optimizer's state" : device + ", the optimizer's state";
        ExtraMemory extra = new ExtraMemory(device.isEmpty() ? curves : device + ", and " + curves,
                chunk -> method.deviceElementsPerCell(l, spec.model().network(), chunk) + curveElements
                        + optimizerElements, "", 0, method.sharedLowerings());
        SweepSpec.Extras x = spec.measurement().extras();
        if (x.any()) {
            extra = extra.withFixed("the sharpness/flow/balance measurements",
                    org.gdchaos.hessian.CurvatureMeter.deviceElements(memoryBytes, spec.training().dtype(),
                            spec.model().network(), Math.max(1, cells), trainRows, x.flow(), x.balance(),
                            meterChunk(spec, cells, trainRows, memoryBytes)));
        }
        return extra;
    }

    /**
     * Sample rows per Hessian-vector pass of the sharpness meter for up to {@code cells} cells
     * ({@link org.gdchaos.hessian.CurvatureMeter#chunkRows}). A sweep computes it once, for its whole
     * grid, and every batch's meter takes it, so a cell's measurements do not depend on its batch
     * (issue 22).
     */
    static int meterChunk(SweepSpec spec, int cells, int trainRows, long memoryBytes) {
        return org.gdchaos.hessian.CurvatureMeter.chunkRows(memoryBytes, spec.training().dtype(),
                spec.model().network(), Math.max(1, cells), trainRows);
    }

    /** This with a per-batch reservation of {@code elements} for {@code what}. */
    public ExtraMemory withFixed(String what, long elements) {
        return new ExtraMemory(perCellWhat, perCellElements, what, elements, sharedLowerings);
    }
}
