package org.gdchaos.sweep.store;

import org.gdchaos.sweep.SpecDifference;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.Setting;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gdchaos.InputException;

/**
 * The spec as run.json's {@code spec} member records it: nested like {@link SweepSpec} ({@code data},
 * {@code model}, {@code training}, {@code lyapunov}, {@code measurement}), values in the words of
 * the command line ({@code "tanh"}, {@code "ce"}, {@code "normal:1.0"}, {@code "paper"},
 * {@code "growth"}, {@code "f64"}), so that a user can replay a sweep from its run.json.
 * {@link #read} also reads the flat spec that versions before the nesting wrote (15 settings at the
 * top level, enums as constant names), converting it; what it cannot convert it refuses, naming it.
 * Resuming, merging and resubmitting compare specs as values ({@link SweepSpec#equals}), never as
 * JSON trees, so the two shapes of one sweep are the same sweep.
 */
public final class SpecJson {
    /** Where each setting of the flat spec (before the nesting) lives now. */
    private static final Map<String, String> FLAT = new LinkedHashMap<>();

    static {
        FLAT.put("data", Setting.DATA.key());
        FLAT.put("trainSize", Setting.TRAIN_SIZE.key());
        FLAT.put("testSize", Setting.TEST_SIZE.key());
        FLAT.put("model", Setting.NETWORK.key());
        FLAT.put("init", Setting.INIT.key());
        FLAT.put("learningRates", Setting.LEARNING_RATES.key());
        FLAT.put("inits", Setting.INITS.key());
        FLAT.put("seed", Setting.SEED.key());
        FLAT.put("steps", Setting.STEPS.key());
        FLAT.put("batchSize", Setting.BATCH_SIZE.key());
        FLAT.put("dtype", Setting.DTYPE.key());
        FLAT.put("lyapunov", "lyapunov");
        FLAT.put("accuracyThreshold", Setting.ACCURACY_THRESHOLD.key());
        FLAT.put("evalEvery", Setting.EVAL_EVERY.key());
        FLAT.put("sharpness", Setting.SHARPNESS.group());
    }

    /**
     * Settings a recorded spec may lack: extras written before they existed read as none
     * ({@code sharpnessK} as 1), the weight decay as none ({0}, weights only), the optimizer as GD, the test
     * data as a split of the training source and the normalization as {@code auto}.
     */
    private static final List<String> OPTIONAL = List.of(Setting.SHARPNESS.group(), Setting.WEIGHT_DECAYS.key(), Setting.MOMENTA.key(),
            Setting.DECAY_BIASES.key(), Setting.OPTIMIZER.key(), Setting.TEST_DATA.key(), Setting.NORMALIZE.key());

    private SpecJson() {
    }

