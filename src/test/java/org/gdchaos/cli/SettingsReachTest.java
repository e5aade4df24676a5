package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.gdchaos.Setting;
import org.gdchaos.api.Sweep;
import org.gdchaos.sweep.SpecDifference;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every setting of the table can be set through the one builder that holds the defaults
 * ({@link SweepSpec.Builder}), through the API ({@link Sweep.Builder}) and on the command line, and
 * the command line and the API start from the same defaults: a default or a setting added to one
 * and not the others fails here.
 */
class SettingsReachTest {
    /** Settings set as part of a larger value: the network's parts by {@code model(ModelSpec)}. */
    private static String setterOf(Setting s) {
        if (s == Setting.DATA) return "data";
        if (s.key().startsWith(Setting.NETWORK.key())) return "model";
        return s.key().substring(s.key().lastIndexOf('.') + 1);
    }

    /** The API's names that differ from the spec builder's. */
    private static final Map<String, String> API_NAMES = Map.of("flow", "gradientFlow");

    private static List<Setting> sweepSettings() {
        return Arrays.stream(Setting.values()).filter(s -> !s.group().equals("onset")).toList();
    }

    private static Set<String> publicMethods(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
    }

    @Test
    void everySweepSettingHasASetterInTheSpecBuilderAndTheApi() {
        Set<String> spec = publicMethods(SweepSpec.Builder.class);
        Set<String> api = publicMethods(Sweep.Builder.class);
        for (Setting s : sweepSettings()) {
            assertTrue(spec.contains(setterOf(s)), "SweepSpec.Builder lacks " + setterOf(s) + " for " + s.key());
            String name = API_NAMES.getOrDefault(setterOf(s), setterOf(s));
            assertTrue(api.contains(name), "Sweep.Builder lacks " + name + " for " + s.key());
        }
    }

    /** Each setting's flag is an option of its command. */
    @Test
    void everyFlagIsAnOptionOfItsCommand() {
        CommandLine sweep = new CommandLine(new SweepCommand());
        CommandLine onset = new CommandLine(new OnsetCommand());
        for (Setting s : Setting.values()) {
            if (Flags.FLAGLESS.contains(s)) continue;
            String flag = Flags.find(s).orElseThrow();
            CommandLine c = s.group().equals("onset") ? onset : sweep;
            assertTrue(c.getCommandSpec().findOption(flag) != null, flag + " (" + s.key() + ")");
        }
        assertTrue(sweep.getCommandSpec().findOption(Flags.NO_BIAS) != null);
    }

    /** The API and the command line, given nothing, build the same spec: the user defaults of the one builder. */
    @Test
    void theApiAndTheCommandLineShareTheirDefaults() throws Exception {
        SweepSpec cli = SweepHelpTest.specOf();
        Method toSpec = Sweep.Builder.class.getDeclaredMethod("toSpec");
        toSpec.setAccessible(true);
        SweepSpec api = (SweepSpec) toSpec.invoke(Sweep.builder());
        assertEquals(SweepSpec.userBuilder().build(), cli);
        assertEquals(cli, api);
        assertEquals(List.of(), SpecJson.differences(cli, api));
        // the documented ones: SweepSpec.builder()'s, the grid 0.01,0.1,1,10, and MNIST's suggested 1000/1000
        assertEquals(SweepSpec.builder().learningRates(0.01, 0.1, 1, 10).trainSize(1000).testSize(1000).build(), cli);
        for (org.gdchaos.lyapunov.Method m : org.gdchaos.lyapunov.Method.values()) {
            assertEquals(org.gdchaos.lyapunov.LyapunovConfig.of(m),
                    SweepHelpTest.specOf("--method", m.label()).lyapunov(), m.label());
            assertEquals(SweepHelpTest.specOf("--method", m.label()),
                    toSpec.invoke(Sweep.builder().method(m)), m.label());
        }
    }

    /** An option for every setting moves the spec away from the defaults in every one of its settings. */
    @Test
    void everySettingIsReachableFromTheCommandLine() {
        SweepSpec s = SweepHelpTest.specOf("--data", "teacher:in=4,hidden=8,out=3,n=64,seed=3", "--train-size", "40",
                "--test-size", "20", "--test-data", "teacher:in=4,hidden=8,out=3,n=32,seed=4", "--normalize", "standard",
                "--layers", "4,5,3", "--activation", "relu", "--no-bias", "--loss", "mse", "--init", "xavier",
                "--lr", "0.1,0.2", "--inits", "2", "--seed", "7", "--steps", "50", "--batch", "8", "--dtype", "f32",
                "--weight-decay", "0,0.001", "--decay-biases", "--optimizer", "momentum", "--momentum", "0.5,0.9",
                "--method", "benettin", "--replicas", "2", "--exponents", "3", "--epsilon", "1e-6",
                "--renorm-every", "2", "--transient", "3", "--norm", "l2", "--perturb-biases", "--fit", "max-r2",
                "--accuracy-threshold", "0.5", "--eval-every", "2", "--sharpness", "--sharpness-every", "5",
                "--sharpness-k", "2", "--flow", "--balance");
        Set<String> changed = SpecJson.differences(SweepCommand.DEFAULTS, s).stream().map(SpecDifference::setting)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> missing = new ArrayList<>();
        for (Setting x : sweepSettings()) {
            if (x == Setting.NETWORK || x == Setting.ARCH) continue; // the group; the other form of the network
            if (!changed.contains(x.key())) missing.add(x.key());
        }
        assertEquals(List.of(), missing);
        // l2 is benettin's own default too: the flag reaches it the other way round
        assertEquals(org.gdchaos.lyapunov.Norm.L1,
                SweepHelpTest.specOf("--method", "benettin", "--norm", "l1").lyapunov().norm());
    }
}
