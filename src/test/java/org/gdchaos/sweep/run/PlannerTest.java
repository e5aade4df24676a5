package org.gdchaos.sweep.run;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * The planner's packing of cells into device batches, against hand-computed memory: for
 * 784-16-10 with biases, P = 784·16 + 16 + 16·10 + 10 = 12730 parameters; one trajectory with a
 * chunk of c rows needs (2P + c·(16 + 10 + 2·16) + 8) elements.
 */
class PlannerTest {
    static final ModelSpec MODEL = new ModelSpec(new int[] {784, 16, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY);
    static final long P = 12730;
    static final int R = 3; // trajectories per cell
    static final long DATA = 150L * (784 + 10); // resident elements

    static long perTrajectory(int chunk) {
        return (2 * P + chunk * 58L + 8) * 8;
    }

    /** Memory at which exactly {@code cells} cells of R trajectories fit with the given chunk. */
    static long memoryFor(int cells, int chunk) {
        return (long) Math.ceil((DATA * 8 + (double) cells * R * perTrajectory(chunk)) / Planner.MEMORY_FRACTION) + 16;
    }

    static List<Cell> cells(int n) {
        List<Cell> c = new ArrayList<>();
        for (int i = 0; i < n; i++) c.add(new Cell(i / 2, 0.1 * (1 + i / 2), i % 2));
        return c;
    }

    /** A request for {@code cells} of {@link #MODEL} with {@link #DATA} resident elements of f64. */
    static Planner.Request.Builder request(List<Cell> cells) {
        return Planner.Request.builder(cells, MODEL).dataElements(DATA).elementBytes(8);
    }

    @Test
    void memorySplitsCellsIntoEqualBatchesInOrder() {
        List<Cell> all = cells(12);
        Plan plan = Planner.plan(request(all).trajectoriesPerCell(R).rowsPerStep(100)
                .memoryBytes(memoryFor(5, 100)).build());
        assertEquals(3, plan.batches().size());
        assertEquals(List.of(5, 5, 2), plan.batches().stream().map(List::size).toList());
        List<Cell> flat = new ArrayList<>();
        plan.batches().forEach(flat::addAll);
        assertEquals(all, flat, "every cell once, in grid order");
        assertEquals(100, plan.chunkRows());
        assertEquals(5L * R * perTrajectory(100), plan.bytesPerBatch());
        assertEquals(12, plan.cellCount());
        String d = plan.description();
        assertTrue(d.startsWith("12 cells × 3 trajectories = 36 trajectories in 3 batches of ≤ 5 cells (memory "), d);
        assertTrue(d.contains("usable; 244.3 KiB per trajectory, chunk 100 rows)"), d); // 250144 B
        // one byte less than 5 cells need: 4 per batch
        Plan tighter = Planner.plan(request(all).trajectoriesPerCell(R).rowsPerStep(100)
                .memoryBytes(memoryFor(5, 100) - 64).build());
        assertEquals(List.of(4, 4, 4), tighter.batches().stream().map(List::size).toList());
    }

    @Test
    void everythingInOneBatchWhenMemoryIsPlenty() {
        Plan plan = Planner.plan(request(cells(12)).trajectoriesPerCell(R).rowsPerStep(100)
                .memoryBytes(1L << 34).build());
        assertEquals(1, plan.batches().size());
        assertTrue(plan.description().contains("in 1 batch of ≤ 12 cells"), plan.description());
    }

    @Test
    void maxBatchCapsWholeCells() {
        Plan plan = Planner.plan(request(cells(12)).trajectoriesPerCell(R).rowsPerStep(100)
                .memoryBytes(1L << 34).maxTrajectories(7).build());
        assertEquals(6, plan.batches().size(), "7 trajectories hold 2 cells of 3");
        assertTrue(plan.batches().stream().allMatch(b -> b.size() == 2));
        assertTrue(plan.description().contains("(batch limit 7;"), plan.description());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Planner.plan(request(cells(12)).trajectoriesPerCell(6).rowsPerStep(100)
                        .memoryBytes(1L << 34).maxTrajectories(2).build()));
        assertTrue(e.getMessage().contains("a batch of at most 2 trajectories is smaller than one cell (6 trajectories"), e.getMessage());
    }

    @Test
    void chunkHalvesUntilOneCellFits() {
        // with 1000 rows, one cell fits only once the chunk is down to 250 (1000 → 500 → 250)
        Plan plan = Planner.plan(request(cells(4)).trajectoriesPerCell(R).rowsPerStep(1000)
                .memoryBytes(memoryFor(1, 250)).build());
        assertEquals(250, plan.chunkRows());
        assertEquals(4, plan.batches().size());
        assertTrue(plan.description().contains("chunk 250 rows"), plan.description());
    }

