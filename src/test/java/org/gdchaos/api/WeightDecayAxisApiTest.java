package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.gdchaos.backend.Backend;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.InitSpec;
import org.junit.jupiter.api.Test;

/**
 * The weight decay as a grid axis through the API (issue: it was missed where defaults were
 * restated): {@link Sweep#cells()} counts it and rows come in the grid's order (BatchRunnerKeyTest:
 * the Lanczos start vectors).
 */
class WeightDecayAxisApiTest {
    @Test
    void cellsCountRowsOrderAndStartVectorsKnowTheWeightDecay() {
        Sweep sweep = Sweep.builder().data("scalar:x=1,y=1").model(ModelSpec.linear(2)).init(InitSpec.normal(0.5))
                .learningRates(0.3, 0.6).weightDecays(0, 0.1).inits(2).method(Method.BENETTIN).steps(50)
                .evalEvery(0).sharpness(true).build();
        assertEquals(8, sweep.cells());
        try (Backend be = Gdchaos.openBackend("java", sweep.dtype())) {
            List<SweepRow> rows = sweep.on(be).run().rows();
            assertEquals(8, rows.size());
            for (int i = 0; i < 8; i++) {
                SweepRow r = rows.get(i);
                assertEquals(i / 4, r.lrIndex(), "learning rate major");
                assertEquals(i / 2 % 2 == 0 ? 0.0 : 0.1, r.weightDecay(), "then weight decay");
                assertEquals(i % 2, r.init(), "then init");
            }
        }
    }
}
