package org.gdchaos.train;

import java.util.ArrayList;
import java.util.List;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.Loss;
import org.gdchaos.backend.PoolShape;
import org.gdchaos.nn.Layer;
import org.gdchaos.nn.ModelSpec;

/**
 * An independent host oracle of the loss of any {@link ModelSpec} (one trajectory), written from
 * the definitions with plain loops: no backend, no {@code NetworkOps}, no {@code ParameterLayout},
 * no {@code ModelSpec.shape}. Tensors are one sample's NHWC arrays, element (y, x, c) of an
 * h×w×C tensor at {@code (y·w + x)·C + c}.
 * <ul>
 *   <li>conv (F filters k×k, stride 1, pad p = 0 (valid) or (k−1)/2 (same)), output
 *       (h + 2p − k + 1)×(w + 2p − k + 1)×F:
 *       {@code z[oy][ox][f] = b[f] + Σ_{ky,kx,c} W[f][(ky·k + kx)·C + c]·x[oy+ky−p][ox+kx−p][c]},
 *       x = 0 outside the input;</li>
 *   <li>2×2 stride-2 pooling, output ⌊h/2⌋×⌊w/2⌋×C (an odd last row/column is dropped): the mean
 *       of the window, or its first maximum in row-major order (x00, x01, x10, x11; a later one
 *       replaces the best only when strictly greater);</li>
 *   <li>dense: {@code z[u] = b[u] + Σ_j W[u][j]·h[j]} on the NHWC-flattened input;</li>
 *   <li>then the layer's activation (tanh, sigmoid, relu, identity);</li>
 *   <li>loss per sample: cross-entropy of softmax, {@code −Σ_j y_j·(z_j − logΣ_k e^{z_k})}, or
 *       MSE {@code ½·Σ_j (z_j − y_j)²}; the mean over samples.</li>
 * </ul>
 * Parameters: layer after layer (conv and dense in network order), the weights row-major
 * (units × fan-in) then, with biases, one bias per unit or filter.
 *
 * <p>For max pooling at exact ties a {@link Selection} can be recorded at one parameter vector
 * and replayed at others: the loss of the smooth branch that keeps that selection.
 */
public final class HostNetwork {
    private HostNetwork() {
    }

    /** Max-pooling choices (window element 0..3 per output value), in evaluation order, for replay. */
    public static final class Selection {
        final List<Integer> choices = new ArrayList<>();
        int next;

        /** The recorded choices, in evaluation order (sample, pooling stage, output element). */
        public List<Integer> choices() {
            return choices;
        }

        /** A copy of these choices in which entry {@code index} is replaced by {@code choice}. */
        public Selection with(int index, int choice) {
            Selection s = new Selection();
            s.choices.addAll(choices);
            s.choices.set(index, choice);
            return s;
        }
    }

    /** Number of parameters of one trajectory, counted from the definitions. */
    public static int parameterCount(ModelSpec spec) {
        int[] hwc = {spec.inputShape().h(), spec.inputShape().w(), spec.inputShape().c()};
        int count = 0;
        for (Layer s : spec.stages()) {
            if (s instanceof Layer.Conv c) {
                count += c.filters() * c.kernel() * c.kernel() * hwc[2] + (spec.bias() ? c.filters() : 0);
                int p = c.padding() == ConvShape.Padding.SAME ? (c.kernel() - 1) / 2 : 0;
                hwc = new int[] {hwc[0] + 2 * p - c.kernel() + 1, hwc[1] + 2 * p - c.kernel() + 1, c.filters()};
            } else if (s instanceof Layer.Dense d) {
                count += d.units() * hwc[0] * hwc[1] * hwc[2] + (spec.bias() ? d.units() : 0);
                hwc = new int[] {1, 1, d.units()};
            } else {
                hwc = new int[] {hwc[0] / 2, hwc[1] / 2, hwc[2]};
            }
        }
        return count;
    }

    /** Which parameters are weights (not biases), from the definitions' order: per layer the weights, then the biases. */
    public static boolean[] weightMask(ModelSpec spec) {
        boolean[] mask = new boolean[parameterCount(spec)];
        int[] hwc = {spec.inputShape().h(), spec.inputShape().w(), spec.inputShape().c()};
        int off = 0;
        for (Layer s : spec.stages()) {
            int units, fan;
            if (s instanceof Layer.Conv c) {
                units = c.filters();
                fan = c.kernel() * c.kernel() * hwc[2];
                int p = c.padding() == ConvShape.Padding.SAME ? (c.kernel() - 1) / 2 : 0;
                hwc = new int[] {hwc[0] + 2 * p - c.kernel() + 1, hwc[1] + 2 * p - c.kernel() + 1, c.filters()};
            } else if (s instanceof Layer.Dense d) {
                units = d.units();
                fan = hwc[0] * hwc[1] * hwc[2];
                hwc = new int[] {1, 1, d.units()};
            } else {
                hwc = new int[] {hwc[0] / 2, hwc[1] / 2, hwc[2]};
                continue;
            }
            for (int k = 0; k < units * fan; k++) mask[off + k] = true;
            off += units * fan + (spec.bias() ? units : 0);
        }
        return mask;
    }

    /** Mean loss of parameters w on n samples (x: n × inputs, y: n × outputs). */
    public static double loss(ModelSpec spec, double[] w, double[] x, double[] y, int n) {
        return loss(spec, w, x, y, n, null, false);
    }

