package org.gdchaos.backend.cuda;

import java.util.List;
import java.util.Map;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.kernels.OpsSignatures;

/**
 * Parameter types of every kernel, parsed from the real {@code ops.cl} on the classpath, to
 * check that launches pack exactly what the kernel declares: pointer → {@link KernelArg.Ptr},
 * {@code int} → I32, {@code OFF_T} → I64 (64-bit), {@code REAL} → F32 or F64 by dtype.
 */
final class KernelSignatures {
    private KernelSignatures() {
    }

    /** Kernel name → parameter kinds, parsed from ops.cl ({@link OpsSignatures}). */
    static Map<String, List<String>> parse() {
        return OpsSignatures.kinds();
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
