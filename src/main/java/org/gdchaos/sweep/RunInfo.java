package org.gdchaos.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code run.json}: the spec (every parameter), backend and device, plan, versions, status,
 * wall time and throughput. The {@code spec} member is what {@code --resume} compares.
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
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The spec recorded by an earlier run in dir, or null when there is none. */
    static JsonNode previousSpec(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        try {
            return JSON.readTree(f.toFile()).get("spec");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
        }
    }
}
