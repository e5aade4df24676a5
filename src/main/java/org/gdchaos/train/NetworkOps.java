package org.gdchaos.train;

import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.GemmShape;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.backend.View;
import org.gdchaos.nn.Layer;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.data.Shape;

/**
 * The linear part of each stage of a {@link ModelSpec} as batched backend calls over a chunk of c
 * samples, shared by training ({@link BatchedNetwork}) and the second-order code
 * ({@code hessian.SecondOrderNetwork}). Stage i maps its input x (per sample {@code shape(i)}) to
 * its output z (per sample {@code shape(i+1)}); a tensor of one trajectory is
 * {@link #rows rows(i, c)} × {@link #cols cols(i)} (NHWC, so a conv output is already the matrix
 * {@code [c·outH·outW × C_out]} and flattening for a dense layer is free). With weights W of
 * stage i (units × fan-in, {@link ParameterLayout}):
 * <pre>
 *   dense:  A(x; W) = x·Wᵀ                     conv:  A(x; W) = im2col(x)·Wᵀ
 *   weight adjoint  ∂⟨g, A(x; W)⟩/∂W = gᵀ·x      (conv: gᵀ·im2col(x))
 *   input adjoint   ∂⟨g, A(x; W)⟩/∂x = g·W       (conv: col2im(g·W))
 *   pool:   z = pool(x); input adjoint poolBackward(x, g); R-operator poolR(x, Rx)
 * </pre>
 * A is bilinear in (x, W), so the R-operator of a stage is {@code A(Rx; W) + A(x; V)} and every
 * second-order term is one of these three calls.
 *
 * <p><b>The shared input.</b> Stage 0 reads the data set, shared by all trajectories (a stride-0
 * view). A first convolution lowers it once per chunk with {@link #lowerInput} ({@code im2col} with
 * batch 1, c·outH·outW·k²·C_in elements) and every later use in that chunk — the forward GEMM, the
 * weight gradient, the R-operator's {@code A(x; V)} and its weight terms — reads that one copy
 * through a stride-0 operand: the lowering is not repeated per trajectory or per call. A first
 * dense layer is a GEMM with a stride-0 operand directly.
 *
 * <p><b>Workspace.</b> Convolutions after the first lower their (per-trajectory) input block by block
 * ({@link #BLOCK_ELEMENTS}: a few samples at a time, so that each block's lowering is still in cache
 * when its GEMM reads it) into one scratch buffer of {@code T·max_i(b_i·outH·outW·k²·C_in)} elements,
 * recomputed where needed
 * (the forward GEMM, the weight gradient unless the scratch still holds the forward pass's lowering
 * of the same input, and — as the GEMM target before {@code col2im} — the input gradient), so memory
 * stays proportional to the chunk. {@link #workspaceElements}.
 */
public final class NetworkOps implements AutoCloseable {
    private final Backend backend;
    private final ModelSpec spec;
    private final ParameterLayout layout;
    private final int chunk;
    /** Parameterised layer number (1..L) of each stage, 0 for pooling. */
    private final int[] layerOf;
    private final Buffer scratch;   // T × chunk × max cols of convolutions after stage 0 (null if none)
    private final long scratchStride;
    private final Buffer lowered;   // chunk × cols of stage 0 when it is a convolution (null otherwise)
    private int loweredRows = -1;   // samples of the chunk in {@link #lowered}, -1 before the first
    /**
     * The lowering the scratch holds, so that the weight gradient reuses the forward pass's instead of
     * lowering the same input again; null when the scratch holds something else. Sound because every
     * pass that writes a stage's input (forward, R-forward) lowers it again in that stage's
     * {@link #linear} before any later {@link #weightGrad} of it.
     */
    private Lowered scratchHolds;

    /**
     * @param trajectories T, the largest batch of one call
     * @param chunk        samples per pass
     */
    public NetworkOps(Backend backend, DType dtype, ModelSpec spec, int trajectories, int chunk) {
        this.backend = backend;
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
        this.chunk = chunk;
        int stages = spec.stages().size();
        layerOf = new int[stages];
        for (int l = 1; l <= spec.layers(); l++) layerOf[spec.stageOf(l)] = l;
        scratchStride = scratchPerTrajectory(spec, chunk);
        try (Allocations a = new Allocations()) {
            scratch = scratchStride == 0 ? null : a.add(backend.allocate(dtype, (long) trajectories * scratchStride));
            lowered = spec.stages().get(0) instanceof Layer.Conv ? a.add(backend.allocate(dtype,
                    (long) chunk * loweredPerSample(spec, 0))) : null;
            a.keep();
        }
    }

    /** im2col elements per sample of stage i (0 unless a convolution). */
    static long loweredPerSample(ModelSpec spec, int i) {
        if (!(spec.stages().get(i) instanceof Layer.Conv c)) return 0;
        Shape out = spec.shape(i + 1);
        return (long) out.h() * out.w() * c.kernel() * c.kernel() * spec.shape(i).c();
    }

