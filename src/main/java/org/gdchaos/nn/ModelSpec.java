package org.gdchaos.nn;

import org.gdchaos.data.Shape;
import org.gdchaos.Setting;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Loss;

/**
 * A network: an input {@link Shape} and a list of {@link Layer stages} (conv, pool, dense), the
 * last a dense layer without activation whose outputs are the logits (cross-entropy) or the
 * regression outputs (MSE, with the ½). The loss is averaged over samples.
 *
 * <p>A <em>multilayer perceptron</em> ({@link #isMlp()}) is the special case of dense stages only,
 * one hidden activation: {@code widths[0] → widths[1] → … → widths[L]}, layer l computing
 * {@code z_l = h_{l−1}·W_lᵀ + b_l} with W_l of shape widths[l]×widths[l−1] (out × in, as PyTorch's
 * {@code nn.Linear}). It is built by {@link #ModelSpec(int[], Activation, boolean, Loss)} (the
 * {@code --layers} form) and recorded in run.json as {@code widths}, {@code activation}; any other
 * network is recorded as its {@code --arch} text ({@link ArchSyntax}), with its input shape.
 *
 * <p>Parameterised stages (conv and dense) are numbered l = 1..{@link #layers()} in order; their
 * parameters sit in a trajectory's flat vector as {@link ParameterLayout} says.
 */
public final class ModelSpec {
    private final Shape input;
    private final List<Layer> stages;
    private final boolean bias;
    private final Loss loss;
    /** shapes[i] = input of stage i, shapes[stages] = output. */
    private final Shape[] shapes;
    /** Stage index of parameterised layer l (1-based; [0] unused). */
    private final int[] weighted;

    /**
     * A multilayer perceptron {@code widths[0] → … → widths[L]}: hidden layers apply
     * {@code activation}, the last is linear.
     *
     * @param widths     layer widths, input first; at least two entries, all positive
     * @param activation hidden-layer activation
     * @param bias       whether layers have biases
     * @param loss       training loss
     */
    public ModelSpec(int[] widths, Activation activation, boolean bias, Loss loss) {
        this(flatInput(widths), mlpStages(widths, activation), bias, loss, Setting.WIDTHS.key());
    }

