package org.gdchaos.nn;

import org.gdchaos.data.Shape;
import org.gdchaos.Setting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Loss;
import org.junit.jupiter.api.Test;

/**
 * Networks as stages: the shapes and parameter counts of a small CNN worked out by hand, layers
 * that do not fit named with their input shape, the MLP as the special case that {@code --arch}
 * and {@code --layers} write alike.
 */
class ModelSpecTest {
    /** The cnn-mnist preset's network. */
    static final String CNN = "conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10";
    static final Shape MNIST = new Shape(28, 28, 1);

    static ModelSpec cnn(boolean bias) {
        return ModelSpec.parse(CNN, MNIST, bias, Loss.CROSS_ENTROPY);
    }

    @Test
    void shapesOfThePresetCnn() {
        ModelSpec m = cnn(true);
        // 28 -(5x5 valid)-> 24 -(pool)-> 12 -(5x5)-> 8 -(pool)-> 4; 4·4·8 = 128 -> 10
        Shape[] want = {MNIST, new Shape(24, 24, 4), new Shape(12, 12, 4), new Shape(8, 8, 8), new Shape(4, 4, 8),
            Shape.flat(10)};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], m.shape(i), "stage " + i);
        assertEquals(MNIST, m.inputShape());
        assertEquals(784, m.inputs());
        assertEquals(10, m.outputs());
        assertEquals(3, m.layers());
        assertEquals(0, m.stageOf(1));
        assertEquals(2, m.stageOf(2));
        assertEquals(4, m.stageOf(3)); // conv, pool, conv, pool, dense: activations belong to their layer
        assertEquals(25, m.fanIn(1));
        assertEquals(100, m.fanIn(2));
        assertEquals(128, m.fanIn(3));
        assertEquals(100, m.fanOut(1));
        assertEquals(200, m.fanOut(2));
        assertEquals(10, m.fanOut(3));
        assertEquals(Activation.TANH, m.activationOf(1));
        assertEquals(Activation.TANH, m.activationOf(2));
        assertEquals(Activation.IDENTITY, m.activationOf(3));
        assertTrue(m.isConvolutional());
        assertFalse(m.isMlp());
        assertThrows(IllegalStateException.class, m::widths);
        assertEquals("input:28x28x1," + CNN, m.arch());
        assertEquals(m, ModelSpec.parse(m.arch(), null, true, Loss.CROSS_ENTROPY), "the arch text is the network");
    }

    @Test
    void parameterLayoutOfThePresetCnn() {
        ParameterLayout p = new ParameterLayout(cnn(true));
        assertEquals(4 * 25 + 4 + 8 * 100 + 8 + 10 * 128 + 10, p.size());
        assertEquals(0, p.weightOffset(1));
        assertEquals(100, p.biasOffset(1));
        assertEquals(104, p.weightOffset(2));
        assertEquals(904, p.biasOffset(2));
        assertEquals(912, p.weightOffset(3));
        assertEquals(2192, p.biasOffset(3));
        assertTrue(p.isWeight(99));
        assertFalse(p.isWeight(100));
        assertTrue(p.isWeight(104));
        assertFalse(p.isWeight(2201));
        assertEquals(4 * 25 + 8 * 100 + 10 * 128, new ParameterLayout(cnn(false)).size());
    }

    @Test
    void aLayerThatDoesNotFitIsNamedWithItsInput() {
        InputException e = assertThrows(InputException.class,
                () -> ModelSpec.parse("conv:8@29x29,dense:10", MNIST, true, Loss.CROSS_ENTROPY));
        assertEquals(Setting.ARCH.key(), e.setting().orElseThrow());
        assertTrue(e.getMessage().startsWith("layer 1 (conv:8@29x29) does not fit its 28x28x1 input"), e.getMessage());
        e = assertThrows(InputException.class,
                () -> ModelSpec.parse("conv:4@5x5,avgpool:2,conv:8@13x13,tanh,dense:10", MNIST, true, Loss.CROSS_ENTROPY));
        assertTrue(e.getMessage().startsWith("layer 3 (conv:8@13x13,tanh) does not fit its 12x12x4 input"), e.getMessage());
        e = assertThrows(InputException.class,
                () -> ModelSpec.parse("input:3x3x2,avgpool:2,maxpool:2,dense:10", null, true, Loss.CROSS_ENTROPY));
        assertTrue(e.getMessage().startsWith("layer 2 (maxpool:2) does not fit its 1x1x2 input"), e.getMessage());
        // the same convolution fits with same padding
        assertEquals(new Shape(12, 12, 8), ModelSpec.parse("conv:4@5x5,avgpool:2,conv:8@13x13:same,dense:10", MNIST, true,
                Loss.CROSS_ENTROPY).shape(3));
        // no input shape at all
        e = assertThrows(InputException.class, () -> ModelSpec.parse("conv:4@3x3,dense:10", null, true, Loss.MSE));
        assertTrue(e.getMessage().contains("input:HxWxC"), e.getMessage());
    }

    @Test
    void theLastLayerMustBeDenseWithoutActivation() {
        for (String arch : new String[] {"conv:4@3x3", "conv:4@3x3,tanh,avgpool:2", "conv:4@3x3,dense:10,tanh"}) {
            InputException e = assertThrows(InputException.class, () -> ModelSpec.parse(arch, MNIST, true, Loss.MSE), arch);
            assertTrue(e.getMessage().contains("the last layer") && e.getMessage().contains("dense:OUTPUTS"),
                    e.getMessage());
            assertEquals(Setting.ARCH.key(), e.setting().orElseThrow());
        }
    }

    /** An MLP written as --arch is the --layers network: equal, same run.json form, same flops. */
    @Test
    void anMlpWrittenAsArchIsTheLayersSpec() {
        ModelSpec layers = new ModelSpec(new int[] {784, 64, 10}, Activation.TANH, true, Loss.CROSS_ENTROPY);
        for (ModelSpec arch : new ModelSpec[] {
            ModelSpec.parse("dense:64,tanh,dense:10", MNIST, true, Loss.CROSS_ENTROPY), // input flattened from the images
            ModelSpec.parse("dense:64,tanh,dense:10", Shape.flat(784), true, Loss.CROSS_ENTROPY),
            ModelSpec.parse("input:784,dense:64,tanh,dense:10", null, true, Loss.CROSS_ENTROPY),
            ModelSpec.parse("flatten,dense:64,tanh,dense:10", MNIST, true, Loss.CROSS_ENTROPY)}) {
            assertEquals(layers, arch);
            assertEquals(layers.hashCode(), arch.hashCode());
            assertTrue(arch.isMlp());
            assertEquals(json(layers), json(arch));
            assertEquals(layers.toString(), arch.toString());
        }
        assertTrue(json(layers).contains("\"widths\":[784,64,10]"), json(layers));
        assertEquals(ModelSpec.paperMnist(), layers);
        assertNotEquals(layers, ModelSpec.parse("dense:64,tanh,dense:10", MNIST, false, Loss.CROSS_ENTROPY));
        assertNotEquals(layers, ModelSpec.parse("dense:64,relu,dense:10", MNIST, true, Loss.CROSS_ENTROPY));
        // the linear network as an arch
        assertEquals(ModelSpec.linear(3), ModelSpec.parse("dense:3,dense:1", Shape.flat(1), false, Loss.MSE));
        // two hidden activations: dense only, flat, but not an MLP; recorded as its arch
        ModelSpec mixed = ModelSpec.parse("dense:8,tanh,dense:8,relu,dense:2", Shape.flat(5), true, Loss.MSE);
        assertFalse(mixed.isMlp());
        assertFalse(mixed.isConvolutional());
        assertEquals("input:1x1x5,dense:8,tanh,dense:8,relu,dense:2", mixed.json().get("arch"));
    }

    static String json(ModelSpec m) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void flopsPerSample() {
        // 784-64-10: forward 2mn + backward 4mn per layer (2mn in the first), plus 6 per unit: ≈ 2.05e5
        assertEquals(2.05e5, ModelSpec.paperMnist().flopsPerSample(), 0.005e5);
        assertEquals(201_088 + 3_900, ModelSpec.paperMnist().flopsPerSample(), 1e-9);
        // the CNN: multiply-adds per sample 24·24·4·25, 8·8·8·100, 10·128
        double m1 = 24 * 24 * 4 * 25, m2 = 8 * 8 * 8 * 100, m3 = 10 * 128;
        double want = 4 * m1 + 6 * 24 * 24 * 4 + 6 * m2 + 6 * 8 * 8 * 8 + 6 * m3 + 6 * 10;
        assertEquals(want, cnn(true).flopsPerSample(), 1e-9);
    }

    @Test
    void runJsonFormOfACnn() {
        var j = cnn(false).json();
        assertEquals("input:28x28x1," + CNN, j.get("arch"));
        assertEquals(false, j.get("bias"));
        assertEquals(Loss.CROSS_ENTROPY, j.get("loss"));
        assertFalse(j.containsKey("widths"));
    }
}
