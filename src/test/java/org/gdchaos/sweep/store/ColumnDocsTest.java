package org.gdchaos.sweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README documents exactly the columns the writers declare: its three column tables are the
 * Markdown of {@link ResultsCsv#documented()}, {@link SummaryCsv#documented()} and
 * {@link CurvesCsv#documented()}, and every column a writer can produce is one documented entry.
 */
class ColumnDocsTest {
    static final Path README = Path.of("README.md");

    /** The README block between {@code <!-- columns:NAME -->} and {@code <!-- /columns:NAME -->}. */
    static String block(String readme, String name) {
        String open = "<!-- columns:" + name + " -->\n";
        String close = "<!-- /columns:" + name + " -->";
        int a = readme.indexOf(open);
        int b = readme.indexOf(close);
        assertTrue(a >= 0 && b > a, "README.md has no " + open.trim() + " … " + close + " block");
        return readme.substring(a + open.length(), b);
    }

    @Test
    void readmeTablesAreTheDeclaredColumns() throws IOException {
        String readme = Files.readString(README);
        assertEquals(Column.markdownTable(ResultsCsv.documented()), block(readme, "results"),
                "regenerate the results.csv table of README.md from ResultsCsv.documented()");
        assertEquals(Column.markdownTable(SummaryCsv.documented()), block(readme, "summary"),
                "regenerate the summary.csv table of README.md from SummaryCsv.documented()");
        assertEquals(Column.markdownTable(CurvesCsv.documented()), block(readme, "curves"),
                "regenerate the curves.csv table of README.md from CurvesCsv.documented()");
    }

    /** Every column of a results/summary file with every option on is one documented entry, and vice versa. */
    @Test
    void everyWrittenColumnIsDocumentedOnce() {
        List<String> extras = List.of("sharpness", "hessian_eig_2", "hessian_eig_3", "gf_sharpness", "gf_final_loss",
                "imbalance", "balance_q");
        // an optimizer other than GD: the optimizer columns too (a GD sweep's files lack them)
        ResultsCsv results = new ResultsCsv(3, extras, 1, org.gdchaos.backend.Optimizer.momentum(0.9));
        checkOneToOne(results.names(), ResultsCsv.documented());
        List<String> summary = SummaryCsv.columns(SummaryCsv.quantities(3, extras), true).stream().map(Column::name)
                .toList();
        checkOneToOne(summary, SummaryCsv.documented());
        for (Column c : results.columns()) {
            assertEquals(ResultsCsv.documented().stream().filter(d -> d.matches(c.name())).findFirst().orElseThrow()
                    .type(), c.type(), c.name());
        }
    }

    static void checkOneToOne(List<String> written, List<Column> documented) {
        List<Column> used = new ArrayList<>();
        for (String name : written) {
            List<Column> m = documented.stream().filter(c -> c.matches(name)).toList();
            assertEquals(1, m.size(), name + " matches " + m);
            used.add(m.get(0));
        }
        for (Column c : documented) assertTrue(used.contains(c), c.name() + " is documented but never written");
    }
}
