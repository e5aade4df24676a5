package org.gdchaos.lyapunov;

import org.gdchaos.Setting;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Lyapunov method (docs/science.md, sections 2 and 4–6), and the registry of their
 * implementations: each constant holds the {@link LyapunovMethod} that knows everything about it.
 * Adding a method = one {@link LyapunovMethod} class plus one constant here.
 */
public enum Method {
    /** Free divergence of M replicas without renormalisation; λ fitted from ln⟨d(t)⟩. */
    PAPER(new PaperMethod()),
    /** Maximum exponent with renormalisation to δ0 every τ steps (Benettin et al.). */
    BENETTIN(new BenettinMethod()),
    /** K exponents from K replicas re-orthonormalised every τ steps. */
    SPECTRUM(new SpectrumMethod()),
    /** K exponents from exact tangent vectors v ← v − η·H·v (Hessian-vector products). */
    TANGENT(new TangentMethod());

    private final LyapunovMethod impl;

    Method(LyapunovMethod impl) {
        this.impl = impl;
    }

    /** The implementation: defaults, validation, memory and tracker of this method. */
    public LyapunovMethod impl() {
        return impl;
    }

    /** Parses a {@link #label()}, in any case (run.json of earlier versions has {@code PAPER}). */
    @JsonCreator
    public static Method parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new org.gdchaos.InputException(Setting.METHOD.key(), "unknown Lyapunov method '" + s + "' (use "
                    + java.util.Arrays.stream(values()).map(Method::label)
                            .collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
    }

    /** The name {@code --method} takes ({@code paper}, …; also in run.json). */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
