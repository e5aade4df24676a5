package org.gdchaos.hessian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gdchaos.backend.Allocations;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.train.WeightDecayTerm;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.gdchaos.train.Tunables;

/**
 * The per-cell extras of a sweep (docs/science.md#linear-network) in one place, for the sweep runner: sharpness (top
 * Hessian eigenvalue by {@link Lanczos}), the gradient-flow limit from the cell's start
 * ({@link GradientFlow}: its loss and sharpness) and the imbalance ({@link Balance}, two-layer
 * networks only, else NaN). Trajectories are processed in groups sized so the Lanczos basis
 * ({@code (m+1)·T·P} elements, whatever the number of eigenvalues asked for) takes at most a
 * quarter of the backend's memory. Measurements: sharpness (and with k &gt; 1 the next eigenvalues, descending), the
 * gradient flow's sharpness and final loss, imbalance, {@code Q = ‖W1‖² − ‖W2‖²} (two-layer
 * networks with one output only, else NaN); the results-file columns are built by the sweep.
 */
public final class CurvatureMeter implements AutoCloseable {
    /** The name of the i-th largest Hessian eigenvalue (i ≥ 2; the first is {@code sharpness}). */
    public static String eigenvalueColumn(int i) {
        return "hessian_eig_" + i;
    }

    private final Backend backend;
    private final DType dtype;
    private final ModelSpec spec;
    private final int group;
    private final long p;
    private final SecondOrderNetwork mlp;
    private final Lanczos lanczos;
    private final FlowConfig flowConfig;
    private GradientFlow flow;
    private double[] decay;
    private boolean decayBiases;
    private Balance balance;
    private AdamPreconditioner preconditioner;

    /**
     * @param cells largest number of trajectories measured at once
     * @param rows  training rows (for the chunk size)
     */
    public CurvatureMeter(Backend backend, DType dtype, ModelSpec spec, int cells, int rows) {
        this(backend, dtype, spec, cells, rows, LanczosConfig.defaults(dtype), FlowConfig.defaults(dtype));
    }

    public CurvatureMeter(Backend backend, DType dtype, ModelSpec spec, int cells, int rows, LanczosConfig lc,
                          FlowConfig fc) {
        this(backend, dtype, spec, cells, rows, lc, fc, chunkRows(backend.memoryBytes(), dtype, spec, cells, rows));
    }

    /**
     * As {@link #CurvatureMeter(Backend, DType, ModelSpec, int, int, LanczosConfig, FlowConfig)}, with the
     * sample rows per Hessian-vector pass given: the order of every sum over the training samples
     * follows the chunk, so a sweep computes it once ({@link #chunkRows}, for its whole grid) and
     * passes it to every batch's meter — a cell's numbers then do not depend on how many cells share
     * its batch, shard or resumed run, nor on the heap in use when the batch starts (issue 22).
     *
     * @param chunk sample rows per pass (≥ 1; capped at rows)
     */
    public CurvatureMeter(Backend backend, DType dtype, ModelSpec spec, int cells, int rows, LanczosConfig lc,
                          FlowConfig fc, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("chunk must be ≥ 1, got " + chunk);
        this.backend = backend;
        this.dtype = dtype;
        this.spec = spec;
        this.p = new org.gdchaos.nn.ParameterLayout(spec).size();
        this.group = groupSize(backend.memoryBytes(), dtype, p, lc, cells);
        try (Allocations a = new Allocations()) { // a failed allocation releases the earlier ones
            this.mlp = a.add(new SecondOrderNetwork(backend, dtype, spec, group, Math.min(chunk, rows)));
            this.lanczos = a.add(new Lanczos(mlp, lc));
            a.keep();
        }
        this.flowConfig = fc;
    }

    /** Trajectories measured at once: all {@code cells}, or as many as fit their Lanczos basis in a quarter of memory. */
    private static int groupSize(long memoryBytes, DType dtype, long p, LanczosConfig lc, int cells) {
        long m = Math.min(lc.maxIterations(), p);
        double perTrajectory = (double) (m + 10) * p * dtype.bytes();
        int fit = (int) Math.max(1, Math.min(Integer.MAX_VALUE, 0.25 * memoryBytes / perTrajectory));
        return Math.max(1, Math.min(cells, fit));
    }

    /**
     * Sample rows per Hessian-vector pass of a meter for up to {@code cells} trajectories (default
     * Lanczos settings): the largest chunk whose workspace for one group fits
     * ({@link Tunables#autoChunk}). A sweep asks once, for its whole grid.
     */
    public static int chunkRows(long memoryBytes, DType dtype, ModelSpec spec, int cells, int rows) {
        long p = new org.gdchaos.nn.ParameterLayout(spec).size();
        int g = groupSize(memoryBytes, dtype, p, LanczosConfig.defaults(dtype), cells);
        return Tunables.autoChunk(spec, 3 * g, rows, memoryBytes, dtype.bytes());
    }

