package org.gdchaos.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.gdchaos.analysis.GrowthFit;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.View;
import org.gdchaos.hessian.CurvatureMeter;
import org.gdchaos.lyapunov.CellLayout;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.lyapunov.TangentTracker;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Ensemble;
import org.junit.jupiter.api.Test;

/**
 * The element counts the planner budgets for the tangent method and the sharpness meter
 * ({@link TangentTracker#deviceElementsPerCell}, {@link CurvatureMeter#deviceElements}) against
 * what those classes really allocate, counted on a backend wrapper.
 */
class PlannedMemoryTest {
    /** A backend that counts the elements of every {@code allocate} (frees are not subtracted). */
    static final class Counting {
        long elements;
        final Backend backend;

        Counting(Backend real) {
            backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, m, args) -> {
                        if (m.getName().equals("allocate")) elements += (Long) args[1];
                        try {
                            return m.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    /**
     * Elements a tangent tracker allocates for {@code cells} one-trajectory cells of {@code spec} (K exponents, a chunk of rows),
     * on 10 rows of {@code inputs} zero features and 3 one-hot classes, counted on a backend wrapper.
     */
    static long tangentTrackerElements(ModelSpec spec, int inputs, int cells, int k, int chunk) {
        int n = 10;
        LyapunovConfig cfg = new LyapunovConfig(Method.TANGENT, 1, k, 1e-8, 1, 0, Norm.L2, false,
                GrowthFit.Method.GROWTH_PHASE);
        try (Backend real = Backends.create("java")) {
            Counting counting = new Counting(real);
            Backend b = counting.backend;
            double[] y = new double[n * 3];
            for (int i = 0; i < n; i++) y[i * 3 + i % 3] = 1;
            try (DeviceData data = DeviceData.upload(b, DType.F64, new double[n * inputs], y, n, inputs, 3);
                 Ensemble e = new Ensemble(b, DType.F64, spec, cells)) {
                long before = counting.elements;
                TangentTracker t = new TangentTracker(e, data, new CellLayout(cells, 1), cfg, 5, chunk);
                long used = counting.elements - before;
                t.close();
                return used;
            }
        }
    }

    @Test
    void tangentTrackerAllocatesWhatThePlannerBudgetsPerCell() {
        ModelSpec spec = new ModelSpec(new int[] {4, 6, 3}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        int cells = 3, k = 2, chunk = 8;
        long used = tangentTrackerElements(spec, 4, cells, k, chunk);
        // P = 4·6 + 6 + 6·3 + 3 = 51: 2K·P = 204; workspace chunk·(5·6 + 3·3 + 2·6) + 1 = 409; 3 scalars
        assertEquals(204 + 409 + 3, TangentTracker.deviceElementsPerCell(spec, k, chunk));
        assertEquals(cells * TangentTracker.deviceElementsPerCell(spec, k, chunk) + 3, used,
                "per cell as planned, plus 3 shared constants");
    }

    /** A CNN's training and second-order workspaces: what the classes allocate is what their formulas say. */
    @Test
    void convolutionalWorkspacesAreWhatTheFormulasSay() {
        ModelSpec spec = ModelSpec.parse("input:12x12x2,conv:3@3x3,tanh,maxpool:2,conv:4@3x3:same,relu,avgpool:2,dense:5",
                null, true, Loss.CROSS_ENTROPY);
        int t = 3, chunk = 7;
        try (Backend real = Backends.create("java")) {
            Counting counting = new Counting(real);
            Backend b = counting.backend;
            try (Ensemble e = new Ensemble(b, DType.F64, spec, t)) {
                long before = counting.elements;
                new org.gdchaos.train.BatchedNetwork(e, chunk).close();
                long used = counting.elements - before;
                // outputs per sample 10·10·3 + 5·5·3 + 5·5·4 + 2·2·4 + 5 = 496, largest 300; lowering: conv 2 on
                // 5×5×3 → 5·5·(9·3) = 675 per sample and trajectory, conv 1 on the shared input 10·10·(9·2) = 1800
                assertEquals((long) t * chunk * (496 + 2 * 300) + (long) t * chunk * 675 + (long) chunk * 1800, used);
                assertEquals(used, org.gdchaos.train.BatchedNetwork.workspaceElements(spec, t, chunk));
                before = counting.elements;
                new org.gdchaos.hessian.SecondOrderNetwork(b, DType.F64, spec, t, chunk).close();
                assertEquals(org.gdchaos.hessian.SecondOrderNetwork.workspaceElements(spec, t, chunk),
                        counting.elements - before);
            }
        }
    }

    /** For a CNN the tangent tracker's cells share one lowering of the data, which the per-cell budget leaves out. */
    @Test
    void convolutionalTangentTrackerAllocatesPerCellPlusOneSharedLowering() {
        ModelSpec spec = ModelSpec.parse("input:8x8x1,conv:2@3x3,tanh,avgpool:2,dense:3", null, true, Loss.CROSS_ENTROPY);
        int cells = 3, k = 2, chunk = 8;
        long used = tangentTrackerElements(spec, 64, cells, k, chunk);
        long shared = org.gdchaos.train.NetworkOps.sharedElements(spec, chunk);
        assertEquals(chunk * 6 * 6 * 9, shared, "the first lowering: 6×6 output pixels × 3·3 patch per sample");
        assertEquals(cells * TangentTracker.deviceElementsPerCell(spec, k, chunk) + shared + 3, used,
                "per cell as planned, one shared lowering, 3 shared constants");
        assertEquals(1, Method.TANGENT.impl().sharedLowerings());
    }

    @Test
    void curvatureMeterAllocatesWhatThePlannerReserves() {
        int d = 3, cells = 5;
        ModelSpec spec = ModelSpec.linear(d);
        try (Backend real = Backends.create("java")) {
            Counting counting = new Counting(real);
            Backend b = counting.backend;
            try (DeviceData data = DeviceData.upload(b, DType.F64, new double[] {1}, new double[] {0.8}, 1, 1, 1);
                 Buffer pb = b.allocate(DType.F64, 2L * d * cells)) {
                double[][] starts = new double[cells][2 * d];
                for (int c = 0; c < cells; c++) {
                    for (int i = 0; i < 2 * d; i++) starts[c][i] = 0.3 + 0.1 * c + 0.05 * i * (i % 2 == 0 ? 1 : -1);
                    b.upload(starts[c], 0, pb, 2L * d * c, 2 * d);
                }
                long before = counting.elements;
                try (CurvatureMeter meter = new CurvatureMeter(b, DType.F64, spec, cells, 1)) {
                    meter.sharpness(data, View.of(pb, 2 * d), cells);
                    meter.flow(data, starts);
                    meter.imbalance(View.of(pb, 2 * d), cells);
                }
                long used = counting.elements - before;
                assertEquals(CurvatureMeter.deviceElements(b.memoryBytes(), DType.F64, spec, cells, 1, true, true), used);
                long noFlow = CurvatureMeter.deviceElements(b.memoryBytes(), DType.F64, spec, cells, 1, false, false);
                assertEquals(used - 11L * cells * 2 * d - cells - (3L * cells + 3) - (long) cells * d * d - cells, noFlow,
                        "flow: 11·G·P + G + 3G + 3; balance: G·d² + G");
            }
        }
    }
}
