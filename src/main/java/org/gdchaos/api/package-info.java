/**
 * The public Java API of gdchaos: build a sweep in code, run it on a backend, read the results in
 * memory; or open a backend and run its batched primitives directly.
 *
 * <h2>A sweep</h2>
 * {@link org.gdchaos.api.Sweep#builder()} takes the settings of {@code gdchaos sweep} (data, model,
 * learning-rate grid × initialisations, Lyapunov method, steps, dtype); {@code build()} validates
 * them. {@link org.gdchaos.api.Sweep#on} prepares a {@link org.gdchaos.api.SweepRun} on an open
 * backend, with an optional {@link org.gdchaos.api.SweepProgress}, output folder and per-step
 * curves; {@code run()} returns {@link org.gdchaos.api.SweepResults}: one
 * {@link org.gdchaos.api.SweepRow} per cell and one {@link org.gdchaos.api.LearningRateSummary}
 * per learning rate.
 * <pre>{@code
 * Sweep sweep = Sweep.builder()
 *         .data("teacher:in=4,hidden=8,out=2,n=64,seed=3")
 *         .model(new ModelSpec(new int[] {4, 16, 2}, Activation.TANH, true, Loss.MSE))
 *         .learningRates(0.1, 1, 3).inits(2).method(Method.BENETTIN).steps(200)
 *         .build();
 * try (Backend backend = Gdchaos.openBackend("auto", sweep.dtype())) {
 *     SweepResults r = sweep.on(backend).run();
 *     for (LearningRateSummary s : r.summary()) System.out.println(s.lr() + " " + s.lambda1Mean());
 * }
 * }</pre>
 *
 * <h2>Batched primitives</h2>
 * Every backend implements {@link org.gdchaos.backend.Backend}: buffers are opaque
 * ({@link org.gdchaos.backend.Buffer}), reached only by explicit upload and download, and each
 * primitive runs over {@code batch} entries (trajectories). Operand X of entry b starts at element
 * {@code offset + b·stride} of its buffer ({@link org.gdchaos.backend.View}); a stride of 0 shares
 * one operand among all entries, e.g. the data every trajectory multiplies by. A batched GEMM
 * {@code C[b] = A·B[b]} with one shared A (m×k) and {@code batch} matrices B[b] (k×n), row-major:
 * <pre>{@code
 * try (Backend be = Gdchaos.openBackend("auto", DType.F64);
 *      Buffer a = be.allocate(DType.F64, (long) m * k);
 *      Buffer b = be.allocate(DType.F64, (long) batch * k * n);
 *      Buffer c = be.allocate(DType.F64, (long) batch * m * n)) {
 *     be.upload(hostA, 0, a, 0, m * k);                       // host double[] to device
 *     be.upload(hostB, 0, b, 0, batch * k * n);
 *     GemmShape shape = new GemmShape(batch, m, n, k, false, false, 1.0, 0.0);  // alpha = 1, beta = 0
 *     be.gemm(shape, View.shared(a), View.of(b, (long) k * n), View.of(c, (long) m * n));
 *     double[] hostC = new double[batch * m * n];
 *     be.download(c, 0, hostC, 0, hostC.length);             // waits for the GEMM
 * }
 * }</pre>
 * Calls may run asynchronously; a download returns after all earlier calls finished. A backend is
 * driven by one thread. Close buffers before the backend (try-with-resources in reverse order
 * does this). The other primitives (bias and activation, loss gradients, per-trajectory updates
 * {@code w[b] -= lr[b]·g[b]}, reductions) follow the same batch and view conventions.
 *
 * <h2>Runtime</h2>
 * The Java backend uses the incubating Vector API: run with
 * {@code --add-modules jdk.incubator.vector}. Settings the library cannot honour throw
 * {@link java.lang.IllegalArgumentException} with one line naming the quantity.
 */
package org.gdchaos.api;