    /** The max-pooling choices of every sample at parameters w. */
    public static Selection selection(ModelSpec spec, double[] w, double[] x, int n) {
        Selection s = new Selection();
        int in = spec.inputs();
        for (int i = 0; i < n; i++) forward(spec, w, slice(x, i * in, in), s, true);
        return s;
    }

    /**
     * Mean loss with max pooling either free (sel null) or replaying {@code sel} (then each window
     * takes the recorded element, whatever the values).
     */
    public static double loss(ModelSpec spec, double[] w, double[] x, double[] y, int n, Selection sel, boolean record) {
        if (w.length != parameterCount(spec)) {
            throw new IllegalArgumentException(w.length + " parameters for a network of " + parameterCount(spec));
        }
        if (sel != null) sel.next = 0;
        int in = spec.inputs(), out = spec.outputs();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] z = forward(spec, w, slice(x, i * in, in), sel, record);
            double[] t = slice(y, i * out, out);
            if (spec.loss() == Loss.MSE) {
                for (int j = 0; j < out; j++) {
                    double e = z[j] - t[j];
                    total += 0.5 * e * e;
                }
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) max = Math.max(max, v);
                double sum = 0;
                for (double v : z) sum += Math.exp(v - max);
                double lse = max + Math.log(sum);
                for (int j = 0; j < out; j++) total -= t[j] * (z[j] - lse);
            }
        }
        return total / n;
    }

    /** Central finite-difference gradient of the (free or replayed-selection) loss, step h. */
    public static double[] fdGradient(ModelSpec spec, double[] w, double[] x, double[] y, int n, Selection sel, double h) {
        double[] g = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            double[] plus = w.clone(), minus = w.clone();
            plus[k] += h;
            minus[k] -= h;
            g[k] = (loss(spec, plus, x, y, n, sel, false) - loss(spec, minus, x, y, n, sel, false)) / (2 * h);
        }
        return g;
    }

    /** The logits (or regression outputs) of one sample. */
    public static double[] forward(ModelSpec spec, double[] w, double[] sample, Selection sel, boolean record) {
        int h = spec.inputShape().h(), wd = spec.inputShape().w(), ch = spec.inputShape().c();
        double[] a = sample.clone();
        int off = 0;
        for (Layer s : spec.stages()) {
            if (s instanceof Layer.Conv c) {
                int k = c.kernel(), f = c.filters();
                int p = c.padding() == ConvShape.Padding.SAME ? (k - 1) / 2 : 0;
                int oh = h + 2 * p - k + 1, ow = wd + 2 * p - k + 1;
                int fan = k * k * ch;
                int bOff = off + f * fan;
                double[] z = new double[oh * ow * f];
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int fi = 0; fi < f; fi++) {
                            double sum = spec.bias() ? w[bOff + fi] : 0;
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy + ky - p, ix = ox + kx - p;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    for (int ci = 0; ci < ch; ci++) {
                                        sum += w[off + fi * fan + (ky * k + kx) * ch + ci] * a[(iy * wd + ix) * ch + ci];
                                    }
                                }
                            }
                            z[(oy * ow + ox) * f + fi] = act(c.activation(), sum);
                        }
                    }
                }
                off = bOff + (spec.bias() ? f : 0);
                a = z;
                h = oh;
                wd = ow;
                ch = f;
            } else if (s instanceof Layer.Dense d) {
                int in = h * wd * ch, u = d.units();
                int bOff = off + u * in;
                double[] z = new double[u];
                for (int ui = 0; ui < u; ui++) {
                    double sum = spec.bias() ? w[bOff + ui] : 0;
                    for (int j = 0; j < in; j++) sum += w[off + ui * in + j] * a[j];
                    z[ui] = act(d.activation(), sum);
                }
                off = bOff + (spec.bias() ? u : 0);
                a = z;
                h = 1;
                wd = 1;
                ch = u;
            } else {
                boolean max = ((Layer.Pool) s).op() == PoolShape.Pooling.MAX;
                int oh = h / 2, ow = wd / 2;
                double[] z = new double[oh * ow * ch];
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int ci = 0; ci < ch; ci++) {
                            double[] win = new double[4];
                            for (int e = 0; e < 4; e++) {
                                win[e] = a[((2 * oy + e / 2) * wd + 2 * ox + e % 2) * ch + ci];
                            }
                            double v;
                            if (!max) {
                                v = (win[0] + win[1] + win[2] + win[3]) / 4;
                            } else {
                                int best = 0;
                                for (int e = 1; e < 4; e++) if (win[e] > win[best]) best = e;
                                if (sel != null && !record) best = sel.choices.get(sel.next++);
                                else if (sel != null) sel.choices.add(best);
                                v = win[best];
                            }
                            z[(oy * ow + ox) * ch + ci] = v;
                        }
                    }
                }
                a = z;
                h = oh;
                wd = ow;
            }
        }
        if (off != w.length) throw new IllegalStateException("used " + off + " of " + w.length + " parameters");
        return a;
    }

    static double act(Activation f, double z) {
        return switch (f) {
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case RELU -> z > 0 ? z : 0;
            case IDENTITY -> z;
        };
    }

    private static double[] slice(double[] v, int from, int len) {
        double[] out = new double[len];
        System.arraycopy(v, from, out, 0, len);
        return out;
    }
}
