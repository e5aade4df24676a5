package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.gdchaos.nn.CellSeeds;

/**
 * One row of {@code results.csv}: a cell's exponents, their uncertainty, fit, training metrics and
 * flags. Built by name with {@link #builder(Cell, long)}; every value not set is "missing" (NaN,
 * {@link #NONE}, false, empty), so a row never carries a placeholder by position.
 *
 * <p>Fields (accessors of the same names):
 * <ul>
 *   <li>{@code cell}, {@code seed}: the grid cell and the sweep seed; with {@code cell.init()} the seed
 *       determines every random number of the cell ({@link #initSeed()}, {@link #perturbSeed()});</li>
 *   <li>{@code exponents}: λ1 … λK (NaN when diverged, precision was lost, or no fit);
 *       {@code exponentStdErrs}: their standard errors ({@link ResultsCsv} documents the definition
 *       per method; NaN when undefined);</li>
 *   <li>{@code fitR2}, {@code fitStart}, {@code fitEnd}: R² and window of the paper fit (NaN /
 *       {@link #NONE} otherwise); {@code fitPoints}: points behind λ1 (fit window points, or counted
 *       renormalisation intervals; 0 when none);</li>
 *   <li>{@code kaplanYorke}: Kaplan–Yorke dimension (NaN for one exponent);</li>
 *   <li>{@code finalLoss}, {@code trainAcc}, {@code testLoss}, {@code testAcc}: the reference after the
 *       last step (accuracies NaN when undefined: single-output models);</li>
 *   <li>{@code stepsToThreshold}: first evaluated step with test accuracy ≥ threshold, {@link #NEVER}
 *       or {@link #NOT_APPLICABLE};</li>
 *   <li>{@code diverged}, {@code divergedStep}: whether any trajectory became non-finite, and the first
 *       step one did ({@link #NONE} if none);</li>
 *   <li>{@code precisionLost}: the perturbation could no longer be resolved next to the weights
 *       (docs/science.md#precision-lost); λ is NaN then;</li>
 *   <li>{@code gradNorm}: {@code ‖∇L‖₂} of the reference's full-batch training loss at its final weights
 *       (NaN when diverged); {@code converged}: not diverged and {@code gradNorm ≤}
 *       {@link #convergenceTolerance} — a fixed point of GD;</li>
 *   <li>{@code extras}: further named columns (sharpness, gradient flow, balance), in order.</li>
 * </ul>
 */
public final class CellRow {
    /** {@code stepsToThreshold}: the test accuracy never reached the threshold. */
    public static final int NEVER = -1;
    /** {@code stepsToThreshold}: accuracy is undefined for this model (one output). */
    public static final int NOT_APPLICABLE = -2;
    /** {@code fitStart}, {@code fitEnd}, {@code divergedStep}: absent ({@code NaN} in the CSV). */
    public static final int NONE = -1;
    /**
     * Below this many points a λ1 rests on too few points ({@link #fitFewPoints()}): the slope's
     * standard error from n points has n − 2 degrees of freedom, and below 10 points its own
     * relative uncertainty ({@code ≈ 1/√(2(n−2))}) exceeds 25% and the 95% t-factor
     * {@code t_{0.975,n−2}} exceeds 2.3 (12.7 at 3 points); the growth fit widens a window to 3
     * points, so a single jump of ln d yields a 3-point "fit" (docs/science.md#fit-quality).
     */
    public static final int FEW_POINTS = 10;

    private final Cell cell;
    private final long seed;
    private final double[] exponents;
    private final double[] exponentStdErrs;
    private final double fitR2;
    private final int fitStart;
    private final int fitEnd;
    private final int fitPoints;
    private final double kaplanYorke;
    private final double finalLoss;
    private final double trainAcc;
    private final double testLoss;
    private final double testAcc;
    private final int stepsToThreshold;
    private final boolean diverged;
    private final int divergedStep;
    private final boolean precisionLost;
    private final double gradNorm;
    private final boolean converged;
    private final Map<String, Double> extras;

