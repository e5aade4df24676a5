package org.gdchaos.backend;

import org.gdchaos.Setting;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.gdchaos.InputException;

/**
 * The optimizer every trajectory follows (docs/science.md#optimizers), with its hyperparameters.
 * With the gradient g = ∇L(w) (plus the weight-decay term) and the learning rate η of a
 * trajectory, one step maps the state:
 * <ul>
 *   <li>GD: {@code w ← w − η·g} (state w).</li>
 *   <li>MOMENTUM (heavy ball, Polyak): {@code v ← β·v − η·g;  w ← w + v} (state (w, v), v₀ = 0).</li>
 *   <li>NESTEROV: {@code v ← β·v − η·g;  w ← w + β·v − η·g} with the new v (state (w, v), v₀ = 0):
 *       Nesterov's look-ahead written at the current point, as Sutskever et al. (2013) and
 *       PyTorch do; the same map as the gradient taken at {@code w + β·v} up to a change of
 *       variables.</li>
 *   <li>ADAM (Kingma &amp; Ba 2015): {@code m ← β1·m + (1 − β1)·g;  s ← β2·s + (1 − β2)·g²;
 *       w ← w − η·(c1·m)/(√(c2·s) + ε)} with {@code c1 = 1/(1 − β1^t)}, {@code c2 = 1/(1 − β2^t)}
 *       at step t = 1, 2, … (state (w, m, s), m₀ = s₀ = 0).</li>
 * </ul>
 * The numeric {@link Kind#code() codes} of the non-GD kinds are shared with the device kernels.
 * In run.json and on the command line an optimizer is written as {@link #label()}:
 * {@code gd}, {@code momentum:β}, {@code nesterov:β}, {@code adam:β1,β2,ε}.
 *
 * @param kind    the update rule
 * @param beta1   β (momentum, Nesterov) or β1 (Adam), in [0, 1); 0 for GD
 * @param beta2   β2 of Adam, in (0, 1); 0 otherwise
 * @param epsilon ε of Adam, &gt; 0; 0 otherwise
 */
public record Optimizer(Kind kind, double beta1, double beta2, double epsilon) {
    /** The setting the errors name (the command line maps it to its flag). */
    private static final String SETTING = Setting.OPTIMIZER.key();
    /** Adam's defaults (Kingma &amp; Ba 2015). */
    public static final double ADAM_BETA1 = 0.9, ADAM_BETA2 = 0.999, ADAM_EPSILON = 1e-8;
    /** The momentum coefficient when {@code momentum} or {@code nesterov} is given without one. */
    public static final double DEFAULT_BETA = 0.9;
    /** Plain gradient descent. */
    public static final Optimizer GD = new Optimizer(Kind.GD, 0, 0, 0);

