package org.gdchaos.hessian;

import org.gdchaos.backend.DType;

/**
 * Settings of the batched Lanczos eigen-solver.
 *
 * @param maxIterations Krylov dimension cap m (also capped by P); memory (m+1)·T·P elements
 * @param tolerance     a Ritz pair (θ_i, y_i) is converged when its residual
 *                      {@code ‖H y_i − θ_i y_i‖ = |β_m s_{m,i}| ≤ tolerance·max(|θ_1|, 1e-30)}
 *                      (the eigenvalue error is at most the residual, and of order residual²/gap)
 * @param seed          seed of the random start vectors
 */
public record LanczosConfig(int maxIterations, double tolerance, long seed) {
    public LanczosConfig {
        if (maxIterations < 1) throw new IllegalArgumentException("Lanczos needs at least one iteration");
        if (!(tolerance > 0)) throw new IllegalArgumentException("Lanczos tolerance must be positive");
    }

    /** 60 iterations, relative residual 1e-10 (f64) or 1e-5 (f32). */
    public static LanczosConfig defaults(DType dtype) {
        return new LanczosConfig(60, dtype == DType.F64 ? 1e-10 : 1e-5, 0x5EED);
    }
}