    @Test
    void aCellThatCannotFitIsRefusedWithTheNumbers() {
        ModelSpec huge = new ModelSpec(new int[] {784, 200000, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Planner.plan(Planner.Request.builder(cells(2), huge).dataElements(DATA).elementBytes(8)
                        .trajectoriesPerCell(6).rowsPerStep(1000).memoryBytes(4L << 30).build()));
        assertTrue(e.getMessage().startsWith("out-of-memory plan: one cell (6 trajectories of 159000010 parameters)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the backend has 4.0 GiB"), e.getMessage());
    }

    static SweepSpec spec(Method m, int k, SweepSpec.Extras extras) {
        LyapunovConfig lc = new LyapunovConfig(m, R - 1, k, 1e-7, 1, 0, Norm.L2, false, GrowthFit.Method.GROWTH_PHASE);
        return SweepSpec.builder().data("mnist-10k").trainSize(100).testSize(50).model(MODEL)
                .init(InitSpec.parse("normal:1")).learningRates(new double[] {0.1}).inits(1).seed(1).steps(10)
                .batchSize(0).dtype(DType.F64).lyapunov(lc).accuracyThreshold(0.8).evalEvery(1).extras(extras)
                .build();
    }

    /**
     * Tangent with K exponents: per cell one trajectory plus 2K·P elements of vectors and the
     * Hessian-vector workspace of one trajectory, chunk·(5·16 + 3·10 + 2·16) + 1 = 142·chunk + 1, and 3 scalars;
     * and the per-step curves held in the heap: 11 steps × (loss, test accuracy, K running exponents and
     * their K sorted copies, 2 spare) values.
     */
    static long tangentCell(int k, int chunk) {
        return perTrajectory(chunk) + (2L * k * P + 142L * chunk + 4) * 8 + 11L * (2 * k + 4) * 8;
    }

    @Test
    void tangentVectorsAreBudgetedPerCell() {
        int k = 20;
        List<Cell> all = cells(12);
        long memory = (long) Math.ceil((DATA * 8 + 3.0 * tangentCell(k, 100)) / Planner.MEMORY_FRACTION) + 16;
        ExtraMemory tangent = ExtraMemory.of(spec(Method.TANGENT, k, null), all.size(), 100, memory);
        Plan t = Planner.plan(request(all).trajectoriesPerCell(1).rowsPerStep(100).memoryBytes(memory)
                .extra(tangent).build());
        assertEquals(List.of(3, 3, 3, 3), t.batches().stream().map(List::size).toList(), t.description());
        assertEquals(3 * tangentCell(k, 100), t.bytesPerBatch());
        assertTrue(t.description().contains("per cell for 20 tangent vectors, their 20 Hessian products and the Hessian workspace"),
                t.description());
        // the same memory holds every paper cell of R = 3 trajectories at once
        Plan paper = Planner.plan(request(all).trajectoriesPerCell(R).rowsPerStep(100).memoryBytes(memory)
                .extra(ExtraMemory.of(spec(Method.PAPER, k, null), all.size(), 100, memory)).build());
        assertEquals(1, paper.batches().size(), paper.description());
        // before tangent vectors were budgeted, one trajectory per cell: all 12 cells in one batch
        assertEquals(1, Planner.plan(request(all).trajectoriesPerCell(1).rowsPerStep(100)
                .memoryBytes(memory).build()).batches().size());
    }

    @Test
    void aTangentCellThatCannotFitIsRefused() {
        int k = (int) P; // 2P·P·8 B ≈ 2.6 GB per cell
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Planner.plan(request(cells(2)).trajectoriesPerCell(1).rowsPerStep(100)
                        .memoryBytes(1L << 30)
                        .extra(ExtraMemory.of(spec(Method.TANGENT, k, null), 2, 100, 1L << 30)).build()));
        assertTrue(e.getMessage().startsWith("out-of-memory plan: one cell (1 trajectories of 12730 parameters, with "
                + "12730 tangent vectors, their 12730 Hessian products and the Hessian workspace, "
                + "and per-step curves (11 steps × 25464 values)) "
                + "needs 2.4 GiB"), e.getMessage());
    }

    @Test
    void aFixedReservationLeavesLessForCells() {
        List<Cell> all = cells(12);
        long reserve = 3L * R * perTrajectory(100) / 8; // elements of 3 cells
        Plan plan = Planner.plan(request(all).trajectoriesPerCell(R).rowsPerStep(100)
                .memoryBytes(memoryFor(5, 100)).extra(ExtraMemory.NONE.withFixed("the meter", reserve)).build());
        assertEquals(List.of(2, 2, 2, 2, 2, 2), plan.batches().stream().map(List::size).toList(), plan.description());
        assertTrue(plan.description().contains(" for the meter, chunk 100 rows)"), plan.description());
        ExtraMemory sharp = ExtraMemory.of(spec(Method.PAPER, 1, new SweepSpec.Extras(true, 0, true, false)),
                12, 100, 1L << 34);
        assertTrue(sharp.fixedElements() > 12L * 62 * P, "Lanczos basis of 12 trajectories: " + sharp.fixedElements());
        assertEquals(0, ExtraMemory.of(spec(Method.PAPER, 1, null), 12, 100, 1L << 34).fixedElements());
    }
}
