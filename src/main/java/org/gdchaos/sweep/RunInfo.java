package org.gdchaos.sweep;

import org.gdchaos.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code run.json}: the spec (every parameter), backend and device, plan, versions, status,
 * wall time and throughput. The {@code spec} member is what resuming compares.
 * {@code runs} is the history of every run on the folder, one entry per start (the first run and
 * each resumption): {@code started}, {@code status} ({@code running} while it runs or if it
 * was killed, {@code complete}), {@code cells_planned}, {@code cells_done}, {@code wall_seconds},
 * {@code trajectory_steps}, {@code trajectory_steps_per_second}, {@code plan}, {@code backend}.
 * The top-level {@code wall_seconds} and {@code trajectory_steps} are the sums over the runs.
 */
public final class RunInfo {
    public static final String FILE = "run.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunInfo() {
    }

    /**
     * The spec as the JSON tree that {@link #previousSpec} reads back: round-tripped through text, because
     * {@code valueToTree} keeps Java's number types (a long seed is a LongNode) while parsing picks the
     * smallest (IntNode), and JsonNode equality compares node types.
     */
    static JsonNode specTree(SweepSpec spec) {
        try {
            return JSON.readTree(JSON.writeValueAsString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the sweep spec: " + e.getMessage(), e);
        }
    }

    /** Version of gdchaos from the jar manifest, or "dev". */
    public static String version() {
        String v = RunInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static void write(Path dir, ObjectNode node) {
        try {
            Path tmp = dir.resolve(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), node);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw OutputFolderException.resumable("cannot write " + dir.resolve(FILE) + ": " + e.getMessage()
                    + "; free space or fix the folder, then resume the sweep");
        }
    }

    /** The run.json of an earlier run in dir, or null when there is none. */
    static ObjectNode previous(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (!(n instanceof ObjectNode o)) throw new OutputFolderException(f + " is not a JSON object");
            return o;
        } catch (IOException e) {
            throw new OutputFolderException("cannot read " + f + ": " + e.getMessage().lines().findFirst().orElse("")
                    + " (delete the folder's files or choose another output folder)");
        }
    }

    /**
     * The {@code runs} history: the earlier runs (from the previous run.json; a file written before
     * histories existed becomes one entry from its top-level numbers) and this run's entry, updated
     * as cells are done.
     */
    static final class History {
        private final ArrayNode earlier = JSON.createArrayNode();
        private final ObjectNode current = JSON.createObjectNode();
        private double earlierSeconds;
        private long earlierSteps;

        History(ObjectNode previous, java.time.Instant started, int cellsPlanned) {
            if (previous != null) {
                JsonNode runs = previous.get("runs");
                if (runs != null && runs.isArray()) {
                    for (JsonNode r : runs) {
                        ObjectNode c = (ObjectNode) r.deepCopy();
                        // a run that never finished was killed (or failed) mid-way
                        if (c.path("status").asText().equals("running")) c.put("status", "interrupted");
                        earlier.add(c);
                    }
                } else {
                    ObjectNode r = earlier.addObject();
                    r.put("status", previous.path("status").asText("unknown"));
                    r.put("wall_seconds", previous.path("wall_seconds").asDouble());
                    r.put("trajectory_steps", previous.path("trajectory_steps").asLong());
                    r.put("plan", previous.path("plan").asText(""));
                }
                for (JsonNode r : earlier) {
                    earlierSeconds += r.path("wall_seconds").asDouble();
                    earlierSteps += r.path("trajectory_steps").asLong();
                }
            }
            current.put("started", started.toString());
            current.put("status", "running");
            current.put("cells_planned", cellsPlanned);
        }

        /** Records this run's progress; returns this. */
        History update(int cellsDone, double seconds, long trajectorySteps) {
            current.put("cells_done", cellsDone);
            current.put("wall_seconds", seconds);
            current.put("trajectory_steps", trajectorySteps);
            current.put("trajectory_steps_per_second", seconds > 0 ? trajectorySteps / seconds : 0);
            return this;
        }

        History finish(String status) {
            current.put("status", status);
            return this;
        }

        double totalSeconds() {
            return earlierSeconds + current.path("wall_seconds").asDouble();
        }

        long totalTrajectorySteps() {
            return earlierSteps + current.path("trajectory_steps").asLong();
        }

        /** Every run, this one last, with this run's plan and backend. */
        ArrayNode runs(String plan, String backend) {
            current.put("plan", plan);
            current.put("backend", backend);
            ArrayNode all = earlier.deepCopy();
            all.add(current.deepCopy());
            return all;
        }
    }

    /** The spec recorded by an earlier run in dir, or null when there is none. */
    static JsonNode previousSpec(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        try {
            return JSON.readTree(f.toFile()).get("spec");
        } catch (IOException e) {
            throw new InputException("cannot read " + f + ": " + e.getMessage());
        }
    }
}
