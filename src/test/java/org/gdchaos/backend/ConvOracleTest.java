package org.gdchaos.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.gdchaos.backend.ConvShape.Padding;
import org.gdchaos.backend.PoolShape.Pooling;
import org.gdchaos.backend.java.JavaBackend;
import org.gdchaos.backend.reference.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Independent oracles for the convolution and pooling primitives, on the reference backend (the
 * conformance oracle itself) and the Java backend, in float64:
 * <ul>
 *   <li>convolution by its definition, a direct sum
 *       {@code out[s][oy][ox][o] = Σ_{ky,kx,c} x[s][oy+ky−pad][ox+kx−pad][c]·W[(ky·k+kx)·cin+c][o]}
 *       (zero outside), against im2col + batched GEMM — per trajectory, and with a shared input
 *       expanded once (batch 1) and fed to the GEMM as a stride-0 operand;</li>
 *   <li>col2im as the adjoint of im2col, {@code ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩}, and its accumulation;</li>
 *   <li>the pooling R-operator as a central difference of forward pooling, and pooling backward as the
 *       adjoint of that linearisation, {@code ⟨poolR(x, r), g⟩ = ⟨r, poolBackward(x, g)⟩}.</li>
 * </ul>
 * Hand-computed pooling and im2col numbers are conformance hand cases ({@code hand/pool/…},
 * {@code hand/conv/…}) so that every backend runs them.
 */
class ConvOracleTest {

    static Stream<Arguments> cases() {
        List<ConvShape> shapes = List.of(
                new ConvShape(2, 5, 6, 2, 1, Padding.VALID),
                new ConvShape(2, 5, 6, 2, 3, Padding.VALID),
                new ConvShape(2, 5, 6, 2, 3, Padding.SAME),
                new ConvShape(1, 5, 6, 1, 5, Padding.VALID),
                new ConvShape(1, 5, 7, 3, 5, Padding.SAME),
                new ConvShape(3, 4, 3, 1, 1, Padding.SAME));
        return Stream.of("reference", "java").flatMap(b -> shapes.stream().map(s -> Arguments.of(b, s)));
    }

    static Stream<Arguments> pools() {
        return Stream.of("reference", "java").flatMap(b -> Stream.of(
                Arguments.of(b, new PoolShape(Pooling.MAX, 2, 5, 6, 3)),
                Arguments.of(b, new PoolShape(Pooling.AVG, 2, 5, 6, 3)),
                Arguments.of(b, new PoolShape(Pooling.MAX, 1, 4, 7, 1)),
                Arguments.of(b, new PoolShape(Pooling.AVG, 1, 7, 4, 2))));
    }

    private static Backend open(String name) {
        return name.equals("java") ? new JavaBackend(BackendOptions.defaults()) : new ReferenceBackend();
    }

    private static double[] random(Random rng, long n) {
        double[] a = new double[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble() * 2 - 1;
        return a;
    }

    private static Buffer upload(Backend be, double[] a) {
        Buffer b = be.allocate(DType.F64, a.length);
        be.upload(a, 0, b, 0, a.length);
        return b;
    }

    private static double[] download(Backend be, Buffer b) {
        double[] a = new double[Math.toIntExact(b.length())];
        be.download(b, 0, a, 0, a.length);
        return a;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** The convolution by definition, on the host. */
    static double[] direct(ConvShape s, double[] x, double[] w, int cout) {
        int pad = s.pad();
        double[] out = new double[s.outPixels() * cout];
        for (int smp = 0; smp < s.n(); smp++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                for (int ox = 0; ox < s.outW(); ox++) {
                    for (int o = 0; o < cout; o++) {
                        double sum = 0;
                        for (int ky = 0; ky < s.k(); ky++) {
                            for (int kx = 0; kx < s.k(); kx++) {
                                int iy = oy + ky - pad, ix = ox + kx - pad;
                                if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) continue;
                                for (int c = 0; c < s.cin(); c++) {
                                    sum += x[((smp * s.h() + iy) * s.w() + ix) * s.cin() + c]
                                            * w[((ky * s.k() + kx) * s.cin() + c) * cout + o];
                                }
                            }
                        }
                        out[((smp * s.outH() + oy) * s.outW() + ox) * cout + o] = sum;
                    }
                }
            }
        }
        return out;
    }

