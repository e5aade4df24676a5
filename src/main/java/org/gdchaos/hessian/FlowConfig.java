package org.gdchaos.hessian;

import org.gdchaos.backend.DType;

/**
 * Settings of the gradient-flow integrator ({@link GradientFlow}).
 *
 * @param gradientTolerance stop a trajectory when {@code ‖∇L(w)‖₂ ≤ gradientTolerance}
 * @param maxTime           stop at flow time t ≥ maxTime (in units of η·steps: GD with step η
 *                          covers time η per step)
 * @param maxSteps          cap on accepted + rejected Runge–Kutta steps (the whole batch)
 * @param relTol            relative local error tolerance (RMS norm over the parameters)
 * @param absTol            absolute local error tolerance (RMS norm)
 */
public record FlowConfig(double gradientTolerance, double maxTime, int maxSteps, double relTol, double absTol) {
    public FlowConfig {
        if (!(gradientTolerance > 0)) throw new IllegalArgumentException("gradient tolerance must be positive");
        if (!(maxTime > 0)) throw new IllegalArgumentException("flow time cap must be positive");
        if (maxSteps < 1) throw new IllegalArgumentException("flow needs at least one step");
        if (!(relTol > 0) || !(absTol > 0)) throw new IllegalArgumentException("flow tolerances must be positive");
    }

    /**
     * f64: ‖∇L‖ ≤ 1e-10, rtol 1e-10, atol 1e-12; f32: 1e-5, 1e-6, 1e-7; both: flow time ≤ 1e5 and
     * ≤ 20000 Runge–Kutta steps (6 full-batch gradients each). Losses without a minimiser
     * (cross-entropy on separable data) never meet the gradient tolerance: their "limit" is the
     * point reached at the cap.
     */
    public static FlowConfig defaults(DType dtype) {
        return dtype == DType.F64 ? new FlowConfig(1e-10, 1e5, 20_000, 1e-10, 1e-12)
                : new FlowConfig(1e-5, 1e5, 20_000, 1e-6, 1e-7);
    }
}