    private CellRow(Builder b) {
        this.cell = Objects.requireNonNull(b.cell, "cell");
        this.seed = b.seed;
        this.exponents = b.exponents.clone();
        if (exponents.length == 0) throw new IllegalArgumentException("a row has at least one exponent");
        this.exponentStdErrs = new double[exponents.length];
        Arrays.fill(exponentStdErrs, Double.NaN);
        if (b.stdErrs != null) {
            if (b.stdErrs.length != exponents.length) {
                throw new IllegalArgumentException(b.stdErrs.length + " standard errors for " + exponents.length
                        + " exponents");
            }
            System.arraycopy(b.stdErrs, 0, exponentStdErrs, 0, exponents.length);
        }
        this.fitR2 = b.fitR2;
        this.fitStart = b.fitStart;
        this.fitEnd = b.fitEnd;
        this.fitPoints = b.fitPoints;
        this.kaplanYorke = b.kaplanYorke;
        this.finalLoss = b.finalLoss;
        this.trainAcc = b.trainAcc;
        this.testLoss = b.testLoss;
        this.testAcc = b.testAcc;
        this.stepsToThreshold = b.stepsToThreshold;
        this.diverged = b.diverged;
        this.divergedStep = b.divergedStep;
        this.precisionLost = b.precisionLost;
        this.gradNorm = b.gradNorm;
        this.converged = b.converged;
        this.extras = Collections.unmodifiableMap(new LinkedHashMap<>(b.extras));
        if (stepsToThreshold < NOT_APPLICABLE) {
            throw new IllegalArgumentException("stepsToThreshold must be ≥ 0, NEVER or NOT_APPLICABLE, got "
                    + stepsToThreshold);
        }
        if (fitStart < NONE || fitEnd < NONE || divergedStep < NONE || fitPoints < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0 or NONE, points ≥ 0");
        }
    }

    /** A builder for the row of {@code cell} in a sweep with {@code seed}; everything else starts missing. */
    public static Builder builder(Cell cell, long seed) {
        return new Builder(cell, seed);
    }

    /** A builder holding this row's values (to change some). */
    public Builder toBuilder() {
        Builder b = new Builder(cell, seed);
        b.exponents = exponents.clone();
        b.stdErrs = exponentStdErrs.clone();
        b.fitR2 = fitR2;
        b.fitStart = fitStart;
        b.fitEnd = fitEnd;
        b.fitPoints = fitPoints;
        b.kaplanYorke = kaplanYorke;
        b.finalLoss = finalLoss;
        b.trainAcc = trainAcc;
        b.testLoss = testLoss;
        b.testAcc = testAcc;
        b.stepsToThreshold = stepsToThreshold;
        b.diverged = diverged;
        b.divergedStep = divergedStep;
        b.precisionLost = precisionLost;
        b.gradNorm = gradNorm;
        b.converged = converged;
        b.extras = new LinkedHashMap<>(extras);
        return b;
    }

    /** Sets a row's values by name; {@link #build()} checks them. */
    public static final class Builder {
        private final Cell cell;
        private final long seed;
        private double[] exponents = {Double.NaN};
        private double[] stdErrs;
        private double fitR2 = Double.NaN;
        private int fitStart = NONE;
        private int fitEnd = NONE;
        private int fitPoints;
        private double kaplanYorke = Double.NaN;
        private double finalLoss = Double.NaN;
        private double trainAcc = Double.NaN;
        private double testLoss = Double.NaN;
        private double testAcc = Double.NaN;
        private int stepsToThreshold = NOT_APPLICABLE;
        private boolean diverged;
        private int divergedStep = NONE;
        private boolean precisionLost;
        private double gradNorm = Double.NaN;
        private boolean converged;
        private Map<String, Double> extras = new LinkedHashMap<>();

        private Builder(Cell cell, long seed) {
            this.cell = cell;
            this.seed = seed;
        }

        /** λ1 … λK. */
        public Builder exponents(double... v) {
            exponents = v.clone();
            return this;
        }

        /** Standard errors of λ1 … λK (as many as exponents; NaN where undefined). */
        public Builder exponentStdErrs(double... v) {
            stdErrs = v.clone();
            return this;
        }

        public Builder fitR2(double v) {
            fitR2 = v;
            return this;
        }

        /** The paper fit's window, inclusive ({@link #NONE} for none). */
        public Builder fitWindow(int start, int end) {
            fitStart = start;
            fitEnd = end;
            return this;
        }

        public Builder fitPoints(int v) {
            fitPoints = v;
            return this;
        }

        public Builder kaplanYorke(double v) {
            kaplanYorke = v;
            return this;
        }

        public Builder finalLoss(double v) {
            finalLoss = v;
            return this;
        }

        public Builder trainAcc(double v) {
            trainAcc = v;
            return this;
        }

