package org.gdchaos.lyapunov;

import java.util.Locale;

/** Lyapunov method (docs/science.md, sections 2 and 4–6). */
public enum Method {
    /** Free divergence of M replicas without renormalisation; λ fitted from ln⟨d(t)⟩. */
    PAPER,
    /** Maximum exponent with renormalisation to δ0 every τ steps (Benettin et al.). */
    BENETTIN,
    /** K exponents from K replicas re-orthonormalised every τ steps. */
    SPECTRUM,
    /** K exponents from exact tangent vectors v ← v − η·H·v (Hessian-vector products). */
    TANGENT;

    public static Method parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown method '" + s + "' (use paper, benettin, spectrum or tangent)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
