package org.gdchaos.nn;

import org.gdchaos.data.Shape;
import org.gdchaos.Setting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.PoolShape;

/**
 * The text form of a network, {@code --arch}: comma-separated tokens, input first to output last,
 * <pre>
 *   input:28x28x1                      the sample shape H×W×C (optional, first; input:F = a flat vector)
 *   conv:8@3x3   conv:8@5x5:same       C_out filters of k×k, stride 1, valid (default) or same padding
 *   avgpool:2    maxpool:2             2×2 stride-2 pooling (":2" may be left out)
 *   dense:10                           fully connected (flattens its input, NHWC order)
 *   flatten                            accepted and ignored: dense layers flatten
 *   tanh | sigmoid | relu | linear     activation of the conv or dense layer just before it
 * </pre>
 * e.g. {@code conv:8@3x3,tanh,avgpool:2,conv:16@3x3,tanh,avgpool:2,dense:10}. A conv or dense
 * layer without an activation token is linear; the last layer is a dense layer without activation
 * (its outputs are the logits or regression outputs). Shapes are checked by {@link ModelSpec}.
 * Errors are {@link InputException}s of the setting {@code model.network.arch} naming the token.
 */
public final class ArchSyntax {
    /** The setting the errors name. */
    private static final String KEY = Setting.ARCH.key();
    /** The tokens, for help and error texts. */
    public static final String FORMS = "input:HxWxC, conv:F@KxK[:same], avgpool:2, maxpool:2, dense:N, flatten, "
            + "tanh|sigmoid|relu|linear";

    private ArchSyntax() {
    }

    /** A parsed {@code --arch}: the input shape written in it (null when none) and the stages. */
    public record Parsed(Shape input, List<Layer> stages) {
        public Parsed {
            stages = List.copyOf(stages);
        }
    }

    /**
     * Parses the text form.
     *
     * @throws InputException naming the token that cannot be read, with the accepted forms
     */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) throw new InputException(KEY, "the architecture is empty (tokens: " + FORMS + ")");
        String[] tokens = text.split(",");
        Shape input = null;
        List<Layer> stages = new ArrayList<>();
        boolean activationSet = false; // whether the last conv/dense already has its activation token
        for (int i = 0; i < tokens.length; i++) {
            String raw = tokens[i].trim();
            String tok = raw.toLowerCase(Locale.ROOT);
            String where = "token " + (i + 1) + " '" + raw + "'";
            try {
                if (tok.startsWith("input:")) {
                    if (i != 0) throw new InputException(KEY, where + ": the input shape must come first");
                    input = parseShape(tok.substring(6), where);
                } else if (tok.startsWith("conv:")) {
                    stages.add(parseConv(tok.substring(5), where));
                    activationSet = false;
                } else if (tok.startsWith("dense:")) {
                    stages.add(new Layer.Dense(parseInt(tok.substring(6), where, "units"), Activation.IDENTITY));
                    activationSet = false;
                } else if (tok.startsWith("avgpool") || tok.startsWith("maxpool")) {
                    String size = tok.substring(7);
                    if (!size.isEmpty() && !size.equals(":2") && !size.equals(":2x2")) {
                        throw new InputException(KEY, where + ": only 2×2 stride-2 pooling is supported (avgpool:2, maxpool:2)");
                    }
                    stages.add(new Layer.Pool(tok.startsWith("avg") ? PoolShape.Pooling.AVG : PoolShape.Pooling.MAX));
                } else if (tok.equals("flatten")) {
                    continue;
                } else if (isActivation(tok)) {
                    Activation f = Activation.parse(tok);
                    Layer last = stages.isEmpty() ? null : stages.get(stages.size() - 1);
                    if (last == null || !last.hasWeights()) {
                        throw new InputException(KEY, where + ": an activation must follow a conv or dense layer"
                                + (last == null ? "" : " (put it before the pooling)"));
                    }
                    if (activationSet) throw new InputException(KEY, where + ": the layer before already has an activation");
                    stages.set(stages.size() - 1, withActivation(last, f));
                    activationSet = true;
                } else {
                    throw new InputException(KEY, where + " is not a layer (use " + FORMS + ")");
                }
            } catch (IllegalArgumentException e) {
                if (e instanceof InputException) throw e;
                throw new InputException(KEY, where + ": " + e.getMessage());
            }
        }
        if (stages.isEmpty()) throw new InputException(KEY, "the architecture has no layers (tokens: " + FORMS + ")");
        return new Parsed(input, stages);
    }

    /** The text form of stages after an input shape (which is written when not null). */
    public static String format(Shape input, List<Layer> stages) {
        StringBuilder sb = new StringBuilder();
        if (input != null) sb.append("input:").append(input);
        for (Layer l : stages) sb.append(sb.length() == 0 ? "" : ",").append(l.token());
        return sb.toString();
    }

    static String activationToken(Activation f) {
        return f == Activation.IDENTITY ? "" : "," + f.label();
    }

    private static boolean isActivation(String tok) {
        return switch (tok) {
            case "tanh", "sigmoid", "relu", "linear", "identity" -> true;
            default -> false;
        };
    }

    private static Layer withActivation(Layer l, Activation f) {
        if (l instanceof Layer.Dense d) return new Layer.Dense(d.units(), f);
        Layer.Conv c = (Layer.Conv) l;
        return new Layer.Conv(c.filters(), c.kernel(), c.padding(), f);
    }

    private static Layer.Conv parseConv(String s, String where) {
        int at = s.indexOf('@');
        if (at < 0) throw new InputException(KEY, where + ": write a convolution as conv:FILTERS@KxK, e.g. conv:8@3x3");
        int filters = parseInt(s.substring(0, at), where, "number of filters");
        String rest = s.substring(at + 1);
        ConvShape.Padding padding = ConvShape.Padding.VALID;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            String p = rest.substring(colon + 1);
            padding = switch (p) {
                case "same" -> ConvShape.Padding.SAME;
                case "valid" -> ConvShape.Padding.VALID;
                default -> throw new InputException(KEY, where + ": padding '" + p + "' is neither same nor valid");
            };
            rest = rest.substring(0, colon);
        }
        String[] k = rest.split("x", -1);
        if (k.length != 2) {
            throw new InputException(KEY, where + ": write the kernel as KxK, e.g. conv:" + s.substring(0, at) + "@3x3");
        }
        int kh = parseInt(k[0], where, "kernel size");
        if (parseInt(k[1], where, "kernel size") != kh) {
            throw new InputException(KEY, where + ": only square kernels (KxK) are supported");
        }
        return new Layer.Conv(filters, kh, padding, Activation.IDENTITY);
    }

    private static Shape parseShape(String s, String where) {
        String[] p = s.split("x");
        if (p.length == 1) return Shape.flat(parseInt(p[0], where, "features"));
        if (p.length != 3) throw new InputException(KEY, where + ": write the input shape as HxWxC, e.g. input:28x28x1");
        return new Shape(parseInt(p[0], where, "height"), parseInt(p[1], where, "width"), parseInt(p[2], where, "channels"));
    }

    private static int parseInt(String s, String where, String what) {
        try {
            // ASCII digits only: Integer.parseInt also reads other scripts' digits (full-width ８), which a
            // terminal without UTF-8 shows as ??? and run.json would record as typed
            if (!s.trim().matches("[+-]?[0-9]+")) throw new NumberFormatException(s);
            int v = Integer.parseInt(s.trim());
            if (v < 1) throw new InputException(KEY, where + ": the " + what + " must be positive, got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(KEY, where + ": the " + what + " '" + s + "' is not a whole number (digits 0-9)");
        }
    }
}