        public Builder testLoss(double v) {
            testLoss = v;
            return this;
        }

        public Builder testAcc(double v) {
            testAcc = v;
            return this;
        }

        /** Steps to the accuracy threshold, {@link #NEVER} or {@link #NOT_APPLICABLE} (the default). */
        public Builder stepsToThreshold(int v) {
            stepsToThreshold = v;
            return this;
        }

        /** Whether the cell diverged and the first step it did ({@link #NONE} if not). */
        public Builder diverged(boolean v, int step) {
            diverged = v;
            divergedStep = step;
            return this;
        }

        public Builder precisionLost(boolean v) {
            precisionLost = v;
            return this;
        }

        public Builder gradNorm(double v) {
            gradNorm = v;
            return this;
        }

        public Builder converged(boolean v) {
            converged = v;
            return this;
        }

        public Builder extras(Map<String, Double> v) {
            extras = new LinkedHashMap<>(v);
            return this;
        }

        public CellRow build() {
            return new CellRow(this);
        }
    }

    /**
     * The gradient-norm tolerance of {@code converged}: {@code √u} of the dtype (u = unit round-off),
     * ≈ 1.05e-8 in f64 and ≈ 2.4e-4 in f32 — the customary floor below which a gradient is
     * round-off: near a minimum the loss is flat to O(‖∇L‖²), so ‖∇L‖ ≈ √u means L is resolved to
     * about u.
     */
    public static double convergenceTolerance(org.gdchaos.backend.DType dtype) {
        return Math.sqrt(dtype.epsilon());
    }

    /** The {@code converged} flag: not diverged and a finite gradient norm within the tolerance. */
    public static boolean converged(boolean diverged, double gradNorm, org.gdchaos.backend.DType dtype) {
        return !diverged && gradNorm <= convergenceTolerance(dtype);
    }

    public Cell cell() {
        return cell;
    }

    /** The sweep seed. */
    public long seed() {
        return seed;
    }

    /** Seed of the generator of the cell's initial weights: {@code CellSeeds.key(seed, INIT, init, 0)}. */
    public long initSeed() {
        return CellSeeds.key(seed, CellSeeds.INIT, cell.init(), 0);
    }

    /**
     * Seed of the generator of the first perturbation: {@code CellSeeds.key(seed, PERTURB, init, 1)}
     * (replica or tangent vector r uses {@code CellSeeds.key(seed, PERTURB, init, r)}).
     */
    public long perturbSeed() {
        return CellSeeds.key(seed, CellSeeds.PERTURB, cell.init(), 1);
    }

    public double[] exponents() {
        return exponents.clone();
    }

    public double[] exponentStdErrs() {
        return exponentStdErrs.clone();
    }

    public double fitR2() {
        return fitR2;
    }

    public int fitStart() {
        return fitStart;
    }

    public int fitEnd() {
        return fitEnd;
    }

    public int fitPoints() {
        return fitPoints;
    }

    /** Whether λ1 is a number that rests on fewer than {@link #FEW_POINTS} points. */
    public boolean fitFewPoints() {
        return fewPoints(exponents[0], fitPoints);
    }

    /** The rule of {@link #fitFewPoints()}: a finite λ from fewer than {@link #FEW_POINTS} points. */
    public static boolean fewPoints(double lambda, int points) {
        return Double.isFinite(lambda) && points < FEW_POINTS;
    }

    public double kaplanYorke() {
        return kaplanYorke;
    }

    public double finalLoss() {
        return finalLoss;
    }

    public double trainAcc() {
        return trainAcc;
    }

    public double testLoss() {
        return testLoss;
    }

    public double testAcc() {
        return testAcc;
    }

    public int stepsToThreshold() {
        return stepsToThreshold;
    }

    public boolean diverged() {
        return diverged;
    }

    public int divergedStep() {
        return divergedStep;
    }

    public boolean precisionLost() {
        return precisionLost;
    }

    public double gradNorm() {
        return gradNorm;
    }

    public boolean converged() {
        return converged;
    }

    public Map<String, Double> extras() {
        return extras;
    }

    /** Whether the threshold was reached (false for {@link #NEVER} and {@link #NOT_APPLICABLE}). */
    public boolean reachedThreshold() {
        return stepsToThreshold >= 0;
    }

    public double lambda1() {
        return exponents[0];
    }

    @Override
    public String toString() {
        return "CellRow[" + cell + ", λ=" + Arrays.toString(exponents) + "]";
    }
}
