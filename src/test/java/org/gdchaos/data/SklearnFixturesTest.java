package org.gdchaos.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's real tasks: tests/data/make_sklearn_fixtures.py converts scikit-learn's datasets, and every file
 * loads with the shape, classes and values NumPy wrote, in each dtype, byte order and order NumPy writes. Skipped
 * (not failed) on a machine without python3 and scikit-learn: the other data tests write their own files.
 */
class SklearnFixturesTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeFixtures() throws IOException, InterruptedException {
        String py = java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process check;
        try {
            check = new ProcessBuilder(py, "-c", "import sklearn, numpy").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no python3: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0,
                "python3 with scikit-learn and numpy is not installed");
        Process p = new ProcessBuilder(py, "tests/data/make_sklearn_fixtures.py", dir.toString(), "--formats")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    @Test
    void classificationAndRegressionTasksLoad() {
        DataSplit digits = DataSpec.parse("npy:" + dir.resolve("digits_x.npy") + "," + dir.resolve("digits_y.npy"))
                .load(0, 0);
        assertEquals(1797, digits.train().n() + digits.test().n());
        assertEquals(359, digits.test().n(), "80/20: test = round(0.2·1797) = 359");
        assertEquals(64, digits.features());
        assertEquals(10, digits.outputs());
        DataSplit iris = DataSpec.parse("csv:" + dir.resolve("iris.csv") + ":label=species").load(120, 30);
        assertEquals(4, iris.features());
        assertEquals(3, iris.outputs());
        for (int c : iris.test().classCounts()) assertTrue(c > 0, "shuffled: every class in the test set");
        DataSplit wine = DataSpec.parse("npz:" + dir.resolve("wine.npz")).load(0, 0);
        assertEquals(13, wine.features());
        assertEquals(3, wine.outputs());
        DataSplit bc = DataSpec.parse("csv:" + dir.resolve("breast_cancer.csv") + ":label=malignant").load(0, 0);
        assertEquals(30, bc.features());
        assertEquals(2, bc.outputs());
        DataSplit diab = DataSpec.parse("npy:" + dir.resolve("diabetes_x.npy") + "," + dir.resolve("diabetes_y.npy"))
                .load(0, 0);
        assertFalse(diab.isClassification());
        assertEquals(10, diab.features());
        assertEquals(1, diab.outputs());
        DataSource img = DataSpec.parse("npz:" + dir.resolve("digits_images.npz"));
        assertEquals(new Shape(8, 8, 1), img.sampleShape());
        Dataset im = DataSpec.load("npz:" + dir.resolve("digits_images.npz"), null, Normalization.NONE, 100, 10)
                .train();
        assertArrayEquals(java.util.Arrays.copyOf(digits.train().x(), 6400), im.x(), 0, "uint8 images, not scaled");
    }

    @Test
    void everyFormatNumpyWritesReadsTheSameNumbers() {
        Path f = dir.resolve("formats");
        String y = dir.resolve("digits_y.npy").toString();
        Dataset base = DataSpec.parse("npy:" + dir.resolve("digits_x.npy") + "," + y).load(1500, 297).train();
        for (String spec : new String[] {"npy:" + f.resolve("x_f4_big.npy") + "," + y,
            "npy:" + f.resolve("x_fortran.npy") + "," + y, "npy:" + f.resolve("x_i2.npy") + "," + y,
            "npy:" + dir.resolve("digits_x.npy") + "," + f.resolve("y_u1.npy"), "npz:" + f.resolve("stored.npz"),
            "npz:" + f.resolve("deflated.npz") + ":x=features,y=labels"}) {
            Dataset d = DataSpec.parse(spec).load(1500, 297).train();
            assertArrayEquals(base.x(), d.x(), 0, spec);
            assertArrayEquals(base.labels(), d.labels(), spec);
        }
    }
}
