package org.gdchaos.train;

import java.util.SplittableRandom;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.CellSeeds;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;

/** Small convolutional networks and data for the CNN tests of every package. */
public final class CnnCases {
    private CnnCases() {
    }

    /**
     * Architectures (with bias, loss) covering valid and same padding, k = 1, 2, 3, 5, one and
     * several channels, average and max pooling (also on odd sizes, last row/column dropped),
     * pooling first, conv → dense, conv → conv, conv after pooling, tanh/sigmoid/relu/linear.
     */
    public static final String[][] ARCHS = {
            {"input:7x7x2,conv:3@3x3:same,tanh,avgpool:2,conv:4@2x2,sigmoid,maxpool:2,dense:5,relu,dense:3", "true", "ce"},
            {"input:6x5x1,maxpool:2,conv:2@2x2,tanh,dense:3", "false", "mse"},
            {"input:5x5x2,conv:3@3x3,linear,dense:2", "true", "ce"},
            {"input:9x9x1,conv:2@5x5:same,relu,conv:3@1x1,tanh,maxpool:2,dense:2", "false", "mse"},
            {"input:8x8x3,conv:2@5x5,sigmoid,avgpool:2,dense:4,tanh,dense:3", "true", "mse"},
            {"input:7x6x2,conv:4@1x1,tanh,conv:2@3x3,relu,avgpool:2,dense:2", "true", "ce"},
            {"input:4x4x1,conv:2@3x3:same,maxpool:2,conv:2@2x2,sigmoid,dense:3", "false", "ce"},
    };

    /** The architectures as specs (for parameterised tests here and in other packages). */
    public static ModelSpec[] specs() {
        ModelSpec[] out = new ModelSpec[ARCHS.length];
        for (int i = 0; i < ARCHS.length; i++) {
            out[i] = ModelSpec.parse(ARCHS[i][0], null, Boolean.parseBoolean(ARCHS[i][1]), Loss.parse(ARCHS[i][2]));
        }
        return out;
    }

    /** n samples: inputs uniform(−1, 1); one-hot targets for cross-entropy, uniform(−1, 1) for MSE. */
    public static double[][] data(ModelSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * spec.inputs()];
        double[] y = new double[n * spec.outputs()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        if (spec.loss() == Loss.CROSS_ENTROPY) {
            for (int i = 0; i < n; i++) y[i * spec.outputs() + r.nextInt(spec.outputs())] = 1;
        } else {
            for (int i = 0; i < y.length; i++) y[i] = r.nextDouble(-1, 1);
        }
        return new double[][] {x, y};
    }

    public static DeviceData upload(Backend b, DType dt, ModelSpec spec, double[][] xy) {
        return DeviceData.upload(b, dt, xy[0], xy[1], xy[0].length / spec.inputs(), spec.inputs(), spec.outputs());
    }

    /** Parameters of trajectory i drawn N(0, std²) from the sweep's seed streams. */
    public static double[] init(ModelSpec spec, long seed, int i, double std) {
        return InitSpec.normal(std).draw(new ParameterLayout(spec), CellSeeds.stream(seed, CellSeeds.INIT, i, 0));
    }
}
