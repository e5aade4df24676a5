package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
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
import org.gdchaos.testing.TestBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the sweep runner: --model linear, --method tangent, --sharpness --flow
 * --balance, on the Java backend and on OpenCL (skipped where OpenCL is unavailable, except
 * under CI=true).
 */
class SweepExtrasTest {
    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void linearNetworkSweepReportsTheO7SpectrumAndFlatterThanFlowSharpness(String name, @TempDir Path dir)
            throws Exception {
        int d = 2;
        LyapunovConfig lc = new LyapunovConfig(Method.TANGENT, 1, 2 * d, 1e-8, 1, 100, Norm.L2, false,
                GrowthFit.Method.GROWTH_PHASE);
        SweepSpec spec = SweepSpec.builder().data("scalar:x=1,y=1").trainSize(0).testSize(0)
                .model(ModelSpec.linear(d)).init(InitSpec.normal(0.5)).learningRates(new double[] {0.3, 0.8})
                .inits(2).seed(7).steps(800).batchSize(0).dtype(DType.F64).lyapunov(lc).accuracyThreshold(0.0)
                .evalEvery(0).extras(new SweepSpec.Extras(true, 100, true, true)).build();
        SweepResult r;
        try (Backend backend = TestBackends.openOrSkip(name)) {
            r = new SweepRunner(backend, spec, SweepRunner.Options.builder().out(dir).build()).run();
        }
        assertEquals(4, r.rows().size());
        for (CellRow row : r.rows()) {
            assertFalse(row.diverged());
            double s = row.extras().get("sharpness"), gf = row.extras().get("gf_sharpness");
            double eta = row.cell().lr();
            assertTrue(s <= gf + 1e-9 && eta * s <= 2, row.extras().toString());
            assertTrue(row.extras().get("gf_final_loss") < 1e-18);
            assertTrue(row.extras().get("imbalance") >= 0);
            double[] lam = row.exponents();
            assertEquals(Math.log(Math.abs(1 - eta * s)), lam[2 * d - 1], 2e-3, "O7 through the sweep");
            assertEquals(0, lam[0], 2e-3);
        }
        String header = Files.readAllLines(dir.resolve("results.csv")).get(0);
        for (String col : List.of("sharpness", "gf_sharpness", "gf_final_loss", "imbalance")) {
            assertTrue(header.contains(col), header);
        }
    }
}
