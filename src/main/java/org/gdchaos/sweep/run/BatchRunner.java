package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellOutcome;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.SweepSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.backend.Backend;
import org.gdchaos.hessian.ExtrasRecorder;
import org.gdchaos.lyapunov.CellLayout;
import org.gdchaos.lyapunov.CellResult;
import org.gdchaos.lyapunov.Tracker;
import org.gdchaos.nn.CellSeeds;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.Evaluation;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;

/**
 * Runs one device batch of cells: C cells × R members in one {@link Ensemble} (layout
 * {@link CellLayout}), trained in lockstep for S steps while a {@link Tracker} measures
 * divergence, with the references' test accuracy evaluated every K steps.
 */
final class BatchRunner {
    private final Backend backend;
    private final SweepSpec spec;
    private final SweepData data;
    private final int chunkRows;
    private final int meterChunk;

    /**
     * @param chunkRows  training rows per pass (the plan's)
     * @param meterChunk rows per Hessian-vector pass of the extras ({@link ExtraMemory#meterChunk}), the
     *                   same for every batch of the sweep
     */
    BatchRunner(Backend backend, SweepSpec spec, SweepData data, int chunkRows, int meterChunk) {
        this.backend = backend;
        this.spec = spec;
        this.data = data;
        this.chunkRows = chunkRows;
        this.meterChunk = meterChunk;
    }

    /** Initial reference parameters of an initialisation index (independent of the learning rate). */
    static double[] initialParameters(SweepSpec spec, int init) {
        return spec.model().init().draw(new ParameterLayout(spec.model().network()),
                CellSeeds.stream(spec.training().seed(), CellSeeds.INIT, init, 0));
    }

    /**
     * Runs {@code cells} as one batch; the outcomes in the order of {@code cells}. Inside the batch the
     * cells run ordered by momentum (a stable sort, so a batch of one β keeps its order), so that the
     * trajectories of equal optimizer are contiguous and each optimizer launch covers one run of them
     * ({@link Ensemble#setOptimizers}); a cell's numbers do not depend on its place in the batch.
     */
    List<CellOutcome> run(List<Cell> cells, ProgressListener progress, long[] doneSoFar, long total) {
        List<Cell> order = new ArrayList<>(cells);
        order.sort(java.util.Comparator.comparingDouble(Cell::momentum)); // stable
        if (order.equals(cells)) return runInOrder(cells, progress, doneSoFar, total);
        List<CellOutcome> ran = runInOrder(order, progress, doneSoFar, total);
        Map<Cell, CellOutcome> by = new java.util.HashMap<>();
        for (int i = 0; i < order.size(); i++) by.put(order.get(i), ran.get(i));
        List<CellOutcome> out = new ArrayList<>();
        for (Cell c : cells) out.add(by.get(c));
        return out;
    }

    private List<CellOutcome> runInOrder(List<Cell> cells, ProgressListener progress, long[] doneSoFar, long total) {
        int c = cells.size();
        CellLayout layout = new CellLayout(c, spec.trajectoriesPerCell());
        SweepSpec.Training tr = spec.training();
        SweepSpec.Extras x = spec.measurement().extras();
        int steps = tr.steps();
        try (Ensemble e = new Ensemble(backend, tr.dtype(), spec.model().network(), layout.trajectories());
             Trainer trainer = new Trainer(e, data.train(), new TrainConfig(tr.batchSize(), chunkRows, tr.seed()),
                     data.hostTrainX(), data.hostTrainY());
             ExtrasRecorder extras = x.any() ? extrasRecorder(cells, steps) : null) {
            double[] rates = new double[layout.trajectories()];
            double[] decays = new double[layout.trajectories()];
            double[] cellDecays = new double[c];
            int[] initIndex = new int[c];
            for (int i = 0; i < c; i++) {
                initIndex[i] = cells.get(i).init();
                cellDecays[i] = cells.get(i).weightDecay();
                e.setParameters(layout.index(0, i), initialParameters(spec, initIndex[i]));
                for (int r = 0; r < layout.members(); r++) {
                    rates[layout.index(r, i)] = cells.get(i).lr();
                    decays[layout.index(r, i)] = cells.get(i).weightDecay();
                }
            }
            e.setLearningRates(rates);
            e.setWeightDecay(decays, tr.decayBiases()); // all zeros: nothing allocated or computed
            org.gdchaos.backend.Optimizer[] opts = new org.gdchaos.backend.Optimizer[layout.trajectories()];
            for (int i = 0; i < c; i++) {
                for (int r = 0; r < layout.members(); r++) opts[layout.index(r, i)] = tr.optimizerOf(cells.get(i));
            }
            e.setOptimizers(opts); // GD: nothing allocated, the update as before
            if (extras != null) extras.setWeightDecay(cellDecays, tr.decayBiases());
            if (extras != null) { // cell i's reference is trajectory i: its optimizer is opts[i]
                extras.setOptimizers(java.util.Arrays.copyOf(opts, c), e.stateVectors() > 1 ? e.state(1) : null);
            }
            try (Tracker tracker = spec.lyapunov().method().impl().create(spec.lyapunov(), trainer, data.train(),
                    layout, steps, chunkRows)) {
                return track(cells, e, trainer, extras, tracker, initIndex, progress, doneSoFar, total);
            }
        }
    }