    private ModelSpec(Shape input, List<Layer> stages, boolean bias, Loss loss, String key) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(loss, "loss");
        this.input = input;
        this.stages = List.copyOf(stages);
        this.bias = bias;
        this.loss = loss;
        if (this.stages.isEmpty()) throw new InputException(key, "a network needs at least one layer");
        shapes = new Shape[this.stages.size() + 1];
        shapes[0] = input;
        List<Integer> w = new ArrayList<>();
        w.add(-1);
        for (int i = 0; i < this.stages.size(); i++) {
            Layer s = this.stages.get(i);
            try {
                shapes[i + 1] = s.output(shapes[i]);
            } catch (IllegalArgumentException e) {
                throw new InputException(key, "layer " + (i + 1) + " (" + s.token() + ") does not fit its " + shapes[i]
                        + " input: " + e.getMessage());
            }
            if (s.hasWeights()) w.add(i);
        }
        weighted = w.stream().mapToInt(Integer::intValue).toArray();
        checkParameterCount(key);
        Layer last = this.stages.get(this.stages.size() - 1);
        if (!(last instanceof Layer.Dense d) || d.activation() != Activation.IDENTITY) {
            throw new InputException(key, "the last layer (" + last.token() + ") must be a dense layer without "
                    + "activation: its outputs are the logits or regression outputs (end with dense:OUTPUTS)");
        }
        if (loss == Loss.CROSS_ENTROPY && outputs() < 2) {
            throw new InputException(Setting.LOSS.key(), "cross-entropy needs at least 2 outputs; use the mean-squared-error loss for "
                    + "a scalar output");
        }
    }

    /**
     * Any network: input shape and stages, as {@code --arch} gives them.
     *
     * @throws InputException ({@code model.network.arch}) naming the first layer that does not fit its input
     */
    public static ModelSpec of(Shape input, List<Layer> stages, boolean bias, Loss loss) {
        return new ModelSpec(input, stages, bias, loss, Setting.ARCH.key());
    }

    /**
     * A network from its {@code --arch} text; the input shape is the text's {@code input:} token, else
     * {@code defaultInput} (the data's sample shape), flattened when the first layer is dense (a dense
     * layer reads its input flattened, so {@code dense:64,tanh,dense:10} on 28×28×1 images is the MLP
     * 784-64-10, the same network as {@code --layers 784,64,10}).
     *
     * @throws InputException when the text cannot be read, gives no input and there is no default, or a layer does not fit
     */
    public static ModelSpec parse(String arch, Shape defaultInput, boolean bias, Loss loss) {
        ArchSyntax.Parsed p = ArchSyntax.parse(arch);
        Shape in = p.input() != null ? p.input()
                : defaultInput != null && p.stages().get(0) instanceof Layer.Dense ? Shape.flat(defaultInput.size())
                : defaultInput;
        if (in == null) {
            throw new InputException(Setting.ARCH.key(), "the architecture does not say its input shape and the data has none: "
                    + "start it with input:HxWxC");
        }
        return of(in, p.stages(), bias, loss);
    }

    private static Shape flatInput(int[] widths) {
        Objects.requireNonNull(widths, "widths");
        if (widths.length < 2) {
            throw new InputException(Setting.WIDTHS.key(), "a model needs at least an input and an output width, got "
                    + Arrays.toString(widths));
        }
        for (int w : widths) {
            if (w < 1) {
                throw new InputException(Setting.WIDTHS.key(), "layer widths must be positive: " + Arrays.toString(widths));
            }
        }
        return Shape.flat(widths[0]);
    }

    private static List<Layer> mlpStages(int[] widths, Activation activation) {
        Objects.requireNonNull(activation, "activation");
        List<Layer> s = new ArrayList<>();
        for (int l = 1; l < widths.length; l++) {
            s.add(new Layer.Dense(widths[l], l == widths.length - 1 ? Activation.IDENTITY : activation));
        }
        return s;
    }

    /** The paper's MLP: 784 → 64 → 10, tanh, biases, cross-entropy. */
    public static ModelSpec paperMnist() {
        return new ModelSpec(new int[] {784, 64, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY);
    }

    /** Two-layer linear network 1 → d → 1 without biases, MSE with the ½ (docs/science.md#linear-network). */
    public static ModelSpec linear(int d) {
        return new ModelSpec(new int[] {1, d, 1}, Activation.IDENTITY, false, Loss.MSE);
    }

    // ------------------------------------------------------------------ structure

    /** The stages, input to output. */
    public List<Layer> stages() {
        return stages;
    }

    /** Input shape of stage i (0-based); {@code shape(stages().size())} is the output shape. */
    public Shape shape(int i) {
        return shapes[i];
    }

    /** The sample shape the network reads. */
    public Shape inputShape() {
        return input;
    }

    /** Number of parameterised (conv and dense) layers L. */
    public int layers() {
        return weighted.length - 1;
    }

    /** Stage index (0-based) of parameterised layer l (1..L). */
    public int stageOf(int l) {
        return weighted[l];
    }

    /** Parameterised layer l (1..L). */
    public Layer layer(int l) {
        return stages.get(weighted[l]);
    }

    /** Values per sample read by the network (its input shape's size). */
    public int inputs() {
        return input.size();
    }

    /** Outputs of the last layer. */
    public int outputs() {
        return shapes[shapes.length - 1].size();
    }

    public boolean bias() {
        return bias;
    }

    public Loss loss() {
        return loss;
    }

    /** Whether the network is a multilayer perceptron: flat input, dense layers, one hidden activation. */
    public boolean isMlp() {
        if (!input.isFlat()) return false;
        Activation hidden = null;
        for (int i = 0; i < stages.size(); i++) {
            if (!(stages.get(i) instanceof Layer.Dense d)) return false;
            if (i < stages.size() - 1) {
                if (hidden != null && hidden != d.activation()) return false;
                hidden = d.activation();
            }
        }
        return true;
    }

    /** Whether the network has a convolution or pooling stage. */
    public boolean isConvolutional() {
        return stages.stream().anyMatch(s -> !(s instanceof Layer.Dense));
    }

    // ------------------------------------------------------------------ the MLP view

    /** Layer widths of an MLP, input first; throws for other networks. */
    public int[] widths() {
        requireMlp("widths");
        int[] w = new int[stages.size() + 1];
        for (int i = 0; i < w.length; i++) w[i] = shapes[i].size();
        return w;
    }

    /** Width of an MLP's layer l (0 = input); throws for other networks. */
    public int width(int l) {
        requireMlp("width");
        return shapes[l].size();
    }

    /** Largest layer width of an MLP. */
    public int maxWidth() {
        return Arrays.stream(widths()).max().orElseThrow();
    }

    /**
     * The hidden activation of an MLP (identity when it has no hidden layer); for other networks
     * the activation of the first parameterised layer.
     */
    public Activation activation() {
        return stages.size() > 1 || !isMlp() ? layer(1).activation() : Activation.IDENTITY;
    }

    /** Activation applied after parameterised layer l (1-based); identity on the last layer. */
    public Activation activationOf(int l) {
        return layer(l).activation();
    }

    private void requireMlp(String what) {
        if (!isMlp()) throw new IllegalStateException(what + " of a network that is not an MLP: " + this);
    }

    /**
     * Floating-point operations of one full-batch GD step per sample: for each conv or dense layer
     * with m multiply-adds per sample, forward 2m, backward 4m (weight gradient and input
     * gradient; the first layer needs no input gradient, 2m), plus O(outputs) element-wise work.
     * For 784-64-10: ≈ 2.05e5 (docs/science.md#flops).
     */
    public double flopsPerSample() {
        double f = 0;
        for (int l = 1; l <= layers(); l++) {
            int i = stageOf(l);
            double mn = (double) shapes[i + 1].size() * fanIn(l);
            f += 2 * mn + 2 * mn + (l > 1 ? 2 * mn : 0) + 6.0 * shapes[i + 1].size();
        }
        return f;
    }

    /** Most parameters a trajectory may have: a buffer holds at most this many elements. */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8L;

    /**
     * Refuses a network with more than {@link #MAX_PARAMETERS} parameters, counted without overflow
     * (P = Σ_l units_l·(fan-in_l + bias), fan-in = k·k·c_in for a convolution, in floating point so that
     * a kernel of 2³¹−1 cannot wrap around to a small or negative count).
     */
    private void checkParameterCount(String key) {
        double p = 0;
        for (int i = 0; i < stages.size(); i++) {
            Layer s = stages.get(i);
            if (!s.hasWeights()) continue;
            double units = s instanceof Layer.Conv c ? c.filters() : ((Layer.Dense) s).units();
            double fanIn = s instanceof Layer.Conv c ? (double) c.kernel() * c.kernel() * shapes[i].c() : shapes[i].size();
            p += units * (fanIn + (bias ? 1 : 0));
        }
        if (p > MAX_PARAMETERS) {
            throw new InputException(key, String.format(java.util.Locale.ROOT, "the network has %.4g parameters; at most "
                    + "%d (2^31 - 9) are supported per trajectory (use fewer units, filters or a smaller kernel)", p,
                    MAX_PARAMETERS));
        }
    }

    /** Inputs to one output unit of layer l: in (dense) or k·k·c_in (conv). */
    public int fanIn(int l) {
        Layer s = layer(l);
        Shape in = shapes[stageOf(l)];
        return s instanceof Layer.Conv c ? c.kernel() * c.kernel() * in.c() : in.size();
    }

    /** Outputs one input unit of layer l feeds: units (dense) or k·k·c_out (conv, as PyTorch counts it). */
    public int fanOut(int l) {
        Layer s = layer(l);
        return s instanceof Layer.Conv c ? c.kernel() * c.kernel() * c.filters() : ((Layer.Dense) s).units();
    }

    /** Output channels (conv) or units (dense) of layer l: the rows of W_l and the length of b_l. */
    public int unitsOf(int l) {
        Layer s = layer(l);
        return s instanceof Layer.Conv c ? c.filters() : ((Layer.Dense) s).units();
    }

    /** The {@code --arch} text of this network, input shape first. */
    public String arch() {
        return ArchSyntax.format(input, stages);
    }

    // ------------------------------------------------------------------ run.json

    /** run.json's form: an MLP as {@code widths, activation, bias, loss}; any other network as {@code arch, bias, loss}. */
    @JsonValue
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (isMlp()) {
            m.put("widths", widths());
            m.put("activation", activation());
        } else {
            m.put("arch", arch());
        }
        m.put("bias", bias);
        m.put("loss", loss);
        return m;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ModelSpec fromJson(JsonNode n) {
        if (n == null || !n.isObject()) throw new InputException(Setting.NETWORK.key(), "cannot read the network " + n);
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("widths", "activation", "arch", "bias", "loss").contains(f)) {
                throw new InputException(Setting.NETWORK.key() + "." + f, "the network setting '" + f + "' is not known to this version");
            }
        }
        JsonNode b = n.get("bias"), l = n.get("loss");
        if (b == null || l == null) throw new InputException(Setting.NETWORK.key(), "the network lacks " + (b == null ? "bias" : "loss"));
        Loss loss = Loss.parse(l.asText());
        if (n.has("arch")) return parse(n.get("arch").asText(), null, b.asBoolean(), loss);
        JsonNode w = n.get("widths"), a = n.get("activation");
        if (w == null || !w.isArray() || a == null) {
            throw new InputException(Setting.NETWORK.key(), "the network has neither arch nor widths and activation");
        }
        int[] widths = new int[w.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = w.get(i).asInt();
        return new ModelSpec(widths, Activation.parse(a.asText()), b.asBoolean(), loss);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && input.equals(m.input) && stages.equals(m.stages) && bias == m.bias
                && loss == m.loss;
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, stages, bias, loss);
    }

    /** {@code 784-64-10 tanh ce} for an MLP; the {@code --arch} text then the loss otherwise. */
    @Override
    public String toString() {
        String suffix = (bias ? "" : " no-bias") + " " + (loss == Loss.MSE ? "mse" : "ce");
        if (!isMlp()) return arch() + suffix;
        int[] w = widths();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) sb.append(i == 0 ? "" : "-").append(w[i]);
        return sb + " " + activation().name().toLowerCase() + suffix;
    }
}