    private static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + "[" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void convolutionIsIm2colThenGemm(String backend, ConvShape s) {
        Random rng = new Random(1 + s.toString().hashCode());
        int cout = 3, batch = 2;
        double[] x = random(rng, batch * s.inputSize());
        double[][] w = {random(rng, (long) s.patch() * cout), random(rng, (long) s.patch() * cout)};
        try (Backend be = open(backend)) {
            // per-trajectory inputs: im2col of each entry, then one batched GEMM
            Buffer xb = upload(be, x);
            Buffer cols = be.allocate(DType.F64, batch * s.colsSize());
            double[] wAll = new double[2 * s.patch() * cout];
            System.arraycopy(w[0], 0, wAll, 0, w[0].length);
            System.arraycopy(w[1], 0, wAll, w[0].length, w[1].length);
            Buffer wb = upload(be, wAll);
            Buffer out = be.allocate(DType.F64, (long) batch * s.outPixels() * cout);
            be.im2col(s, batch, View.of(xb, s.inputSize()), View.of(cols, s.colsSize()));
            GemmShape g = new GemmShape(batch, s.outPixels(), cout, s.patch(), false, false, 1, 0);
            be.gemm(g, View.of(cols, s.colsSize()), View.of(wb, (long) s.patch() * cout),
                    View.of(out, (long) s.outPixels() * cout));
            double[] got = download(be, out);
            int per = s.outPixels() * cout;
            for (int b = 0; b < batch; b++) {
                double[] xe = java.util.Arrays.copyOfRange(x, (int) (b * s.inputSize()), (int) ((b + 1) * s.inputSize()));
                assertClose(direct(s, xe, w[b], cout), java.util.Arrays.copyOfRange(got, b * per, (b + 1) * per),
                        1e-13 * s.patch(), backend + " entry " + b);
            }

            // shared input: one im2col (batch 1), GEMM with a stride-0 A and per-entry weights
            Buffer cols1 = be.allocate(DType.F64, s.colsSize());
            Buffer out2 = be.allocate(DType.F64, (long) batch * per);
            be.im2col(s, 1, View.shared(xb), View.shared(cols1));
            be.gemm(g, View.shared(cols1), View.of(wb, (long) s.patch() * cout), View.of(out2, per));
            double[] x0 = java.util.Arrays.copyOf(x, (int) s.inputSize());
            double[] got2 = download(be, out2);
            for (int b = 0; b < batch; b++) {
                assertClose(direct(s, x0, w[b], cout), java.util.Arrays.copyOfRange(got2, b * per, (b + 1) * per),
                        1e-13 * s.patch(), backend + " shared input, entry " + b);
            }
            for (Buffer buf : new Buffer[] {xb, cols, wb, out, cols1, out2}) buf.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void col2imIsTheAdjointOfIm2col(String backend, ConvShape s) {
        Random rng = new Random(7 + s.toString().hashCode());
        double[] x = random(rng, s.inputSize()), y = random(rng, s.colsSize()), dx0 = random(rng, s.inputSize());
        try (Backend be = open(backend)) {
            Buffer xb = upload(be, x), yb = upload(be, y), cols = be.allocate(DType.F64, s.colsSize());
            Buffer dx = be.allocate(DType.F64, s.inputSize()), acc = upload(be, dx0);
            be.im2col(s, 1, View.shared(xb), View.shared(cols));
            be.col2im(s, 1, View.shared(yb), View.shared(dx));
            be.col2im(s, 1, View.shared(yb), View.shared(acc));
            double lhs = dot(download(be, cols), y), rhs = dot(x, download(be, dx));
            assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)), backend + " ⟨im2col x, y⟩ vs ⟨x, col2im y⟩");
            double[] once = download(be, dx), accumulated = download(be, acc);
            for (int i = 0; i < once.length; i++) {
                assertEquals(dx0[i] + once[i], accumulated[i], 1e-14 * Math.max(1, Math.abs(accumulated[i])),
                        "col2im accumulates onto dx [" + i + "]");
            }
            for (Buffer buf : new Buffer[] {xb, yb, cols, dx, acc}) buf.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pools")
    void poolingRIsTheDerivativeAndBackwardItsAdjoint(String backend, PoolShape s) {
        Random rng = new Random(11 + s.toString().hashCode());
        double[] x = random(rng, s.inputSize()), r = random(rng, s.inputSize()), g = random(rng, s.outputSize());
        double eps = 1e-7; // distinct random values: no argmax changes for steps this small
        double[] plus = x.clone(), minus = x.clone();
        for (int i = 0; i < x.length; i++) {
            plus[i] += eps * r[i];
            minus[i] -= eps * r[i];
        }
        try (Backend be = open(backend)) {
            Buffer xb = upload(be, x), rb = upload(be, r), gb = upload(be, g), pb = upload(be, plus), mb = upload(be, minus);
            Buffer ry = be.allocate(DType.F64, s.outputSize()), yp = be.allocate(DType.F64, s.outputSize());
            Buffer ym = be.allocate(DType.F64, s.outputSize()), dx = be.allocate(DType.F64, s.inputSize());
            be.poolR(s, 1, View.shared(xb), View.shared(rb), View.shared(ry));
            be.pool(s, 1, View.shared(pb), View.shared(yp));
            be.pool(s, 1, View.shared(mb), View.shared(ym));
            be.poolBackward(s, 1, View.shared(xb), View.shared(gb), View.shared(dx));
            double[] rGot = download(be, ry), p = download(be, yp), m = download(be, ym);
            for (int i = 0; i < rGot.length; i++) {
                assertEquals((p[i] - m[i]) / (2 * eps), rGot[i], 1e-7, "R-operator vs central difference [" + i + "]");
            }
            double[] back = download(be, dx);
            double lhs = dot(rGot, g), rhs = dot(r, back);
            assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)), "⟨poolR(x, r), g⟩ vs ⟨r, poolBackward(x, g)⟩");
            // rows/columns in no window get no gradient
            for (int smp = 0; smp < s.n(); smp++) {
                for (int iy = 0; iy < s.h(); iy++) {
                    for (int ix = 0; ix < s.w(); ix++) {
                        if (iy < 2 * s.outH() && ix < 2 * s.outW()) continue;
                        for (int c = 0; c < s.c(); c++) {
                            assertEquals(0.0, back[((smp * s.h() + iy) * s.w() + ix) * s.c() + c], "unpooled input");
                        }
                    }
                }
            }
            for (Buffer buf : new Buffer[] {xb, rb, gb, pb, mb, ry, yp, ym, dx}) buf.close();
        }
    }
}
