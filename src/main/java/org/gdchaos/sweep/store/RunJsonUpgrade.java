package org.gdchaos.sweep.store;

import org.gdchaos.Setting;

import org.gdchaos.sweep.SweepSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gdchaos.InputException;
import org.gdchaos.Setting;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.data.DataSpec;
import org.gdchaos.data.Normalization;

/**
 * The one upgrade step of run.json: what a run.json of an earlier format means, in today's form, so that
 * the readers of run.json (resume, merge, report, onset) read one form only.
 *
 * <p>{@link #FORMAT} is the format a sweep writes (run.json's {@code "format"} member). Format 0 is every
 * run.json written before the member existed (no {@code "format"}): its {@code spec} may be
 * <ul>
 *   <li>the flat spec of versions before the nesting (15 settings at the top level, enums as constant
 *       names), moved into its groups ({@link #fromFlat});</li>
 *   <li>without settings added later, filled with the value that means what the sweep did before they
 *       existed ({@link #ADDED}): the test data a split of the training source, the features as given
 *       ({@code auto}), no weight decay ({@code [0.0]}, weights only), GD, and no extra measurements
 *       ({@code sharpnessK} 1);</li>
 * </ul>
 * and it may lack the {@code runs} history (written before histories), which becomes one entry from its
 * top-level numbers. Format 1 adds nothing but the {@code "format"} member, so the upgrade of a format-0
 * file of this version changes only what was absent. A format above {@link #FORMAT} (a newer gdchaos)
 * is refused.
 */
public final class RunJsonUpgrade {
    /** The format of the run.json this version writes. */
    public static final int FORMAT = 1;
    /** run.json's member naming its format. */
    public static final String MEMBER = "format";

    /** The group of the extra measurements' settings ({@code measurement.extras}). */
    private static final String EXTRAS = Setting.SHARPNESS.group();

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
        FLAT.put("sharpness", EXTRAS);
    }

    /**
     * Settings added to the spec after the nesting, each with the value that reads as the sweep did before
     * it existed; an object's absent members are filled one by one ({@code extras} recorded before
     * {@code sharpnessK}). The momentum grid is not here: absent is its current form (not an axis).
     */
    static final Map<String, JsonNode> ADDED = new LinkedHashMap<>();

    static {
        ADDED.put(Setting.TEST_DATA.key(), RunInfo.JSON.valueToTree(DataSpec.SPLIT));
        ADDED.put(Setting.NORMALIZE.key(), RunInfo.JSON.valueToTree(Normalization.AUTO));
        ADDED.put(Setting.WEIGHT_DECAYS.key(), RunInfo.JSON.createArrayNode().add(0.0));
        ADDED.put(Setting.DECAY_BIASES.key(), RunInfo.JSON.valueToTree(false));
        ADDED.put(Setting.OPTIMIZER.key(), RunInfo.JSON.valueToTree(Optimizer.GD));
        ADDED.put(EXTRAS, RunInfo.JSON.valueToTree(SweepSpec.Extras.NONE));
    }

    private RunJsonUpgrade() {
    }

    /**
     * The format of a run.json: its {@code "format"} member, 0 when absent.
     *
     * @throws InputException for a format that is not a whole number from 0 to {@link #FORMAT}
     */
    public static int format(JsonNode runJson) {
        return format(runJson, RunInfo.FILE);
    }

    /** {@link #format(JsonNode)}, its message naming the file {@code name}. */
    static int format(JsonNode runJson, String name) {
        JsonNode f = runJson == null ? null : runJson.get(MEMBER);
        if (f == null) return 0;
        if (!f.isInt() || f.asInt() < 0) {
            throw new InputException(name + "'s " + MEMBER + " is " + f + ", not a format number: the file is damaged");
        }
        if (f.asInt() > FORMAT) {
            throw new InputException(name + " has format " + f.asInt() + ", written by a newer gdchaos (this version "
                    + "reads formats up to " + FORMAT + "): use that version, or a newer one");
        }
        return f.asInt();
    }

    /**
     * A run.json in today's form: a copy with its spec upgraded ({@link #spec}), the {@code runs} history
     * made from the top-level numbers when absent, and {@code "format"} {@link #FORMAT}. A file of today's
     * format is returned as it is.
     *
     * @throws InputException for a format above {@link #FORMAT}, or a flat spec that cannot be converted
     */
    public static ObjectNode upgrade(ObjectNode runJson) {
        return upgrade(runJson, RunInfo.FILE);
    }

    /** {@link #upgrade(ObjectNode)}, its messages naming the file {@code name}. */
    static ObjectNode upgrade(ObjectNode runJson, String name) {
        if (format(runJson, name) == FORMAT) return runJson;
        ObjectNode up = runJson.deepCopy();
        JsonNode spec = up.get("spec");
        if (spec != null && spec.isObject()) up.set("spec", spec(spec));
        if (!(up.get("runs") instanceof ArrayNode)) {
            ObjectNode r = up.putArray("runs").addObject();
            r.put("status", runJson.path("status").asText("unknown"));
            r.put("wall_seconds", runJson.path("wall_seconds").asDouble());
            r.put("trajectory_steps", runJson.path("trajectory_steps").asLong());
            r.put("plan", runJson.path("plan").asText(""));
        }
        up.put(MEMBER, FORMAT);
        return up;
    }

    /**
     * A recorded spec in today's form: the flat spec moved into its groups, the {@link #ADDED} settings it
     * lacks filled. A spec of today's form is returned equal. Settings it lacks that are not added ones
     * are left absent ({@link SpecJson#read} names them).
     *
     * @throws InputException naming a setting of a flat spec that is not one of its 15
     */
    public static JsonNode spec(JsonNode recorded) {
        if (!(recorded instanceof ObjectNode o)) return recorded;
        ObjectNode nested = isFlat(o) ? fromFlat(o) : o.deepCopy();
        for (Map.Entry<String, JsonNode> e : ADDED.entrySet()) {
            String[] path = e.getKey().split("\\.");
            JsonNode group = nested;
            for (int i = 0; i < path.length - 1 && group != null; i++) group = group.get(path[i]);
            if (!(group instanceof ObjectNode g)) continue; // the group is missing: read names the settings
            JsonNode v = g.get(path[path.length - 1]);
            if (v == null || v.isNull()) g.set(path[path.length - 1], e.getValue().deepCopy());
            else if (v instanceof ObjectNode have && e.getValue().isObject()) fill(have, e.getValue());
        }
        return nested;
    }

    /** Adds to {@code have} the members of {@code defaults} it lacks. */
    private static void fill(ObjectNode have, JsonNode defaults) {
        for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            JsonNode v = have.get(d.getKey());
            if (v == null || v.isNull()) have.set(d.getKey(), d.getValue().deepCopy());
        }
    }

    /** Whether a recorded spec has the flat shape of versions before the nesting ({@code "data": "mnist-10k"}, …). */
    static boolean isFlat(JsonNode recorded) {
        JsonNode data = recorded.get("data");
        return (data != null && data.isTextual()) || recorded.has("steps") || recorded.has("learningRates");
    }

    /**
     * The flat spec of earlier versions in today's shape: each of its 15 settings moved into its group.
     *
     * @throws InputException naming a setting that is not one of the 15 (a required one that is missing
     *                        is named by {@link SpecJson#read})
     */
    static ObjectNode fromFlat(ObjectNode flat) {
        List<String> unknown = new java.util.ArrayList<>();
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
}
