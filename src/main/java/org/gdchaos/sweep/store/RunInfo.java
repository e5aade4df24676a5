package org.gdchaos.sweep.store;

import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.InputException;
import org.gdchaos.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code run.json}: the spec (every parameter, {@link SpecJson}), the provenance of the run
 * ({@link #provenance}: gdchaos version and git commit from the build, host, Java, OS, the command
 * line), backend and device, plan, status, wall time and throughput. The {@code spec} member is what
 * resuming compares (as a value, {@link SpecJson#read}).
 * {@code runs} is the history of every run on the folder, one entry per start (the first run and
 * each resumption): {@code started}, {@code ended}, {@code status} ({@code running} while it runs or if it
 * was killed, {@code complete}), {@code cells_planned}, {@code cells_done}, {@code wall_seconds},
 * {@code trajectory_steps}, {@code trajectory_steps_per_second}, its provenance, {@code plan},
 * {@code backend}, {@code device}.
 * The top-level {@code wall_seconds} and {@code trajectory_steps} are the sums over the runs.
 */
public final class RunInfo {
    public static final String FILE = "run.json";
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunInfo() {
    }

    /** The spec as run.json records it ({@link SpecJson#tree}). */
    public static JsonNode specTree(SweepSpec spec) {
        return SpecJson.tree(spec);
    }

    /** What the build recorded ({@code org/gdchaos/build.properties}, written by Maven); empty when absent. */
    private static final Properties BUILD = loadBuild();

    private static Properties loadBuild() {
        Properties p = new Properties();
        try (InputStream in = RunInfo.class.getResourceAsStream("/org/gdchaos/build.properties")) {
            if (in != null) p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // no provenance beats no run: version() falls back to the manifest
        }
        return p;
    }

    /**
     * Version of gdchaos from the build ({@code project.version}, recorded by Maven in
     * {@code org/gdchaos/build.properties}), else the jar manifest's, else "dev" (classes not built by Maven).
     */
    public static String version() {
        String v = BUILD.getProperty("version", "").trim();
        if (!v.isEmpty() && !v.startsWith("${")) return v;
        v = RunInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The git commit the classes were built from, or null when the build did not know it (no .git, no git). */
    public static String commit() {
        String c = BUILD.getProperty("commit", "").trim();
        return c.matches("[0-9a-f]{7,64}") ? c : null;
    }

    /** Whether the build's working tree had uncommitted changes to tracked files (meaningful with {@link #commit}). */
    public static boolean uncommittedChanges() {
        return Boolean.parseBoolean(BUILD.getProperty("dirty", "false").trim());
    }

    /** This machine's host name ("unknown" when it cannot be found); looked up once. */
    public static String host() {
        return Host.NAME;
    }

    private static final class Host {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException | SecurityException e) {
                String h = System.getenv("HOSTNAME");
                return h == null || h.isBlank() ? "unknown" : h;
            }
        }
    }

    /** The Java runtime: version and VM. */
    static String java() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
    }

    /**
     * Provenance of this process into {@code n}: {@code version}, {@code commit} (null when unknown),
     * {@code uncommitted_changes} (with a commit), {@code host}, {@code java}, {@code os} and
     * {@code command} ({@link Invocation#json}).
     */
    public static void provenance(ObjectNode n, Invocation invocation) {
        n.put("version", version());
        String commit = commit();
        n.put("commit", commit);
        if (commit != null) n.put("uncommitted_changes", uncommittedChanges());
        n.put("host", host());
        n.put("java", java());
        n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        n.set("command", invocation.json());
    }

    public static void write(Path dir, ObjectNode node) {
        AtomicFiles.write(dir.resolve(FILE), tmp -> JSON.writeValue(tmp.toFile(), node),
                why -> OutputFolderException.resumable(why + "; free space or fix the folder, then resume the sweep"));
    }

    /**
     * Whether {@code dir}'s run.json records a sweep: a JSON object whose {@code spec} is an object.
     * A run.json that cannot be read is reported by {@link #previous} (true here, so its reader says why).
     */
    static boolean namesASweep(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return false;
        try {
            JsonNode n = read(f);
            return n != null && n.path("spec").isObject();
        } catch (IOException | InputException e) {
            return true;
        }
    }

    /**
     * The run.json {@code f} in today's form: the one reader of run.json (resume, {@code gdchaos report},
     * merge's shards, the onset search), so that every reader sees one form and a run.json of a newer
     * gdchaos is refused by each with the same message. A JSON object is upgraded
     * ({@link RunJsonUpgrade#upgrade}); any other JSON value is returned as it is, for the caller to
     * refuse in its words; null when there is no file, or it is empty.
     *
     * @throws InputException naming {@code f}: a format above {@link RunJsonUpgrade#FORMAT} ("written by a
     *                        newer gdchaos"), a damaged format member, or a flat spec that cannot be converted
     * @throws IOException    when it cannot be read or is not JSON
     */
    public static JsonNode read(Path f) throws IOException {
        if (!Files.exists(f)) return null;
        JsonNode n = JSON.readTree(f.toFile());
        if (n == null || n.isMissingNode()) return null;
        return n instanceof ObjectNode o ? RunJsonUpgrade.upgrade(o, f.toString()) : n;
    }

    /**
     * The run.json of an earlier run in dir in today's form ({@link #read}), or null when there is none.
     *
     * @throws OutputFolderException when it cannot be read, is not a JSON object or cannot be upgraded
     */
    public static ObjectNode previous(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        try {
            if (!(read(f) instanceof ObjectNode o)) throw new OutputFolderException(f + " is not a JSON object");
            return o;
        } catch (InputException e) { // a newer format, or a spec that cannot be converted
            throw new OutputFolderException("cannot resume the sweep in " + dir + ": " + e.getMessage()
                    + "; choose another output folder");
        } catch (IOException e) {
            throw new OutputFolderException("cannot read " + f + ": " + e.getMessage().lines().findFirst().orElse("")
                    + " (delete the folder's files or choose another output folder)");
        }
    }

    /**
     * The {@code runs} history: the earlier runs (from the previous run.json, {@link #previous}: a file
     * written before histories existed has one entry from its top-level numbers) and this run's entry, updated
     * as cells are done: {@code started} and {@code ended} (ISO-8601 instants, {@code ended} the
     * last update while it runs), status, cells, wall time and throughput, plan, backend and
     * device, and this run's provenance ({@link #provenance}).
     */
    public static final class History {
        private final ArrayNode earlier = JSON.createArrayNode();
        private final ObjectNode current = JSON.createObjectNode();
        private double earlierSeconds;
        private long earlierSteps;

        public History(ObjectNode previous, java.time.Instant started, int cellsPlanned, Invocation invocation) {
            if (previous != null) {
                for (JsonNode r : previous.path("runs")) {
                    ObjectNode c = (ObjectNode) r.deepCopy();
                    // a run that never finished was killed (or failed) mid-way
                    if (c.path("status").asText().equals("running")) c.put("status", "interrupted");
                    earlier.add(c);
                }
                for (JsonNode r : earlier) {
                    earlierSeconds += r.path("wall_seconds").asDouble();
                    earlierSteps += r.path("trajectory_steps").asLong();
                }
            }
            current.put("started", started.toString());
            current.put("ended", started.toString());
            current.put("status", "running");
            current.put("cells_planned", cellsPlanned);
            provenance(current, invocation);
        }

        /** Records this run's progress; returns this. */
        public History update(int cellsDone, double seconds, long trajectorySteps) {
            current.put("ended", java.time.Instant.now().toString());
            current.put("cells_done", cellsDone);
            current.put("wall_seconds", seconds);
            current.put("trajectory_steps", trajectorySteps);
            current.put("trajectory_steps_per_second", seconds > 0 ? trajectorySteps / seconds : 0);
            return this;
        }

        public History finish(String status) {
            current.put("ended", java.time.Instant.now().toString());
            current.put("status", status);
            return this;
        }

        public double totalSeconds() {
            return earlierSeconds + current.path("wall_seconds").asDouble();
        }

        public long totalTrajectorySteps() {
            return earlierSteps + current.path("trajectory_steps").asLong();
        }

        /** Every run, this one last, with this run's plan, backend and device. */
        public ArrayNode runs(String plan, String backend, String device) {
            current.put("plan", plan);
            current.put("backend", backend);
            current.put("device", device);
            ArrayNode all = earlier.deepCopy();
            all.add(current.deepCopy());
            return all;
        }
    }

    /** The spec recorded by an earlier run in dir, in today's form ({@link #read}), or null when there is none. */
    public static JsonNode previousSpec(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        try {
            JsonNode n = read(f);
            return n == null ? null : n.get("spec");
        } catch (IOException e) {
            throw new InputException("cannot read " + f + ": " + e.getMessage());
        }
    }
}
