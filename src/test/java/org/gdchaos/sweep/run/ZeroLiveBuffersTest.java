package org.gdchaos.sweep.run;

import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.gdchaos.testing.LiveBuffers;
import org.gdchaos.testing.TestBackends;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lifecycles: a whole sweep releases every device buffer it allocates. One sweep per Lyapunov
 * method (paper, benettin, spectrum, tangent), each with the sharpness meter, gradient flow and
 * balance and a weight decay (whose penalty buffers are allocated on demand), split into several device batches (at most one cell per batch), run through a
 * {@link LiveBuffers} wrapper around the Java or the OpenCL backend (OpenCL skips where it is
 * unavailable, except under CI=true): when the runner returns, no buffer it allocated is still
 * open. A tracker that keeps its bookkeeping buffers, or a meter that is not closed, fails it.
 */
class ZeroLiveBuffersTest {
    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void everyMethodWithEveryExtraEndsWithZeroLiveBuffers(String name, @TempDir Path dir) {
        int d = 2;
        try (Backend real = TestBackends.openOrSkip(name)) {
            for (Method method : Method.values()) {
                LiveBuffers counter = new LiveBuffers(real);
                LyapunovConfig lc = new LyapunovConfig(method, 2, 2, 1e-8, 1, 0,
                        method == Method.PAPER ? Norm.L1 : Norm.L2, false, GrowthFit.Method.GROWTH_PHASE);
                SweepSpec spec = SweepSpec.builder().data("scalar:x=1,y=1").trainSize(0).testSize(0)
                        .model(ModelSpec.linear(d)).init(InitSpec.normal(0.5))
                        .learningRates(new double[] {0.3, 0.8}).weightDecays(0, 0.1).inits(2).seed(7).steps(6).batchSize(0)
                        .dtype(DType.F64).lyapunov(lc).accuracyThreshold(0.0).evalEvery(0)
                        .extras(new SweepSpec.Extras(true, 3, true, true)).build();
                int perCell = lc.trajectoriesPerCell();
                SweepResult r = new SweepRunner(counter.backend(), spec,
                        SweepRunner.Options.builder().out(dir.resolve(method.name())).maxBatch(perCell).build()).run();
                assertEquals(8, r.rows().size(), method + ": every cell ran (2 η × 2 weight decays × 2 inits)");
                assertTrue(counter.allocated() > 0, method + ": the sweep allocated through the wrapper");
                assertEquals(0, counter.live(), method + " on " + name + ": " + counter.describeLive());
            }
        }
    }

    /** The counter itself: a buffer left open is counted and described, a closed one is not. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void theCounterSeesAnOpenBuffer(String name) {
        try (Backend real = TestBackends.openOrSkip(name)) {
            LiveBuffers counter = new LiveBuffers(real);
            Backend b = counter.backend();
            var kept = b.allocate(DType.F64, 3);
            try (var freed = b.allocate(DType.F64, 5)) {
                b.upload(new double[] {1, 2, 3}, 0, kept, 0, 3);
                b.copy(kept, 0, freed, 1, 3);
                double[] back = new double[5];
                b.download(freed, 0, back, 0, 5);
                assertEquals(List.of(1.0, 2.0, 3.0), List.of(back[1], back[2], back[3]));
            }
            assertEquals(1, counter.live());
            assertTrue(counter.describeLive().contains("F64 × 3"), counter.describeLive());
            kept.close();
            assertEquals(0, counter.live());
        }
    }
}