    /**
     * Device elements a meter for {@code cells} trajectories (default Lanczos and flow settings)
     * allocates at most, for planning: the Hessian-vector workspace and Lanczos basis
     * ({@code (m+2)·G·P}) always, the gradient-flow buffers ({@code 11·G·P}) with {@code flow}, the
     * balance matrices ({@code G·d²}, two-layer networks) with {@code balance}; G = the group size.
     */
    public static long deviceElements(long memoryBytes, DType dtype, ModelSpec spec, int cells, int rows,
                                      boolean flow, boolean balance) {
        return deviceElements(memoryBytes, dtype, spec, cells, rows, flow, balance,
                chunkRows(memoryBytes, dtype, spec, cells, rows));
    }

    /** As above, for a meter with {@code chunk} rows per pass (capped at rows). */
    public static long deviceElements(long memoryBytes, DType dtype, ModelSpec spec, int cells, int rows,
                                      boolean flow, boolean balance, int chunk) {
        LanczosConfig lc = LanczosConfig.defaults(dtype);
        long p = new org.gdchaos.nn.ParameterLayout(spec).size();
        int g = groupSize(memoryBytes, dtype, p, lc, cells);
        long m = Math.min(lc.maxIterations(), p);
        long n = SecondOrderNetwork.workspaceElements(spec, g, Math.min(chunk, rows));
        n += (m + 2) * g * p + BatchedVectors.deviceElements(g); // Lanczos: basis q_0..q_m, w
        if (flow) n += 11L * g * p + g + BatchedVectors.deviceElements(g); // GradientFlow (10·G·P) + start points
        if (balance && spec.isMlp() && spec.layers() == 2) n += (long) g * spec.width(1) * spec.width(1) + g;
        return n;
    }

