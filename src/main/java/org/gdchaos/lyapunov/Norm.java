package org.gdchaos.lyapunov;

import org.gdchaos.Setting;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.gdchaos.InputException;
import java.util.Locale;

/** Distance between trajectories: L1 {@code Σ|w−w'|} (the paper's) or L2 {@code √Σ(w−w')²}. */
public enum Norm {
    L1, L2;

    /** Parses {@code l1|l2}, in any case (run.json of earlier versions has {@code L1}). */
    @JsonCreator
    public static Norm parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "l1": return L1;
            case "l2": return L2;
            default: throw new InputException(Setting.NORM.key(), "unknown norm '" + s + "' (use l1 or l2)");
        }
    }

    /** The name {@code --norm} takes ({@code l1}, {@code l2}; also in run.json). */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
