package org.gdchaos.onset;

import org.gdchaos.Setting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gdchaos.io.AtomicFiles;
import org.gdchaos.sweep.store.OutputFolderException;

/**
 * {@code onset.json}: the settings, every round (its new points, added initialisations, every
 * visited η's verdict, the brackets after it) and the answer. Its bytes depend on the finished rows
 * only (no times, no paths), so a resumed search ends with the same file.
 */
final class OnsetJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** onset.json's settings member → the setting key its errors name (the command line maps it to a flag). */
    static final Map<String, String> SETTING_KEYS = Map.of("range", Setting.ONSET_RANGE.key(),
            "points", Setting.ONSET_POINTS.key(), "max_rounds", Setting.ONSET_MAX_ROUNDS.key(),
            "tolerance", Setting.ONSET_TOLERANCE.key(), "chaos_threshold", Setting.ONSET_CHAOS_THRESHOLD.key(),
            "inits", Setting.INITS.key(), "max_inits", Setting.ONSET_MAX_INITS.key());

    private OnsetJson() {
    }

    static ObjectNode settings(OnsetSettings s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("range", s.rangeText());
        n.put("points", s.points());
        n.put("max_rounds", s.maxRounds());
        n.put("tolerance", s.tolerance());
        n.put("chaos_threshold", s.chaosThreshold());
        n.put("inits", s.inits());
        n.put("max_inits", s.maxInits());
        return n;
    }

    /** The settings back from onset.json's or run.json's member (written by {@link #settings}). */
    static OnsetSettings readSettings(JsonNode n) {
        double[] r = OnsetSettings.parseRange(n.path("range").asText(""));
        return new OnsetSettings(r[0], r[1], r[2] == 1, n.path("points").asInt(), n.path("max_rounds").asInt(),
                n.path("tolerance").asDouble(), n.path("chaos_threshold").asDouble(), n.path("inits").asInt(),
                n.path("max_inits").asInt());
    }

    static ObjectNode tree(OnsetSearch search, OnsetSearch.Replay replay, int cells) {
        Lattice l = search.lattice();
        ObjectNode n = JSON.createObjectNode();
        n.put("tool", "gdchaos onset");
        n.set("settings", settings(search.settings()));
        ObjectNode lat = n.putObject("lattice");
        lat.put("spacing", l.log() ? "log" : "linear");
        lat.put("lo", l.lo());
        lat.put("hi", l.hi());
        lat.put("intervals", l.intervals());
        n.put("status", replay.finished() ? "complete" : "running");
        if (replay.finished()) n.put("stopped", replay.stop().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode rounds = n.putArray("rounds");
        for (OnsetSearch.Done d : replay.rounds()) {
            ObjectNode r = rounds.addObject();
            r.put("round", d.round().round());
            ArrayNode np = r.putArray("new_points");
            for (int j : d.round().newPoints()) np.add(l.value(j));
            ArrayNode mi = r.putArray("more_inits");
            d.round().moreInits().forEach((j, range) -> {
                ObjectNode m = mi.addObject();
                m.put("lr", l.value(j));
                m.put("from", range[0]);
                m.put("to", range[1]);
            });
            r.put("cells", d.round().cells().size());
            state(r, d.after(), l);
        }
        if (replay.finished() && replay.state() != null) {
            OnsetAnswer a = OnsetAnswer.of(search, replay);
            ObjectNode ans = n.putObject("answer");
            ans.put("onset", a.onsetLine());
            ans.put("fastest", a.fastestLine());
            ans.put("onset_low", a.onsetLow());
            ans.put("onset_high", a.onsetHigh());
            ans.put("fastest_low", a.fastestLow());
            ans.put("fastest_high", a.fastestHigh());
            ans.put("fastest_median_steps", a.fastestSteps());
            ans.put("fastest_relative_to_onset", a.relation());
            ans.put("cells", cells);
            ans.put("uniform_grid_cells", (long) (l.intervals() + 1) * search.settings().inits());
        }
        return n;
    }

    private static void state(ObjectNode r, OnsetSearch.State s, Lattice l) {
        ArrayNode pts = r.putArray("points");
        for (PointResult p : s.points().values()) {
            ObjectNode o = pts.addObject();
            o.put("lr", p.lr());
            o.put("lr_index", p.index());
            o.put("cells", p.cells());
            o.put("diverged", p.diverged());
            o.put("lambda_1_mean", p.lambda1().mean());
            o.put("lambda_1_ci_low", p.lambda1().ciLow());
            o.put("lambda_1_ci_high", p.lambda1().ciHigh());
            o.put("verdict", p.verdict().label());
            o.put("steps_to_threshold_median", p.medianSteps());
        }
        OnsetSearch.Onset o = s.onset();
        ObjectNode on = r.putObject("onset");
        on.put("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
        if (o.low() >= 0) on.put("low", l.value(o.low()));
        if (o.high() >= 0) on.put("high", l.value(o.high()));
        if (o.low() >= 0 && o.high() >= 0) on.put("relative_width", l.relativeWidth(o.low(), o.high()));
        OnsetSearch.Fastest f = s.fastest();
        ObjectNode fa = r.putObject("fastest");
        fa.put("status", f.status().name().toLowerCase(java.util.Locale.ROOT));
        if (f.lowest() >= 0) {
            fa.put("low", l.value(f.lowest()));
            fa.put("high", l.value(f.highest()));
            fa.put("median_steps", f.steps());
            if (f.below() >= 0) fa.put("bracket_low", l.value(f.below()));
            if (f.above() >= 0) fa.put("bracket_high", l.value(f.above()));
        }
    }

    /** Writes {@code tree} to {@code file} atomically (a temporary file moved over it). */
    static void write(Path file, JsonNode tree) {
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, JSON.writeValueAsString(tree) + "\n", StandardCharsets.UTF_8),
                why -> OutputFolderException.resumable(why + "; the cells are "
                        + "saved: free space or fix the folder, then resume the search"));
    }
}
