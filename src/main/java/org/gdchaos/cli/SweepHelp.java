package org.gdchaos.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.LyapunovSetting;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.sweep.SweepSpec;

/**
 * The defaults that {@code sweep --help} shows, computed from where they live: the spec the
 * command line starts from ({@link SweepCommand#DEFAULTS}, i.e. {@link SweepSpec.Builder}'s
 * defaults with the command line's grid), each method's {@link LyapunovConfig} defaults, and the
 * {@link Preset} enum. The option descriptions refer to them as {@code ${bundle:default.KEY}}
 * (picocli's resource-bundle variables), so no default is written twice.
 */
public final class SweepHelp extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        SweepSpec d = SweepCommand.DEFAULTS;
        List<Object[]> c = new ArrayList<>();
        c.add(new Object[] {"default.presets", Preset.labels(" | ")});
        c.add(new Object[] {"default.data", d.data().spec()});
        c.add(new Object[] {"default.model", SweepCommand.DEFAULT_MODEL});
        c.add(new Object[] {"default.width", Integer.toString(SweepCommand.DEFAULT_WIDTH)});
        c.add(new Object[] {"default.layers", Arrays.stream(d.model().network().widths()).mapToObj(Integer::toString)
                .collect(Collectors.joining(","))});
        c.add(new Object[] {"default.activation", label(d.model().network().activation())});
        c.add(new Object[] {"arch.forms", org.gdchaos.nn.ArchSyntax.FORMS});
        c.add(new Object[] {"arch.example", Preset.CNN_ARCH});
        c.add(new Object[] {"default.loss", label(d.model().network().loss())});
        c.add(new Object[] {"default.init", d.model().init().toString()});
        c.add(new Object[] {"default.lr", SweepCommand.DEFAULT_LR});
        c.add(new Object[] {"default.inits", Integer.toString(d.training().inits())});
        c.add(new Object[] {"default.seed", Long.toString(d.training().seed())});
        c.add(new Object[] {"default.method", d.lyapunov().method().label()});
        c.add(new Object[] {"default.replicas", perMethod(LyapunovSetting.REPLICAS,
                l -> Integer.toString(l.replicas()))});
        c.add(new Object[] {"default.exponents", perMethod(LyapunovSetting.EXPONENTS,
                l -> Integer.toString(l.exponents()))});
        c.add(new Object[] {"default.epsilon", perMethod(LyapunovSetting.EPSILON, l -> number(l.epsilon()))});
        c.add(new Object[] {"default.renormEvery", perMethod(LyapunovSetting.RENORM_EVERY,
                l -> Integer.toString(l.renormEvery()))});
        c.add(new Object[] {"default.transient", perMethod(LyapunovSetting.TRANSIENT,
                l -> Integer.toString(l.transientSteps()))});
        c.add(new Object[] {"default.norm", perMethod(LyapunovSetting.NORM, l -> l.norm().label())});
        c.add(new Object[] {"default.fit", perMethod(LyapunovSetting.FIT, l -> l.fit().label())});
        c.add(new Object[] {"default.steps", Integer.toString(d.training().steps())});
        c.add(new Object[] {"default.batch", d.training().batchSize() == 0 ? "full" : Integer.toString(d.training().batchSize())});
        c.add(new Object[] {"default.accuracyThreshold", number(d.measurement().accuracyThreshold())});
        c.add(new Object[] {"default.evalEvery", Integer.toString(d.measurement().evalEvery())});
        c.add(new Object[] {"default.sharpnessK", Integer.toString(d.measurement().extras().sharpnessK())});
        c.add(new Object[] {"default.dtype", d.training().dtype().label()});
        c.add(new Object[] {"default.backend", SweepCommand.DEFAULT_BACKEND});
        c.add(new Object[] {"default.out", SweepCommand.DEFAULT_OUT.toString()});
        return c.toArray(Object[][]::new);
    }

    /** "paper 5, benettin 1": the default of {@code setting} for each method that uses it. */
    static String perMethod(LyapunovSetting setting, Function<LyapunovConfig, String> value) {
        return Arrays.stream(Method.values()).filter(m -> m.impl().uses().contains(setting))
                .map(m -> m.label() + " " + value.apply(LyapunovConfig.of(m))).collect(Collectors.joining(", "));
    }

    /** A number as the command line takes it: 0.8, 1e-08 → 1e-8. */
    static String number(double v) {
        String s = Double.toString(v);
        if (s.endsWith(".0")) s = s.substring(0, s.length() - 2);
        return s.replace("E", "e").toLowerCase(Locale.ROOT).replaceAll("\\.0e", "e");
    }

    /** The command-line word of an activation ({@link Activation#parse} reads it back). */
    static String label(Activation a) {
        return a == Activation.IDENTITY ? "linear" : a.name().toLowerCase(Locale.ROOT);
    }

    /** The command-line word of a loss ({@link Loss#parse} reads it back). */
    static String label(Loss l) {
        return l == Loss.CROSS_ENTROPY ? "ce" : "mse";
    }
}
