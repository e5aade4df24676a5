package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.InputException;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.data.Shape;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;

/**
 * Presets set the network (widths, activation) and the initialisation as well as the grid: the
 * spec {@code --preset deep-mlp} builds is the intended one (written out here, not read from
 * {@link Preset}), the shallow presets keep the paper's 784-64-10 tanh with N(0,1) weights, and
 * every option given explicitly overrides the preset's value.
 */
class PresetTest {
    @Test
    void deepMlpBuildsTheIntendedSpec() {
        assertSame(Preset.DEEP_MLP, Preset.parse(" Deep-MLP "));
        SweepSpec s = SweepHelpTest.specOf("--preset", "deep-mlp");
        assertEquals("mnist-10k", s.data().spec());
        assertEquals(1000, s.data().trainSize());
        assertEquals(1000, s.data().testSize());
        assertArrayEquals(new int[] {784, 64, 64, 64, 10}, s.model().network().widths());
        assertEquals(Activation.TANH, s.model().network().activation());
        assertTrue(s.model().network().bias());
        assertEquals(Loss.CROSS_ENTROPY, s.model().network().loss());
        assertEquals(InitSpec.Kind.XAVIER, s.model().init().kind());
        assertArrayEquals(new double[] {0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1, 2}, s.training().learningRates());
        assertEquals(4, s.training().inits());
        assertEquals(150, s.training().steps());
        assertEquals(0, s.training().batchSize(), "full batch");
        assertEquals(DType.F64, s.training().dtype());
        assertEquals(Method.PAPER, s.lyapunov().method());
        assertEquals(4, s.lyapunov().replicas());
        assertEquals(LyapunovConfig.of(Method.PAPER).epsilon(), s.lyapunov().epsilon());
        assertEquals(0.7, s.measurement().accuracyThreshold());
        assertEquals(5, s.measurement().evalEvery());
    }

    @Test
    void cnnMnistBuildsTheIntendedSpec() {
        assertSame(Preset.CNN_MNIST, Preset.parse("cnn-mnist"));
        SweepSpec s = SweepHelpTest.specOf("--preset", "cnn-mnist");
        assertEquals("mnist-10k", s.data().spec());
        assertEquals(300, s.data().trainSize());
        assertEquals(500, s.data().testSize());
        ModelSpec net = s.model().network();
        assertEquals("input:28x28x1,conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10", net.arch());
        assertEquals(new Shape(4, 4, 8), net.shape(net.stages().size() - 1), "the dense layer reads 4·4·8 = 128 values");
        assertTrue(net.bias());
        assertEquals(Loss.CROSS_ENTROPY, net.loss());
        assertEquals(InitSpec.Kind.XAVIER, s.model().init().kind());
        assertArrayEquals(new double[] {0.1, 0.2, 0.4, 0.7, 1, 1.4, 2, 2.7, 4, 6}, s.training().learningRates());
        assertEquals(100, s.training().steps());
        assertEquals(4, s.training().inits());
        assertEquals(2, s.lyapunov().replicas());
        assertEquals(0.7, s.measurement().accuracyThreshold());
        assertEquals(5, s.measurement().evalEvery());
        assertEquals(Method.PAPER, s.lyapunov().method());
    }

    /** A preset's --arch and --layers replace each other; --activation alone cannot change an --arch. */
    @Test
    void archAndLayersOverrideEachOther() {
        SweepSpec mlp = SweepHelpTest.specOf("--preset", "cnn-mnist", "--layers", "784,32,10", "--activation", "relu");
        assertArrayEquals(new int[] {784, 32, 10}, mlp.model().network().widths());
        assertEquals(Activation.RELU, mlp.model().network().activation());
        assertEquals(InitSpec.Kind.XAVIER, mlp.model().init().kind(), "the rest of the preset kept");
        assertEquals(100, mlp.training().steps());
        SweepSpec cnn = SweepHelpTest.specOf("--preset", "deep-mlp", "--arch", "conv:2@3x3,relu,maxpool,dense:10",
                "--no-bias", "--loss", "mse");
        assertEquals("input:28x28x1,conv:2@3x3,relu,maxpool:2,dense:10", cnn.model().network().arch());
        assertFalse(cnn.model().network().bias());
        assertEquals(Loss.MSE, cnn.model().network().loss());
        assertEquals(150, cnn.training().steps());
        InputException e = assertThrows(InputException.class,
                () -> SweepHelpTest.specOf("--preset", "cnn-mnist", "--activation", "relu"));
        assertTrue(e.getMessage().contains(Flags.ACTIVATION) && e.getMessage().contains(Flags.ARCH), e.getMessage());
    }

    @Test
    void shallowPresetsKeepThePapersNetwork() {
        for (String name : new String[] {"quick", "paper-mnist"}) {
            SweepSpec s = SweepHelpTest.specOf("--preset", name);
            assertArrayEquals(new int[] {784, 64, 10}, s.model().network().widths(), name);
            assertEquals(Activation.TANH, s.model().network().activation(), name);
            assertEquals(InitSpec.normal(1), s.model().init(), name);
        }
    }

    @Test
    void explicitOptionsOverrideThePreset() {
        SweepSpec s = SweepHelpTest.specOf("--preset", "deep-mlp", "--layers", "784,32,10", "--activation", "relu",
                "--init", "he", "--lr", "0.05,0.5", "--inits", "2", "--replicas", "3", "--steps", "40",
                "--train-size", "200", "--test-size", "300", "--accuracy-threshold", "0.5", "--eval-every", "2",
                "--dtype", "f32", "--no-bias", "--loss", "mse");
        assertArrayEquals(new int[] {784, 32, 10}, s.model().network().widths());
        assertEquals(Activation.RELU, s.model().network().activation());
        assertEquals(InitSpec.Kind.HE, s.model().init().kind());
        assertArrayEquals(new double[] {0.05, 0.5}, s.training().learningRates());
        assertEquals(2, s.training().inits());
        assertEquals(3, s.lyapunov().replicas());
        assertEquals(40, s.training().steps());
        assertEquals(200, s.data().trainSize());
        assertEquals(300, s.data().testSize());
        assertEquals(0.5, s.measurement().accuracyThreshold());
        assertEquals(2, s.measurement().evalEvery());
        assertEquals(DType.F32, s.training().dtype());
        assertFalse(s.model().network().bias());
        assertEquals(Loss.MSE, s.model().network().loss());
        // one option overridden, the rest of the preset kept
        SweepSpec onlyInit = SweepHelpTest.specOf("--preset", "deep-mlp", "--init", "normal:1");
        assertEquals(InitSpec.normal(1), onlyInit.model().init());
        assertArrayEquals(new int[] {784, 64, 64, 64, 10}, onlyInit.model().network().widths());
        // and the other way round: a shallow preset made deep from the command line
        SweepSpec deepQuick = SweepHelpTest.specOf("--preset", "quick", "--layers", "784,64,64,10");
        assertArrayEquals(new int[] {784, 64, 64, 10}, deepQuick.model().network().widths());
        assertEquals(InitSpec.normal(1), deepQuick.model().init());
    }

    @Test
    void anotherModelKindReplacesThePresetsNetwork() {
        SweepSpec s = SweepHelpTest.specOf("--preset", "deep-mlp", "--data", "scalar:x=1,y=1", "--model", "linear",
                "--width", "3");
        assertArrayEquals(new int[] {1, 3, 1}, s.model().network().widths());
        InputException e = assertThrows(InputException.class, () -> Preset.parse("deep"));
        assertTrue(e.getMessage().contains("deep-mlp"), e.getMessage());
    }
}
