package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.sweep.LearningRates;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sweep --help} states every default, and each stated default is what the command actually
 * uses: the "(default X)" of each option is read back from the rendered help and compared with the
 * spec the command builds when no option is given (and, per method, with the spec built with
 * {@code --method M}); {@code --list-presets} prints each preset's settings, and a preset's
 * listed values are the ones its spec gets.
 */
class SweepHelpTest {
    /** The spec {@code sweep ARGS} would run (no data is loaded, nothing is run). */
    static SweepSpec specOf(String... args) {
        SweepCommand cmd = new SweepCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.buildSpec();
    }

    /** Each option's help text, one line, by flag. */
    static Map<String, String> optionHelp() {
        String help = Cli.run("sweep", "--help").out();
        Map<String, String> m = new LinkedHashMap<>();
        String flag = null;
        StringBuilder text = new StringBuilder();
        for (String line : help.lines().toList()) {
            Matcher f = Pattern.compile("^ {2,6}(?:-\\w, )?(--[a-z-]+)").matcher(line);
            if (f.find()) { // an option's first line (continuations are indented further)
                if (flag != null) m.put(flag, text.toString().replaceAll("\\s+", " "));
                flag = f.group(1);
                text = new StringBuilder(line.substring(f.end()));
            } else if (flag != null) {
                text.append(' ').append(line.trim());
            }
        }
        if (flag != null) m.put(flag, text.toString().replaceAll("\\s+", " "));
        return m;
    }

    static String defaultOf(Map<String, String> help, String flag) {
        String h = help.get(flag);
        Matcher d = Pattern.compile("default ([^;)]+(?:\\([^)]*\\))?[^;)]*)").matcher(h == null ? "" : h);
        assertTrue(d.find(), flag + ": no default in its help: " + h);
        return d.group(1).trim();
    }

    @Test
    void helpDefaultsAreTheDefaultsTheCommandUses() {
        Map<String, String> help = optionHelp();
        SweepSpec s = specOf();
        assertEquals(s.data().spec(), defaultOf(help, Flags.DATA));
        assertEquals(Arrays.stream(s.model().network().widths()).mapToObj(Integer::toString).collect(Collectors.joining(",")),
                defaultOf(help, Flags.LAYERS));
        assertEquals(s.model().network().activation(), Activation.parse(defaultOf(help, Flags.ACTIVATION)));
        assertEquals(s.model().network().loss(), Loss.parse(defaultOf(help, Flags.LOSS)));
        assertEquals(s.model().init(), InitSpec.parse(defaultOf(help, Flags.INIT)));
        assertTrue(Arrays.equals(s.training().learningRates(), LearningRates.parse(defaultOf(help, Flags.LR))));
        assertEquals(s.training().inits(), Integer.parseInt(defaultOf(help, Flags.INITS)));
        assertEquals(s.training().seed(), Long.parseLong(defaultOf(help, Flags.SEED)));
        assertEquals(s.lyapunov().method(), Method.parse(defaultOf(help, Flags.METHOD)));
        assertEquals(s.training().steps(), Integer.parseInt(defaultOf(help, Flags.STEPS)));
        assertEquals(s.training().batchSize(), SweepCommand.parseBatch(defaultOf(help, Flags.BATCH)));
        assertEquals(s.measurement().accuracyThreshold(), Double.parseDouble(defaultOf(help, Flags.ACCURACY_THRESHOLD)));
        assertEquals(s.measurement().evalEvery(), Integer.parseInt(defaultOf(help, Flags.EVAL_EVERY)));
        assertEquals(s.training().dtype(), DType.parse(defaultOf(help, Flags.DTYPE)));
        assertEquals(specOf("--sharpness").measurement().extras().sharpnessK(),
                Integer.parseInt(defaultOf(help, Flags.SHARPNESS_K)));
        assertEquals(specOf("--model", "linear").model().network().widths()[1], Integer.parseInt(defaultOf(help, Flags.WIDTH)));
        assertEquals("mlp", defaultOf(help, Flags.MODEL));
        assertEquals(SweepCommand.DEFAULT_OUT.toString(), defaultOf(help, Flags.OUT));
        assertEquals("auto", defaultOf(help, Flags.BACKEND));
        // these agree with the spec builder's own constants too
        assertEquals(SweepSpec.Builder.DEFAULT_STEPS, s.training().steps());
        assertEquals(SweepSpec.Builder.DEFAULT_INITS, s.training().inits());
        assertEquals(SweepSpec.Builder.DEFAULT_DATA, s.data().spec());
    }

