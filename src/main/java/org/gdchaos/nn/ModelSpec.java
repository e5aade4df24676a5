package org.gdchaos.nn;

import org.gdchaos.InputException;
import java.util.Arrays;
import java.util.Objects;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Loss;

/**
 * A fully connected network {@code widths[0] → widths[1] → … → widths[L]}. Layer l (1-based)
 * computes {@code z_l = h_{l−1}·W_lᵀ + b_l} with {@code W_l} of shape widths[l]×widths[l−1]
 * (out × in, as PyTorch's {@code nn.Linear}); hidden layers apply {@code activation}, the last
 * layer is linear (logits or regression outputs). The loss is averaged over samples.
 *
 * @param widths     layer widths, input first; at least two entries, all positive
 * @param activation hidden-layer activation
 * @param bias       whether layers have biases
 * @param loss       training loss
 */
public record ModelSpec(int[] widths, Activation activation, boolean bias, Loss loss) {
    public ModelSpec {
        Objects.requireNonNull(widths, "widths");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(loss, "loss");
        if (widths.length < 2) {
            throw new InputException("model.network.widths", "a model needs at least an input and an output width, got "
                    + Arrays.toString(widths));
        }
        for (int w : widths) {
            if (w < 1) {
                throw new InputException("model.network.widths", "layer widths must be positive: " + Arrays.toString(widths));
            }
        }
        if (loss == Loss.CROSS_ENTROPY && widths[widths.length - 1] < 2) {
            throw new InputException("model.network.loss", "cross-entropy needs at least 2 outputs; use the mean-squared-error loss for "
                    + "a scalar output");
        }
        widths = widths.clone();
    }

    /** The paper's MLP: 784 → 64 → 10, tanh, biases, cross-entropy. */
    public static ModelSpec paperMnist() {
        return new ModelSpec(new int[] {784, 64, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY);
    }

    /** Two-layer linear network 1 → d → 1 without biases, MSE with the ½ (docs/science.md#linear-network). */
    public static ModelSpec linear(int d) {
        return new ModelSpec(new int[] {1, d, 1}, Activation.IDENTITY, false, Loss.MSE);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** Width of layer l (0 = input). */
    public int width(int l) {
        return widths[l];
    }

    /** Number of weight layers L. */
    public int layers() {
        return widths.length - 1;
    }

    public int inputs() {
        return widths[0];
    }

    public int outputs() {
        return widths[widths.length - 1];
    }

    /** Activation applied after layer l (1-based): hidden activation, identity on the last layer. */
    public Activation activationOf(int l) {
        return l == layers() ? Activation.IDENTITY : activation;
    }

    /** Largest layer width. */
    public int maxWidth() {
        return Arrays.stream(widths).max().orElseThrow();
    }

    /**
     * Floating-point operations of one full-batch GD step per sample: forward 2·Σ w_l·w_{l−1},
     * backward twice that (weight gradient and delta; the first layer needs no delta), plus
     * O(Σ w_l) element-wise work. For 784-64-10: ≈ 2.05e5 (docs/science.md#flops).
     */
    public double flopsPerSample() {
        double f = 0;
        for (int l = 1; l <= layers(); l++) {
            double mn = (double) widths[l] * widths[l - 1];
            f += 2 * mn + 2 * mn + (l > 1 ? 2 * mn : 0) + 6.0 * widths[l];
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && Arrays.equals(widths, m.widths) && activation == m.activation
                && bias == m.bias && loss == m.loss;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(widths), activation, bias, loss);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) sb.append(i == 0 ? "" : "-").append(widths[i]);
        return sb + " " + activation.name().toLowerCase() + (bias ? "" : " no-bias") + " "
                + (loss == Loss.MSE ? "mse" : "ce");
    }
}
