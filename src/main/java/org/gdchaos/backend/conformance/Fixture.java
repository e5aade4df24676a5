package org.gdchaos.backend.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;

/**
 * What a case body works with: one backend, one dtype, a seeded generator and the outputs it
 * collects. A differential case runs its body twice — on the reference and on the candidate — with
 * equal seeds, so both draw identical inputs and upload identical bits. Every buffer the body
 * allocates is closed with the fixture.
 */
public final class Fixture implements AutoCloseable {
    /** Generator algorithm for inputs (a JDK 17 splittable, statistically strong generator). */
    public static final String ALGORITHM = "L64X128MixRandom";

    private final Backend backend;
    private final DType dtype;
    private final RandomGenerator rng;
    private final boolean oracle;
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    /**
     * @param oracle whether this run produces the oracle's outputs (the reference run of a
     *               differential case): only then are error magnitudes computed, since only the
     *               oracle's output specs are used for judging
     */
    public Fixture(Backend backend, DType dtype, long seed, boolean oracle) {
        this.backend = backend;
        this.dtype = dtype;
        this.rng = RandomGeneratorFactory.of(ALGORITHM).create(seed);
        this.oracle = oracle;
    }

    public Backend backend() {
        return backend;
    }

    public DType dtype() {
        return dtype;
    }

    public RandomGenerator rng() {
        return rng;
    }

    /** {@code value} as a buffer of this dtype stores it (rounded to float for F32). */
    public double round(double value) {
        return dtype == DType.F32 ? (double) (float) value : value;
    }

    /** Allocates a buffer of this dtype that is closed with the fixture. */
    public Buffer allocate(long length) {
        Buffer b = backend.allocate(dtype, length);
        buffers.add(b);
        return b;
    }

    /**
     * A new operand of {@code batch} entries of {@code span} elements laid out as {@code layout};
     * the whole buffer (guards too) holds uniform values in [lo, hi), uploaded.
     */
    public Operand uniform(int batch, long span, Layout layout, double lo, double hi) {
        int length = Math.toIntExact(layout.length(batch, span));
        double[] host = new double[length];
        for (int i = 0; i < length; i++) host[i] = round(lo + (hi - lo) * rng.nextDouble());
        Buffer buf = allocate(length);
        View view = new View(buf, layout.offset(), layout.stride(span));
        Operand op = new Operand(buf, host, view, span);
        sync(op);
        return op;
    }

    /** {@link #uniform(int, long, Layout, double, double)} on [−1, 1). */
    public Operand uniform(int batch, long span, Layout layout) {
        return uniform(batch, span, layout, -1, 1);
    }

    /** A packed single-entry operand holding exactly {@code values} (rounded to the dtype). */
    public Operand values(double... values) {
        Buffer buf = allocate(values.length);
        double[] host = new double[values.length];
        for (int i = 0; i < values.length; i++) host[i] = round(values[i]);
        Operand op = new Operand(buf, host, new View(buf, 0, values.length), values.length);
        sync(op);
        return op;
    }

    /** Rounds the operand's host copy to the dtype and uploads all of it. */
    public void sync(Operand op) {
        double[] h = op.host();
        for (int i = 0; i < h.length; i++) h[i] = round(h[i]);
        backend.upload(h, 0, op.buffer(), 0, h.length);
    }

    /** Downloads the whole buffer of {@code op}. */
    public double[] download(Operand op) {
        double[] out = new double[op.host().length];
        backend.download(op.buffer(), 0, out, 0, out.length);
        return out;
    }

    /** Records the whole buffer of {@code op} as an output compared element by element. */
    public void outputElementwise(String name, Operand op, double growth) {
        outputs.add(new Output(name, download(op), Output.Mode.ELEMENTWISE, null, growth, null));
    }

    /** Records an already downloaded array as an output compared element by element. */
    public void outputElementwise(String name, double[] values, double growth) {
        outputs.add(new Output(name, values, Output.Mode.ELEMENTWISE, null, growth, null));
    }

    /** Records the whole buffer of {@code op} as an output compared normwise. */
    public void outputNormwise(String name, Operand op, double growth) {
        outputs.add(new Output(name, download(op), Output.Mode.NORMWISE, null, growth, null));
    }

    /**
     * Records the whole buffer of {@code op}, errors scaled by {@code magnitude} (one value per
     * buffer element: the size of the summed terms, e.g. Σ|a||b|; |old value| at guards). The
     * magnitude is computed from the host copies of the inputs, and only in the oracle run.
     */
    public void outputMagnitude(String name, Operand op, Supplier<double[]> magnitude, double growth) {
        double[] values = download(op);
        outputs.add(oracle ? new Output(name, values, Output.Mode.MAGNITUDE, magnitude.get(), growth, null)
                : new Output(name, values, Output.Mode.NORMWISE, null, growth, null));
    }

    /** Tolerance growth for a sum of n terms accumulated pairwise or in a wider type: max(1, log2 n). */
    public static double log2Growth(long n) {
        return Math.max(1, Math.log(n) / Math.log(2));
    }

    /** Hand-computed check: the entries of {@code got} must equal {@code expected} (normwise). */
    public void expect(String name, double[] got, double... expected) {
        outputs.add(new Output(name, got, Output.Mode.NORMWISE, null, 1, expected));
    }

    /** Hand-computed check on the first {@code expected.length} elements of op's buffer. */
    public void expect(String name, Operand op, double... expected) {
        double[] got = new double[expected.length];
        backend.download(op.buffer(), op.view().offset(), got, 0, expected.length);
        expect(name, got, expected);
    }

    /** The outputs recorded so far. */
    public List<Output> outputs() {
        return outputs;
    }

    /** |host| of op, the magnitude of elements an operation leaves alone (guards). */
    public static double[] absHost(Operand op) {
        double[] m = new double[op.host().length];
        for (int i = 0; i < m.length; i++) m[i] = Math.abs(op.host()[i]);
        return m;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Buffer b : buffers) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        buffers.clear();
        if (first != null) throw first;
    }
}