    @Test
    void lyapunovDefaultsPerMethodAreEachMethodsOwn() {
        Map<String, String> help = optionHelp();
        for (Method m : Method.values()) {
            LyapunovConfig l = specOf("--method", m.label()).lyapunov();
            assertEquals(LyapunovConfig.of(m), l, m.label());
            check(help, Flags.REPLICAS, m, l.replicas(), l.method().impl().uses().contains(
                    org.gdchaos.lyapunov.LyapunovSetting.REPLICAS));
            check(help, Flags.EXPONENTS, m, l.exponents(), m.impl().uses().contains(
                    org.gdchaos.lyapunov.LyapunovSetting.EXPONENTS));
            check(help, Flags.RENORM_EVERY, m, l.renormEvery(), m.impl().uses().contains(
                    org.gdchaos.lyapunov.LyapunovSetting.RENORM_EVERY));
            check(help, Flags.TRANSIENT, m, l.transientSteps(), m.impl().uses().contains(
                    org.gdchaos.lyapunov.LyapunovSetting.TRANSIENT));
            if (m.impl().uses().contains(org.gdchaos.lyapunov.LyapunovSetting.EPSILON)) {
                Matcher e = Pattern.compile("\\b" + m.label() + " ([0-9.e+-]+)").matcher(defaultOf(help, Flags.EPSILON));
                assertTrue(e.find(), help.get(Flags.EPSILON));
                assertEquals(l.epsilon(), Double.parseDouble(e.group(1)), m.label());
            }
            if (m.impl().uses().contains(org.gdchaos.lyapunov.LyapunovSetting.NORM)) {
                assertTrue(defaultOf(help, Flags.NORM).contains(m.label() + " " + l.norm().label()), help.get(Flags.NORM));
            }
        }
    }

    /** The value {@code --list-presets} prints for {@code flag} in one preset's block. */
    static String listed(String block, String flag) {
        Matcher m = Pattern.compile("\\n  " + Pattern.quote(flag) + " +(\\S+)\\n").matcher(block);
        assertTrue(m.find(), flag + " not listed: " + block);
        return m.group(1);
    }

    static void check(Map<String, String> help, String flag, Method m, int value, boolean used) {
        String d = defaultOf(help, flag);
        assertEquals(used, d.contains(m.label() + " "), flag + ": " + d);
        if (used) assertTrue(d.matches(".*\\b" + m.label() + " " + value + "\\b.*"), flag + " " + m.label() + ": " + d);
    }

    @Test
    void listPresetsPrintsWhatEachPresetSets() {
        Cli r = Cli.run("sweep", "--list-presets");
        assertEquals(0, r.code(), r.toString());
        for (Preset p : Preset.values()) {
            assertTrue(r.out().contains(p.label + ": " + p.purpose), r.out());
            SweepSpec s = specOf("--preset", p.label);
            String block = r.out().substring(r.out().indexOf(p.label + ": "));
            assertTrue(block.matches("(?s).*\\n  " + Pattern.quote(Flags.STEPS) + " +" + s.training().steps() + "\\n.*"), block);
            assertTrue(block.matches("(?s).*\\n  " + Pattern.quote(Flags.INITS) + " +" + s.training().inits() + "\\n.*"), block);
            assertTrue(block.matches("(?s).*\\n  " + Pattern.quote(Flags.REPLICAS) + " +" + s.lyapunov().replicas()
                    + "\\n.*"), block);
            if (p.arch != null) { // a network given as --arch: the listed text, on the data's images, is the spec's network
                assertEquals(s.model().network(), org.gdchaos.nn.ModelSpec.parse(listed(block, Flags.ARCH),
                        org.gdchaos.data.DataSpec.parse(s.data().spec()).sampleShape(), true, Loss.CROSS_ENTROPY), block);
                String own = block.substring(0, block.indexOf("\n", block.indexOf("\n  " + Flags.EVAL_EVERY) + 1));
                assertFalse(own.contains(Flags.LAYERS) || own.contains(Flags.ACTIVATION), own);
            } else {
                assertEquals(Arrays.stream(s.model().network().widths()).mapToObj(Integer::toString)
                        .collect(Collectors.joining(",")), listed(block, Flags.LAYERS), block);
                assertEquals(s.model().network().activation(), Activation.parse(listed(block, Flags.ACTIVATION)), block);
            }
            assertEquals(s.model().init(), InitSpec.parse(listed(block, Flags.INIT)), block);
            Matcher lr = Pattern.compile("\\n  --lr +(\\S+)\\n").matcher(block);
            assertTrue(lr.find(), block);
            assertTrue(Arrays.equals(s.training().learningRates(), LearningRates.parse(lr.group(1))), block);
        }
        assertTrue(optionHelp().get(Flags.PRESET).contains("> " + Preset.labels(" | ") + " ("),
                optionHelp().get(Flags.PRESET));
    }
}
