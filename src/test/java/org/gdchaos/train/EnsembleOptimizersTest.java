package org.gdchaos.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-trajectory optimizers ({@link Ensemble#setOptimizers}, the momentum axis): each trajectory of an
 * ensemble whose β differ along it follows, bit for bit, the trajectory of a one-trajectory ensemble
 * with its optimizer, on the Java and OpenCL backends; runs of equal β are found; kinds cannot mix.
 */
class EnsembleOptimizersTest {
    static final ModelSpec SPEC = new ModelSpec(new int[] {1, 1}, Activation.IDENTITY, false, Loss.MSE);

    static Backend open(String name) {
        if (name.equals("opencl")) {
            var a = new org.gdchaos.backend.opencl.OpenClBackendProvider().probe();
            if (!a.available() && "true".equalsIgnoreCase(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail("OpenCL required in CI: " + a.detail());
            }
            Assumptions.assumeTrue(a.available(), a.detail());
        }
        return Backends.create(name);
    }

    /** w of each trajectory after {@code steps} steps on ½·h·w² (h = 2), trajectory t starting at 1 + t/10. */
    static double[] train(Backend b, Optimizer[] opts, double[] etas, int steps) {
        int n = opts.length;
        double[] out = new double[n];
        try (DeviceData data = DeviceData.upload(b, DType.F64, new double[] {Math.sqrt(2)}, new double[] {0}, 1, 1, 1);
             Ensemble e = new Ensemble(b, DType.F64, SPEC, n);
             Trainer tr = new Trainer(e, data, TrainConfig.fullBatchGd())) {
            for (int t = 0; t < n; t++) e.setParameters(t, new double[] {1 + t / 10.0});
            e.setLearningRates(etas);
            e.setOptimizers(opts);
            for (int s = 0; s < steps; s++) tr.step();
            for (int t = 0; t < n; t++) out[t] = e.parameters(t)[0];
        }
        return out;
    }

    /** Catches a launch per run with the wrong offset, length or β, or a state vector shared across runs. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void eachTrajectoryFollowsItsOwnOptimizer(String backend) {
        try (Backend b = open(backend)) {
            List<Optimizer[]> cases = List.of(
                    new Optimizer[] {Optimizer.nesterov(0.5), Optimizer.nesterov(0.5), Optimizer.nesterov(0.9),
                        Optimizer.nesterov(0.9), Optimizer.nesterov(0.5)},
                    new Optimizer[] {Optimizer.momentum(0), Optimizer.momentum(0.9), Optimizer.momentum(0)},
                    new Optimizer[] {Optimizer.adam(0.9, 0.999, 1e-8), Optimizer.adam(0.5, 0.999, 1e-8)});
            for (Optimizer[] opts : cases) {
                double[] etas = new double[opts.length];
                for (int t = 0; t < etas.length; t++) etas[t] = 0.1 + 0.05 * t;
                double[] got = train(b, opts, etas, 25);
                for (int t = 0; t < opts.length; t++) {
                    Optimizer[] one = new Optimizer[opts.length];
                    java.util.Arrays.fill(one, opts[t]);
                    double[] want = train(b, one, etas, 25); // every trajectory with t's optimizer
                    assertEquals(want[t], got[t], 0.0, backend + " " + opts[t] + ", trajectory " + t);
                }
            }
        }
    }

    @Test
    void runsOfEqualOptimizerAndOneKind() {
        try (Backend b = Backends.create("java");
             Ensemble e = new Ensemble(b, DType.F64, SPEC, 5)) {
            Optimizer a = Optimizer.momentum(0.5), c = Optimizer.momentum(0.9);
            e.setOptimizers(new Optimizer[] {a, a, c, c, a});
            List<String> runs = new ArrayList<>();
            e.optimizerRuns(5, (from, n, o) -> runs.add(from + "+" + n + ":" + o.label()));
            assertEquals(List.of("0+2:momentum:0.5", "2+2:momentum:0.9", "4+1:momentum:0.5"), runs);
            runs.clear();
            e.optimizerRuns(3, (from, n, o) -> runs.add(from + "+" + n + ":" + o.label()));
            assertEquals(List.of("0+2:momentum:0.5", "2+1:momentum:0.9"), runs, "the first 3 trajectories");
            assertEquals(c, e.optimizer(3));
            assertEquals(a, e.optimizer(4));
            assertEquals(a, e.optimizer(), "trajectory 0's");
        }
        try (Backend b = Backends.create("java");
             Ensemble e = new Ensemble(b, DType.F64, SPEC, 2)) {
            assertThrows(IllegalArgumentException.class,
                    () -> e.setOptimizers(new Optimizer[] {Optimizer.momentum(0.5), Optimizer.nesterov(0.5)}));
        }
    }
}
