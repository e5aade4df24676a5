package org.gdchaos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StudentTTest {

    /** {p, df, t_{p,df}} from standard tables (values to 10+ digits as printed by scipy.stats.t.ppf). */
    private static final double[][] TABLE = {
        {0.975, 1, 12.706204736174694},
        {0.975, 2, 4.302652729749462},
        {0.975, 3, 3.1824463052837078},
        {0.975, 4, 2.7764451051977934},
        {0.975, 10, 2.228138851986274},
        {0.975, 30, 2.0422724563012378},
        {0.975, 49, 2.0095752371292392},
        {0.995, 5, 4.032142983555228},
        {0.95, 3, 2.3533634348018233},
        {0.975, 1000, 1.9623390808264083},
        {0.975, 2.5, 3.5746548420036817},
        {0.9999, 7, 7.063432828157639},
    };

    @Test
    void quantilesMatchTables() {
        for (double[] row : TABLE) {
            double q = StudentT.quantile(row[0], row[1]);
            assertEquals(row[2], q, 1e-9 * row[2], "t_{" + row[0] + "," + row[1] + "}");
            assertEquals(-row[2], StudentT.quantile(1 - row[0], row[1]), 1e-9 * row[2], "lower tail");
        }
        // the three values named in the task, as printed in textbook tables
        assertEquals(12.706, StudentT.critical95(1), 5e-4);
        assertEquals(2.776, StudentT.critical95(4), 5e-4);
        assertEquals(2.010, StudentT.critical95(49), 5e-4);
    }

    @Test
    void largeDfApproachesNormal() {
        assertEquals(1.959963984540054, StudentT.quantile(0.975, 1e7), 1e-6);
        assertEquals(0.0, StudentT.quantile(0.5, 7), 0.0);
    }

    @Test
    void cdfRoundTripsAndKnownValues() {
        assertEquals(0.75, StudentT.cdf(1.0, 1), 1e-14);                  // Cauchy: ½ + atan(1)/π
        assertEquals(0.5 + 1.0 / (2 * Math.sqrt(3)), StudentT.cdf(1.0, 2), 1e-14); // ν=2: ½ + t/(2√(2+t²))
        for (double df : new double[] {1.5, 3, 8, 40}) {
            for (double p : new double[] {1e-6, 0.01, 0.3, 0.6, 0.9, 0.999}) {
                assertEquals(p, StudentT.cdf(StudentT.quantile(p, df), df), 1e-12 * Math.max(1, p / (1 - p)));
            }
        }
    }

    @Test
    void lnGammaKnownValues() {
        assertEquals(Math.log(24), StudentT.lnGamma(5), 1e-13);
        assertEquals(0.5 * Math.log(Math.PI), StudentT.lnGamma(0.5), 1e-14);
        assertEquals(Math.log(Math.sqrt(Math.PI) / 2), StudentT.lnGamma(1.5), 1e-14);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0, 3));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1, 3));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(Double.NaN, 3));
    }
}
