package org.gdchaos.nn;

import org.gdchaos.data.Shape;

import java.util.Locale;
import java.util.Objects;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.PoolShape;

/**
 * One stage of a network ({@link ModelSpec#stages()}), acting on one sample's tensor of
 * {@link Shape} h×w×c in NHWC order (channels last; a flat feature vector is 1×1×F). A
 * {@link Dense} or {@link Conv} stage has parameters (weights, and a bias per output channel when
 * the model has biases) and applies its activation to its output; a {@link Pool} stage has none.
 * The text form of each stage is the token of {@code --arch} ({@link ArchSyntax}).
 */
public sealed interface Layer permits Layer.Dense, Layer.Conv, Layer.Pool {

    /** Output shape for input {@code in}; throws {@link IllegalArgumentException} saying why it does not fit. */
    Shape output(Shape in);

    /** Whether the stage has weights (conv and dense). */
    default boolean hasWeights() {
        return !(this instanceof Pool);
    }

    /** The activation applied to the stage's output (identity for pooling). */
    Activation activation();

    /** The stage as {@code --arch} tokens, e.g. {@code conv:8@3x3,tanh}. */
    String token();

    /**
     * Fully connected: flattens its input (NHWC order) and computes {@code z = h·Wᵀ + b},
     * W of shape units × in (out × in, as PyTorch's {@code nn.Linear}), then {@code f(z)}.
     */
    record Dense(int units, Activation activation) implements Layer {
        public Dense {
            Objects.requireNonNull(activation, "activation");
            if (units < 1) throw new IllegalArgumentException("a dense layer needs at least one unit, got " + units);
        }

        @Override
        public Shape output(Shape in) {
            return Shape.flat(units);
        }

        @Override
        public String token() {
            return "dense:" + units + ArchSyntax.activationToken(activation);
        }
    }

    /**
     * 2-D convolution, stride 1, {@code filters} output channels of {@code kernel}×{@code kernel}
     * over all input channels, with VALID or SAME zero padding ({@link ConvShape}). Weights
     * {@code filters × (kernel·kernel·c_in)}, a row indexed {@code (ky·k + kx)·c_in + c}
     * (PyTorch's {@code [c_out, c_in, k, k]} with the channel index last). {@code z = im2col(h)·Wᵀ + b}, then {@code f(z)}.
     */
    record Conv(int filters, int kernel, ConvShape.Padding padding, Activation activation) implements Layer {
        public Conv {
            Objects.requireNonNull(padding, "padding");
            Objects.requireNonNull(activation, "activation");
            if (filters < 1) throw new IllegalArgumentException("a convolution needs at least one filter, got " + filters);
            if (kernel < 1) throw new IllegalArgumentException("a convolution kernel must be at least 1×1, got " + kernel);
            if (padding == ConvShape.Padding.SAME && kernel % 2 == 0) {
                throw new IllegalArgumentException("same padding needs an odd kernel size, got " + kernel + "×" + kernel);
            }
        }

        /** The backend shape of this convolution for {@code n} samples of input {@code in}. */
        public ConvShape shape(int n, Shape in) {
            return new ConvShape(n, in.h(), in.w(), in.c(), kernel, padding);
        }

        @Override
        public Shape output(Shape in) {
            int pad = padding == ConvShape.Padding.SAME ? (kernel - 1) / 2 : 0;
            int oh = in.h() + 2 * pad - kernel + 1, ow = in.w() + 2 * pad - kernel + 1;
            if (oh < 1 || ow < 1) {
                throw new IllegalArgumentException("a " + kernel + "×" + kernel + " kernel does not fit a " + in.h() + "×"
                        + in.w() + " input without padding (use a smaller kernel or :same)");
            }
            return new Shape(oh, ow, filters);
        }

        @Override
        public String token() {
            return "conv:" + filters + "@" + kernel + "x" + kernel
                    + (padding == ConvShape.Padding.SAME ? ":same" : "") + ArchSyntax.activationToken(activation);
        }
    }

    /** 2×2 stride-2 pooling, average or max ({@link PoolShape}; odd last rows/columns are dropped). */
    record Pool(PoolShape.Pooling op) implements Layer {
        public Pool {
            Objects.requireNonNull(op, "op");
        }

        /** The backend shape of this pooling for {@code n} samples of input {@code in}. */
        public PoolShape shape(int n, Shape in) {
            return new PoolShape(op, n, in.h(), in.w(), in.c());
        }

        @Override
        public Shape output(Shape in) {
            if (in.h() < 2 || in.w() < 2) {
                throw new IllegalArgumentException("2×2 pooling needs an input of at least 2×2, got " + in);
            }
            return new Shape(in.h() / 2, in.w() / 2, in.c());
        }

        @Override
        public Activation activation() {
            return Activation.IDENTITY;
        }

        @Override
        public String token() {
            return op.name().toLowerCase(Locale.ROOT) + "pool:2";
        }
    }
}
