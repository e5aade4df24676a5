package org.gdchaos.backend.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JavaMathTest {

    @Test
    void tanhWithinFewUlpOfMathTanh() {
        SplittableRandom r = new SplittableRandom(11);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = i % 2 == 0 ? r.nextDouble(-25, 25) : Math.scalb(r.nextDouble(-1, 1), -r.nextInt(40));
            double want = Math.tanh(x);
            worst = Math.max(worst, Math.abs(JavaMath.tanh(x) - want) / Math.ulp(want));
        }
        assertTrue(worst <= 3, "max error " + worst + " ulp");
    }

    @Test
    void tanhSpecialValues() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(JavaMath.tanh(-0.0)));
        assertEquals(1.0, JavaMath.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, JavaMath.tanh(-1000));
        assertTrue(Double.isNaN(JavaMath.tanh(Double.NaN)));
        assertEquals(Math.tanh(0.625), JavaMath.tanh(0.625), 2 * Math.ulp(0.55));
    }
}
