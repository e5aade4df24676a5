package org.gdchaos.sweep.run;

import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Backends;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.lyapunov.Norm;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep that dies after its first batch (the progress listener throws once that batch is on
 * disk) keeps that batch's rows, and a resumed run then writes exactly the rows and curves of an
 * uninterrupted one — same lines, same order — running only the missing cells.
 */
class SweepRunnerInterruptTest {
    /** Teacher–student regression, 4-6-1 tanh, Benettin: 3 learning rates × 2 inits, 2 cells per batch. */
    static SweepSpec spec() {
        return SweepSpec.builder().data("teacher:in=4,hidden=5,out=1,n=40,seed=3").trainSize(0).testSize(0)
                .model(new ModelSpec(new int[] {4, 6, 1}, Activation.TANH, true, Loss.MSE))
                .init(InitSpec.normal(1)).learningRates(new double[] {0.05, 0.5, 3}).inits(2).seed(9).steps(30)
                .batchSize(0).dtype(DType.F64)
                .lyapunov(new LyapunovConfig(Method.BENETTIN, 2, 1, 1e-7, 1, 5, Norm.L2, false, org.gdchaos.analysis.GrowthFit.Method.GROWTH_PHASE))
                .accuracyThreshold(0.5).evalEvery(5).extras(null).build();
    }

    static SweepResult run(Backend b, Path out, boolean resume, ProgressListener l) {
        return new SweepRunner(b, spec(), SweepRunner.Options.builder().out(out).resume(resume).maxBatch(6).progress(l).build()).run();
    }

    @Test
    void resumeAfterADeathBetweenBatches(@TempDir Path tmp) throws IOException {
        try (Backend b = Backends.create("java")) {
            Path ref = tmp.resolve("ref"), dir = tmp.resolve("died");
            SweepResult whole = run(b, ref, false, ProgressListener.NONE);
            assertEquals(6, whole.cellsRun());
            ProgressListener dies = new ProgressListener() {
                @Override
                public void batchDone(int batchIndex, int batches, int cellsInBatch) {
                    assertEquals(3, batches);
                    throw new IllegalStateException("killed after batch " + batchIndex);
                }
            };
            assertThrows(IllegalStateException.class, () -> run(b, dir, false, dies));
            assertEquals(3, Files.readAllLines(dir.resolve("results.csv")).size(), "header + batch 1");
            SweepResult rest = run(b, dir, true, ProgressListener.NONE);
            assertEquals(4, rest.cellsRun());
            assertEquals(2, rest.cellsSkipped());
            for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
                assertEquals(Files.readAllLines(ref.resolve(f)), Files.readAllLines(dir.resolve(f)), f);
            }
            assertEquals(6, rest.rows().size());
        }
    }
}