    /** The update rules. */
    public enum Kind {
        GD(-1), MOMENTUM(0), NESTEROV(1), ADAM(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** Kernel code (−1 for GD, which runs through {@link Backend#update}). */
        public int code() {
            return code;
        }

        /** State vectors besides w: 0 (GD), 1 (v), 2 (m, s). */
        public int stateVectors() {
            return this == GD ? 0 : this == ADAM ? 2 : 1;
        }
    }

    /** Checks the ranges: β ∈ [0, 1), β2 ∈ (0, 1), ε &gt; 0 (one-line {@link InputException}s). */
    public Optimizer {
        if (kind == null) throw new InputException(SETTING, "the optimizer is missing");
        String name = kind.name().toLowerCase(Locale.ROOT);
        switch (kind) {
            case GD -> {
                beta1 = 0;
                beta2 = 0;
                epsilon = 0;
            }
            case MOMENTUM, NESTEROV -> {
                if (!(beta1 >= 0 && beta1 < 1)) {
                    throw new InputException(SETTING, "the " + name + " coefficient β must be in [0, 1), got " + beta1);
                }
                beta2 = 0;
                epsilon = 0;
            }
            case ADAM -> {
                if (!(beta1 >= 0 && beta1 < 1)) {
                    throw new InputException(SETTING, "Adam's β1 must be in [0, 1), got " + beta1);
                }
                if (!(beta2 > 0 && beta2 < 1)) {
                    throw new InputException(SETTING, "Adam's β2 must be in (0, 1), got " + beta2);
                }
                if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
                    throw new InputException(SETTING, "Adam's ε must be a finite number > 0, got " + epsilon);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    public static Optimizer momentum(double beta) {
        return new Optimizer(Kind.MOMENTUM, beta, 0, 0);
    }

    public static Optimizer nesterov(double beta) {
        return new Optimizer(Kind.NESTEROV, beta, 0, 0);
    }

    public static Optimizer adam(double beta1, double beta2, double epsilon) {
        return new Optimizer(Kind.ADAM, beta1, beta2, epsilon);
    }

    /**
     * This optimizer with β (momentum, Nesterov) or β1 (Adam) set to {@code beta}: the value of the
     * momentum axis ({@code --momentum}); GD becomes heavy ball with that β.
     *
     * @throws InputException for β outside [0, 1)
     */
    public Optimizer withMomentum(double beta) {
        return switch (kind) {
            case GD, MOMENTUM -> momentum(beta);
            case NESTEROV -> nesterov(beta);
            case ADAM -> adam(beta, beta2, epsilon);
        };
    }

    /** Whether this is plain GD (no optimizer state). */
    public boolean isGd() {
        return kind == Kind.GD;
    }

    /** Adam's first bias correction {@code c1 = 1/(1 − β1^t)} at step t ≥ 1 (1 for other kinds). */
    public double c1(long t) {
        return kind == Kind.ADAM ? 1 / (1 - Math.pow(beta1, t)) : 1;
    }

    /** Adam's second bias correction {@code c2 = 1/(1 − β2^t)} at step t ≥ 1 (1 for other kinds). */
    public double c2(long t) {
        return kind == Kind.ADAM ? 1 / (1 - Math.pow(beta2, t)) : 1;
    }

    /**
     * The sharpness threshold beyond which the quadratic model of the loss is unstable under this
     * optimizer at learning rate η (docs/science.md#optimizer-thresholds): GD {@code 2/η}; heavy
     * ball {@code (2 + 2β)/η}; Nesterov {@code (2 + 2β)/((1 + 2β)·η)}; Adam, for the
     * preconditioned sharpness, {@code (2 + 2β1)/((1 − β1)·η)} (Cohen et al. 2022).
     */
    public double threshold(double eta) {
        return switch (kind) {
            case GD -> 2 / eta;
            case MOMENTUM -> (2 + 2 * beta1) / eta;
            case NESTEROV -> (2 + 2 * beta1) / ((1 + 2 * beta1) * eta);
            case ADAM -> (2 + 2 * beta1) / ((1 - beta1) * eta);
        };
    }

    /** As {@code --optimizer} takes it: {@code gd}, {@code momentum:0.9}, {@code adam:0.9,0.999,1e-08}. */
    @JsonValue
    public String label() {
        return switch (kind) {
            case GD -> "gd";
            case MOMENTUM -> "momentum:" + beta1;
            case NESTEROV -> "nesterov:" + beta1;
            case ADAM -> "adam:" + beta1 + "," + beta2 + "," + epsilon;
        };
    }

    @Override
    public String toString() {
        return label();
    }

    /**
     * Parses {@code gd | momentum[:β] | nesterov[:β] | adam[:β1[,β2[,ε]]]} (any case; missing
     * values take their defaults: β {@value #DEFAULT_BETA}, Adam 0.9, 0.999, 1e-8).
     *
     * @throws InputException for an unknown name, a malformed number or a value out of range
     */
    @JsonCreator
    public static Optimizer parse(String text) {
        if (text == null) throw new InputException(SETTING, "the optimizer is missing");
        String s = text.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon).trim();
        String[] args = colon < 0 ? new String[0] : s.substring(colon + 1).split(",", -1);
        switch (name) {
            case "gd", "sgd" -> {
                if (args.length > 0) throw new InputException(SETTING, "gd takes no parameters, got '" + text + "'");
                return GD;
            }
            case "momentum", "heavy-ball", "nesterov" -> {
                if (args.length > 1) {
                    throw new InputException(SETTING, name + " takes one parameter β (" + name + ":0.9), got '" + text + "'");
                }
                double beta = args.length == 0 ? DEFAULT_BETA : number(args[0], text);
                return name.equals("nesterov") ? nesterov(beta) : momentum(beta);
            }
            case "adam" -> {
                if (args.length > 3) {
                    throw new InputException(SETTING, "adam takes at most three parameters β1,β2,ε (adam:0.9,0.999,1e-8), got '"
                            + text + "'");
                }
                double b1 = args.length > 0 ? number(args[0], text) : ADAM_BETA1;
                double b2 = args.length > 1 ? number(args[1], text) : ADAM_BETA2;
                double eps = args.length > 2 ? number(args[2], text) : ADAM_EPSILON;
                return adam(b1, b2, eps);
            }
            default -> throw new InputException(SETTING, "unknown optimizer '" + text
                    + "': use gd, momentum:β, nesterov:β or adam:β1,β2,ε");
        }
    }

    private static double number(String s, String text) {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(SETTING, "bad optimizer '" + text + "': '" + s.trim() + "' is not a number");
        }
    }
}
