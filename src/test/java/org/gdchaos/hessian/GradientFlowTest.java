package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gradient flow on the linear network (docs/science.md#oracles): O6 (S_GF = √(4Φ² + P0)), Q and P conserved (O2/O4, flow versions). */
class GradientFlowTest {
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.create("java");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void flowLimitHasSharpnessSqrtOf4PhiSquaredPlusP0AndConservesQAndP() {
        int d = 3, tt = 3;
        double phi = 1.5;
        ModelSpec spec = ModelSpec.linear(d);
        int p = 2 * d;
        try (DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F64, spec, tt, 1);
             GradientFlow flow = new GradientFlow(mlp, FlowConfig.defaults(DType.F64));
             Lanczos lanczos = new Lanczos(mlp, LanczosConfig.defaults(DType.F64));
             Balance balance = new Balance(backend, DType.F64, spec, tt);
             Buffer pb = backend.allocate(DType.F64, (long) tt * p)) {
            double[][] w0 = new double[tt][];
            for (int t = 0; t < tt; t++) {
                w0[t] = LinearNet.start(d, 0.2 + 0.5 * t, 90 + t);
                backend.upload(w0[t], 0, pb, (long) t * p, p);
            }
            GradientFlow.Result r = flow.run(data, View.of(pb, p), tt);
            double[] q = balance.q(flow.solution(), tt);
            Lanczos.Result s = lanczos.topEigenvalues(data, flow.solution(), tt, 1);
            for (int t = 0; t < tt; t++) {
                assertTrue(r.converged()[t], "flow converged, |grad| = " + r.gradientNorm()[t]);
                double[] w = new double[p];
                backend.download(flow.solution().buffer(), (long) t * p, w, 0, p);
                double expected = Math.sqrt(4 * phi * phi + LinearNet.p(w0[t]));
                assertEquals(expected, s.sharpness(t), 1e-7 * expected, "O6 S_GF");
                assertEquals(expected, LinearNet.lambda(w), 1e-7 * expected, "S_GF = |a|^2+|b|^2");
                assertEquals(LinearNet.q(w0[t]), q[t], 1e-8 * LinearNet.lambda(w0[t]), "Q conserved by GF");
                assertEquals(LinearNet.p(w0[t]), LinearNet.p(w), 1e-7 * Math.max(1, LinearNet.p(w0[t])), "P conserved");
                assertEquals(0, r.finalLoss()[t], 1e-20, "limit is a global minimum");
                assertTrue(r.steps()[t] > 5);
            }
        }
    }

    @Test
    void float32FlowReachesTheSameLimitToSinglePrecision() {
        int d = 4;
        double phi = 1.1;
        try (DeviceData data = DeviceData.upload(backend, DType.F32, new double[] {1}, new double[] {phi}, 1, 1, 1);
             SecondOrderNetwork mlp = new SecondOrderNetwork(backend, DType.F32, ModelSpec.linear(d), 1, 1);
             GradientFlow flow = new GradientFlow(mlp, FlowConfig.defaults(DType.F32));
             Buffer pb = backend.allocate(DType.F32, 2L * d)) {
            double[] w0 = LinearNet.start(d, 0.6, 77);
            backend.upload(w0, 0, pb, 0, 2 * d);
            backend.download(pb, 0, w0, 0, 2 * d); // the f32-rounded start
            GradientFlow.Result r = flow.run(data, View.of(pb, 2 * d), 1);
            double[] w = new double[2 * d];
            backend.download(flow.solution().buffer(), 0, w, 0, 2 * d);
            double expected = Math.sqrt(4 * phi * phi + LinearNet.p(w0));
            assertTrue(r.converged()[0], "|grad| = " + r.gradientNorm()[0]);
            assertEquals(expected, LinearNet.lambda(w), 1e-4 * expected);
        }
    }
}