    /**
     * The spec as a JSON tree. Round-tripped through text, so that it equals a tree parsed from a file
     * ({@code valueToTree} keeps Java's number types, a long seed as a LongNode, while parsing picks the
     * smallest).
     */
    public static JsonNode tree(SweepSpec spec) {
        try {
            return RunInfo.JSON.readTree(RunInfo.JSON.writeValueAsString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the sweep spec: " + e.getMessage(), e);
        }
    }

    /**
     * The spec a recorded tree describes, of this version or the flat one before it.
     *
     * @throws InputException naming what cannot be read: a setting this version does not know, one
     *                        that is missing, or a value out of range
     */
    public static SweepSpec read(JsonNode recorded) {
        if (recorded == null || !recorded.isObject()) {
            throw new InputException("the sweep settings recorded in run.json are not a JSON object: " + recorded);
        }
        JsonNode nested = isFlat(recorded) ? fromFlat((ObjectNode) recorded) : recorded;
        SweepSpec spec;
        try {
            spec = RunInfo.JSON.treeToValue(nested, SweepSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InputException("the sweep settings recorded in run.json hold " + path(e) + ", which this version "
                    + "of gdchaos does not know (written by a newer version?)", e);
        } catch (JsonProcessingException e) {
            String why = e.getCause() instanceof InputException ie ? ie.getMessage() : e.getOriginalMessage();
            String at = e instanceof JsonMappingException m ? path(m) : "";
            throw new InputException("cannot read the sweep settings recorded in run.json"
                    + (at.isEmpty() ? "" : " (" + at + ")") + ": " + why, e);
        } catch (IllegalArgumentException e) {
            throw new InputException("cannot read the sweep settings recorded in run.json: " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        for (String p : leafPaths(tree(spec))) {
            JsonNode v = nested.at("/" + p.replace('.', '/'));
            boolean optional = OPTIONAL.stream().anyMatch(o -> p.equals(o) || p.startsWith(o + "."));
            if (!optional && (v.isMissingNode() || v.isNull())) missing.add(p);
        }
        if (!missing.isEmpty()) {
            throw new InputException("the sweep settings recorded in run.json lack " + String.join(", ", missing)
                    + ", so which sweep wrote the folder is not known");
        }
        return spec;
    }

    /** Where in the spec a mapping problem is, as a setting path ({@code training.steps}). */
    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                .collect(java.util.stream.Collectors.joining("."));
    }

    /** Whether a recorded spec has the flat shape of versions before the nesting ({@code "data": "mnist-10k"}, …). */
    static boolean isFlat(JsonNode recorded) {
        JsonNode data = recorded.get("data");
        return (data != null && data.isTextual()) || recorded.has("steps") || recorded.has("learningRates");
    }

    /**
     * The flat spec of earlier versions in today's shape: each of its 15 settings moved into its group.
     *
     * @throws InputException naming a setting that is not one of the 15 or a required one that is missing
     */
    static ObjectNode fromFlat(ObjectNode flat) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = flat.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!FLAT.containsKey(n)) unknown.add(n);
        }
        if (!unknown.isEmpty()) {
            throw new InputException("the sweep settings recorded in run.json (by an earlier version of gdchaos) "
                    + "hold " + String.join(", ", unknown) + ", which this version cannot convert to its settings");
        }
        ObjectNode nested = RunInfo.JSON.createObjectNode();
        for (Map.Entry<String, String> e : FLAT.entrySet()) {
            JsonNode v = flat.get(e.getKey());
            if (v == null || v.isNull()) continue; // a missing one is named by read
            String[] path = e.getValue().split("\\.");
            ObjectNode group = nested;
            for (int i = 0; i < path.length - 1; i++) {
                group = group.has(path[i]) ? (ObjectNode) group.get(path[i]) : group.putObject(path[i]);
            }
            group.set(path[path.length - 1], v.deepCopy());
        }
        return nested;
    }

    /**
     * The settings in which two specs differ, by path, in the order of run.json, with their values
     * in the words of the command line; empty when the specs are equal.
     */
    public static List<SpecDifference> differences(SweepSpec was, SweepSpec now) {
        List<SpecDifference> out = new ArrayList<>();
        if (was.equals(now)) return out;
        differences("", tree(was), tree(now), out);
        return out;
    }

    private static void differences(String prefix, JsonNode a, JsonNode b, List<SpecDifference> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) differences(prefix.isEmpty() ? n : prefix + "." + n, a.get(n), b.get(n), out);
        } else if (a == null ? b != null : !a.equals(b)) {
            out.add(new SpecDifference(prefix, words(a), words(b)));
        }
    }

    /** A value as the command line takes it: text unquoted, a list comma-separated. */
    static String words(JsonNode v) {
        if (v == null || v.isNull()) return "none";
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode e : v) parts.add(words(e));
            return String.join(",", parts);
        }
        if (v.isValueNode()) return v.asText();
        return v.toString();
    }

    /** The paths of a tree's values (objects descended, arrays and values as leaves). */
    static Set<String> leafPaths(JsonNode n) {
        Set<String> out = new LinkedHashSet<>();
        leafPaths("", n, out);
        return out;
    }

    private static void leafPaths(String prefix, JsonNode n, Set<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                leafPaths(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.add(prefix);
        }
    }
}
