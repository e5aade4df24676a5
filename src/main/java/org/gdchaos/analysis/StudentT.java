package org.gdchaos.analysis;

/**
 * Student's t distribution with {@code ν > 0} degrees of freedom: distribution function and
 * quantiles, computed from the regularised incomplete beta function (no tables).
 *
 * <pre>
 *   upper tail   S(t) = P(T > t) = ½ · I_{ν/(ν+t²)}(ν/2, ½)          for t ≥ 0
 *   CDF          F(t) = 1 − S(t) for t ≥ 0,   F(−t) = 1 − F(t)
 *   density      f(t) = Γ((ν+1)/2) / (Γ(ν/2)·√(νπ)) · (1 + t²/ν)^(−(ν+1)/2)
 *   quantile     t_{p,ν} = F⁻¹(p)
 * </pre>
 * Closed forms are used for ν = 1 ({@code tan(π(p − ½))}) and ν = 2
 * ({@code (2p − 1)/√(2p(1 − p))}); otherwise {@code S(t) = min(p, 1−p)} is solved by Newton's
 * method on a bracket, with bisection whenever a Newton step leaves the bracket, to a relative
 * accuracy of about 1e-13. {@code I_x(a, b)} uses the Lentz continued fraction (Numerical Recipes
 * {@code betacf}) and the symmetry {@code I_x(a,b) = 1 − I_{1−x}(b,a)}; ln Γ uses the Lanczos
 * approximation (g = 7, 9 terms), accurate to about 1e-15.
 */
public final class StudentT {

    private StudentT() {
    }

    /** Two-sided 95% critical value {@code t_{0.975, ν}}. */
    public static double critical95(double df) {
        return quantile(0.975, df);
    }

    /** The quantile {@code t_{p,ν}}: {@code P(T ≤ t) = p}, for {@code 0 < p < 1}, {@code ν > 0}. */
    public static double quantile(double p, double df) {
        checkDf(df);
        if (!(p > 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
        }
        if (p == 0.5) {
            return 0.0;
        }
        if (df == 1.0) {
            return Math.tan(Math.PI * (p - 0.5));
        }
        if (df == 2.0) {
            return (2.0 * p - 1.0) / Math.sqrt(2.0 * p * (1.0 - p));
        }
        double q = Math.min(p, 1.0 - p);            // target upper tail S(t) = q, t > 0
        double lo = 0.0;
        double hi = 1.0;
        while (upperTail(hi, df) > q) {
            lo = hi;
            hi *= 2.0;
            if (hi > 1e300) {
                throw new ArithmeticException("t quantile out of range for p=" + p + ", df=" + df);
            }
        }
        double t = 0.5 * (lo + hi);
        for (int it = 0; it < 200; it++) {
            double s = upperTail(t, df);
            double g = s - q;                       // decreasing in t
            if (g > 0) {
                lo = t;
            } else {
                hi = t;
            }
            double next = t + g / density(t, df);   // Newton: S'(t) = −f(t)
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - t) <= 1e-14 * Math.max(1.0, Math.abs(t)) || hi - lo <= 1e-15 * hi) {
                t = next;
                break;
            }
            t = next;
        }
        return p > 0.5 ? t : -t;
    }

    /** The distribution function {@code F(t) = P(T ≤ t)}. */
    public static double cdf(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        return t >= 0 ? 1.0 - upperTail(t, df) : upperTail(-t, df);
    }

    /** The density {@code f(t)}. */
    public static double density(double t, double df) {
        checkDf(df);
        double lnNorm = lnGamma(0.5 * (df + 1.0)) - lnGamma(0.5 * df) - 0.5 * Math.log(df * Math.PI);
        return Math.exp(lnNorm - 0.5 * (df + 1.0) * Math.log1p(t * t / df));
    }

    /** {@code S(t) = ½ I_{ν/(ν+t²)}(ν/2, ½)} for {@code t ≥ 0}. */
    static double upperTail(double t, double df) {
        if (Double.isInfinite(t)) {
            return 0.0;
        }
        double x = df / (df + t * t);
        return 0.5 * regularizedIncompleteBeta(x, 0.5 * df, 0.5);
    }

    /** Natural log of the gamma function for {@code x > 0} (Lanczos, g = 7). */
    static double lnGamma(double x) {
        if (!(x > 0.0)) {
            throw new IllegalArgumentException("lnGamma needs x > 0, got " + x);
        }
        if (x < 0.5) {
            // reflection: Γ(x)Γ(1−x) = π / sin(πx)
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1.0 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        double z = x - 1.0;
        double sum = c[0];
        for (int i = 1; i < c.length; i++) {
            sum += c[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2.0 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** The regularised incomplete beta function {@code I_x(a, b)}, {@code 0 ≤ x ≤ 1}, {@code a, b > 0}. */
    static double regularizedIncompleteBeta(double x, double a, double b) {
        if (!(x >= 0.0 && x <= 1.0)) {
            throw new IllegalArgumentException("x must be in [0, 1], got " + x);
        }
        if (x == 0.0 || x == 1.0) {
            return x;
        }
        double lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x < (a + 1.0) / (a + b + 2.0)) {
            return Math.exp(lnFront) * betaContinuedFraction(x, a, b) / a;
        }
        return 1.0 - Math.exp(lnFront) * betaContinuedFraction(1.0 - x, b, a) / b;
    }

    private static double betaContinuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1.0;
        double qam = a - 1.0;
        double c = 1.0;
        double d = 1.0 - qab * x / qap;
        if (Math.abs(d) < tiny) {
            d = tiny;
        }
        d = 1.0 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = 1.0 + aa / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1.0 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = 1.0 + aa / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1.0 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1.0) < 1e-16) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta continued fraction did not converge (x=" + x
            + ", a=" + a + ", b=" + b + ")");
    }

    private static void checkDf(double df) {
        if (!(df > 0.0) || Double.isInfinite(df)) {
            throw new IllegalArgumentException("degrees of freedom must be finite and > 0, got " + df);
        }
    }
}
