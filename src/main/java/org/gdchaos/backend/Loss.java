package org.gdchaos.backend;

import org.gdchaos.Setting;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.gdchaos.InputException;

/**
 * Per-sample loss of an output row z (length c) against a target row y:
 * <ul>
 *   <li>CROSS_ENTROPY: ℓ = −Σ_j y_j·log softmax(z)_j, gradient ∂ℓ/∂z_j = softmax(z)_j·Σ_k y_k − y_j
 *       (with one-hot y: softmax(z) − y). Computed with the max-shift for stability.</li>
 *   <li>MSE: ℓ = ½·Σ_j (z_j − y_j)², gradient z − y. With scale 1/N the mean loss is
 *       (1/2N)·Σ_i ‖f(x_i) − y_i‖².</li>
 * </ul>
 * The numeric codes are shared with the device kernels.
 */
public enum Loss {
    CROSS_ENTROPY(0), MSE(1);

    private final int code;

    Loss(int code) { this.code = code; }

    public int code() { return code; }

    /** The name {@code --loss} takes: {@code ce} or {@code mse} (also in run.json). */
    @JsonValue
    public String label() {
        return this == CROSS_ENTROPY ? "ce" : "mse";
    }

    /**
     * Parses {@code ce|cross-entropy|mse}, in any case; also the constant names that run.json of
     * earlier versions holds ({@code CROSS_ENTROPY}).
     */
    @JsonCreator
    public static Loss parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "ce": case "cross-entropy": case "crossentropy": case "cross_entropy": return CROSS_ENTROPY;
            case "mse": return MSE;
            default: throw new InputException(Setting.LOSS.key(), "unknown loss '" + s + "' (use ce or mse)");
        }
    }
}
