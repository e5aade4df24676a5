package org.gdchaos.backend;

/**
 * The one interface every compute backend implements: opaque buffers, explicit host↔device
 * copies, and a handful of batched primitives. Every primitive runs over {@code batch}
 * entries (trajectories); operand {@code X} of entry {@code b} starts at
 * {@code X.offset + b·X.stride} (see {@link View}; stride 0 = shared by all entries).
 * Per-trajectory scalars (learning rates, scale factors) are views too: entry b's scalar is
 * the element at {@code s.at(b)}.
 *
 * <p>Matrices are row-major. A "tensor" operand of shape rows×cols holds entry b's matrix in
 * {@code rows·cols} consecutive elements. All buffers passed to one call must have the same
 * {@link DType}; arithmetic happens in that type (reductions may accumulate in a wider type).
 *
 * <p>Calls may run asynchronously on the device; a download returns only after all earlier
 * calls finished. Backends are not thread-safe: one thread drives a backend.
 *
 * <p><b>Bad calls</b> are rejected before anything is queued or written, with the same exception
 * on every backend (the shared checks are {@link Checks}; the conformance suite's {@code error/}
 * cases hold every backend to these rules):
 * <ul>
 *   <li><b>Null:</b> every argument is required, except where a method's comment says it may be
 *       null (biasActivation's bias; poolBackward's and poolR's x for AVG; the optimizer's second state for
 *       non-Adam; reduce's y for unary reductions). An operand the formula does not read is still
 *       required: {@link #lossHessianVector}'s z and y also for MSE. A null argument is a
 *       {@link NullPointerException} naming it.</li>
 *   <li><b>Closed:</b> a buffer used after its {@code close()}, or any call on a closed backend,
 *       is an {@link IllegalStateException}.</li>
 *   <li><b>Out of range:</b> a negative size, an element range {@code [offset, offset + n)}
 *       outside its buffer or host array (upload, download, copy, fill), a view that does not
 *       fit its buffer ({@link View#checkFits}), operands of different dtypes, or a buffer of
 *       another backend is an {@link IllegalArgumentException}. Sizes of zero are valid and do
 *       nothing.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Short name: {@code java}, {@code opencl}, {@code cuda}. */
    String name();

    /** Description of the device, e.g. "pthread-Intel Xeon (PoCL 3.1), 2 compute units". */
    String device();

    /** Whether buffers of this type can be allocated. */
    boolean supports(DType dtype);

    /** Bytes of device memory this backend may use for buffers (an estimate for planning). */
    long memoryBytes();

    // ---------------------------------------------------------------- memory

    /** Allocates a zero-filled buffer of {@code length} elements. */
    Buffer allocate(DType dtype, long length);

    /** {@code dst[dstOffset + i] = src[srcOffset + i]} for i &lt; n, converting to dst's dtype. */
    void upload(double[] src, int srcOffset, Buffer dst, long dstOffset, int n);

    /** {@code dst[dstOffset + i] = src[srcOffset + i]} for i &lt; n, converting to double. */
    void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int n);

    /** {@code dst[dstOffset + i] = src[srcOffset + i]} for i &lt; n (device to device). */
    void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n);

    /** {@code dst[offset + i] = value} for i &lt; n. */
    void fill(Buffer dst, long offset, long n, double value);

    // ---------------------------------------------------------------- linear algebra

    /**
     * Strided batched GEMM, {@code C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b]}; see
     * {@link GemmShape} for layouts. Modifies C only. A and B may have stride 0. When
     * {@code beta == 0}, C's old contents are ignored (NaN does not propagate).
     */
    void gemm(GemmShape shape, View a, View b, View c);

    /**
     * Whether every primitive computes a batch entry as a function of that entry alone: entry b of
     * a batched call equals, bit for bit, the same call with batch 1 on entry b's operands (the same
     * strides, so a stride-0 operand stays "shared"), whatever the batch size and b's position —
     * kernels and summation orders are chosen from the per-entry shape (m, n, k, transposes, which
     * strides are 0, dtype) only. Sweeps rely on it: a cell gives the same bytes in any batching,
     * shard or resumed run (README, "Same bytes however the work is split"). True by default;
     * a backend that hands GEMM to a library choosing its algorithm by the batch count says false
     * (the conformance case {@code gemm/batch-invariance/…} then skips instead of failing).
     */
    default boolean batchInvariant() {
        return true;
    }

    // ---------------------------------------------------------------- element-wise

    /**
     * Bias and activation, in place: {@code z[b][i][j] = f(z[b][i][j] + bias[b][j])} for
     * i &lt; rows, j &lt; cols. {@code bias} may be null (no bias). Modifies z.
     */
    void biasActivation(Activation f, int batch, int rows, int cols, View z, View bias);

    /**
     * Activation backward, in place: {@code delta[b][i][j] *= f'(z)} where f' is computed from
     * the stored output {@code h[b][i][j] = f(z)} ({@link Activation#derivativeFromOutput}).
     * Modifies delta.
     */
    void activationBackward(Activation f, int batch, int rows, int cols, View h, View delta);

    /**
     * Second-order activation backward (the R-operator of {@link #activationBackward}), in place:
     * {@code rdelta[b][i][j] = rdelta[b][i][j]·f'(h) + e[b][i][j]·f''(h)·rz[b][i][j]}, with
     * f', f'' from the stored output h ({@link Activation}). Modifies rdelta.
     */
    void activationBackwardR(Activation f, int batch, int rows, int cols, View h, View e, View rz,
                             View rdelta);

    /**
     * Loss value and gradient in one pass, for outputs z (rows×cols per entry) against targets y
     * (rows×cols, usually shared, stride 0):
     * {@code grad[b][i][j] = scale·∂ℓ(z[b][i], y[i])/∂z_j} and
     * {@code lossSum[b] += scale·Σ_i ℓ(z[b][i], y[i])} (see {@link Loss}). grad may be the same
     * view as z (in place). Modifies grad and lossSum.
     */
    void lossGradient(Loss loss, int batch, int rows, int cols, View z, View y, double scale,
                      View grad, View lossSum);

    /**
     * Loss Hessian times a vector per row, {@code hv[b][i] = scale·∇²_z ℓ(z[b][i], y[i])·v[b][i]}:
     * MSE: {@code scale·v}; CROSS_ENTROPY (with s = Σ_k y_k, p = softmax z):
     * {@code scale·s·(p ⊙ v − p·(p·v))}. Modifies hv (which may alias v).
     */
    void lossHessianVector(Loss loss, int batch, int rows, int cols, View z, View y, View v,
                           double scale, View hv);

    /**
     * Correct classifications: {@code correct[b] += #{i : argmax_j z[b][i][j] = argmax_j y[i][j]}}
     * (first maximum wins on ties). Modifies correct.
     */
    void countCorrect(int batch, int rows, int cols, View z, View y, View correct);

    /**
     * Column sums: {@code out[b][j] = alpha·Σ_i x[b][i][j] + beta·out[b][j]} (bias gradients).
     * When {@code beta == 0} out's old contents are ignored. Modifies out.
     */
    void columnSums(int batch, int rows, int cols, double alpha, View x, double beta, View out);

    // ---------------------------------------------------------------- convolution and pooling

    /**
     * im2col with zero padding (see {@link ConvShape} for the NHWC layout): for sample s, output
     * pixel (oy, ox), kernel offset (ky, kx) and channel c,
     * <pre>  cols[b][r·P + (ky·k + kx)·cin + c] = x[b][((s·h + iy)·w + ix)·cin + c]</pre>
     * with {@code r = (s·outH + oy)·outW + ox}, {@code P = k·k·cin}, {@code iy = oy + ky − pad},
     * {@code ix = ox + kx − pad}, and 0 where (iy, ix) lies outside the input. Then
     * {@code gemm(cols × W)} is the convolution. x may be shared (stride 0); a shared first-layer
     * input is best expanded once with {@code batch = 1} and given to the GEMM as a stride-0 A.
     * Overwrites all {@code colsSize()} elements of cols[b]. Linear, so its R-operator is
     * {@code im2col(Rx)}.
     */
    void im2col(ConvShape s, int batch, View x, View cols);

    /**
     * col2im, the adjoint of {@link #im2col} (the gradient with respect to a convolution's
     * input), accumulating:
     * <pre>  dx[b][((s·h + iy)·w + ix)·cin + c] += Σ_{ky,kx} cols[b][r(s, iy + pad − ky, ix + pad − kx)·P + (ky·k + kx)·cin + c]</pre>
     * over the (ky, kx) whose output pixel {@code (oy, ox) = (iy + pad − ky, ix + pad − kx)} lies
     * in {@code [0, outH) × [0, outW)}; r and P as in {@link #im2col}. So
     * {@code ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩} for dx = 0 on entry. The order in which the (at most
     * k²) terms are added is the backend's. Modifies dx (which must not be shared).
     */
    void col2im(ConvShape s, int batch, View cols, View dx);

    /**
     * 2×2 stride-2 pooling forward (see {@link PoolShape}):
     * {@code y[b][((s·outH + oy)·outW + ox)·c + ch]} = AVG: {@code ((x00 + x01) + x10 + x11)·¼};
     * MAX: {@code x} at the window's argmax, the first maximum in row-major window order (x00,
     * x01, x10, x11; a later element replaces the current best only when strictly greater, so a
     * NaN is selected only as the first element). For odd h or w the last input row or column is
     * ignored. x may be shared (stride 0). Overwrites y.
     */
    void pool(PoolShape s, int batch, View x, View y);

    /**
     * Pooling backward (the adjoint of {@link #pool} at x), overwriting every element of dx:
     * AVG: {@code dx = dy/4} at each of the window's four inputs; MAX: {@code dx = dy} at the
     * window's argmax (the same first-maximum rule as {@link #pool}, so ties send the whole
     * gradient to the first maximum in row-major window order) and 0 at its other three inputs;
     * inputs in no window (the last row/column of an odd h/w) get 0. x is read only for MAX
     * (it may be null for AVG). Since the selection is constant where it is differentiable, the
     * R-operator of this backward is the same call applied to R(dy). Modifies dx.
     */
    void poolBackward(PoolShape s, int batch, View x, View dy, View dx);

    /**
     * R-operator of {@link #pool} (directional derivative along rx at x): AVG is linear,
     * {@code ry = pool_avg(rx)}; MAX: {@code ry = rx} at the primal argmax of x's window (first
     * maximum as in {@link #pool}). x is read only for MAX (it may be null for AVG). Overwrites ry.
     */
    void poolR(PoolShape s, int batch, View x, View rx, View ry);

    // ---------------------------------------------------------------- per-trajectory vectors

    /**
     * Scaled update {@code w[b][k] -= lr[b]·g[b][k]} for k &lt; n. An entry whose learning rate
     * is exactly 0 is frozen: neither w[b] nor g[b] is read or written (so a non-finite g[b]
     * cannot reach w[b]). Modifies w.
     */
    void update(int batch, long n, View w, View g, View lr);

    /**
     * Fused optimizer step on the state of every entry (docs/science.md#optimizers), element by
     * element for k &lt; n, with η = lr[b] and the hyperparameters of {@code opt}:
     * <pre>
     *   MOMENTUM:  m ← β·m − η·g;                 w ← w + m
     *   NESTEROV:  m ← β·m − η·g;                 w ← w + β·m − η·g      (the new m)
     *   ADAM:      m ← β1·m + (1 − β1)·g;
     *              s ← β2·s + (1 − β2)·g·g;       w ← w − η·(c1·m)/(√(c2·s) + ε)
     * </pre>
     * with the bias corrections {@code c1 = 1/(1 − β1^t)}, {@code c2 = 1/(1 − β2^t)} computed in
     * double by the host ({@link Optimizer#c1}, {@link Optimizer#c2}) and, like β, β1, β2, ε, rounded
     * to the element type. In NESTEROV, {@code β·m − η·g} is evaluated in that order (β·m first);
     * the {@code 1 − β} factors are computed in the element type. An entry whose learning rate is
     * exactly 0 is frozen: none of w[b], m[b], s[b], g[b] is read or written. s is read and written
     * only by ADAM (it may be null otherwise). Modifies w, m and (ADAM) s.
     *
     * @param opt a non-GD optimizer (GD is {@link #update})
     * @param t   the step number t ≥ 1 (for Adam's bias corrections)
     */
    void optimizerUpdate(Optimizer opt, long t, int batch, long n, View w, View g, View m, View s, View lr);

    /**
     * Adam's tangent step (docs/science.md#optimizer-lyapunov): the Jacobian of the ADAM map of
     * {@link #optimizerUpdate} at step t applied to a tangent vector (δw, δm, δs), element by
     * element for k &lt; n, with η = lr[b], at the reference point given by its pre-update moments
     * m, s and its gradient g (read only), and with δg = hv (the Hessian-vector product H·δw):
     * <pre>
     *   m' = β1·m + (1 − β1)·g;   s' = β2·s + (1 − β2)·g·g          (the reference's step, recomputed)
     *   r  = √(c2·s');            d  = r + ε
     *   δm ← β1·δm + (1 − β1)·δg
     *   δs ← β2·δs + (1 − β2)·(2·g·δg)
     *   δr = c2·δs/(2·r)   (the new δs; δr = 0 where r = 0)
     *   δw ← δw − η·(c1·(δm − m'·δr/d))/d   (the new δm)
     * </pre>
     * with c1, c2, β1, β2, ε as in {@link #optimizerUpdate} (host doubles rounded to the element
     * type; the {@code 1 − β} factors computed in the element type). Where r = 0 (s' = 0: the
     * coordinate's gradient was exactly 0 at every step so far, so m' = 0 too) the δs term is 0, the
     * exact derivative there: w' = w − η·c1·m'/(√(c2·s') + ε) has no s-dependence to first order
     * while m' = 0 (and a NaN from 0/0 must not enter the tangent vector). An entry whose learning
     * rate is exactly 0 is frozen: nothing of it is read or written. Modifies dw, dm and ds.
     *
     * @param opt an ADAM optimizer
     * @param t   the step number t ≥ 1 of the reference's update this tangent step linearises
     */
    void adamTangent(Optimizer opt, long t, int batch, long n, View dw, View dm, View ds, View hv, View g, View m,
                     View s, View lr);

    /**
     * Adam's preconditioner at step t, square-rooted (docs/science.md#optimizer-thresholds): for k &lt; n
     * <pre>
     *   y[b][k] = x[b][k]·√(c1/(√(c2·s[b][k]) + ε))
     * </pre>
     * i.e. {@code y = D^{1/2}·x} with {@code D = diag(c1/(√(c2·s) + ε))}, the diagonal by which the
     * ADAM update of {@link #optimizerUpdate} at step t scales (bias-corrected) m, with c1, c2, ε as
     * there (host doubles rounded to the element type). Applied on both sides of a Hessian-vector
     * product it gives the symmetric {@code D^{1/2}·H·D^{1/2}}, whose top eigenvalue is Adam's
     * preconditioned sharpness {@code λ_max(D·H)}. s ≥ 0 is read only; y may alias x. Modifies y.
     *
     * @param opt an ADAM optimizer
     * @param t   the step number t ≥ 1 whose bias corrections c1 = 1/(1 − β1^t), c2 = 1/(1 − β2^t) apply
     */
    void adamPrecondition(Optimizer opt, long t, int batch, long n, View s, View x, View y);

    /**
     * {@code y[b][k] = alpha[b]·x[b][k] + beta[b]·y[b][k]} for k &lt; n, alpha and beta
     * per-trajectory scalars. Modifies y.
     */
    void axpby(int batch, long n, View alpha, View x, View beta, View y);

    /** {@code y[b][k] *= s[b]} for k &lt; n. Modifies y. */
    void scale(int batch, long n, View s, View y);

    /**
     * Reduction {@code out[b] = Σ_k g(x[b][k], y[b][k])} over k &lt; n (see {@link Reduction};
     * y may be null for unary reductions). Overwrites out[b].
     */
    void reduce(Reduction op, int batch, long n, View x, View y, View out);

    /**
     * Non-finite detection: {@code flags[b] = 1} if any of x[b][0..n) is NaN or infinite;
     * otherwise flags[b] is left unchanged (so flags accumulate over calls). Modifies flags.
     */
    void nonFinite(int batch, long n, View x, View flags);

    /** Releases every resource of this backend; buffers it allocated become invalid. */
    @Override
    void close();
}
