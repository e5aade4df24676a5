package org.gdchaos.backend.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.Buffer;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.View;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paths for a convolution's narrow matrices (many rows, few channels) in bias addition (a tiled
 * bias) and column sums (16 running sums): against the definition, on matrices large enough to take them.
 */
class NarrowElementwiseTest {
    @ParameterizedTest(name = "{0} rows={1} cols={2}")
    @CsvSource({"f64, 20000, 4", "f32, 20000, 4", "f64, 9000, 8", "f32, 70000, 1", "f64, 33333, 2", "f32, 5000, 12"})
    void biasAndColumnSumsMatchTheDefinition(String dt, int rows, int cols) {
        DType t = dt.equals("f32") ? DType.F32 : DType.F64;
        int batch = 2;
        SplittableRandom r = new SplittableRandom(rows + cols);
        double[] z = new double[batch * rows * cols], b = new double[batch * cols];
        for (int i = 0; i < z.length; i++) z[i] = t == DType.F32 ? (float) r.nextDouble(-1, 1) : r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = t == DType.F32 ? (float) r.nextDouble(-1, 1) : r.nextDouble(-1, 1);
        try (Backend be = Backends.create("java"); Buffer zb = be.allocate(t, z.length); Buffer bb = be.allocate(t, b.length);
             Buffer sums = be.allocate(t, (long) batch * cols)) {
            be.upload(z, 0, zb, 0, z.length);
            be.upload(b, 0, bb, 0, b.length);
            be.biasActivation(Activation.IDENTITY, batch, rows, cols, View.of(zb, (long) rows * cols), View.of(bb, cols));
            double[] got = new double[z.length];
            be.download(zb, 0, got, 0, got.length);
            for (int e = 0; e < batch; e++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        int k = (e * rows + i) * cols + j;
                        double want = t == DType.F32 ? (float) ((float) z[k] + (float) b[e * cols + j]) : z[k] + b[e * cols + j];
                        assertEquals(want, got[k], 0, "bias at entry " + e + " row " + i + " column " + j);
                    }
                }
            }
            be.columnSums(batch, rows, cols, 1, View.of(zb, (long) rows * cols), 0, View.of(sums, cols));
            double[] s = new double[batch * cols];
            be.download(sums, 0, s, 0, s.length);
            for (int e = 0; e < batch; e++) {
                for (int j = 0; j < cols; j++) {
                    double want = 0;
                    for (int i = 0; i < rows; i++) want += got[(e * rows + i) * cols + j];
                    assertEquals(want, s[e * cols + j], (t == DType.F32 ? 1e-6 : 1e-12) * rows, "sum of column " + j);
                }
            }
        }
    }
}
