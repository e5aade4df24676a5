package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.run.ExtraMemory;
import org.gdchaos.sweep.run.Plan;
import org.gdchaos.sweep.run.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --plan}: prints the plan and a time estimate, exits 0, and neither creates nor
 * touches the output folder. The printed numbers are checked against counts worked out here
 * (4 learning rates × 3 inits = 12 cells of 1 + 2 replicas; at most 9 trajectories = 3 cells per
 * batch → 4 batches) and the memory per batch against {@link Planner} for the same request; the
 * estimate only loosely (positive, finite): this is not a timing test.
 */
class PlanOptionTest {
    @TempDir
    Path tmp;

    static String field(String out, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":\\s+(.*)$").matcher(out);
        assertTrue(m.find(), name + " missing in:\n" + out);
        return m.group(1);
    }

    @Test
    void planPrintsTheNumbersAndWritesNothing() throws Exception {
        Path out = tmp.resolve("never");
        Cli r = Cli.tinySweep(out, "--lr", "0.05,0.1,0.5,1", "--inits", "3", "--replicas", "2", "--steps", "20",
                "--max-batch", "9", "--plan");
        assertEquals(0, r.code(), r.toString());
        assertFalse(Files.exists(out), "--plan must not create the output folder");
        assertTrue(field(r.out(), "cells").startsWith("12 (4 learning rates × 3 initialisations)"), r.out());
        assertTrue(field(r.out(), "trajectories").startsWith("36 (3 per cell)"), r.out());
        assertTrue(field(r.out(), "device batches").startsWith("4 (≤ 3 cells = 9 trajectories each)"), r.out());
        assertTrue(field(r.out(), "steps").startsWith("20 per trajectory, 720 trajectory-steps"), r.out());

        // the tiny sweep: 100 training rows (full batch), 100 + 50 samples of 784 + 10 values, f64, and
        // per cell the per-step curves the plan line names (21 steps × V values, 8 bytes each)
        Matcher curves = Pattern.compile("per-step curves \\(21 steps × (\\d+) values\\)").matcher(field(r.out(),
                "plan"));
        assertTrue(curves.find(), r.out());
        long curveElements = 21L * Long.parseLong(curves.group(1));
        ModelSpec model = new ModelSpec(new int[] {784, 8, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 12; i++) cells.add(new Cell(i / 3, 0.1, i % 3));
        Plan expected = Planner.plan(Planner.Request.builder(cells, model).trajectoriesPerCell(3).rowsPerStep(100)
                .dataElements(150L * 794).elementBytes(8).memoryBytes(1L << 40).maxTrajectories(9)
                .extra(new ExtraMemory("per-step curves", chunk -> curveElements, "", 0)).build());
        assertEquals(4, expected.batches().size());
        Matcher mem = Pattern.compile("\\((\\d+) bytes;").matcher(field(r.out(), "memory per batch"));
        assertTrue(mem.find(), r.out());
        assertEquals(expected.bytesPerBatch(), Long.parseLong(mem.group(1)), r.out());

        Matcher est = Pattern.compile("\\d+:\\d\\d:\\d\\d \\(([0-9.]+) s; ([0-9.e+]+)–([0-9.e+]+) s from the fastest "
                + "and the slowest calibration run\\) on java").matcher(field(r.out(), "estimated time"));
        assertTrue(est.find(), r.out());
        double seconds = Double.parseDouble(est.group(1));
        assertTrue(seconds > 0 && Double.isFinite(seconds), r.out());
        // the estimate is printed to 0.1 s, the range to 3 significant digits
        assertTrue(Double.parseDouble(est.group(2)) <= seconds * 1.005 + 0.05
                && seconds <= Double.parseDouble(est.group(3)) * 1.005 + 0.05, r.out());
        assertTrue(field(r.out(), "measured").matches("\\d of the first batch's 3 cells, [1-3] runs? of \\d+ steps after \\d warm-up "
                + "runs?: .*"), r.out());
    }

    @Test
    void planOfAnExistingFolderLeavesItAlone() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(out.resolve("results.csv"), "not a sweep\n");
        long before = Files.getLastModifiedTime(out.resolve("results.csv")).toMillis();
        Cli r = Cli.tinySweep(out, "--lr", "0.1", "--inits", "1", "--replicas", "1", "--steps", "3", "--plan");
        assertEquals(0, r.code(), r.toString());
        try (var files = Files.list(out)) {
            assertEquals(List.of(out.resolve("results.csv")), files.toList());
        }
        assertEquals("not a sweep\n", Files.readString(out.resolve("results.csv")));
        assertEquals(before, Files.getLastModifiedTime(out.resolve("results.csv")).toMillis());
    }

    @Test
    void extraMeasurementsAreSaidToBeLeftOut() {
        Cli r = Cli.tinySweep(tmp.resolve("x"), "--lr", "0.1", "--inits", "1", "--replicas", "1", "--steps", "5",
                "--sharpness", "--flow", "--plan");
        assertEquals(0, r.code(), r.toString());
        assertEquals("the extra measurements (sharpness, gradient flow)", field(r.out(), "not included"));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void badInputStillFailsWithPlan() {
        Cli r = Cli.tinySweep(tmp.resolve("x"), "--steps", "0", "--plan");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
