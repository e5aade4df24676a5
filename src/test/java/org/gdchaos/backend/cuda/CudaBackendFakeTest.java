package org.gdchaos.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.Reduction;
import org.gdchaos.backend.View;
import org.gdchaos.backend.kernels.Kernel;
import org.gdchaos.backend.kernels.KernelSource;
import org.gdchaos.backend.cuda.KernelLaunch.Dim3;
import org.junit.jupiter.api.Test;

/** The CUDA backend driven through {@link FakeCudaDriver}: transfers, GEMM, launches, lifecycle. */
class CudaBackendFakeTest {

    private final FakeCudaDriver driver = new FakeCudaDriver();
    private final CudaBackend backend = new CudaBackend(driver);

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextDouble(-2, 2);
        return x;
    }

    @Test
    void transfersRoundTripInBothTypesAcrossStagingChunks() {
        int n = CudaTuning.STAGING_BYTES / 8 + 1234;             // two staging chunks for f64
        double[] x = random(n, 1);
        for (DType t : DType.values()) {
            Buffer b = backend.allocate(t, n + 10);
            backend.upload(x, 0, b, 10, n);
            double[] back = new double[n + 3];
            backend.download(b, 10, back, 3, n);
            for (int i = 0; i < n; i++) {
                double want = t == DType.F32 ? (float) x[i] : x[i];
                assertEquals(want, back[3 + i], 0.0, t + " element " + i);
            }
            double[] head = new double[10];
            backend.download(b, 0, head, 0, 10);
            assertArrayEquals(new double[10], head, "allocation is zero-filled");
            b.close();
        }
        assertEquals(0, driver.launches.size(), "transfers launch no kernels");
    }

    @Test
    void copyAndZeroFillUseTheDriverCopyAndMemset() {
        Buffer a = backend.allocate(DType.F64, 8), b = backend.allocate(DType.F64, 8);
        backend.upload(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, a, 0, 8);
        backend.copy(a, 2, b, 1, 4);
        backend.fill(b, 6, 2, 0.0);
        double[] got = new double[8];
        backend.download(b, 0, got, 0, 8);
        assertArrayEquals(new double[] {0, 3, 4, 5, 6, 0, 0, 0}, got);
        assertEquals(0, driver.launches.size());
        assertThrows(IllegalArgumentException.class, () -> backend.copy(a, 6, b, 0, 4));
        Buffer f = backend.allocate(DType.F32, 8);
        assertThrows(IllegalArgumentException.class, () -> backend.copy(a, 0, f, 0, 1));
    }

    @Test
    void fillWithNonZeroLaunchesTheFillKernelWithTypedScalar() {
        Buffer f32 = backend.allocate(DType.F32, 1000), f64 = backend.allocate(DType.F64, 1000);
        backend.fill(f32, 7, 600, 0.1);
        backend.fill(f64, 7, 600, 0.1);
        KernelLaunch l32 = driver.launches.get(0), l64 = driver.launches.get(1);
        assertEquals("fill", l32.kernel());
        assertEquals(new Dim3(3, 1, 1), l32.grid());
        assertEquals(new Dim3(256, 1, 1), l32.block());
        assertEquals(new KernelArg.I64(600), l32.args().get(0));
        assertEquals(new KernelArg.F32(0.1f), l32.args().get(1));
        assertEquals(new KernelArg.F64(0.1), l64.args().get(1));
        assertEquals(new KernelArg.I64(7), l32.args().get(3));
    }

    /** Naive row-major oracle (also used by {@link CudaOwnGemmTest}). */
    static double[] oracle(GemmShape s, double[] a, View va, double[] b, View vb, double[] c, View vc) {
        double[] out = c.clone();
        for (int p = 0; p < s.batch(); p++) {
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    double sum = 0;
                    for (int l = 0; l < s.k(); l++) {
                        double x = s.transA() ? a[(int) (va.at(p) + l * s.m() + i)] : a[(int) (va.at(p) + i * s.k() + l)];
                        double y = s.transB() ? b[(int) (vb.at(p) + j * s.k() + l)] : b[(int) (vb.at(p) + l * s.n() + j)];
                        sum += x * y;
                    }
                    int ci = (int) (vc.at(p) + i * s.n() + j);
                    out[ci] = s.beta() == 0 ? s.alpha() * sum : s.alpha() * sum + s.beta() * out[ci];
                }
            }
        }
        return out;
    }

    @Test
    void gemmThroughCublasMappingMatchesRowMajorOracle() {
        long seed = 10;
        for (DType t : DType.values()) {
            for (int tr = 0; tr < 4; tr++) {
                GemmShape s = new GemmShape(3, 5, 7, 4, (tr & 1) != 0, (tr & 2) != 0, 1.5, tr == 3 ? 0 : 0.5);
                Buffer a = backend.allocate(t, 2 + 3 * s.sizeA()), b = backend.allocate(t, 1 + s.sizeB());
                Buffer c = backend.allocate(t, 4 + 3 * (s.sizeC() + 1));
                View va = new View(a, 2, s.sizeA()), vb = new View(b, 1, 0), vc = new View(c, 4, s.sizeC() + 1);
                double[] ha = random((int) a.length(), seed++), hb = random((int) b.length(), seed++);
                double[] hc = random((int) c.length(), seed++);
                if (t == DType.F32) {
                    for (double[] h : List.of(ha, hb, hc)) for (int i = 0; i < h.length; i++) h[i] = (float) h[i];
                }
                backend.upload(ha, 0, a, 0, ha.length);
                backend.upload(hb, 0, b, 0, hb.length);
                backend.upload(hc, 0, c, 0, hc.length);
                backend.gemm(s, va, vb, vc);
                double[] got = new double[hc.length];
                backend.download(c, 0, got, 0, got.length);
                double[] want = oracle(s, ha, va, hb, vb, hc, vc);
                double tol = t == DType.F32 ? 1e-5 : 1e-13;
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), t + " " + s + " element " + i);
                }
            }
        }
        assertEquals(0, driver.launches.size(), "GEMM goes to cuBLAS, not to a kernel");
    }

    @Test
    void reduceWithBatchFiveLaunchesFiveGroupsWithOffsetsAndTypes() {
        Buffer x = backend.allocate(DType.F64, 3 + 5 * 100), out = backend.allocate(DType.F64, 20);
        backend.reduce(Reduction.SUM_SQ, 5, 90, new View(x, 3, 100), null, new View(out, 1, 2));
        KernelLaunch l = driver.launches.get(0);
        assertEquals("reduce", l.kernel());
        assertEquals(new Dim3(1, 5, 1), l.grid());
        assertEquals(new Dim3(256, 1, 1), l.block());
        CudaDriver.Memory mx = ((CudaBuffer) x).memory(), mo = ((CudaBuffer) out).memory();
        assertEquals(List.of(KernelArg.i32(5), KernelArg.i64(90), KernelArg.i32(Reduction.SUM_SQ.code()),
                KernelArg.ptr(mx), KernelArg.i64(3), KernelArg.i64(100),
                KernelArg.ptr(mx), KernelArg.i64(3), KernelArg.i64(100),
                KernelArg.ptr(mo), KernelArg.i64(1), KernelArg.i64(2)), l.args());
    }

    @Test
    void largeBatchesAreCappedInGridYAndLargeVectorsInGridX() {
        int batch = 70_000;
        long n = 1_000_000;
        Buffer w = backend.allocate(DType.F32, 2 * n), lr = backend.allocate(DType.F32, batch);
        // stride 1 views overlap, which is fine for a launch-geometry check (nothing runs)
        backend.update(batch, n, new View(w, 0, 1), new View(w, 0, 1), new View(lr, 0, 1));
        KernelLaunch l = driver.launches.get(0);
        assertEquals(new Dim3(KernelSource.MAX_EW_GROUPS, 65535, 1), l.grid());
        assertEquals(KernelArg.i64(n), l.args().get(1));
    }

    @Test
    void columnSumsUseTwoDimensionalBlocksAndBatchInGridZ() {
        Buffer x = backend.allocate(DType.F32, 7 * 40 * 3), o = backend.allocate(DType.F32, 40 * 3);
        backend.columnSums(3, 7, 40, 0.5, View.of(x, 280), 0.0, View.of(o, 40));
        KernelLaunch l = driver.launches.get(0);
        assertEquals(new Dim3(3, 1, 3), l.grid());
        assertEquals(new Dim3(16, 16, 1), l.block());
        assertEquals(new KernelArg.F32(0.5f), l.args().get(3));
        assertEquals(new KernelArg.F32(0f), l.args().get(7));
    }

    /** Runs every kernel-backed op once in the given dtype. */
    private void everyOp(DType t) {
        int batch = 4, rows = 6, cols = 5;
        long n = rows * cols;
        Buffer z = backend.allocate(t, batch * n), y = backend.allocate(t, n), g = backend.allocate(t, batch * n);
        Buffer s = backend.allocate(t, batch), s2 = backend.allocate(t, batch), bias = backend.allocate(t, batch * cols);
        View vz = View.of(z, n), vy = View.shared(y), vg = View.of(g, n), vs = View.of(s, 1), vs2 = View.of(s2, 1);
        backend.biasActivation(Activation.TANH, batch, rows, cols, vz, View.of(bias, cols));
        backend.biasActivation(Activation.RELU, batch, rows, cols, vz, null);
        backend.activationBackward(Activation.SIGMOID, batch, rows, cols, vz, vg);
        backend.activationBackwardR(Activation.TANH, batch, rows, cols, vz, vg, vz, vg);
        backend.lossGradient(Loss.CROSS_ENTROPY, batch, rows, cols, vz, vy, 0.25, vg, vs);
        backend.lossHessianVector(Loss.MSE, batch, rows, cols, vz, vy, vg, 0.25, vg);
        backend.countCorrect(batch, rows, cols, vz, vy, vs);
        backend.columnSums(batch, rows, cols, 1.0, vz, 0.5, View.of(bias, cols));
        backend.update(batch, n, vz, vg, vs);
        Buffer m = backend.allocate(t, batch * n), sq = backend.allocate(t, batch * n);
        backend.optimizerUpdate(Optimizer.momentum(0.9), 1, batch, n, vz, vg, View.of(m, n), null, vs);
        backend.optimizerUpdate(Optimizer.adam(0.9, 0.999, 1e-8), 3, batch, n, vz, vg, View.of(m, n), View.of(sq, n), vs);
        backend.adamTangent(Optimizer.adam(0.9, 0.999, 1e-8), 3, batch, n, vz, View.of(m, n), View.of(sq, n), vg, vg,
                View.of(m, n), View.of(sq, n), vs);
        backend.adamPrecondition(Optimizer.adam(0.9, 0.999, 1e-8), 3, batch, n, View.of(sq, n), vg, vz);
        backend.axpby(batch, n, vs, vg, vs2, vz);
        backend.scale(batch, n, vs, vz);
        backend.reduce(Reduction.DOT, batch, n, vz, vg, vs);
        backend.nonFinite(batch, n, vz, vs2);
        backend.fill(z, 0, n, 2.5);
        ConvShape conv = new ConvShape(1, 3, 3, 1, 3, ConvShape.Padding.SAME);
        Buffer im = backend.allocate(t, batch * conv.inputSize()), ic = backend.allocate(t, batch * conv.colsSize());
        backend.im2col(conv, batch, View.shared(im), View.of(ic, conv.colsSize()));
        backend.col2im(conv, batch, View.of(ic, conv.colsSize()), View.of(im, conv.inputSize()));
        PoolShape pool = new PoolShape(PoolShape.Pooling.MAX, 1, 4, 4, 2);
        Buffer px = backend.allocate(t, batch * pool.inputSize()), py = backend.allocate(t, batch * pool.outputSize());
        View vx = View.of(px, pool.inputSize()), vpy = View.of(py, pool.outputSize());
        backend.pool(pool, batch, vx, vpy);
        backend.poolBackward(pool, batch, vx, vpy, vx);
        backend.poolR(pool, batch, vx, vx, vpy);
    }

    @Test
    void convolutionAndPoolingLaunchShapesAndOperands() {
        ConvShape conv = new ConvShape(2, 7, 5, 3, 5, ConvShape.Padding.SAME);
        Buffer x = backend.allocate(DType.F32, conv.inputSize()), cols = backend.allocate(DType.F32, 3 * conv.colsSize());
        backend.im2col(conv, 3, View.shared(x), new View(cols, 0, conv.colsSize()));
        KernelLaunch l = driver.launches.get(0);
        assertEquals("im2col", l.kernel());
        assertEquals(List.of(KernelArg.i32(3), KernelArg.i32(2), KernelArg.i32(7), KernelArg.i32(5), KernelArg.i32(3),
                KernelArg.i32(5), KernelArg.i32(2)), l.args().subList(0, 7), "batch, n, h, w, cin, k, pad");
        assertEquals(KernelArg.i64(0), l.args().get(9), "shared x: stride 0");
        assertEquals(KernelArg.i64(conv.colsSize()), l.args().get(12), "cols stride");
        assertEquals(Dim3.of(Kernel.Geometry.ELEMENTWISE.groups(conv.colsSize(), 3)), l.grid());

        PoolShape avg = new PoolShape(PoolShape.Pooling.AVG, 1, 5, 4, 2);
        Buffer px = backend.allocate(DType.F64, avg.inputSize()), rx = backend.allocate(DType.F64, avg.inputSize());
        Buffer ry = backend.allocate(DType.F64, avg.outputSize());
        driver.launches.clear();
        backend.poolR(avg, 1, null, View.shared(rx), View.shared(ry)); // AVG: x is not needed
        backend.poolR(new PoolShape(PoolShape.Pooling.MAX, 1, 5, 4, 2), 1, View.shared(px), View.shared(rx), View.shared(ry));
        KernelLaunch a = driver.launches.get(0), m = driver.launches.get(1);
        assertEquals("pool", a.kernel());
        assertEquals(KernelArg.i32(0), a.args().get(1), "AVG code");
        assertEquals(KernelArg.i32(1), m.args().get(1), "MAX code");
        assertEquals(a.args().get(9), a.args().get(6), "AVG passes rx as the (unread) selection operand");
        assertEquals(KernelArg.ptr(((CudaBuffer) px).memory()), m.args().get(6), "MAX selects on x");
        assertEquals(KernelArg.ptr(((CudaBuffer) rx).memory()), m.args().get(9), "values from rx");
    }

    /**
     * A CNN training step and a Hessian-vector product through the CUDA host code (kernels recorded,
     * not run): every call of the network code — blocks of samples, the shared first lowering, pooling
     * — passes the backend's argument checks, the shared input is lowered once per chunk (batch 1,
     * stride-0 input), and nothing synchronises but the step's one status download.
     */
    @Test
    void aConvolutionalTrainingStepAndHvpPassTheHostChecks() {
        org.gdchaos.nn.ModelSpec spec = org.gdchaos.nn.ModelSpec.parse(
                "input:12x12x1,conv:3@3x3,tanh,maxpool:2,conv:4@3x3:same,relu,avgpool:2,dense:3", null, true, Loss.CROSS_ENTROPY);
        int n = 40, t = 3;
        double[] x = random(n * spec.inputs(), 1), y = new double[n * 3];
        for (int i = 0; i < n; i++) y[i * 3 + i % 3] = 1;
        try (org.gdchaos.train.DeviceData d = org.gdchaos.train.DeviceData.upload(backend, DType.F32, x, y, n,
                spec.inputs(), 3);
             org.gdchaos.train.Ensemble e = new org.gdchaos.train.Ensemble(backend, DType.F32, spec, t);
             org.gdchaos.train.Trainer tr = new org.gdchaos.train.Trainer(e, d, new org.gdchaos.train.TrainConfig(0, 16, 0));
             org.gdchaos.hessian.SecondOrderNetwork so = new org.gdchaos.hessian.SecondOrderNetwork(backend, DType.F32, spec,
                     t, 16)) {
            e.setLearningRates(new double[] {0.1, 0.2, 0.3});
            driver.launches.clear();
            int syncs = driver.synchronizations;
            tr.computeGradient();
            assertEquals(syncs + 1, driver.synchronizations, "one status download per gradient");
            List<KernelLaunch> im2col = driver.launches.stream().filter(l -> l.kernel().equals("im2col")).toList();
            long shared = im2col.stream().filter(l -> l.args().get(0).equals(KernelArg.i32(1))
                    && l.args().get(9).equals(KernelArg.i64(0))).count();
            assertEquals(3, shared, "the shared input lowered once per chunk of 16 (40 rows: 3 chunks)");
            assertTrue(driver.launches.stream().anyMatch(l -> l.kernel().equals("col2im")), "the conv input gradient");
            assertTrue(driver.launches.stream().anyMatch(l -> l.kernel().equals("pool")), "pooling");
            long p = so.p();
            try (Buffer params = backend.allocate(DType.F32, t * p); Buffer v = backend.allocate(DType.F32, 2 * t * p);
                 Buffer out = backend.allocate(DType.F32, 2 * t * p)) {
                so.hvp(d, View.of(params, p), t, View.of(v, p), View.of(out, p), 2);
            }
        }
    }

    @Test
    void everyLaunchPacksExactlyTheKernelSignatureFromOpsCl() {
        Map<String, List<String>> sigs = KernelSignatures.parse();
        assertEquals(21, sigs.size(), "kernels parsed from ops.cl: " + sigs.keySet());
        for (DType t : DType.values()) {
            driver.launches.clear();
            everyOp(t);
            assertEquals(23, driver.launches.size());
            for (KernelLaunch l : driver.launches) {
                List<String> want = sigs.get(l.kernel());
                assertNotNull(want, "no kernel " + l.kernel() + " in ops.cl");
                assertEquals(t, l.dtype());
                assertEquals(want, l.args().stream().map(a -> KernelSignatures.kind(a, t)).toList(),
                        l.kernel() + " arguments in " + t);
                assertTrue(l.block().count() <= 1024);
            }
        }
    }

    /**
     * Adam's tangent step is one launch of {@code adam_tangent} with β1, β2, ε and the bias
     * corrections of its step t as typed scalars, then the eight operands (dw, dm, ds, hv, g, m, s,
     * lr) in that order, and no synchronisation; a non-Adam optimizer and a short operand are refused
     * before anything is queued.
     */
    @Test
    void adamTangentPassesTypedHyperparametersAndOperandsInOrder() {
        for (DType t : DType.values()) {
            driver.launches.clear();
            int batch = 3;
            long n = 7;
            Buffer[] v = new Buffer[7];
            for (int i = 0; i < v.length; i++) v[i] = backend.allocate(t, batch * n);
            Buffer lr = backend.allocate(t, batch);
            backend.adamTangent(Optimizer.adam(0.8, 0.99, 1e-6), 5, batch, n, View.of(v[0], n), View.of(v[1], n),
                    View.of(v[2], n), View.of(v[3], n), View.of(v[4], n), View.of(v[5], n), View.of(v[6], n),
                    View.of(lr, 1));
            assertEquals(1, driver.launches.size());
            KernelLaunch k = driver.launches.get(0);
            assertEquals("adam_tangent", k.kernel());
            assertEquals(KernelArg.i32(batch), k.args().get(0));
            double[] want = {0.8, 0.99, 1e-6, 1 / (1 - Math.pow(0.8, 5)), 1 / (1 - Math.pow(0.99, 5))};
            for (int i = 0; i < want.length; i++) {
                assertEquals(t == DType.F32 ? new KernelArg.F32((float) want[i]) : new KernelArg.F64(want[i]),
                        k.args().get(2 + i), "scalar " + i + " in " + t);
            }
            assertEquals(2 + want.length + 3 * 8, k.args().size(), "eight operands of three args each");
            for (int i = 0; i < 7; i++) {
                for (int j = i + 1; j < 7; j++) {
                    assertNotEquals(k.args().get(7 + 3 * i), k.args().get(7 + 3 * j), "operands " + i + ", " + j);
                }
            }
            assertEquals(new Dim3(1, batch, 1), k.grid());
            assertEquals(0, driver.synchronizations);
            assertThrows(IllegalArgumentException.class, () -> backend.adamTangent(Optimizer.momentum(0.9), 1, batch, n,
                    View.of(v[0], n), View.of(v[1], n), View.of(v[2], n), View.of(v[3], n), View.of(v[4], n),
                    View.of(v[5], n), View.of(v[6], n), View.of(lr, 1)), "heavy ball's tangent is optimizerUpdate");
            assertThrows(IllegalArgumentException.class, () -> backend.adamTangent(Optimizer.adam(0.9, 0.999, 1e-8), 1,
                    batch, n, View.of(v[0], n), View.of(v[1], n), View.of(v[2], n), View.of(v[3], n),
                    View.of(v[4], n), View.of(v[5], n), View.of(lr, 1), View.of(lr, 1)), "s too short");
            assertEquals(1, driver.launches.size(), "nothing queued for a rejected call");
        }
    }

    /**
     * Adam's square-rooted preconditioner is one launch of {@code adam_precondition} with ε and the
     * bias corrections of its step t as typed scalars, then s, x, y in that order, and no
     * synchronisation; a non-Adam optimizer, step 0 and a short operand are refused before anything
     * is queued.
     */
    @Test
    void adamPreconditionPassesTypedHyperparametersAndOperandsInOrder() {
        for (DType t : DType.values()) {
            driver.launches.clear();
            int batch = 3;
            long n = 7;
            Buffer s = backend.allocate(t, batch * n), x = backend.allocate(t, batch * n);
            Buffer y = backend.allocate(t, batch * n), shortY = backend.allocate(t, n);
            backend.adamPrecondition(Optimizer.adam(0.8, 0.99, 1e-6), 5, batch, n, View.of(s, n), View.of(x, n),
                    View.of(y, n));
            assertEquals(1, driver.launches.size());
            KernelLaunch k = driver.launches.get(0);
            assertEquals("adam_precondition", k.kernel());
            assertEquals(KernelArg.i32(batch), k.args().get(0));
            double[] want = {1e-6, 1 / (1 - Math.pow(0.8, 5)), 1 / (1 - Math.pow(0.99, 5))};
            for (int i = 0; i < want.length; i++) {
                assertEquals(t == DType.F32 ? new KernelArg.F32((float) want[i]) : new KernelArg.F64(want[i]),
                        k.args().get(2 + i), "scalar " + i + " in " + t);
            }
            assertEquals(2 + want.length + 3 * 3, k.args().size(), "three operands of three args each");
            assertNotEquals(k.args().get(5), k.args().get(8), "s, x");
            assertNotEquals(k.args().get(8), k.args().get(11), "x, y");
            assertNotEquals(k.args().get(5), k.args().get(11), "s, y");
            assertEquals(new Dim3(1, batch, 1), k.grid());
            assertEquals(0, driver.synchronizations);
            assertThrows(IllegalArgumentException.class, () -> backend.adamPrecondition(Optimizer.momentum(0.9), 1,
                    batch, n, View.of(s, n), View.of(x, n), View.of(y, n)), "heavy ball has no preconditioner");
            assertThrows(IllegalArgumentException.class, () -> backend.adamPrecondition(Optimizer.adam(0.9, 0.999,
                    1e-8), 0, batch, n, View.of(s, n), View.of(x, n), View.of(y, n)), "step 0");
            assertThrows(IllegalArgumentException.class, () -> backend.adamPrecondition(Optimizer.adam(0.9, 0.999,
                    1e-8), 1, batch, n, View.of(s, n), View.of(x, n), View.of(shortY, n)), "y too short");
            assertEquals(1, driver.launches.size(), "nothing queued for a rejected call");
        }
    }

    /**
     * The fused optimizer step is one launch with its hyperparameters and Adam's bias corrections
     * c1 = 1/(1 − β1^t), c2 = 1/(1 − β2^t) as typed scalars, s = m for heavy ball, and no synchronisation.
     */
    @Test
    void optimizerUpdatePassesTypedHyperparametersAndBiasCorrections() {
        for (DType t : DType.values()) {
            driver.launches.clear();
            int batch = 3;
            long n = 7;
            Buffer w = backend.allocate(t, batch * n), g = backend.allocate(t, batch * n), m = backend.allocate(t, batch * n);
            Buffer sq = backend.allocate(t, batch * n), lr = backend.allocate(t, batch);
            backend.optimizerUpdate(Optimizer.adam(0.9, 0.999, 1e-8), 3, batch, n, View.of(w, n), View.of(g, n),
                    View.of(m, n), View.of(sq, n), View.of(lr, 1));
            backend.optimizerUpdate(Optimizer.nesterov(0.5), 4, batch, n, View.of(w, n), View.of(g, n), View.of(m, n),
                    null, View.of(lr, 1));
            assertEquals(2, driver.launches.size());
            KernelLaunch adam = driver.launches.get(0), nes = driver.launches.get(1);
            assertEquals("optimizer_update", adam.kernel());
            assertEquals(KernelArg.i32(2), adam.args().get(2), "Adam code");
            double[] want = {0.9, 0.999, 1e-8, 1 / (1 - Math.pow(0.9, 3)), 1 / (1 - Math.pow(0.999, 3))};
            for (int i = 0; i < want.length; i++) {
                KernelArg a = adam.args().get(3 + i);
                assertEquals(t == DType.F32 ? new KernelArg.F32((float) want[i]) : new KernelArg.F64(want[i]), a,
                        "scalar " + i + " in " + t);
            }
            assertEquals(KernelArg.i32(1), nes.args().get(2), "Nesterov code");
            // operands w, g, m, s, lr: three args each from index 8; heavy ball / Nesterov pass m as s
            assertEquals(nes.args().get(8 + 6), nes.args().get(8 + 9), "s = m");
            assertEquals(new Dim3(1, batch, 1), adam.grid());
            assertEquals(0, driver.synchronizations);
            assertThrows(IllegalArgumentException.class, () -> backend.optimizerUpdate(Optimizer.GD, 1, batch, n,
                    View.of(w, n), View.of(g, n), View.of(m, n), null, View.of(lr, 1)), "GD runs through update");
            assertThrows(IllegalArgumentException.class, () -> backend.optimizerUpdate(Optimizer.adam(0.9, 0.999, 1e-8),
                    1, batch, n, View.of(w, n), View.of(g, n), View.of(m, n), View.of(lr, 1), View.of(lr, 1)),
                    "s too short");
            assertEquals(2, driver.launches.size(), "nothing queued for a rejected call");
        }
    }

    @Test
    void elementwiseAndPerEntryGeometry() {
        everyOp(DType.F64);
        for (KernelLaunch l : driver.launches) {
            switch (l.kernel()) {
                case "loss_gradient", "count_correct", "reduce", "non_finite" -> {
                    assertEquals(new Dim3(1, 4, 1), l.grid(), l.kernel());
                    assertEquals(new Dim3(256, 1, 1), l.block(), l.kernel());
                }
                case "column_sums" -> assertEquals(new Dim3(1, 1, 4), l.grid());
                case "fill" -> assertEquals(new Dim3(1, 1, 1), l.grid());
                default -> {
                    assertEquals(new Dim3(1, 4, 1), l.grid(), l.kernel());
                    assertEquals(new Dim3(256, 1, 1), l.block(), l.kernel());
                }
            }
        }
        KernelLaunch noBias = driver.launches.get(1);
        assertEquals(KernelArg.i32(0), noBias.args().get(noBias.args().size() - 1), "hasBias = 0");
    }

    @Test
    void trainingOpsNeverSynchronizeOnlyDownloadsDo() {
        everyOp(DType.F32);
        Buffer a = backend.allocate(DType.F32, 12);
        backend.gemm(new GemmShape(1, 3, 4, 1, false, false, 1, 0), View.shared(a), View.shared(a), new View(a, 0, 12));
        assertEquals(0, driver.synchronizations);
        backend.download(a, 0, new double[12], 0, 12);
        assertEquals(1, driver.synchronizations);
    }

    /**
     * The bad calls of the conformance suite ({@code error/}: Backend's null, closed and out-of-range
     * rules) throw on CUDA what they throw on every backend, before any kernel is launched. CUDA
     * threw IllegalArgumentException for a closed buffer, where the others throw IllegalStateException.
     */
    @Test
    void badCallsAreRejectedAsTheBackendContractSays() {
        for (DType t : DType.values()) {
            for (org.gdchaos.backend.conformance.ConformanceCase c : org.gdchaos.backend.conformance.Conformance.errorCases()) {
                org.gdchaos.backend.conformance.CaseResult r = org.gdchaos.backend.conformance.Conformance.run(c, backend, null, t);
                assertTrue(r.passed(), r.toString());
            }
        }
        assertEquals(0, driver.launches.size(), "no kernel was launched for a rejected call");
    }

    @Test
    void invalidArgumentsAreRejectedBeforeAnythingIsQueued() {
        Buffer f32 = backend.allocate(DType.F32, 10), f64 = backend.allocate(DType.F64, 10);
        Consumer<Runnable> rejects = r -> assertThrows(IllegalArgumentException.class, r::run);
        rejects.accept(() -> backend.scale(1, 10, View.shared(f64), View.shared(f32)));       // mixed dtypes
        rejects.accept(() -> backend.scale(2, 10, View.shared(f32), View.of(f32, 10)));       // past the end
        rejects.accept(() -> backend.reduce(Reduction.DOT, 1, 10, View.shared(f32), null, View.shared(f32)));
        try (CudaBackend other = new CudaBackend(new FakeCudaDriver())) {
            Buffer foreign = other.allocate(DType.F32, 10);
            rejects.accept(() -> backend.scale(1, 10, View.shared(foreign), View.shared(f32)));
        }
        assertEquals(0, driver.launches.size());
    }

    @Test
    void closeReleasesBuffersStagingAndDriver() {
        Buffer a = backend.allocate(DType.F64, 100);
        backend.allocate(DType.F32, 100);
        backend.upload(new double[100], 0, a, 0, 100);
        a.close();
        assertEquals(1, driver.liveMemory);
        backend.close();
        assertEquals(0, driver.liveMemory);
        assertEquals(0, driver.livePinned);
        assertTrue(driver.closed);
        assertThrows(IllegalStateException.class, () -> backend.allocate(DType.F32, 1));
        backend.close();                                          // idempotent
        assertFalse(driver.events.isEmpty());
    }

    @Test
    void kernelsOfBothDtypesAreBuiltWhenTheBackendOpens() {
        FakeCudaDriver d = new FakeCudaDriver();
        try (CudaBackend b = new CudaBackend(d)) {
            assertEquals(List.of(DType.F32, DType.F64), d.prepared);
            assertEquals(List.of("prepare f32", "prepare f64"), d.events, "built before any other work");
            assertEquals("cuda", b.name());
        }
    }

    @Test
    void aKernelBuildFailureFailsTheOpenAndClosesTheDriver() {
        FakeCudaDriver d = new FakeCudaDriver();
        d.prepareFails = new IllegalStateException("NVRTC compilation of gdchaos_f64 failed: error: identifier undefined");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CudaBackend(d));
        assertTrue(e.getMessage().startsWith("NVRTC compilation of gdchaos_f64 failed"), e.getMessage());
        assertTrue(d.closed, "the driver (context, stream, cuBLAS handle) is released");
    }
}
