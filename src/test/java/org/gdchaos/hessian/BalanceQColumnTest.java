package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.run.ProgressListener;
import org.gdchaos.sweep.run.SweepResult;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.run.SweepResult;
import org.gdchaos.sweep.run.SweepRunner;

import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --balance} writes {@code balance_q} = Q = ‖a‖² − ‖b‖² (docs/science.md#o2) for two-layer
 * networks with one output: the column is Q of the final weights — checked against plain host
 * gradient descent from the same explicit start — and the curve obeys Q' = (1 − η²r²)·Q with r² =
 * 2·loss from the loss curve. Other networks get NaN and no curve.
 */
class BalanceQColumnTest {
    static final double[] A = {0.9, -0.4, 0.7};
    static final double[] B = {0.5, 1.1, -0.2};
    static final int STEPS = 300;

    static SweepSpec spec(String data, ModelSpec model, InitSpec init, double[] rates) {
        return SweepSpec.builder().data(data).trainSize(0).testSize(0).model(model).init(init).learningRates(rates)
                .inits(1).seed(3L).steps(STEPS).batchSize(0).dtype(DType.F64)
                .lyapunov(new LyapunovConfig(Method.PAPER, 1, 1, 1e-8, 1, 0, Norm.L1, false, GrowthFit.Method.GROWTH_PHASE))
                .accuracyThreshold(0.5).evalEvery(0).extras(new SweepSpec.Extras(false, 0, false, true)).build();
    }

    static SweepResult run(SweepSpec s, Path out) {
        try (Backend backend = Backends.create("java")) {
            return new SweepRunner(backend, s, SweepRunner.Options.builder().out(out).build()).run();
        }
    }

    /** Host GD on ½(aᵀb − Φ)²: a ← a − ηr·b, b ← b − ηr·a. Returns ‖a‖² − ‖b‖² after {@code steps}. */
    static double hostQ(double eta, double phi, int steps) {
        double[] a = A.clone(), b = B.clone();
        for (int t = 0; t < steps; t++) {
            double m = 0;
            for (int i = 0; i < a.length; i++) m += a[i] * b[i];
            double r = m - phi;
            for (int i = 0; i < a.length; i++) {
                double ai = a[i];
                a[i] -= eta * r * b[i];
                b[i] -= eta * r * ai;
            }
        }
        double q = 0;
        for (int i = 0; i < a.length; i++) q += a[i] * a[i] - b[i] * b[i];
        return q;
    }

    @Test
    void balanceQIsTheImbalanceOfTheFinalWeights(@TempDir Path dir) throws IOException {
        double[] flat = new double[6];
        System.arraycopy(A, 0, flat, 0, 3);   // W1 = a (3 × 1), then W2 = bᵀ (1 × 3), no biases
        System.arraycopy(B, 0, flat, 3, 3);
        double[] rates = {0.1, 0.3, 0.55};
        double phi = 1.5;
        SweepResult r = run(spec("scalar:x=1,y=" + phi, ModelSpec.linear(3), InitSpec.values(flat), rates), dir);
        double q0 = hostQ(0, phi, 0);
        assertTrue(Math.abs(q0) > 0.01, "an unbalanced start: Q0 = " + q0);
        for (CellRow row : r.rows()) {
            assertFalse(row.diverged());
            double eta = row.cell().lr();
            double want = hostQ(eta, phi, STEPS);
            assertTrue(Math.abs(want - q0) > 1e-3, "GD changed Q at η = " + eta + ": " + want + " vs " + q0);
            assertEquals(want, row.extras().get("balance_q"), 1e-12 * Math.max(1, Math.abs(want)), "η = " + eta);
        }
        // the curve: Q at step 0 is Q0, at step S the column, and each step multiplies it by 1 − η²r²
        List<String> lines = Files.readAllLines(dir.resolve("curves.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int iq = header.indexOf("balance_q"), il = header.indexOf("loss"), ilr = header.indexOf("lr");
        assertTrue(iq > 0 && header.contains("imbalance"), header.toString());
        for (double eta : rates) {
            List<String[]> cell = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",");
                if (Double.parseDouble(f[ilr]) == eta) cell.add(f);
            }
            assertEquals(STEPS + 1, cell.size());
            assertEquals(q0, Double.parseDouble(cell.get(0)[iq]), 1e-15);
            assertEquals(hostQ(eta, phi, STEPS), Double.parseDouble(cell.get(STEPS)[iq]), 1e-12);
            for (int s = 0; s < STEPS; s++) {
                double q = Double.parseDouble(cell.get(s)[iq]), next = Double.parseDouble(cell.get(s + 1)[iq]);
                double r2 = 2 * Double.parseDouble(cell.get(s)[il]);
                assertEquals((1 - eta * eta * r2) * q, next, 1e-12, "O2 at η = " + eta + ", step " + s);
            }
        }
    }

    @Test
    void balanceQIsEmptyForSeveralOutputs(@TempDir Path dir) throws IOException {
        SweepResult r = run(spec("teacher:in=3,hidden=2,out=2,n=20,seed=4",
                new ModelSpec(new int[] {3, 4, 2}, Activation.TANH, true, Loss.MSE), InitSpec.parse("normal:0.5"),
                new double[] {0.1}), dir);
        for (CellRow row : r.rows()) {
            assertTrue(Double.isNaN(row.extras().get("balance_q")), row.extras().toString());
            assertTrue(row.extras().get("imbalance") > 0);
        }
        String header = Files.readAllLines(dir.resolve("curves.csv")).get(0);
        assertTrue(header.contains("imbalance") && !header.contains("balance_q"), header);
        assertTrue(Files.readAllLines(dir.resolve("results.csv")).get(0).contains("balance_q"));
    }
}
