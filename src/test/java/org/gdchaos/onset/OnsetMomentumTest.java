package org.gdchaos.onset;

import org.gdchaos.Setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gdchaos.InputException;
import org.gdchaos.backend.Optimizer;
import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The onset search and the momentum axis: a search answers for one β (several are refused, naming the
 * setting), and its cells carry the sweep's β, so their optimizer and key columns are that β's.
 */
class OnsetMomentumTest {
    @TempDir
    Path tmp;

    static SweepSpec.Builder base() {
        return SweepSpec.builder().data("scalar:x=1,y=1").model(org.gdchaos.nn.ModelSpec.linear(2)).learningRates(1)
                .inits(2).steps(10);
    }

    @Test
    void severalMomentaAreRefusedOneIsTheCellsBeta() {
        OnsetSettings s = OnsetSearchTest.settings(0.5, 4, true, 4, 0.02, 0.02, 2, 8);
        InputException e;
        try (org.gdchaos.backend.Backend be = org.gdchaos.backend.Backends.create("java")) {
            e = assertThrows(InputException.class, () -> new OnsetRunner(be,
                    base().optimizer(Optimizer.momentum(0.5)).momenta(0.5, 0.9).build(), s, tmp, false, 0));
        }
        assertEquals(Setting.MOMENTA.key(), e.setting().orElseThrow());
        assertTrue(e.getMessage().contains("one momentum"), e.getMessage());
        OnsetSearch search = new OnsetSearch(s, 0, 0.9);
        Cell c = search.replay(java.util.Map.of()).missing().get(0);
        assertEquals(0.9, c.momentum());
        assertEquals(Optimizer.momentum(0.9),
                base().optimizer(Optimizer.momentum(0.9)).build().training().optimizerOf(c));
    }
}