    /**
     * Per-trajectory im2col elements a later convolution lowers at once: its samples are processed in
     * blocks of {@link #block} samples so that the lowering of a block (for all trajectories) stays in
     * cache between the im2col and the GEMM that reads it, instead of one pass over main memory per
     * use. Fixed, not derived from T or the backend, so a trajectory's sums are the same in any batch.
     */
    static final long BLOCK_ELEMENTS = 1 << 16;

    /** Samples per block of stage i ≥ 1 (a convolution) for a chunk of c samples: ⌊BLOCK_ELEMENTS / lowered_i⌋, at least 1, at most c. */
    static int block(ModelSpec spec, int i, int c) {
        long per = loweredPerSample(spec, i);
        return per == 0 ? c : (int) Math.max(1, Math.min(c, BLOCK_ELEMENTS / per));
    }

    /** Per-trajectory scratch elements: the largest lowering of one block over the convolutions after stage 0. */
    private static long scratchPerTrajectory(ModelSpec spec, int chunk) {
        long m = 0;
        for (int i = 1; i < spec.stages().size(); i++) m = Math.max(m, block(spec, i, chunk) * loweredPerSample(spec, i));
        return m;
    }

    /**
     * Device elements the constructor allocates: {@code T·max_{i≥1} b_i·lowered_i + chunk·lowered_0},
     * lowered_i the im2col elements per sample of convolution i (0 for other stages) and b_i its block
     * of samples ({@link #BLOCK_ELEMENTS}).
     */
    public static long workspaceElements(ModelSpec spec, int trajectories, int chunk) {
        return (long) trajectories * scratchPerTrajectory(spec, chunk) + (long) chunk * loweredPerSample(spec, 0);
    }

