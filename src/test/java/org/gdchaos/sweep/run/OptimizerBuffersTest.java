package org.gdchaos.sweep.run;

import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.testing.LiveBuffers;
import org.gdchaos.testing.TestBackends;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimizer's state is allocated once per batch of cells, never per step, and released with
 * it: a sweep with heavy ball (Adam: with every method but spectrum, which refuses it) allocates the same number of buffers for
 * 6 steps as for 18, and ends with no buffer open, for every method that supports the optimizer,
 * on Java and OpenCL ({@link LiveBuffers}).
 */
class OptimizerBuffersTest {
    static long[] sweep(Backend real, Optimizer opt, Method method, int steps, Path dir) {
        LiveBuffers counter = new LiveBuffers(real);
        LyapunovConfig lc = new LyapunovConfig(method, 2, 2, 1e-8, 2, 0,
                method == Method.PAPER ? Norm.L1 : Norm.L2, false, GrowthFit.Method.GROWTH_PHASE);
        SweepSpec spec = SweepSpec.builder().data("scalar:x=1,y=1").trainSize(0).testSize(0)
                .model(ModelSpec.linear(2)).init(InitSpec.normal(0.5)).learningRates(0.1, 0.3).inits(2).seed(7)
                .steps(steps).batchSize(0).dtype(DType.F64).lyapunov(lc).accuracyThreshold(0.0).evalEvery(0)
                .optimizer(opt).build();
        SweepResult r = new SweepRunner(counter.backend(), spec,
                SweepRunner.Options.builder().out(dir).maxBatch(lc.trajectoriesPerCell()).build()).run();
        assertEquals(4, r.rows().size());
        return new long[] {counter.allocated(), counter.live()};
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void stateIsAllocatedOncePerBatchAndReleased(String name, @TempDir Path dir) {
        try (Backend real = TestBackends.openOrSkip(name)) {
            for (Method method : Method.values()) {
                for (Optimizer opt : new Optimizer[] {Optimizer.momentum(0.9), Optimizer.nesterov(0.5),
                        Optimizer.adam(0.9, 0.999, 1e-8)}) {
                    if (opt.kind() == Optimizer.Kind.ADAM && method == Method.SPECTRUM) continue; // refused
                    String what = method + " " + opt + " on " + name;
                    long[] few = sweep(real, opt, method, 6, dir.resolve(method + "-" + opt.kind() + "-6"));
                    long[] many = sweep(real, opt, method, 18, dir.resolve(method + "-" + opt.kind() + "-18"));
                    assertTrue(few[0] > 0, what);
                    assertEquals(few[0], many[0], what + ": allocations do not grow with the steps");
                    assertEquals(0, few[1], what + ": nothing left open");
                    assertEquals(0, many[1], what + ": nothing left open");
                }
            }
        }
    }
}
