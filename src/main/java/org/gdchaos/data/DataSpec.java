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
 *       a synthetic teacher–student regression task, {@link TeacherStudent};</li>
 *   <li>{@code npy:X.npy,y.npy[:classes=K,layout=nchw]} and {@code npz:FILE[:x=KEY,y=KEY,classes=K,layout=nchw]}:
 *       NumPy arrays, {@link NumpySource};</li>
 *   <li>{@code csv:FILE[:label=COL|target=COL,COL…][,classes=K]}: a numeric table, {@link CsvSource};</li>
 *   <li>{@code cifar10:DIR}: the CIFAR-10 binary batches, {@link Cifar10Folder}.</li>
 * </ul>
 * {@link #load} adds a separate test set ({@code --test-data}) and the normalization ({@code --normalize}).
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
            + "[,act=tanh|sigmoid|relu|linear] | npy:X.npy,y.npy[:classes=K,layout=nchw]"
            + " | npz:FILE[:x=KEY,y=KEY,classes=K,layout=nchw] | csv:FILE[:label=COL|target=COL,COL...][,classes=K]"
            + " | cifar10:DIR";

    /** {@code --test-data}'s word for "the test set is a split of the training source" (the default). */
    public static final String SPLIT = "split";

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
            case "npy": {
                String[] parts = options(rest);
                String[] files = parts[0].split(",", -1);
                if (files.length != 2 || files[0].isBlank() || files[1].isBlank()) {
                    throw bad(s, "npy: takes two files, features and labels/targets: npy:X.npy,y.npy");
                }
                Map<String, String> kv = keyValues(s, parts[1], Set.of("classes", "layout"), Set.of());
                return NumpySource.npy(s, Path.of(files[0].trim()), Path.of(files[1].trim()), classes(s, kv),
                        nchw(s, kv));
            }
            case "npz": {
                String[] parts = options(rest);
                if (parts[0].isBlank()) throw bad(s, "npz: needs a file, e.g. npz:data.npz");
                Map<String, String> kv = keyValues(s, parts[1], Set.of("x", "y", "classes", "layout"), Set.of());
                return NumpySource.npz(s, Path.of(parts[0].trim()), kv.get("x"), kv.get("y"), classes(s, kv),
                        nchw(s, kv));
            }
            case "csv": {
                String[] parts = options(rest);
                if (parts[0].isBlank()) throw bad(s, "csv: needs a file, e.g. csv:iris.csv:label=species");
                String label = null;
                java.util.List<String> targets = new java.util.ArrayList<>();
                Integer classes = null;
                String last = null;
                if (!parts[1].isBlank()) {
                    for (String part : parts[1].split(",", -1)) {
                        int eq = part.indexOf('=');
                        if (eq < 0) { // another target column
                            if (!"target".equals(last) || part.isBlank()) {
                                throw bad(s, "expected key=value, got '" + part + "'");
                            }
                            targets.add(part.trim());
                            continue;
                        }
                        last = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                        String v = part.substring(eq + 1).trim();
                        switch (last) {
                            case "label" -> label = v;
                            case "target" -> targets.add(v);
                            case "classes" -> classes = classes(s, Map.of("classes", v));
                            default -> throw bad(s, "unknown key '" + last + "' (allowed: classes, label, target)");
                        }
                    }
                }
                return new CsvSource(s, Path.of(parts[0].trim()), label, targets, classes);
            }
            case "cifar10":
                if (rest.isBlank()) throw bad(s, "cifar10: needs a folder, e.g. cifar10:/data/cifar-10-batches-bin");
                return new Cifar10Folder(Path.of(rest.trim()), "cifar10:" + rest.trim());
            default:
                throw new DataException("unknown data spec '" + s + "'; accepted forms: " + FORMS);
        }
    }

    /**
     * Splits {@code FILES[:key=value,…]} at its last colon when what follows holds a {@code =} (so a path may
     * hold colons): {FILES, OPTIONS}.
     */
    private static String[] options(String rest) {
        int c = rest.lastIndexOf(':');
        if (c >= 0 && rest.indexOf('=', c) > c) return new String[] {rest.substring(0, c), rest.substring(c + 1)};
        return new String[] {rest, ""};
    }

    private static Integer classes(String spec, Map<String, String> kv) {
        if (!kv.containsKey("classes")) return null;
        int k = integer(spec, kv, "classes");
        if (k < 1 || k > 100_000) throw bad(spec, "classes must be in 1..100000, got " + k);
        return k;
    }

    private static boolean nchw(String spec, Map<String, String> kv) {
        String l = kv.getOrDefault("layout", "nhwc").toLowerCase(Locale.ROOT);
        if (!l.equals("nhwc") && !l.equals("nchw")) throw bad(spec, "layout must be nhwc or nchw, got '" + l + "'");
        return l.equals("nchw");
    }

    /**
     * The data a sweep trains and tests on: {@code spec}'s own split ({@link DataSource#load}) when
     * {@code testData} is null, blank or {@value #SPLIT}; else the training part of {@code spec} (its first
     * {@code trainSize} samples: the whole pool of a file source, the training files of a folder) and the test
     * part of {@code testData} (its first {@code testSize}: the whole pool, or the test files). Then
     * {@code normalization}, with statistics of the training set.
     *
     * @throws DataException when either cannot be read, or the two are not the same task
     */
    public static DataSplit load(String spec, String testData, Normalization normalization, int trainSize,
                                 int testSize) {
        return loadWithStatistics(spec, testData, normalization, trainSize, testSize).split();
    }

    /**
     * What {@link #load} loaded, and the normalization's statistics (null when it changed nothing).
     */
    public record Loaded(DataSplit split, Normalization.Statistics statistics) {
    }

    /** As {@link #load}, with the normalization's statistics (for run.json). */
    public static Loaded loadWithStatistics(String spec, String testData, Normalization normalization, int trainSize,
                                            int testSize) {
        DataSource src = parse(spec);
        boolean bytes = src.bytePixels();
        if (testData == null || testData.isBlank() || testData.trim().equalsIgnoreCase(SPLIT)) {
            return normalized(src.load(trainSize, testSize), normalization, bytes);
        }
        DataSource t = parse(testData);
        Dataset train = src instanceof PoolSource p ? p.readPrefix(trainSize, "training", 0)
                : src instanceof Cifar10Folder c ? c.readTrain(trainSize) : src.load(trainSize, 1).train();
        int min = train.isClassification() ? train.outputs() : 0;
        Dataset test = t instanceof PoolSource p ? p.readPrefix(testSize, "test", min)
                : t instanceof Cifar10Folder c ? c.readTest(testSize) : t.load(1, testSize).test();
        if (t.bytePixels() != bytes) {
            throw new DataException("the training data " + spec + (bytes ? " holds image bytes (scaled by 1/255)"
                    + " but the test data " + testData + " does not" : " holds no image bytes but the test data "
                    + testData + " does (scaled by 1/255)") + "; store both with the same dtype");
        }
        if (!train.shape().equals(test.shape())) {
            throw new DataException("the training data " + spec + " has samples of shape " + train.shape()
                    + " but the test data " + testData + " has " + test.shape());
        }
        if (train.isClassification() != test.isClassification()) {
            throw new DataException("the training data " + spec + " is " + (train.isClassification()
                    ? "classification (labels)" : "regression (targets)") + " but the test data " + testData + " is "
                    + (test.isClassification() ? "classification (labels)" : "regression (targets)"));
        }
        if (train.isClassification() && train.outputs() != test.outputs()) {
            int k = Math.max(train.outputs(), test.outputs());
            try {
                train = Dataset.classification(train.name(), train.x(), train.labels(), train.features(), k)
                        .withShape(train.shape());
                test = Dataset.classification(test.name(), test.x(), test.labels(), test.features(), k)
                        .withShape(test.shape());
            } catch (IllegalArgumentException e) {
                throw new DataException("the training data " + spec + " has " + train.outputs()
                        + " classes but the test data " + testData + " has " + test.outputs());
            }
        }
        if (train.outputs() != test.outputs()) {
            throw new DataException("the training data " + spec + " has " + train.outputs()
                    + " targets per sample but the test data " + testData + " has " + test.outputs());
        }
        return normalized(new DataSplit(train, test.withName(testData)), normalization, bytes);
    }

    private static Loaded normalized(DataSplit split, Normalization normalization, boolean bytes) {
        Normalization.Statistics st = normalization.statistics(split.train(), bytes);
        return new Loaded(Normalization.apply(split, st), st);
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
