package org.gdchaos.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TeacherStudentTest {

    private static DataSplit load(String spec, int train, int test) {
        return DataSpec.parse(spec).load(train, test);
    }

    @Test
    void deterministicFromSeedAndPrefixStable() {
        String spec = "teacher:in=4,hidden=3,out=2,n=50,seed=11,noise=0.2";
        DataSplit a = load(spec, 0, 0);
        DataSplit b = load(spec, 0, 0);
        assertArrayEquals(a.train().x(), b.train().x(), 0.0);
        assertArrayEquals(a.train().y(), b.train().y(), 0.0);
        assertEquals(50, a.train().n());
        assertEquals(50, a.test().n());
        assertFalse(a.isClassification());
        // train and test are different draws
        assertFalse(java.util.Arrays.equals(a.train().x(), a.test().x()));
        // a subset is a prefix
        DataSplit c = load(spec, 20, 5);
        assertArrayEquals(a.train().subset(0, 20).y(), c.train().y(), 0.0);
        assertArrayEquals(a.test().subset(0, 5).x(), c.test().x(), 0.0);
        // another seed, another teacher
        DataSplit d = load("teacher:in=4,hidden=3,out=2,n=50,seed=12,noise=0.2", 0, 0);
        assertFalse(java.util.Arrays.equals(a.train().y(), d.train().y()));
        assertThrows(DataException.class, () -> load(spec, 51, 0));
    }

    @Test
    void handComputedOneUnitTeacher() {
        TeacherStudent t = (TeacherStudent) DataSpec.parse("teacher:in=1,hidden=1,out=1,n=3,seed=5");
        TeacherStudent.Teacher w = t.teacher();
        Dataset d = t.load().train();
        for (int i = 0; i < 3; i++) {
            double expect = w.w2()[0] * Math.tanh(w.w1()[0] * d.x()[i]);
            assertEquals(expect, d.y()[i], 1e-15);
        }
        TeacherStudent s = (TeacherStudent) DataSpec.parse(
                "teacher:in=1,hidden=1,out=1,n=3,seed=5,act=sigmoid");
        Dataset e = s.load().train();
        assertArrayEquals(d.x(), e.x(), 0.0);
        double z = w.w1()[0] * e.x()[1];
        assertEquals(w.w2()[0] / (1 + Math.exp(-z)), e.y()[1], 1e-15);
    }

    @Test
    void inputsAreStandardNormalAndWeightsFanInScaled() {
        TeacherStudent t = (TeacherStudent) DataSpec.parse(
                "teacher:in=50,hidden=40,out=3,n=400,seed=1");
        double[] x = t.load().train().x();
        double s1 = 0;
        double s2 = 0;
        for (double v : x) {
            s1 += v;
            s2 += v * v;
        }
        double mean = s1 / x.length;
        double var = s2 / x.length - mean * mean;
        assertEquals(0.0, mean, 0.02);   // 20000 draws: sd of mean 0.007
        assertEquals(1.0, var, 0.04);
        double[] w1 = t.teacher().w1();
        double q = 0;
        for (double v : w1) {
            q += v * v;
        }
        assertEquals(1.0 / 50, q / w1.length, 0.1 / 50);   // 2000 draws
    }

    /** Linear teacher: least squares on (x, y) recovers W exactly, residual = noise. */
    @Test
    void linearTeacherIsExactlyLinearPlusNoise() {
        for (double noise : new double[] {0.0, 0.3}) {
            TeacherStudent t = (TeacherStudent) DataSpec.parse(
                    "teacher:in=3,hidden=0,out=1,n=2000,seed=4,noise=" + noise);
            Dataset d = t.load().train();
            double[] w = leastSquares3(d.x(), d.y(), d.n());
            double[] truth = t.teacher().w2();
            double rss = 0;
            for (int i = 0; i < d.n(); i++) {
                double r = d.y()[i] - (w[0] * d.x()[3 * i] + w[1] * d.x()[3 * i + 1]
                        + w[2] * d.x()[3 * i + 2]);
                rss += r * r;
            }
            double residualSd = Math.sqrt(rss / (d.n() - 3));
            if (noise == 0) {
                assertArrayEquals(truth, w, 1e-12);
                assertTrue(residualSd < 1e-12);
            } else {
                assertArrayEquals(truth, w, 0.05);
                assertEquals(noise, residualSd, 0.03);
            }
        }
    }

    /** Normal equations for 3 unknowns, solved by Cramer's rule. */
    private static double[] leastSquares3(double[] x, double[] y, int n) {
        double[][] a = new double[3][3];
        double[] b = new double[3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                b[j] += x[3 * i + j] * y[i];
                for (int k = 0; k < 3; k++) {
                    a[j][k] += x[3 * i + j] * x[3 * i + k];
                }
            }
        }
        double det = det(a);
        double[] w = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] m = {a[0].clone(), a[1].clone(), a[2].clone()};
            for (int r = 0; r < 3; r++) {
                m[r][c] = b[r];
            }
            w[c] = det(m) / det;
        }
        return w;
    }

    private static double det(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}
