package org.gdchaos.backend;

import org.gdchaos.Setting;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.gdchaos.InputException;

/** Element type of a device buffer. */
public enum DType {
    F32(4, "f32"),
    F64(8, "f64");

    private final int bytes;
    private final String label;

    DType(int bytes, String label) {
        this.bytes = bytes;
        this.label = label;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Short name used on the command line and in outputs (run.json too): {@code f32} or {@code f64}. */
    @JsonValue
    public String label() {
        return label;
    }

    /** Unit round-off of the type (2^-24 for f32, 2^-53 for f64). */
    public double epsilon() {
        return this == F32 ? 0x1p-24 : 0x1p-53;
    }

    /** Parses {@code f32|float32|float|f64|float64|double}, in any case (run.json of earlier versions has {@code F64}). */
    @JsonCreator
    public static DType parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "f32": case "float32": case "float": return F32;
            case "f64": case "float64": case "double": return F64;
            default: throw new InputException(Setting.DTYPE.key(), "unknown dtype '" + s + "' (use f32 or f64)");
        }
    }
}
