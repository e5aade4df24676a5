package org.gdchaos.lyapunov;

import org.gdchaos.Setting;

/**
 * A setting of {@link LyapunovConfig} that only some methods use ({@link LyapunovMethod#uses}); the
 * others ignore it. Each is a {@link Setting} of the {@code lyapunov} group ({@link #setting}), whose
 * key names it in {@link org.gdchaos.InputException#setting}.
 */
public enum LyapunovSetting {
    REPLICAS(Setting.REPLICAS),
    EXPONENTS(Setting.EXPONENTS),
    EPSILON(Setting.EPSILON),
    RENORM_EVERY(Setting.RENORM_EVERY),
    TRANSIENT(Setting.TRANSIENT_STEPS),
    NORM(Setting.NORM),
    FIT(Setting.FIT);

    private final Setting setting;

    LyapunovSetting(Setting setting) {
        this.setting = setting;
    }

    /** The setting in the table of all settings. */
    public Setting setting() {
        return setting;
    }

    /** The setting's name in errors and run.json ({@code lyapunov.replicas}, …). */
    public String key() {
        return setting.key();
    }
}
