package org.gdchaos.lyapunov;

/**
 * A setting of {@link LyapunovConfig} that only some methods use ({@link LyapunovMethod#uses}); the
 * others ignore it. {@link #key} names it in {@link org.gdchaos.InputException#setting}.
 */
public enum LyapunovSetting {
    REPLICAS("lyapunov.replicas"),
    EXPONENTS("lyapunov.exponents"),
    EPSILON("lyapunov.epsilon"),
    RENORM_EVERY("lyapunov.renormEvery"),
    TRANSIENT("lyapunov.transientSteps"),
    NORM("lyapunov.norm"),
    FIT("lyapunov.fit");

    private final String key;

    LyapunovSetting(String key) {
        this.key = key;
    }

    /** The setting's name in errors and run.json ({@code lyapunov.replicas}, …). */
    public String key() {
        return key;
    }
}