    /** Top Hessian eigenvalue of trajectories 0..count−1 of {@code params} (stride P). */
    public double[] sharpness(DeviceData data, View params, int count) {
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) keys[i] = i;
        return sharpness(data, params, count, keys);
    }

    /**
     * As {@link #sharpness(DeviceData, View, int)}, trajectory i's Lanczos start vector drawn from
     * {@code keys[i]} (so the value does not depend on the trajectory's position in a batch).
     */
    public double[] sharpness(DeviceData data, View params, int count, long[] keys) {
        double[][] e = eigenvalues(data, params, count, 1, keys);
        double[] s = new double[count];
        for (int i = 0; i < count; i++) s[i] = e[i][0];
        return s;
    }

    /**
     * Weight decay of trajectories 0..λ.length−1 of the following calls (docs/science.md#weight-decay):
     * the Hessian becomes {@code H + λ·I_D} and the gradient flow follows {@code L + (λ/2)·‖w_D‖²}.
     * For {@link #flow}, entry i belongs to start point i. Null or all zeros: none.
     */
    public void setWeightDecay(double[] lambda, boolean biases) {
        this.decay = lambda == null ? null : lambda.clone();
        this.decayBiases = biases;
    }

    /**
     * Adam's preconditioner of the following {@link #sharpness} and {@link #eigenvalues} calls
     * (docs/science.md#optimizer-thresholds): they measure the eigenvalues of {@code D·H} (with
     * weight decay {@code D·(H + λ·I_D)}), its trajectory i that of the params' trajectory i. Null:
     * the Hessian's own. The gradient flow's sharpness ({@link #flow}) is never preconditioned.
     */
    public void setPreconditioner(AdamPreconditioner pre) {
        this.preconditioner = pre;
    }

    /**
     * The top {@code k} Hessian eigenvalues (descending; {@code [i][0]} is the sharpness) of
     * trajectories 0..count−1, keyed as {@link #sharpness(DeviceData, View, int, long[])}. An
     * eigenvalue Lanczos did not reach (a trajectory whose products are not finite) is NaN.
     */
    public double[][] eigenvalues(DeviceData data, View params, int count, int k, long[] keys) {
        return eigenvalues(data, params, count, k, keys, decay, preconditioner);
    }

    /**
     * As above with λ of trajectory i = {@code lambda[i]} (null: none) and the preconditioner
     * {@code pre} (null: none); groups of the meter's size.
     */
    private double[][] eigenvalues(DeviceData data, View params, int count, int k, long[] keys, double[] lambda,
                                   AdamPreconditioner pre) {
        if (!WeightDecayTerm.any(lambda)) {
            mlp.setWeightDecay(null, false);
            return lanczos.topEigenvalues(data, params, count, k, keys, pre).eigenvalues();
        }
        double[][] out = new double[count][];
        for (int g0 = 0; g0 < count; g0 += group) {
            int n = Math.min(group, count - g0);
            mlp.setWeightDecay(slice(lambda, g0, n), decayBiases);
            double[][] e = lanczos.topEigenvalues(data, params.shift(g0 * params.stride()), n, k,
                    Arrays.copyOfRange(keys, g0, g0 + n), pre == null ? null : pre.shift(g0)).eigenvalues();
            System.arraycopy(e, 0, out, g0, n);
        }
        mlp.setWeightDecay(null, false);
        return out;
    }

    private static double[] slice(double[] lambda, int from, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = lambda != null && from + i < lambda.length ? lambda[from + i] : 0;
        return s;
    }

    /**
     * Gradient-flow limits from host start points: {@code [0]} sharpness, {@code [1]} final loss
     * (with weight decay the objective {@code L + (λ/2)·‖w_D‖²}, the function the flow descends).
     * The flow does not depend on the learning rate, so identical starts (with the same weight
     * decay) are integrated once. The limit's Lanczos start vector is keyed by the start point's
     * bits, so the result is a function of the start (and λ) alone, whatever else is in the batch.
     */
    public double[][] flow(DeviceData data, double[][] starts) {
        List<double[]> unique = new ArrayList<>();
        List<Double> uniqueLambda = new ArrayList<>();
        int[] which = new int[starts.length];
        double[] lambda = slice(decay, 0, starts.length);
        for (int i = 0; i < starts.length; i++) {
            int j = 0;
            while (j < unique.size() && !(Arrays.equals(unique.get(j), starts[i])
                    && Double.compare(uniqueLambda.get(j), lambda[i]) == 0)) j++;
            if (j == unique.size()) {
                unique.add(starts[i]);
                uniqueLambda.add(lambda[i]);
            }
            which[i] = j;
        }
        double[] ul = new double[unique.size()];
        for (int j = 0; j < ul.length; j++) ul[j] = uniqueLambda.get(j);
        double[][] u = flowUnique(data, unique.toArray(new double[0][]), ul);
        double[][] out = new double[2][starts.length];
        for (int i = 0; i < starts.length; i++) {
            out[0][i] = u[0][which[i]];
            out[1][i] = u[1][which[i]];
        }
        return out;
    }

    private double[][] flowUnique(DeviceData data, double[][] starts, double[] lambda) {
        if (flow == null) flow = new GradientFlow(mlp, flowConfig);
        int n = starts.length;
        double[][] out = new double[2][n];
        try (Buffer b = backend.allocate(dtype, group * p)) {
            for (int g0 = 0; g0 < n; g0 += group) {
                int cnt = Math.min(group, n - g0);
                for (int i = 0; i < cnt; i++) backend.upload(starts[g0 + i], 0, b, i * p, (int) p);
                double[] gl = slice(lambda, g0, cnt);
                mlp.setWeightDecay(gl, decayBiases);
                GradientFlow.Result r = flow.run(data, View.of(b, p), cnt);
                long[] keys = new long[cnt];
                for (int i = 0; i < cnt; i++) keys[i] = Arrays.hashCode(starts[g0 + i]);
                double[] s = eigenvaluesTop(data, flow.solution(), cnt, keys, gl);
                for (int i = 0; i < cnt; i++) {
                    out[0][g0 + i] = s[i];
                    out[1][g0 + i] = r.finalLoss()[i];
                }
            }
        }
        mlp.setWeightDecay(null, false);
        return out;
    }

    private double[] eigenvaluesTop(DeviceData data, View params, int count, long[] keys, double[] lambda) {
        double[][] e = eigenvalues(data, params, count, 1, keys, lambda, null); // the flow's: H's own
        double[] s = new double[count];
        for (int i = 0; i < count; i++) s[i] = e[i][0];
        return s;
    }

    /** {@code ‖W1·W1ᵀ − W2ᵀ·W2‖_F} per trajectory; NaN unless the network has two layers. */
    public double[] imbalance(View params, int count) {
        if (!spec.isMlp() || spec.layers() != 2) {
            double[] nan = new double[count];
            Arrays.fill(nan, Double.NaN);
            return nan;
        }
        if (balance == null) balance = new Balance(backend, dtype, spec, group);
        double[] out = new double[count];
        for (int g0 = 0; g0 < count; g0 += group) {
            int cnt = Math.min(group, count - g0);
            System.arraycopy(balance.imbalance(params.shift(g0 * params.stride()), cnt), 0, out, g0, cnt);
        }
        return out;
    }

    /** Whether {@link #q} is defined for this network: two layers and a single output (docs/science.md#o2). */
    public static boolean qDefined(ModelSpec spec) {
        return spec.isMlp() && spec.layers() == 2 && spec.outputs() == 1;
    }

    /**
     * {@code Q = ‖W1‖_F² − ‖W2‖_F²} per trajectory (for the scalar linear network
     * {@code ‖a‖² − ‖b‖²}, which GD changes by {@code Q' = (1 − η²r²)·Q}); NaN unless
     * {@link #qDefined}.
     */
    public double[] q(View params, int count) {
        double[] out = new double[count];
        if (!qDefined(spec)) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        if (balance == null) balance = new Balance(backend, dtype, spec, group);
        for (int g0 = 0; g0 < count; g0 += group) {
            int cnt = Math.min(group, count - g0);
            System.arraycopy(balance.q(params.shift(g0 * params.stride()), cnt), 0, out, g0, cnt);
        }
        return out;
    }

    @Override
    public void close() {
        lanczos.close();
        if (flow != null) flow.close();
        if (balance != null) balance.close();
        mlp.close();
    }
}