    /** Of {@link #workspaceElements}, the part shared by all trajectories: the first convolution's lowering, {@code chunk·lowered_0}. */
    public static long sharedElements(ModelSpec spec, int chunk) {
        return (long) chunk * loweredPerSample(spec, 0);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Number of stages. */
    public int stages() {
        return layerOf.length;
    }

    /** Parameterised layer number (1..L) of stage i, 0 for a pooling stage. */
    public int layerOf(int i) {
        return layerOf[i];
    }

    /** Rows of stage i's output for c samples: c·outH·outW. */
    public int rows(int i, int c) {
        Shape s = spec.shape(i + 1);
        return c * s.h() * s.w();
    }

    /** Columns of stage i's output: output channels (units of a dense layer). */
    public int cols(int i) {
        return spec.shape(i + 1).c();
    }

    /** Elements of stage i's output per sample. */
    public int outSize(int i) {
        return spec.shape(i + 1).size();
    }

    /** Largest stage output per sample. */
    public static int maxOutSize(ModelSpec spec) {
        int m = 1;
        for (int i = 1; i <= spec.stages().size(); i++) m = Math.max(m, spec.shape(i).size());
        return m;
    }

    /** The data rows r0.. as stage 0's input (stride 0: shared by all trajectories). */
    public static View dataInput(DeviceData data, int r0) {
        return new View(data.x(), (long) r0 * data.features(), 0);
    }

    /** Weights of layer stage i within parameters (or a direction) {@code params}. */
    public View weights(int i, View params) {
        return params.shift(layout.weightOffset(layerOf[i]));
    }

    /** Bias of stage i within {@code params}, null when the model has no biases. */
    public View bias(int i, View params) {
        return spec.bias() ? params.shift(layout.biasOffset(layerOf[i])) : null;
    }

    /**
     * Lowers the shared input of chunk rows r0..r0+c−1 when stage 0 is a convolution (im2col once,
     * batch 1); a no-op otherwise. Every forward pass of a chunk calls it first; the lowering then
     * serves that chunk's later stage-0 calls (backward and R-operator passes) until the next call.
     */
    public void lowerInput(DeviceData data, int r0, int c) {
        if (lowered == null) return;
        ConvShape s = ((Layer.Conv) spec.stages().get(0)).shape(c, spec.shape(0));
        backend.im2col(s, 1, dataInput(data, r0), View.of(lowered, 0));
        loweredRows = c;
    }

    /**
     * The lowering of stage i's input x (a convolution) for c samples; for i ≥ 1, c is at most one block
     * and x starts at the block's first sample. {@code reuse}: the scratch's if it already holds it.
     */
    private View lower(int i, int count, int c, View x, boolean reuse) {
        Layer.Conv conv = (Layer.Conv) spec.stages().get(i);
        if (i == 0) {
            if (loweredRows != c) throw new IllegalStateException("the shared input was not lowered (lowerInput)");
            return new View(lowered, 0, 0);
        }
        View cols = new View(scratch, 0, scratchStride);
        if (reuse && scratchHolds != null && scratchHolds.equals(new Lowered(i, x, count, c))) return cols;
        backend.im2col(conv.shape(c, spec.shape(i)), count, x, cols);
        scratchHolds = new Lowered(i, x, count, c);
        return cols;
    }

    /** What the scratch buffer holds: the lowering of input view x of stage i for count entries of c samples. */
    private record Lowered(int stage, View x, int count, int c) {
    }

    /**
     * {@code z = β·z + A_i(x; W)} for a conv or dense stage i (bias and activation not applied);
     * for stage 0, x is the shared input ({@link #dataInput}, lowered first by {@link #lowerInput}).
     */
    public void linear(int i, int count, int c, View x, View w, double beta, View z) {
        Layer s = spec.stages().get(i);
        int k = spec.fanIn(layerOf[i]);
        if (!(s instanceof Layer.Conv) || i == 0) {
            View a = s instanceof Layer.Conv ? lower(i, count, c, x, false) : x;
            backend.gemm(new GemmShape(count, rows(i, c), cols(i), k, false, true, 1, beta), a, w, z);
            return;
        }
        int b = block(spec, i, c), in = spec.shape(i).size(), out = outSize(i);
        for (int s0 = 0; s0 < c; s0 += b) {
            int n = Math.min(b, c - s0);
            View a = lower(i, count, n, x.shift((long) s0 * in), false);
            backend.gemm(new GemmShape(count, rows(i, n), cols(i), k, false, true, 1, beta), a, w,
                    z.shift((long) s0 * out));
        }
    }

    /**
     * {@code dW = β·dW + gᵀ·x} (conv: gᵀ·im2col(x), block by block), g the gradient with respect to
     * stage i's pre-activation output.
     */
    public void weightGrad(int i, int count, int c, View g, View x, double beta, View dw) {
        Layer s = spec.stages().get(i);
        int k = spec.fanIn(layerOf[i]);
        if (!(s instanceof Layer.Conv) || i == 0) {
            View b = s instanceof Layer.Conv ? lower(i, count, c, x, true) : x;
            backend.gemm(new GemmShape(count, cols(i), k, rows(i, c), true, false, 1, beta), g, b, dw);
            return;
        }
        int b = block(spec, i, c), in = spec.shape(i).size(), out = outSize(i);
        for (int s0 = 0; s0 < c; s0 += b) {
            int n = Math.min(b, c - s0);
            View lo = lower(i, count, n, x.shift((long) s0 * in), true);
            backend.gemm(new GemmShape(count, cols(i), k, rows(i, n), true, false, 1, s0 == 0 ? beta : 1),
                    g.shift((long) s0 * out), lo, dw);
        }
    }

    /**
     * Input adjoint of stage i ≥ 1: {@code dx = β·dx + ∂⟨g, z_i⟩/∂x} — dense {@code g·W}, conv
     * {@code col2im(g·W)} block by block, pool {@code poolBackward(x, g)} (β must be 0; x is the
     * pooling's input). β is 0 or 1.
     */
    public void inputGrad(int i, int count, int c, View g, View w, View x, double beta, View dx) {
        Layer s = spec.stages().get(i);
        Shape in = spec.shape(i);
        if (s instanceof Layer.Dense) {
            backend.gemm(new GemmShape(count, c, in.size(), cols(i), false, false, 1, beta), g, w, dx);
        } else if (s instanceof Layer.Conv conv) {
            int k = spec.fanIn(layerOf[i]);
            View cols = new View(scratch, 0, scratchStride);
            scratchHolds = null;
            if (beta == 0) fill(dx, count, (long) c * in.size());
            int b = block(spec, i, c), out = outSize(i);
            for (int s0 = 0; s0 < c; s0 += b) {
                int n = Math.min(b, c - s0);
                backend.gemm(new GemmShape(count, rows(i, n), k, cols(i), false, false, 1, 0), g.shift((long) s0 * out),
                        w, cols);
                backend.col2im(conv.shape(n, in), count, cols, dx.shift((long) s0 * in.size()));
            }
        } else {
            if (beta != 0) throw new IllegalArgumentException("a pooling input gradient cannot accumulate");
            backend.poolBackward(((Layer.Pool) s).shape(c, in), count, x, g, dx);
        }
    }

    /** Pooling stage i forward, {@code z = pool(x)}. */
    public void pool(int i, int count, int c, View x, View z) {
        backend.pool(((Layer.Pool) spec.stages().get(i)).shape(c, spec.shape(i)), count, x, z);
    }

    /** R-operator of pooling stage i, {@code Rz = poolR(x, Rx)}. */
    public void poolR(int i, int count, int c, View x, View rx, View rz) {
        backend.poolR(((Layer.Pool) spec.stages().get(i)).shape(c, spec.shape(i)), count, x, rx, rz);
    }

    /** Zeroes the first n elements of each of count entries of a view. */
    private void fill(View v, int count, long n) {
        if (v.stride() == n) {
            backend.fill(v.buffer(), v.offset(), n * count, 0);
        } else {
            for (int b = 0; b < count; b++) backend.fill(v.buffer(), v.at(b), n, 0);
        }
    }

    @Override
    public void close() {
        if (scratch != null) scratch.close();
        if (lowered != null) lowered.close();
    }
}
