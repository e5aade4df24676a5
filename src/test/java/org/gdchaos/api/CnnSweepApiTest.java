package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A small CNN end to end through the Java API on the embedded MNIST subset (28×28×1 images, 32
 * training and 32 test samples): every Lyapunov method gives a finite λ1 at calm learning rates,
 * {@code sharpness} a finite top eigenvalue, a diverging learning rate leaves the other cells
 * bit-identical, and a sweep killed after its first batch resumes to byte-identical files.
 */
class CnnSweepApiTest {
    static final String ARCH = "input:28x28x1,conv:2@5x5,tanh,avgpool:2,maxpool:2,dense:10";
    static final ModelSpec CNN = ModelSpec.parse(ARCH, null, true, Loss.CROSS_ENTROPY);
    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Gdchaos.openBackend("java", DType.F64);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static Sweep.Builder tiny(ModelSpec model) {
        return Sweep.builder().data("mnist-10k").trainSize(32).testSize(32).model(model).init(InitSpec.normal(0.3))
                .learningRates(0.05, 0.3).inits(1).steps(30).evalEvery(5);
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"PAPER", "BENETTIN", "SPECTRUM", "TANGENT"})
    void everyMethodGivesAFiniteExponent(Method method) {
        SweepResults r = tiny(CNN).method(method).build().on(backend).run();
        assertEquals(2, r.rows().size());
        for (SweepRow row : r.rows()) {
            assertFalse(row.diverged(), method + " η=" + row.lr());
            assertFalse(row.precisionLost(), method + " η=" + row.lr());
            assertTrue(Double.isFinite(row.exponents()[0]), method + " η=" + row.lr() + ": λ1 " + row.exponents()[0]);
            assertTrue(Double.isFinite(row.finalLoss()) && row.finalLoss() < Math.log(10) + 1, "loss " + row.finalLoss());
            assertTrue(row.testAccuracy() >= 0 && row.testAccuracy() <= 1, "accuracy " + row.testAccuracy());
            if (method == Method.SPECTRUM || method == Method.TANGENT) {
                assertEquals(2, row.exponents().length);
                assertTrue(Double.isFinite(row.exponents()[1]) && row.exponents()[1] <= row.exponents()[0] + 1e-12);
            }
        }
    }

    /** {@code sharpness} (Lanczos on the CNN's Hessian-vector products) at the end and every 10 steps: finite and positive. */
    @Test
    void sharpnessIsFinite(@TempDir Path tmp) throws Exception {
        SweepResults r = tiny(CNN).method(Method.BENETTIN).sharpness(true).sharpnessEvery(10).build().on(backend)
                .writeTo(tmp).curves(true).run();
        for (SweepRow row : r.rows()) {
            double s = row.extras().get("sharpness");
            assertTrue(Double.isFinite(s) && s > 0, "sharpness " + s);
        }
        assertTrue(Files.readAllLines(tmp.resolve("results.csv")).get(0).contains("sharpness"));
    }

    /**
     * A learning rate of 1e30 (MSE, so the outputs overflow) diverges; the calm cell beside it in the
     * same batch ends bit-identical to a sweep without it.
     */
    @Test
    void aDivergingLearningRateIsIsolated() {
        ModelSpec mse = ModelSpec.parse(ARCH, null, true, Loss.MSE);
        int[] batches = {0};
        SweepProgress plan = new SweepProgress() {
            @Override
            public void advanced(long done, long total) {
            }

            @Override
            public void planned(int cellsToRun, int cellsAlreadyDone, int b) {
                batches[0] = b;
            }
        };
        SweepResults both = tiny(mse).method(Method.BENETTIN).learningRates(0.05, 1e30).inits(2).build().on(backend)
                .progress(plan).run();
        assertEquals(1, batches[0], "the diverging cells share the calm cells' batch");
        SweepResults alone = tiny(mse).method(Method.BENETTIN).learningRates(0.05).inits(2).build().on(backend).run();
        for (int init = 0; init < 2; init++) {
            SweepRow bad = both.row(1, init);
            assertTrue(bad.diverged(), "η = 1e30 diverges");
            assertTrue(bad.divergedStep() >= 1 && bad.divergedStep() < 30, "at step " + bad.divergedStep());
            assertTrue(Double.isNaN(bad.exponents()[0]));
            SweepRow calm = both.row(0, init), ref = alone.row(0, init);
            assertFalse(calm.diverged());
            assertTrue(Double.isFinite(calm.exponents()[0]));
            assertArrayEquals(ref.exponents(), calm.exponents());
            assertEquals(ref.finalLoss(), calm.finalLoss());
            assertEquals(ref.testLoss(), calm.testLoss());
            assertEquals(ref.testAccuracy(), calm.testAccuracy());
            assertEquals(ref.gradNorm(), calm.gradNorm());
        }
    }

    /**
     * A sweep that dies after its first batch (the progress listener throws once that batch is on
     * disk) resumes, running only the missing cells, to the files of an uninterrupted run.
     */
    @Test
    void resumeAfterADeathBetweenBatches(@TempDir Path tmp) throws Exception {
        Sweep sweep = tiny(CNN).method(Method.BENETTIN).inits(2).replicas(1).steps(20).build();
        Path ref = tmp.resolve("ref"), dir = tmp.resolve("died");
        SweepResults whole = sweep.on(backend).writeTo(ref).maxBatch(4).run();
        assertEquals(4, whole.cellsRun());
        SweepProgress dies = new SweepProgress() {
            @Override
            public void advanced(long done, long total) {
            }

            @Override
            public void batchDone(int batchIndex, int batches, int cellsInBatch) {
                assertEquals(2, batches);
                throw new IllegalStateException("killed after batch " + batchIndex);
            }
        };
        assertThrows(IllegalStateException.class, () -> sweep.on(backend).writeTo(dir).maxBatch(4).progress(dies).run());
        assertEquals(3, Files.readAllLines(dir.resolve("results.csv")).size(), "header + batch 1");
        SweepResults rest = sweep.on(backend).writeTo(dir).maxBatch(4).resume(true).run();
        assertEquals(2, rest.cellsRun());
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            assertEquals(Files.readString(ref.resolve(f)), Files.readString(dir.resolve(f)), f);
        }
        assertEquals(4, rest.rows().size());
    }
}
