package org.gdchaos.backend.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.kernels.KernelSource;

/**
 * Parameter types of every kernel, parsed from the real {@code ops.cl} on the classpath, to
 * check that launches pack exactly what the kernel declares: pointer → {@link KernelArg.Ptr},
 * {@code int} → I32, {@code OFF_T} → I64 (64-bit), {@code REAL} → F32 or F64 by dtype.
 */
final class KernelSignatures {
    private static final Pattern KERNEL = Pattern.compile("KERNEL\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");

    private KernelSignatures() {
    }

    static Map<String, List<String>> parse() {
        String src = KernelSource.read("ops.cl").replaceAll("/\\*(?s).*?\\*/", "");
        Map<String, List<String>> out = new HashMap<>();
        Matcher m = KERNEL.matcher(src);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            for (String p : m.group(2).split(",")) {
                String s = p.trim().replaceAll("\\s+", " ");
                if (s.contains("*")) types.add("ptr");
                else if (s.startsWith("int ")) types.add("int");
                else if (s.startsWith("OFF_T ")) types.add("off");
                else if (s.startsWith("REAL ")) types.add("real");
                else throw new IllegalStateException("unknown parameter type: " + s);
            }
            out.put(m.group(1), types);
        }
        return out;
    }

    /** The parsed type name that a packed argument must match. */
    static String kind(KernelArg a, DType dtype) {
        if (a instanceof KernelArg.Ptr) return "ptr";
        if (a instanceof KernelArg.I32) return "int";
        if (a instanceof KernelArg.I64) return "off";
        if (a instanceof KernelArg.F32) return dtype == DType.F32 ? "real" : "float-in-f64-kernel";
        return dtype == DType.F64 ? "real" : "double-in-f32-kernel";
    }
}
