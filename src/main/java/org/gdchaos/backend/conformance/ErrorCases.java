package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.View;

/**
 * Bad calls, which every backend must reject with the same exception ({@link Backend}'s class
 * comment: null, closed and out-of-range rules). Each case makes a few bad calls on the
 * candidate and passes when every one throws the exception the rules name (a subclass counts),
 * and a good call afterwards still works: the backend stays usable after rejecting a call. The
 * reference is not consulted.
 */
final class ErrorCases {
    private ErrorCases() {
    }

    /** One bad call and the exception it must raise. */
    private record Bad(String what, Class<? extends RuntimeException> expected, Runnable call) {
    }

    /** What a case body sets up: the candidate, the dtype, and buffers it closes at the end. */
    static final class Calls implements AutoCloseable {
        final Backend be;
        final DType dtype;
        private final List<Buffer> owned = new ArrayList<>();
        private final List<Bad> bad = new ArrayList<>();

        Calls(Backend be, DType dtype) {
            this.be = be;
            this.dtype = dtype;
        }

        Buffer buffer(long length) {
            return own(be.allocate(dtype, length));
        }

        Buffer own(Buffer b) {
            owned.add(b);
            return b;
        }

        void expect(String what, Class<? extends RuntimeException> expected, Runnable call) {
            bad.add(new Bad(what, expected, call));
        }

        @Override
        public void close() {
            for (Buffer b : owned) b.close();
        }
    }

    /** A case whose body registers bad calls; see the class comment. */
    record ErrorCase(String name, java.util.function.Consumer<Calls> body) implements ConformanceCase {
        ErrorCase {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
        }

        @Override
        public CaseResult run(Backend candidate, Backend reference, DType dtype) {
            long start = System.nanoTime();
            List<String> wrong = new ArrayList<>();
            int calls;
            try (Calls c = new Calls(candidate, dtype)) {
                body.accept(c);
                calls = c.bad.size();
                for (Bad b : c.bad) {
                    try {
                        b.call().run();
                        wrong.add(b.what() + ": no exception, want " + b.expected().getSimpleName());
                    } catch (RuntimeException e) {
                        if (!b.expected().isInstance(e)) {
                            wrong.add(b.what() + ": " + e.getClass().getSimpleName() + " (" + e.getMessage() + "), want "
                                    + b.expected().getSimpleName());
                        }
                    }
                }
                Buffer ok = c.buffer(2); // still usable after the rejected calls
                candidate.upload(new double[] {1, 2}, 0, ok, 0, 2);
                double[] back = new double[2];
                candidate.download(ok, 0, back, 0, 2);
                if (back[0] != 1 || back[1] != 2) wrong.add("a good call after the bad ones returned the wrong values");
            } catch (RuntimeException | LinkageError | AssertionError e) {
                return CaseResult.threw(name, dtype, candidate.name(), e, (System.nanoTime() - start) / 1e6);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (calls == 0) wrong.add("case made no bad call");
            return wrong.isEmpty()
                    ? new CaseResult(name, dtype, CaseResult.Status.PASS, 0, 0, 0, millis,
                            calls + " bad calls rejected as the contract says")
                    : new CaseResult(name, dtype, CaseResult.Status.FAIL, Double.NaN, Double.NaN, Double.NaN, millis,
                            String.join("; ", wrong));
        }
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> list = new ArrayList<>();
        // null rule: z and y of lossHessianVector are required for MSE too (Java accepted null there)
        list.add(new ErrorCase("error/null/lossHessianVector-z-y", c -> {
            Buffer z = c.buffer(6), y = c.buffer(6), v = c.buffer(6), hv = c.buffer(6);
            for (Loss loss : Loss.values()) {
                c.expect(loss + " z null", NullPointerException.class, () -> c.be.lossHessianVector(loss, 2, 1, 3, null,
                        View.shared(y), View.of(v, 3), 1, View.of(hv, 3)));
                c.expect(loss + " y null", NullPointerException.class, () -> c.be.lossHessianVector(loss, 2, 1, 3,
                        View.of(z, 3), null, View.of(v, 3), 1, View.of(hv, 3)));
                c.expect(loss + " v null", NullPointerException.class, () -> c.be.lossHessianVector(loss, 2, 1, 3,
                        View.of(z, 3), View.shared(y), null, 1, View.of(hv, 3)));
            }
        }));
        // closed rule: IllegalStateException (CUDA threw IllegalArgumentException)
        list.add(new ErrorCase("error/closed-buffer", c -> {
            Buffer live = c.buffer(4);
            Buffer gone = c.be.allocate(c.dtype, 4);
            gone.close();
            c.expect("fill", IllegalStateException.class, () -> c.be.fill(gone, 0, 4, 1));
            c.expect("upload", IllegalStateException.class, () -> c.be.upload(new double[4], 0, gone, 0, 4));
            c.expect("download", IllegalStateException.class, () -> c.be.download(gone, 0, new double[4], 0, 4));
            c.expect("copy from", IllegalStateException.class, () -> c.be.copy(gone, 0, live, 0, 4));
            c.expect("copy to", IllegalStateException.class, () -> c.be.copy(live, 0, gone, 0, 4));
            c.expect("scale", IllegalStateException.class, () -> c.be.scale(1, 4, View.shared(live), View.shared(gone)));
        }));
        // out-of-range rule: IllegalArgumentException (OpenCL threw IndexOutOfBoundsException)
        list.add(new ErrorCase("error/out-of-range", c -> {
            Buffer a = c.buffer(4), b = c.buffer(4);
            c.expect("upload past the buffer", IllegalArgumentException.class,
                    () -> c.be.upload(new double[4], 0, a, 1, 4));
            c.expect("upload past the array", IllegalArgumentException.class,
                    () -> c.be.upload(new double[4], 2, a, 0, 3));
            c.expect("download past the buffer", IllegalArgumentException.class,
                    () -> c.be.download(a, 2, new double[4], 0, 3));
            c.expect("download past the array", IllegalArgumentException.class,
                    () -> c.be.download(a, 0, new double[2], 0, 3));
            c.expect("copy past the source", IllegalArgumentException.class, () -> c.be.copy(a, 3, b, 0, 2));
            c.expect("copy past the destination", IllegalArgumentException.class, () -> c.be.copy(a, 0, b, 3, 2));
            c.expect("fill past the buffer", IllegalArgumentException.class, () -> c.be.fill(a, 3, 2, 0));
            c.expect("negative offset", IllegalArgumentException.class, () -> c.be.fill(a, -1, 2, 0));
            c.expect("negative length", IllegalArgumentException.class, () -> c.be.fill(a, 0, -1, 0));
            c.expect("view past the buffer", IllegalArgumentException.class,
                    () -> c.be.scale(2, 3, View.shared(a), View.of(b, 2)));
            c.expect("negative batch", IllegalArgumentException.class,
                    () -> c.be.scale(-1, 2, View.shared(a), View.shared(b)));
        }));
        list.add(new ZeroBatchCase());
        return list;
    }

