package org.gdchaos.backend;

import org.gdchaos.Setting;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.gdchaos.InputException;

/**
 * Element-wise activation {@code h = f(z)}. Derivatives are expressed through the output h,
 * so the backward pass needs only the stored activations:
 * <ul>
 *   <li>TANH: f = tanh z, f' = 1 − h², f'' = −2h(1 − h²)</li>
 *   <li>SIGMOID: f = 1/(1+e^−z), f' = h(1 − h), f'' = h(1 − h)(1 − 2h)</li>
 *   <li>RELU: f = max(z, 0), f' = [h &gt; 0], f'' = 0</li>
 *   <li>IDENTITY: f = z, f' = 1, f'' = 0</li>
 * </ul>
 * The numeric codes are shared with the device kernels ({@code kernels/}).
 */
public enum Activation {
    TANH(0), SIGMOID(1), RELU(2), IDENTITY(3);

    private final int code;

    Activation(int code) { this.code = code; }

    /** Code passed to device kernels. */
    public int code() { return code; }

    /** f(z). */
    public double apply(double z) {
        switch (this) {
            case TANH: return Math.tanh(z);
            case SIGMOID: return 1.0 / (1.0 + Math.exp(-z));
            case RELU: return z > 0 ? z : 0.0;
            default: return z;
        }
    }

    /** f'(z) written in terms of h = f(z). */
    public double derivativeFromOutput(double h) {
        switch (this) {
            case TANH: return 1.0 - h * h;
            case SIGMOID: return h * (1.0 - h);
            case RELU: return h > 0 ? 1.0 : 0.0;
            default: return 1.0;
        }
    }

    /** f''(z) written in terms of h = f(z). */
    public double secondDerivativeFromOutput(double h) {
        switch (this) {
            case TANH: return -2.0 * h * (1.0 - h * h);
            case SIGMOID: return h * (1.0 - h) * (1.0 - 2.0 * h);
            default: return 0.0;
        }
    }

    /** The name {@code --activation} takes: {@code tanh}, {@code sigmoid}, {@code relu}, {@code linear} (also in run.json). */
    @JsonValue
    public String label() {
        return this == IDENTITY ? "linear" : name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code tanh|sigmoid|relu|linear|identity}, in any case (run.json of earlier versions has {@code TANH}). */
    @JsonCreator
    public static Activation parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "tanh": return TANH;
            case "sigmoid": return SIGMOID;
            case "relu": return RELU;
            case "linear": case "identity": case "none": return IDENTITY;
            default: throw new InputException(Setting.ACTIVATION.key(), "unknown activation '" + s
                    + "' (use tanh, sigmoid, relu or linear)");
        }
    }
}