    /** The recorder of the spec's extras for this batch's cells (keyed by their values, see {@link #cellKeys}). */
    private ExtrasRecorder extrasRecorder(List<Cell> cells, int steps) {
        SweepSpec.Extras x = spec.measurement().extras();
        return ExtrasRecorder.builder(backend, spec.training().dtype(), spec.model().network(), data.train())
                .cellKeys(cellKeys(cells))
                .steps(steps)
                .sharpness(x.sharpness())
                .sharpnessEvery(x.sharpnessEvery())
                .sharpnessK(x.sharpnessK())
                .flow(x.flow())
                .balance(x.balance())
                .chunkRows(meterChunk)
                .build();
    }

    /** Trains the batch for the spec's steps while {@code tracker} measures; the results per cell. */
    private List<CellOutcome> track(List<Cell> cells, Ensemble e, Trainer trainer, ExtrasRecorder extras, Tracker tracker,
                                    int[] initIndex, ProgressListener progress, long[] doneSoFar, long total) {
        int c = cells.size();
        CellLayout layout = new CellLayout(c, spec.trajectoriesPerCell());
        int steps = spec.training().steps();
        tracker.start(spec.training().seed(), initIndex);
        if (extras != null) extras.afterStep(0, e.params());

        double[][] loss = new double[c][steps + 1];
        double[][] testAcc = new double[c][steps + 1];
        for (double[] a : testAcc) Arrays.fill(a, Double.NaN);
        int[] reached = new int[c];
        Arrays.fill(reached, Evaluation.accuracyDefined(spec.model().network().outputs()) ? CellRow.NEVER
                : CellRow.NOT_APPLICABLE);
        evaluateTest(trainer, 0, testAcc, reached);
        for (int s = 1; s <= steps; s++) {
            double[] l = trainer.computeGradient();
            tracker.beforeUpdate(s); // at the pre-update point (the tangent step)
            trainer.applyUpdate();
            for (int i = 0; i < c; i++) loss[i][s - 1] = l[layout.index(0, i)];
            tracker.afterStep(s);
            if (extras != null) extras.afterStep(s, e.params());
            if (spec.measurement().evalEvery() > 0 && s % spec.measurement().evalEvery() == 0 && s < steps) {
                evaluateTest(trainer, s, testAcc, reached);
            }
            doneSoFar[0] += layout.trajectories();
            progress.advanced(doneSoFar[0], total);
        }
        Evaluation train = trainer.evaluate(data.train(), c);
        Evaluation test = evaluateTest(trainer, steps, testAcc, reached);
        double[] gradNorm = trainer.fullGradientNorms(c); // overwrites the gradients: after the last step
        if (extras != null) {
            double[][] starts = new double[c][];
            for (int i = 0; i < c; i++) starts[i] = initialParameters(spec, initIndex[i]);
            extras.finish(e.params(), starts);
        }

        List<CellOutcome> out = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            int divergedStep = -1;
            for (int r = 0; r < layout.members(); r++) {
                int d = e.divergedAt(layout.index(r, i));
                if (d >= 0 && (divergedStep < 0 || d < divergedStep)) divergedStep = d;
            }
            boolean diverged = divergedStep >= 0;
            loss[i][steps] = train.loss(i);
            CellResult lr = tracker.result(i, diverged);
            Map<String, double[]> curves = new LinkedHashMap<>();
            curves.put("loss", loss[i]);
            curves.put("test_acc", testAcc[i]);
            curves.putAll(lr.curves());
            if (extras != null) curves.putAll(extras.curves(i));
            CellRow row = CellRow.builder(cells.get(i), spec.training().seed())
                    .exponents(lr.exponents()).exponentStdErrs(lr.stdErrs()).fitR2(lr.fitR2())
                    .fitWindow(lr.fitStart(), lr.fitEnd()).fitPoints(lr.fitPoints()).kaplanYorke(lr.kaplanYorke())
                    .finalLoss(train.loss(i)).trainAcc(train.accuracy(i)).testLoss(test.loss(i))
                    .testAcc(test.accuracy(i)).stepsToThreshold(reached[i])
                    .diverged(diverged, divergedStep).precisionLost(lr.precisionLost())
                    .gradNorm(diverged ? Double.NaN : gradNorm[i])
                    .converged(CellRow.converged(diverged, gradNorm[i], spec.training().dtype()))
                    .extras(extras == null ? Map.of() : extras.row(i, diverged)).build();
            out.add(new CellOutcome(row, curves));
        }
        return out;
    }

    /** Per-cell keys of the extras' random vectors: the cell's values, never its batch or grid position. */
    private static long[] cellKeys(List<Cell> cells) {
        long[] k = new long[cells.size()];
        for (int i = 0; i < k.length; i++) k[i] = cellKey(cells.get(i));
        return k;
    }

    /**
     * A cell's key for its random vectors (the sharpness's Lanczos start vectors): {@link Cell#valueKey()},
     * a hash of its values (η, λ, β, init), so the cell gets the same vectors, hence the same bytes, in
     * every grid that holds it. (Before the momentum axis the key was the grid position
     * {@code lrIndex·2^32 + init + wdIndex·φ}: sharpness values of folders written then differ from
     * today's in their last digits, as from another start vector.)
     */
    static long cellKey(Cell c) {
        return c.valueKey();
    }

    private Evaluation evaluateTest(Trainer trainer, int step, double[][] testAcc, int[] reached) {
        int c = testAcc.length;
        Evaluation ev = trainer.evaluate(data.test(), c);
        for (int i = 0; i < c; i++) {
            testAcc[i][step] = ev.accuracy(i);
            if (reached[i] == CellRow.NEVER && ev.accuracy(i) >= spec.measurement().accuracyThreshold()) reached[i] = step;
        }
        return ev;
    }
}
