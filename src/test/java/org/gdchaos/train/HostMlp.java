package org.gdchaos.train;

import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;

/** An independent, plain host implementation of the MLP loss (one trajectory), for oracles. */
final class HostMlp {
    private HostMlp() {
    }

    /** Mean loss of parameters w on data (x, y). */
    static double loss(ModelSpec spec, double[] w, TinyData d) {
        ParameterLayout lay = new ParameterLayout(spec);
        double total = 0;
        for (int i = 0; i < d.n; i++) {
            double[] h = new double[spec.inputs()];
            System.arraycopy(d.x, i * d.features, h, 0, d.features);
            for (int l = 1; l <= spec.layers(); l++) {
                int in = spec.width(l - 1), out = spec.width(l);
                double[] z = new double[out];
                for (int o = 0; o < out; o++) {
                    double s = spec.bias() ? w[(int) lay.biasOffset(l) + o] : 0;
                    for (int k = 0; k < in; k++) s += w[(int) lay.weightOffset(l) + o * in + k] * h[k];
                    z[o] = spec.activationOf(l).apply(s);
                }
                h = z;
            }
            int c = spec.outputs();
            if (spec.loss() == Loss.MSE) {
                for (int j = 0; j < c; j++) {
                    double e = h[j] - d.y[i * c + j];
                    total += 0.5 * e * e;
                }
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : h) max = Math.max(max, v);
                double sum = 0;
                for (double v : h) sum += Math.exp(v - max);
                double lse = max + Math.log(sum);
                for (int j = 0; j < c; j++) total -= d.y[i * c + j] * (h[j] - lse);
            }
        }
        return total / d.n;
    }
}
