package org.gdchaos.nn;

/**
 * Where each parameterised layer's parameters sit in a trajectory's flat parameter vector of
 * length {@link #size()}: layer by layer (l = 1..L, conv and dense in network order), the weights
 * W_l (row-major, out × fan-in: {@code units × in} for dense, {@code filters × k·k·c_in} for conv)
 * then the bias b_l (one per output unit or channel). This is also the order of
 * {@code --init values:…}.
 */
public final class ParameterLayout {
    private final ModelSpec spec;
    private final long[] weightOffset;
    private final long[] biasOffset;
    private final long size;

    public ParameterLayout(ModelSpec spec) {
        this.spec = spec;
        int layers = spec.layers();
        weightOffset = new long[layers + 1];
        biasOffset = new long[layers + 1];
        long off = 0;
        for (int l = 1; l <= layers; l++) {
            weightOffset[l] = off;
            off += (long) spec.unitsOf(l) * spec.fanIn(l);
            biasOffset[l] = off;
            if (spec.bias()) off += spec.unitsOf(l);
        }
        size = off;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("model has " + size + " parameters; at most "
                    + (Integer.MAX_VALUE - 8) + " are supported");
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Parameters per trajectory, P. */
    public long size() {
        return size;
    }

    /** Offset of W_l (l = 1..L). */
    public long weightOffset(int l) {
        return weightOffset[l];
    }

    /** Offset of b_l (l = 1..L); meaningless when the model has no bias. */
    public long biasOffset(int l) {
        return biasOffset[l];
    }

    /** Elements of W_l: units (or filters) × fan-in. */
    public long weightCount(int l) {
        return (long) spec.unitsOf(l) * spec.fanIn(l);
    }

    /** Whether parameter index k is a weight (not a bias). */
    public boolean isWeight(long k) {
        for (int l = 1; l <= spec.layers(); l++) {
            if (k >= weightOffset[l] && k < weightOffset[l] + weightCount(l)) return true;
        }
        return false;
    }
}
