package org.gdchaos.sweep.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What started a run, for run.json's provenance: the command line with its arguments (as typed,
 * after {@code gdchaos}), or a program through the Java API (the spec built in code).
 *
 * @param args the command-line arguments; null for the Java API
 */
public record Invocation(List<String> args) {
    /** A sweep built in code ({@code org.gdchaos.api}). */
    public static final Invocation JAVA_API = new Invocation(null);

    public Invocation {
        args = args == null ? null : List.copyOf(args);
    }

    /** The command line {@code gdchaos ARGS…}. */
    public static Invocation commandLine(List<String> args) {
        return new Invocation(args);
    }

    /** {@code {"via": "command line", "args": [...]}} or {@code {"via": "Java API"}}. */
    ObjectNode json() {
        ObjectNode n = RunInfo.JSON.createObjectNode();
        if (args == null) {
            n.put("via", "Java API");
            return n;
        }
        n.put("via", "command line");
        n.putArray("args").addAll(args.stream().map(n::textNode).toList());
        return n;
    }
}