    /**
     * The size rule's other half: zero sizes are calls that do nothing (the reference backend
     * refused batch = 0 while the others did nothing). Per-trajectory and matrix calls with batch 0,
     * and with n = 0, must return without an exception and leave every buffer as it was.
     */
    record ZeroBatchCase() implements ConformanceCase {
        @Override
        public String name() {
            return "error/zero-sizes-do-nothing";
        }

        @Override
        public CaseResult run(Backend candidate, Backend reference, DType dtype) {
            long start = System.nanoTime();
            List<String> wrong = new ArrayList<>();
            try (Calls c = new Calls(candidate, dtype)) {
                Buffer w = c.buffer(4), g = c.buffer(4), s = c.buffer(2);
                double[] w0 = {1, 2, 3, 4}, g0 = {5, 6, 7, 8}, s0 = {0.5, 0.25};
                candidate.upload(w0, 0, w, 0, 4);
                candidate.upload(g0, 0, g, 0, 4);
                candidate.upload(s0, 0, s, 0, 2);
                List<Runnable> calls = List.of(
                        () -> candidate.scale(0, 2, View.of(s, 1), View.of(w, 2)),
                        () -> candidate.update(0, 2, View.of(w, 2), View.of(g, 2), View.of(s, 1)),
                        () -> candidate.axpby(0, 2, View.of(s, 1), View.of(g, 2), View.of(s, 1), View.of(w, 2)),
                        () -> candidate.scale(2, 0, View.of(s, 1), View.of(w, 2)),
                        () -> candidate.update(2, 0, View.of(w, 2), View.of(g, 2), View.of(s, 1)));
                String[] names = {"scale batch 0", "update batch 0", "axpby batch 0", "scale n 0", "update n 0"};
                for (int i = 0; i < calls.size(); i++) {
                    try {
                        calls.get(i).run();
                    } catch (RuntimeException e) {
                        wrong.add(names[i] + ": " + e.getClass().getSimpleName() + " (" + e.getMessage() + "), want nothing");
                    }
                }
                double[] w1 = new double[4], g1 = new double[4], s1 = new double[2];
                candidate.download(w, 0, w1, 0, 4);
                candidate.download(g, 0, g1, 0, 4);
                candidate.download(s, 0, s1, 0, 2);
                if (!java.util.Arrays.equals(w0, w1) || !java.util.Arrays.equals(g0, g1) || !java.util.Arrays.equals(s0, s1)) {
                    wrong.add("a zero-size call changed a buffer");
                }
            } catch (RuntimeException | LinkageError | AssertionError e) {
                return CaseResult.threw(name(), dtype, candidate.name(), e, (System.nanoTime() - start) / 1e6);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            return wrong.isEmpty()
                    ? new CaseResult(name(), dtype, CaseResult.Status.PASS, 0, 0, 0, millis, "5 zero-size calls did nothing")
                    : new CaseResult(name(), dtype, CaseResult.Status.FAIL, Double.NaN, Double.NaN, Double.NaN, millis,
                            String.join("; ", wrong));
        }
    }
}
