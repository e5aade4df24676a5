package org.gdchaos.lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.hessian.ExtrasRecorder;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.testing.LiveBuffers;
import org.gdchaos.testing.TestBackends;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.junit.jupiter.api.Test;

/**
 * A constructor that fails half-way (the device runs out of memory at its k-th allocation) must
 * release what it allocated before: for every tracker and for the sweep's extras recorder
 * (sharpness, flow, balance), and for every k, the failed construction leaves exactly the
 * buffers that were live before it.
 */
class PartialConstructionTest {
    @Test
    void aFailedAllocationInAnyConstructorLeavesNothingLive() {
        ModelSpec spec = new ModelSpec(new int[] {3, 4, 1}, Activation.TANH, true, Loss.MSE);
        int cells = 2, n = 5, k = 2, steps = 4;
        try (Backend real = TestBackends.openOrSkip("java")) {
            LiveBuffers counter = new LiveBuffers(real);
            Backend b = counter.backend();
            double[] x = new double[n * 3], y = new double[n];
            for (int i = 0; i < x.length; i++) x[i] = Math.sin(i + 1);
            for (int i = 0; i < n; i++) y[i] = Math.cos(i);
            Map<String, Function<Ensemble[], AutoCloseable>> makers = new LinkedHashMap<>();
            try (DeviceData data = DeviceData.upload(b, DType.F64, x, y, n, 3, 1);
                 Ensemble paper = new Ensemble(b, DType.F64, spec, cells * (k + 1));
                 Ensemble single = new Ensemble(b, DType.F64, spec, cells)) {
                CellLayout layout = new CellLayout(cells, k + 1);
                LyapunovConfig replicas = new LyapunovConfig(Method.PAPER, k, k, 1e-6, 1, 0, Norm.L2, false,
                        GrowthFit.Method.GROWTH_PHASE);
                makers.put("paper", e -> new FreeDivergence(paper, layout, replicas, steps));
                makers.put("benettin", e -> new Benettin(paper, layout, replicas, steps));
                makers.put("spectrum", e -> new SpectrumTracker(paper, layout, replicas, steps));
                makers.put("tangent", e -> new TangentTracker(single, data, new CellLayout(cells, 1), replicas, steps, n));
                makers.put("extras", e -> ExtrasRecorder.builder(b, DType.F64, spec, data).cellKeys(1, 2).steps(steps)
                        .sharpness(true).sharpnessEvery(2).sharpnessK(2).flow(true).balance(true).build());
                for (Map.Entry<String, Function<Ensemble[], AutoCloseable>> m : makers.entrySet()) {
                    int live = counter.live();
                    long first = counter.allocated();
                    try (AutoCloseable ok = m.getValue().apply(null)) {
                        assertTrue(counter.allocated() > first, m.getKey() + " allocates");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    long allocations = counter.allocated() - first;
                    assertEquals(live, counter.live(), m.getKey() + " closes what it allocated");
                    for (long i = 0; i < allocations; i++) {
                        counter.failAllocation(counter.allocated() + i);
                        assertThrows(LiveBuffers.PlantedFailure.class, () -> m.getValue().apply(null),
                                m.getKey() + ": allocation " + i);
                        assertEquals(live, counter.live(),
                                m.getKey() + ", allocation " + i + " of " + allocations + " failed: " + counter.describeLive());
                    }
                }
            }
        }
    }
}
