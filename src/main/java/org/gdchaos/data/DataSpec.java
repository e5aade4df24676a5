package org.gdchaos.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.gdchaos.backend.Activation;

/**
 * Parses a {@code --data} spec into a {@link DataSource}. Accepted forms:
 * <ul>
 *   <li>{@code mnist-10k} (the default; also an empty spec): the embedded 10k MNIST subset,
 *       {@link EmbeddedMnist};</li>
 *   <li>{@code idx:DIR}: a folder of IDX files, {@link IdxFolder};</li>
 *   <li>{@code fashion-mnist}: {@code idx:/usr/share/datasets/fashion-mnist}, as installed by
 *       Debian's {@code dataset-fashion-mnist} (60k train / 10k test);</li>
 *   <li>{@code scalar:x=X,y=Y}: one regression sample, {@link ScalarSource};</li>
 *   <li>{@code teacher:in=D,hidden=H,out=C,n=N,seed=S[,test=M][,noise=σ][,act=tanh]}:
 *       a synthetic teacher–student regression task, {@link TeacherStudent}.</li>
 * </ul>
 */
public final class DataSpec {

    /** The default spec. */
    public static final String DEFAULT = EmbeddedMnist.SPEC;
    /** Where Debian's {@code dataset-fashion-mnist} installs its four gzip IDX files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The install hint printed when Fashion-MNIST is missing. */
    public static final String FASHION_MNIST_HINT = "install it with"
            + " 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu), or download the four"
            + " IDX files from https://github.com/zalandoresearch/fashion-mnist and use idx:DIR";

    /** One line per accepted form, for error messages and help texts. */
    public static final String FORMS = "mnist-10k (default, embedded) | idx:DIR | fashion-mnist"
            + " | scalar:x=X,y=Y | teacher:in=D,hidden=H,out=C,n=N,seed=S[,test=M][,noise=SIGMA]"
            + "[,act=tanh|sigmoid|relu|linear]";

    private DataSpec() {
    }

    /**
     * Parses a spec; {@code null} or blank means {@link #DEFAULT}.
     * @throws DataException for an unknown or malformed spec, listing the accepted forms
     */
    public static DataSource parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty() || s.equalsIgnoreCase(EmbeddedMnist.SPEC)) {
            return new EmbeddedMnist();
        }
        if (s.equalsIgnoreCase("fashion-mnist")) {
            return new IdxFolder(FASHION_MNIST_DIR, "fashion-mnist", FASHION_MNIST_HINT);
        }
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1);
        switch (kind) {
            case "idx":
                if (rest.isBlank()) {
                    throw bad(s, "idx: needs a folder, e.g. idx:/data/mnist");
                }
                return new IdxFolder(Path.of(rest.trim()), "idx:" + rest.trim(), "");
            case "scalar": {
                Map<String, String> kv = keyValues(s, rest, Set.of("x", "y"), Set.of("x", "y"));
                return new ScalarSource(number(s, kv, "x"), number(s, kv, "y"));
            }
            case "teacher": {
                Map<String, String> kv = keyValues(s, rest,
                        Set.of("in", "hidden", "out", "n", "seed", "test", "noise", "act"),
                        Set.of("in", "hidden", "out", "n", "seed"));
                int n = integer(s, kv, "n");
                int test = kv.containsKey("test") ? integer(s, kv, "test") : n;
                double noise = kv.containsKey("noise") ? number(s, kv, "noise") : 0.0;
                Activation act;
                try {
                    act = Activation.parse(kv.getOrDefault("act", "tanh"));
                } catch (IllegalArgumentException e) {
                    throw bad(s, e.getMessage());
                }
                long seed;
                try {
                    seed = Long.parseLong(kv.get("seed"));
                } catch (NumberFormatException e) {
                    throw bad(s, "seed must be an integer, got '" + kv.get("seed") + "'");
                }
                try {
                    return new TeacherStudent(integer(s, kv, "in"), integer(s, kv, "hidden"),
                            integer(s, kv, "out"), n, test, seed, noise, act);
                } catch (IllegalArgumentException e) {
                    throw bad(s, e.getMessage());
                }
            }
            default:
                throw new DataException("unknown data spec '" + s + "'; accepted forms: " + FORMS);
        }
    }

    private static Map<String, String> keyValues(String spec, String rest, Set<String> allowed,
                                                 Set<String> required) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (!rest.isBlank()) {
            for (String part : rest.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw bad(spec, "expected key=value, got '" + part + "'");
                }
                String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = part.substring(eq + 1).trim();
                if (!allowed.contains(key)) {
                    throw bad(spec, "unknown key '" + key + "' (allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
                if (kv.put(key, value) != null) {
                    throw bad(spec, "key '" + key + "' given twice");
                }
            }
        }
        for (String r : required.stream().sorted().toList()) {
            if (!kv.containsKey(r)) {
                throw bad(spec, "missing '" + r + "='");
            }
        }
        return kv;
    }

    private static double number(String spec, Map<String, String> kv, String key) {
        try {
            double v = Double.parseDouble(kv.get(key));
            if (!Double.isFinite(v)) {
                throw bad(spec, key + " must be finite, got '" + kv.get(key) + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(spec, key + " must be a number, got '" + kv.get(key) + "'");
        }
    }

    private static int integer(String spec, Map<String, String> kv, String key) {
        try {
            return Integer.parseInt(kv.get(key));
        } catch (NumberFormatException e) {
            throw bad(spec, key + " must be an integer, got '" + kv.get(key) + "'");
        }
    }

    private static DataException bad(String spec, String why) {
        return new DataException("bad data spec '" + spec + "': " + why + "; accepted forms: "
                + FORMS);
    }
}
