package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.gdchaos.train.TrainConfig;
import org.gdchaos.train.Trainer;
import org.junit.jupiter.api.Test;

/** The sweep's extras on the linear network: GD is flatter than GF (docs/science.md#o6), imbalance, curves. */
class ExtrasRecorderTest {
    @Test
    void gradientDescentEndsFlatterThanGradientFlowFromTheSameStart() {
        int d = 3, steps = 300;
        double phi = 1;
        double[] rates = {0.2, 0.8};
        ModelSpec spec = ModelSpec.linear(d);
        double[] w0 = LinearNet.start(d, 0.7, 3);
        try (Backend backend = Backends.create("java");
             DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
             Ensemble e = new Ensemble(backend, DType.F64, spec, 2);
             Trainer tr = new Trainer(e, data, new TrainConfig(0, 1, 0));
             ExtrasRecorder x = ExtrasRecorder.builder(backend, DType.F64, spec, data)
                     .cells(2).steps(steps).sharpnessEvery(10).flow(true).balance(true).build()) {
            e.setParameters(0, w0);
            e.setParameters(1, w0);
            e.setLearningRates(rates);
            x.afterStep(0, e.params());
            for (int s = 1; s <= steps; s++) {
                tr.step();
                x.afterStep(s, e.params());
            }
            x.finish(e.params(), new double[][] {w0, w0});
            double sGf = Math.sqrt(4 * phi * phi + LinearNet.p(w0));
            for (int c = 0; c < 2; c++) {
                Map<String, Double> row = x.row(c, false);
                double[] w = e.parameters(c);
                assertEquals(LinearNet.lambda(w), row.get("sharpness"), 1e-9, "O5 at the GD limit");
                assertEquals(sGf, row.get("gf_sharpness"), 1e-7 * sGf, "O6 S_GF");
                assertTrue(row.get("gf_final_loss") < 1e-20);
                assertTrue(row.get("sharpness") < sGf - 1e-6, "GD limit flatter than GF: " + row + " vs " + sGf);
                assertTrue(rates[c] * row.get("sharpness") <= 2, "S_GD <= 2/eta");
                double m = LinearNet.m(w), aa = 0, bb = 0;
                for (int i = 0; i < d; i++) {
                    aa += w[i] * w[i];
                    bb += w[d + i] * w[d + i];
                }
                assertEquals(Math.sqrt(aa * aa + bb * bb - 2 * m * m), row.get("imbalance"), 1e-12);
                assertEquals(aa - bb, row.get("balance_q"), 1e-12, "Q = ‖a‖² − ‖b‖²");
                Map<String, double[]> curves = x.curves(c);
                double[] sc = curves.get("sharpness");
                assertTrue(Double.isNaN(sc[5]) && !Double.isNaN(sc[10]) && !Double.isNaN(sc[0]));
                assertEquals(row.get("sharpness"), sc[steps], 1e-9);
                assertEquals(row.get("imbalance"), curves.get("imbalance")[steps], 1e-12);
                assertEquals(row.get("balance_q"), curves.get("balance_q")[steps], 1e-12);
            }
            assertTrue(x.row(0, false).get("sharpness") > x.row(1, false).get("sharpness"),
                    "larger eta regularises more (flatter limit)");
            assertTrue(Double.isNaN(x.row(0, true).get("sharpness")));
        }
    }

    @Test
    void theBuilderNamesEachSettingAndNeedsCellsAndSteps() {
        ModelSpec spec = ModelSpec.linear(2);
        try (Backend backend = Backends.create("java");
             DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {1}, 1, 1, 1)) {
            ExtrasRecorder.Builder noCells = ExtrasRecorder.builder(backend, DType.F64, spec, data).steps(3);
            assertEquals("ExtrasRecorder: the cells are not set",
                    assertThrows(IllegalStateException.class, noCells::build).getMessage());
            ExtrasRecorder.Builder noSteps = ExtrasRecorder.builder(backend, DType.F64, spec, data).cells(2);
            assertEquals("ExtrasRecorder: the steps are not set",
                    assertThrows(IllegalStateException.class, noSteps::build).getMessage());
            assertThrows(IllegalArgumentException.class, () -> noSteps.sharpnessK(0));
            assertThrows(IllegalArgumentException.class, () -> noSteps.sharpnessEvery(-1));
            // only what is named is recorded: K eigenvalues at the end, no flow, no balance, no curves
            try (ExtrasRecorder x = ExtrasRecorder.builder(backend, DType.F64, spec, data)
                    .cellKeys(7, 9).steps(3).sharpness(true).sharpnessK(2).build()) {
                assertEquals(List.of("sharpness", "hessian_eig_2"), List.copyOf(x.row(1, true).keySet()));
                assertTrue(x.curves(1).isEmpty());
            }
        }
    }
}
