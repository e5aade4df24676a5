package org.gdchaos.onset;

/** What a learning rate's initialisations say about λ1 against λ* (docs/science.md#onset). */
public enum Verdict {
    /** λ1 is below λ* with 95% confidence (the upper end of the mean's Student-t interval &lt; λ*). */
    REGULAR,
    /**
     * λ1 exceeds λ* with 95% confidence (the lower end of the interval &gt; λ*), or at least half of
     * the initialisations diverged (their trajectories separate without bound).
     */
    CHAOTIC,
    /** Neither: the interval contains λ*, or fewer than two finite λ1 values. */
    UNDECIDED;

    /** Lower-case name, as the files write it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
