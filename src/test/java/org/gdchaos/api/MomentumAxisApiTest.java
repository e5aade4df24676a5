package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * The momentum grid through the API ({@link Sweep.Builder#momenta}): {@link Sweep#cells()} counts it,
 * rows come in the grid's order by value (η, λ, β, init) with their β, and each row equals the row
 * of a one-β sweep.
 */
class MomentumAxisApiTest {
    static Sweep.Builder base() {
        return Sweep.builder().data("scalar:x=1,y=1").model(ModelSpec.linear(2)).init(InitSpec.normal(0.5))
                .learningRates(0.3, 0.6).inits(2).method(Method.BENETTIN).steps(40).evalEvery(0).sharpness(true);
    }

    @Test
    void cellsCountRowsOrderAndValuesKnowTheMomentum() {
        Sweep sweep = base().optimizer(Optimizer.nesterov(0.9)).momenta(0.9, 0).build();
        assertEquals(8, sweep.cells());
        try (Backend be = Gdchaos.openBackend("java", sweep.dtype())) {
            SweepResults results = sweep.on(be).run();
            List<SweepRow> rows = results.rows();
            assertEquals(8, rows.size());
            for (int i = 0; i < 8; i++) {
                SweepRow r = rows.get(i);
                assertEquals(i / 4, r.lrIndex(), "learning rate major");
                assertEquals(i / 2 % 2 == 0 ? 0.0 : 0.9, r.momentum(), "then momentum, by value");
                assertEquals(i % 2, r.init(), "then init");
            }
            List<SweepRow> one = base().optimizer(Optimizer.nesterov(0.9)).build().on(be).run().rows();
            for (SweepRow r : one) {
                SweepRow same = results.row(r.lrIndex(), 0, 0.9, r.init());
                assertEquals(r.exponents()[0], same.exponents()[0], 0.0);
                assertEquals(r.finalLoss(), same.finalLoss(), 0.0);
                assertEquals(r.extras(), same.extras(), "sharpness too: keyed by value");
            }
        }
    }
}
