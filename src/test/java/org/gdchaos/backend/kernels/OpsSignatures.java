package org.gdchaos.backend.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of every kernel, parsed from the real {@code ops.cl} on the classpath (comments
 * removed): each parameter's kind ({@code ptr} for any pointer, {@code int}, {@code off} for
 * OFF_T, {@code real}) and name, in file order. Shared by the table test and the CUDA launch tests.
 */
public final class OpsSignatures {
    private static final Pattern KERNEL = Pattern.compile("KERNEL\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");

    /** One C parameter. */
    public record Param(String kind, String name) {
    }

    private OpsSignatures() {
    }

    /** Kernel name → parameters, in ops.cl order. */
    public static Map<String, List<Param>> parse() {
        String src = KernelSource.read("ops.cl").replaceAll("/\\*(?s).*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, List<Param>> out = new LinkedHashMap<>();
        Matcher m = KERNEL.matcher(src);
        while (m.find()) {
            List<Param> params = new ArrayList<>();
            for (String p : m.group(2).split(",")) {
                String s = p.trim().replaceAll("\\s+", " ");
                String name = s.substring(s.lastIndexOf(' ') + 1);
                String kind;
                if (s.contains("*")) kind = "ptr";
                else if (s.startsWith("int ")) kind = "int";
                else if (s.startsWith("OFF_T ")) kind = "off";
                else if (s.startsWith("REAL ")) kind = "real";
                else throw new IllegalStateException("unknown parameter type: " + s);
                params.add(new Param(kind, name));
            }
            out.put(m.group(1), params);
        }
        return out;
    }

    /** Kernel name → parameter kinds only. */
    public static Map<String, List<String>> kinds() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        parse().forEach((k, ps) -> out.put(k, ps.stream().map(Param::kind).toList()));
        return out;
    }
}
