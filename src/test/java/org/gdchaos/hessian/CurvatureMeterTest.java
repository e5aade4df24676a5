package org.gdchaos.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.train.DeviceData;
import org.junit.jupiter.api.Test;

/** The sweep-facing facade on the linear network, against O5/O6 and the host imbalance. */
class CurvatureMeterTest {
    @Test
    void linearNetworkExtrasMatchTheClosedForms() {
        int d = 3, cells = 4;
        double phi = 0.8;
        assertEquals(List.of("sharpness", "gf_sharpness", "gf_final_loss", "imbalance"),
                CurvatureMeter.columns(true, true, true));
        try (Backend backend = Backends.create("java");
             DeviceData data = DeviceData.upload(backend, DType.F64, new double[] {1}, new double[] {phi}, 1, 1, 1);
             CurvatureMeter meter = new CurvatureMeter(backend, DType.F64, ModelSpec.linear(d), cells, 1);
             Buffer pb = backend.allocate(DType.F64, 2L * d * cells)) {
            double[][] w = new double[cells][];
            for (int c = 0; c < cells; c++) {
                w[c] = LinearNet.start(d, 0.5 + 0.3 * c, 300 + c);
                backend.upload(w[c], 0, pb, 2L * d * c, 2 * d);
            }
            double[][] twice = new double[2 * cells][];
            for (int c = 0; c < 2 * cells; c++) twice[c] = w[c % cells].clone(); // same init, two learning rates
            double[][] gf = meter.flow(data, twice);
            for (int c = 0; c < cells; c++) assertEquals(gf[0][c], gf[0][c + cells], 0.0);
            double[] imb = meter.imbalance(View.of(pb, 2 * d), cells);
            double[] s = meter.sharpness(data, View.of(pb, 2 * d), cells);
            for (int c = 0; c < cells; c++) {
                double sGf = Math.sqrt(4 * phi * phi + LinearNet.p(w[c]));
                assertEquals(sGf, gf[0][c], 1e-7 * sGf, "O6");
                assertEquals(0, gf[1][c], 1e-18);
                double aa = 0, bb = 0;
                for (int i = 0; i < d; i++) {
                    aa += w[c][i] * w[c][i];
                    bb += w[c][d + i] * w[c][d + i];
                }
                double m = LinearNet.m(w[c]);
                assertEquals(Math.sqrt(aa * aa + bb * bb - 2 * m * m), imb[c], 1e-12, "|a a^T - b b^T|_F");
                assertTrue(s[c] > 0 && Double.isFinite(s[c]));
            }
        }
    }
}
