package org.gdchaos.sweep.store;

import org.gdchaos.sweep.SpecDifference;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.Setting;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
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
 * {@link #read} reads a spec of any run.json format through the one upgrade step
 * ({@link RunJsonUpgrade#spec}: the flat spec of versions before the nesting, settings added later);
 * what it cannot convert it refuses, naming it.
 * Resuming, merging and resubmitting compare specs as values ({@link SweepSpec#equals}), never as
 * JSON trees, so the two shapes of one sweep are the same sweep.
 */
public final class SpecJson {
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
     * The spec a recorded tree describes, of any run.json format ({@link RunJsonUpgrade#spec}); every
     * setting must be recorded once upgraded.
     *
     * @throws InputException naming what cannot be read: a setting this version does not know, one
     *                        that is missing, or a value out of range
     */
    public static SweepSpec read(JsonNode recorded) {
        if (recorded == null || !recorded.isObject()) {
            throw new InputException("the sweep settings recorded in run.json are not a JSON object: " + recorded);
        }
        JsonNode nested = RunJsonUpgrade.spec(recorded);
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
            if (v.isMissingNode() || v.isNull()) missing.add(p);
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
