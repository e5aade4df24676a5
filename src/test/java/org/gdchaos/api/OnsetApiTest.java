package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gdchaos.backend.Backend;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.onset.OnsetResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Onset}: the search from code, in a temporary folder or one it keeps; the same answer either way. */
class OnsetApiTest {
    @Test
    void theSearchFromCodeGivesTheCommandLinesAnswer(@TempDir Path dir) throws Exception {
        Sweep sweep = Sweep.builder().data("scalar:x=1,y=1").model(ModelSpec.linear(1))
                .init(InitSpec.values(0.5, 0.5)).learningRates(1).inits(2).method(Method.BENETTIN).transientSteps(200)
                .steps(800).evalEvery(0).build();
        try (Backend be = Gdchaos.openBackend("java", sweep.dtype())) {
            OnsetResult temp = Onset.of(sweep, 1, 2).linear().points(6).run(be);
            OnsetResult kept = Onset.of(sweep, 1, 2).linear().points(6).run(be, dir, false);
            assertEquals(temp.answer(), kept.answer());
            assertTrue(temp.answer().onsetLow() < 1.3023 && 1.3023 <= temp.answer().onsetHigh(), temp.answer().onsetLine());
            assertTrue(Files.exists(dir.resolve("onset.json")));
            assertEquals(temp.rows().size(), kept.rows().size());
        }
    }
}
