package org.gdchaos.nn;

import org.gdchaos.data.Shape;
import org.gdchaos.Setting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.ConvShape;
import org.gdchaos.backend.PoolShape;
import org.junit.jupiter.api.Test;

/**
 * {@code --arch} text: what each token means, the canonical text written back ({@link ArchSyntax#format}),
 * which parses to the same stages, and errors that name the token they are about.
 */
class ArchSyntaxTest {
    @Test
    void tokensMeanTheirLayers() {
        ArchSyntax.Parsed p = ArchSyntax.parse("input:28x28x1,conv:8@3x3:same,relu,maxpool:2,conv:16@5x5,avgpool,"
                + "flatten,dense:32,sigmoid,dense:10");
        assertEquals(new Shape(28, 28, 1), p.input());
        assertEquals(List.of(new Layer.Conv(8, 3, ConvShape.Padding.SAME, Activation.RELU),
                new Layer.Pool(PoolShape.Pooling.MAX),
                new Layer.Conv(16, 5, ConvShape.Padding.VALID, Activation.IDENTITY),
                new Layer.Pool(PoolShape.Pooling.AVG),
                new Layer.Dense(32, Activation.SIGMOID),
                new Layer.Dense(10, Activation.IDENTITY)), p.stages());
        assertNull(ArchSyntax.parse("dense:10").input());
        assertEquals(Shape.flat(784), ArchSyntax.parse("input:784,dense:10").input());
    }

    @Test
    void formatAndParseRoundTrip() {
        // text as typed → canonical text: lower case, ":2" written out, the default padding, linear and flatten left out
        String[][] cases = {
            {"conv:8@3x3,tanh,avgpool:2,conv:16@3x3,tanh,avgpool:2,dense:10",
                "conv:8@3x3,tanh,avgpool:2,conv:16@3x3,tanh,avgpool:2,dense:10"},
            {"input:28x28x1,conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10",
                "input:28x28x1,conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10"},
            {" Conv:8@3X3:same , RELU, maxpool , flatten, dense:10 ", "conv:8@3x3:same,relu,maxpool:2,dense:10"},
            {"conv:2@1x1:valid,linear,maxpool:2x2,dense:3", "conv:2@1x1,maxpool:2,dense:3"},
            {"input:32x32x3,conv:6@5x5,sigmoid,conv:6@5x5,dense:20,relu,dense:2",
                "input:32x32x3,conv:6@5x5,sigmoid,conv:6@5x5,dense:20,relu,dense:2"},
            {"input:784,dense:64,tanh,dense:64,tanh,dense:10", "input:1x1x784,dense:64,tanh,dense:64,tanh,dense:10"},
        };
        for (String[] c : cases) {
            ArchSyntax.Parsed p = ArchSyntax.parse(c[0]);
            String text = ArchSyntax.format(p.input(), p.stages());
            assertEquals(c[1], text, c[0]);
            ArchSyntax.Parsed again = ArchSyntax.parse(text);
            assertEquals(p, again, text);
            assertEquals(text, ArchSyntax.format(again.input(), again.stages()));
        }
    }

    /** Each mistake is an error of --arch's setting that quotes the token at fault, with its position. */
    @Test
    void errorsNameTheirToken() {
        refused("conv:8@3,dense:10", "token 1 'conv:8@3'", "KxK");
        refused("conv:x@3x3,dense:10", "token 1 'conv:x@3x3'", "'x' is not a whole number");
        refused("conv:8@3x5,dense:10", "token 1 'conv:8@3x5'", "square");
        refused("conv:8x3x3,dense:10", "token 1 'conv:8x3x3'", "conv:FILTERS@KxK");
        refused("conv:0@3x3,dense:10", "token 1 'conv:0@3x3'", "positive");
        refused("conv:8@3x3:full,dense:10", "token 1 'conv:8@3x3:full'", "neither same nor valid");
        refused("conv:8@4x4:same,dense:10", "token 1 'conv:8@4x4:same'", "odd kernel");
        refused("conv:8@3x3,maxpool:3,dense:10", "token 2 'maxpool:3'", "2×2");
        refused("tanh,dense:10", "token 1 'tanh'", "must follow a conv or dense layer");
        refused("dense:8,tanh,tanh,dense:10", "token 3 'tanh'", "already has an activation");
        refused("conv:8@3x3,avgpool:2,tanh,dense:10", "token 3 'tanh'", "before the pooling");
        refused("conv:8@3x3,dropout:0.5,dense:10", "token 2 'dropout:0.5'", "is not a layer", "dense:N");
        refused("dense:10,input:28x28x1", "token 2 'input:28x28x1'", "must come first");
        refused("input:28x28,dense:10", "token 1 'input:28x28'", "HxWxC");
        refused("dense:ten", "token 1 'dense:ten'", "'ten' is not a whole number");
        refused("", "empty");
        refused("input:4x4x1,flatten", "no layers");
    }

    private static void refused(String arch, String... fragments) {
        InputException e = assertThrows(InputException.class, () -> ArchSyntax.parse(arch), arch);
        assertEquals(Setting.ARCH.key(), e.setting().orElse(null), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
