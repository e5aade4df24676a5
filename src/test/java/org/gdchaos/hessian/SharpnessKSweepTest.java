package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.cli.ExitCodes;
import org.gdchaos.cli.Main;
import org.gdchaos.data.DataSplit;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.run.SweepRunner;
import org.gdchaos.sweep.SweepSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gdchaos sweep --sharpness --sharpness-k K} end to end (through {@link Main#run}): the
 * columns {@code sharpness, hessian_eig_2 … hessian_eig_K} of results.csv are the top K Hessian
 * eigenvalues at the end of training, against independent oracles.
 */
class SharpnessKSweepTest {
    @TempDir
    Path tmp;

    static String run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code;
        try (PrintWriter po = new PrintWriter(o); PrintWriter pe = new PrintWriter(e)) {
            code = Main.run(po, pe, args);
        }
        assertEquals(ExitCodes.OK, code, "exit " + code + "\n" + o + "\n" + e);
        return o.toString();
    }

    /** results.csv as one map column → text per row. */
    static List<Map<String, String>> results(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        String[] h = lines.get(0).split(",");
        return lines.subList(1, lines.size()).stream().map(l -> {
            String[] v = l.split(",");
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < h.length; i++) m.put(h[i], v[i]);
            return m;
        }).collect(Collectors.toList());
    }

    static String values(double[] w) {
        return DoubleStream.of(w).mapToObj(v -> String.format(Locale.ROOT, "%.17g", v))
                .collect(Collectors.joining(","));
    }

    /**
     * Two-layer linear network at a converged GD limit: the Hessian is g gᵀ, g = (b; a)
     * (docs/science.md#o5), so the top eigenvalue is ‖a‖² + ‖b‖² and the next ones are 0. ‖a‖² + ‖b‖² comes
     * from two oracles: plain-Java GD from the same start, and the sweep's own balance columns
     * (at aᵀb = Φ: ‖W1W1ᵀ − W2ᵀW2‖_F² = ‖a‖⁴ + ‖b‖⁴ − 2Φ², Q = ‖a‖² − ‖b‖², so
     * (‖a‖² + ‖b‖²)² = 2·imbalance² + 4Φ² − Q²).
     */
    @Test
    void linearNetworkAtAGdLimitHasEigenvaluesNormSquaredThenZeros() throws IOException {
        double[] a = {0.3, -0.5, 0.8, 0.1}, b = {0.6, 0.2, -0.4, 0.9};
        double[] w0 = new double[8];
        System.arraycopy(a, 0, w0, 0, 4);
        System.arraycopy(b, 0, w0, 4, 4);
        double[] rates = {0.2, 0.4};
        int steps = 600;
        Path out = tmp.resolve("linear");
        run("sweep", "--data", "scalar:x=1,y=1", "--model", "linear", "--width", "4", "--init", "values:" + values(w0),
                "--lr", "0.2,0.4", "--inits", "1", "--method", "benettin", "--replicas", "1", "--steps",
                Integer.toString(steps), "--sharpness", "--sharpness-k", "3", "--balance", "--backend", "java",
                "--quiet", "--out", out.toString());
        String header = Files.readAllLines(out.resolve("results.csv")).get(0);
        assertTrue(header.endsWith(",converged,precision_lost,seed,init_seed,perturb_seed,sharpness,hessian_eig_2,hessian_eig_3,imbalance,balance_q"), header);
        List<Map<String, String>> rows = results(out);
        assertEquals(2, rows.size());
        for (int c = 0; c < 2; c++) {
            Map<String, String> row = rows.get(c);
            assertEquals("true", row.get("converged"), row.toString());
            double[] w = w0.clone();
            for (int s = 0; s < steps; s++) { // GD on ½(aᵀb − 1)²: a ← a − η r b, b ← b − η r a
                double m = 0;
                for (int i = 0; i < 4; i++) m += w[i] * w[4 + i];
                double r = m - 1;
                double[] next = w.clone();
                for (int i = 0; i < 4; i++) {
                    next[i] -= rates[c] * r * w[4 + i];
                    next[4 + i] -= rates[c] * r * w[i];
                }
                w = next;
            }
            double lambda = 0;
            for (double v : w) lambda += v * v;
            double s1 = Double.parseDouble(row.get("sharpness"));
            double imb = Double.parseDouble(row.get("imbalance")), q = Double.parseDouble(row.get("balance_q"));
            assertEquals(lambda, s1, 1e-9 * lambda, "O5: eigenvalue 1 = ‖a‖² + ‖b‖² (GD in the test), " + row);
            assertEquals(Math.sqrt(2 * imb * imb + 4 - q * q), s1, 1e-9 * lambda, "eigenvalue 1 from the balance columns");
            assertTrue(s1 > 2 - 1e-9, "S ≥ 2|Φ|: " + s1);
            for (String col : List.of("hessian_eig_2", "hessian_eig_3")) {
                assertEquals(0, Double.parseDouble(row.get(col)), 1e-9, col + " of the rank-one Hessian g gᵀ: " + row);
            }
        }
        JsonNode spec = new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("spec");
        assertEquals(3, spec.get("measurement").get("extras").get("sharpnessK").asInt(), spec.toString());
    }

    /**
     * A 3-5-2 tanh MLP on teacher data after 25 GD steps: the sweep's K = 4 eigenvalues equal the
     * top 4 eigenvalues of the dense Hessian at the same weights (central differences of the
     * trainer's gradient, cyclic Jacobi), the weights reproduced by training in the test from the
     * same start (checked against the sweep's final loss).
     */
    @Test
    void mlpEigenvaluesMatchTheDenseFiniteDifferenceHessian() throws IOException {
        ModelSpec model = new ModelSpec(new int[] {3, 5, 2}, org.gdchaos.backend.Activation.TANH, true,
                org.gdchaos.backend.Loss.MSE);
        int p = 3 * 5 + 5 + 5 * 2 + 2, k = 4, steps = 25;
        double lr = 0.3;
        double[] w0 = Fixtures.gaussian(p, 0.9, 17);
        Path out = tmp.resolve("mlp");
        run("sweep", "--data", "teacher:in=3,hidden=4,out=2,n=24,seed=5", "--layers", "3,5,2", "--activation", "tanh",
                "--loss", "mse", "--init", "values:" + values(w0), "--lr", Double.toString(lr), "--inits", "1",
                "--method", "benettin", "--replicas", "1", "--steps", Integer.toString(steps), "--sharpness",
                "--sharpness-k", Integer.toString(k), "--backend", "java", "--quiet", "--out", out.toString());
        Map<String, String> row = results(out).get(0);
        assertFalse(row.containsKey("hessian_eig_5"), row.toString());
        SweepSpec spec = SpecJson.read(new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("spec"));
        assertEquals(k, spec.measurement().extras().sharpnessK());
        DataSplit split = SweepRunner.loadData(spec);
        try (Backend backend = Backends.create("java");
             DeviceData data = DeviceData.upload(backend, DType.F64, split.train().x(), split.train().y(),
                     split.train().n(), split.features(), split.outputs());
             Ensemble e = new Ensemble(backend, DType.F64, model, 1);
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 4, 0))) {
            e.setParameters(0, w0);
            e.setLearningRates(new double[] {lr});
            for (int s = 0; s < steps; s++) tr.step();
            double[] w = e.parameters(0);
            double loss = tr.evaluate(data, 1).loss(0);
            double sweepLoss = Double.parseDouble(row.get("final_loss"));
            assertEquals(sweepLoss, loss, 1e-12 * sweepLoss, "the test trained to the sweep's weights");
            double[] dense = Fixtures.jacobiEigenvalues(Fixtures.fdHessian(backend, model, data, w, 1e-5));
            for (int i = 0; i < k; i++) {
                String col = i == 0 ? "sharpness" : "hessian_eig_" + (i + 1);
                double got = Double.parseDouble(row.get(col));
                assertEquals(dense[i], got, 1e-6 * Math.abs(dense[i]), col + ": dense " + java.util.Arrays.toString(
                        java.util.Arrays.copyOf(dense, k + 1)) + " vs " + row);
            }
            assertTrue(dense[k - 1] - dense[k] > 1e-3 * dense[0], "distinct eigenvalues " + k + " and " + (k + 1));
        }
    }
}
