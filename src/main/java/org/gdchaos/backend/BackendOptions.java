package org.gdchaos.backend;

import java.util.Map;

/**
 * Options for creating a backend, e.g. {@code threads} (java), {@code platform}/{@code device}
 * (opencl), {@code device} (cuda). Unknown keys are ignored. System properties
 * {@code gdchaos.<backend>.<key>} fill keys not given here.
 *
 * @param values option values by key
 */
public record BackendOptions(Map<String, String> values) {
    public BackendOptions {
        values = Map.copyOf(values);
    }

    public static BackendOptions defaults() {
        return new BackendOptions(Map.of());
    }

    /** Value of {@code key}, else system property {@code gdchaos.<backend>.<key>}, else def. */
    public String get(String backend, String key, String def) {
        String v = values.get(key);
        if (v == null) v = System.getProperty("gdchaos." + backend + "." + key);
        return v == null ? def : v;
    }
}
