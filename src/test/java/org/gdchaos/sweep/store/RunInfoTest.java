package org.gdchaos.sweep.store;

import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.gdchaos.backend.DType;
import org.gdchaos.lyapunov.LyapunovConfig;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run.json's spec is what --resume compares: a spec written and read back must equal itself, and only itself. */
class RunInfoTest {
    static SweepSpec spec(long seed, int steps) {
        return SweepSpec.builder().data("mnist-10k").trainSize(100).testSize(50).model(ModelSpec.paperMnist())
                .init(InitSpec.normal(1)).learningRates(new double[] {0.1, 1, 10}).inits(2).seed(seed).steps(steps)
                .batchSize(0).dtype(DType.F64).lyapunov(LyapunovConfig.paper()).accuracyThreshold(0.8).evalEvery(1)
                .extras(null).build();
    }

    @Test
    void specReadBackEqualsTheSpecItWasWrittenFrom(@TempDir Path dir) {
        assertNull(RunInfo.previousSpec(dir));
        for (long seed : new long[] {1, 1L << 40}) {
            ObjectNode n = RunInfo.JSON.createObjectNode();
            n.set("spec", RunInfo.specTree(spec(seed, 201)));
            RunInfo.write(dir, n);
            assertEquals(RunInfo.specTree(spec(seed, 201)), RunInfo.previousSpec(dir), "seed " + seed);
            assertNotEquals(RunInfo.specTree(spec(seed, 200)), RunInfo.previousSpec(dir));
            assertNotEquals(RunInfo.specTree(spec(seed + 1, 201)), RunInfo.previousSpec(dir));
        }
    }

    /** A run.json that cannot be written is an unusable folder (exit 4, one line), not an internal error. */
    @Test
    void aFailedWriteIsAnOutputFolderError(@TempDir Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectory(dir.resolve(RunInfo.FILE + ".tmp")); // the temporary file cannot be made
        OutputFolderException e = org.junit.jupiter.api.Assertions.assertThrows(OutputFolderException.class,
                () -> RunInfo.write(dir, RunInfo.JSON.createObjectNode()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve(RunInfo.FILE)),
                e.getMessage());
    }
}
