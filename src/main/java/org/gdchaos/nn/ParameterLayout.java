package org.gdchaos.nn;

/**
 * Where each layer's parameters sit in a trajectory's flat parameter vector of length
 * {@link #size()}: layer by layer, the weights W_l (row-major, out × in) then the bias b_l.
 * This is also the order of {@code --init values:…}.
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
            off += (long) spec.width(l) * spec.width(l - 1);
            biasOffset[l] = off;
            if (spec.bias()) off += spec.width(l);
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

    /** Elements of W_l. */
    public long weightCount(int l) {
        return (long) spec.width(l) * spec.width(l - 1);
    }

    /** Whether parameter index k is a weight (not a bias). */
    public boolean isWeight(long k) {
        for (int l = 1; l <= spec.layers(); l++) {
            if (k >= weightOffset[l] && k < weightOffset[l] + weightCount(l)) return true;
        }
        return false;
    }
}
