package org.gdchaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.data.Shape;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;

/** The {@link Setting} table is the one home of the setting keys, and it covers the whole spec. */
class SettingTest {
    /** A string literal that looks like a setting key ({@code "training.steps"}). */
    private static final Pattern KEY_LITERAL =
            Pattern.compile("\"((?:data|model|training|lyapunov|measurement|onset)\\.[a-zA-Z.]*)\"");
    /** Literals of that shape that are no setting. */
    private static final Set<String> NOT_SETTINGS = Set.of("onset.json");

    @Test
    void noSourceOutsideTheTableSpellsASettingKey() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.endsWith(Path.of("org/gdchaos/Setting.java"))) continue;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String t = lines.get(i).trim();
                    if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) continue; // documentation
                    Matcher m = KEY_LITERAL.matcher(lines.get(i));
                    while (m.find()) {
                        if (!NOT_SETTINGS.contains(m.group(1))) found.add(f + ":" + (i + 1) + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "use org.gdchaos.Setting.X.key() instead of the literal");
    }

    /** Every value run.json's spec records is a setting of the table, and every sweep setting is recorded. */
    @Test
    void theTableCoversEveryPathOfTheSpec() {
        SweepSpec mlp = SweepSpec.builder().learningRates(0.1).momenta(0, 0.5).build();
        SweepSpec cnn = SweepSpec.builder().learningRates(0.1).model(ModelSpec.parse("conv:2@5x5,tanh,dense:10",
                new Shape(28, 28, 1), true, Loss.CROSS_ENTROPY)).build();
        Set<String> paths = new TreeSet<>(SpecJsonPaths.of(mlp));
        paths.addAll(SpecJsonPaths.of(cnn));
        for (String p : paths) assertTrue(Setting.find(p).isPresent(), p + " has no Setting");
        Set<String> sweepKeys = Arrays.stream(Setting.values())
                .filter(s -> !s.group().equals("onset") && s != Setting.NETWORK) // NETWORK: the group of its parts
                .map(Setting::key).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(sweepKeys, paths);
    }

    @Test
    void keysAreUniqueAndDescribed() {
        assertEquals(Setting.values().length, Arrays.stream(Setting.values()).map(Setting::key).distinct().count());
        for (Setting s : Setting.values()) {
            assertTrue(!s.description().isBlank() && !s.description().contains("\n"), s.key());
            assertEquals(s, Setting.find(s.key()).orElseThrow());
        }
        assertEquals("measurement.extras", Setting.SHARPNESS_K.group());
    }

    /** The leaf paths of a spec's run.json tree. */
    private static final class SpecJsonPaths {
        static List<String> of(SweepSpec spec) {
            List<String> out = new ArrayList<>();
            walk("", SpecJson.tree(spec), out);
            return out;
        }

        private static void walk(String prefix, com.fasterxml.jackson.databind.JsonNode n, List<String> out) {
            if (!n.isObject()) {
                out.add(prefix);
                return;
            }
            n.fields().forEachRemaining(e -> walk(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        }
    }
}
