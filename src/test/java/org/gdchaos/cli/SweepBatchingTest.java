package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gdchaos.backend.Availability;
import org.gdchaos.backend.BackendProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell's numbers are a function of the cell alone (issue 22): the same sweep run with every cell
 * in one batch, with one cell per batch ({@code --max-batch} = a cell's trajectories), in uneven
 * batches (3 + 3 + 1 cells) and as two shards with different batch limits merged, gives the same
 * bytes of {@code results.csv}, {@code curves.csv} and {@code summary.csv}. Before the fix, a batch
 * of one cell evaluated its test loss with another GEMM kernel (the Java backend took the sparse
 * shared-operand kernel only from two entries up), so {@code final_loss}/{@code test_loss} and the
 * loss lines of curves.csv differed in the last digits. The cases cover an MLP and a CNN with the
 * paper method, the tangent, Benettin and spectrum methods (the last with two weight decays: 14
 * cells) and the sharpness extras (curve and final value).
 * Subclasses name the backend; an unavailable backend skips, except under {@code CI=true} when
 * {@link #requiredInCi()}.
 */
abstract class SweepBatchingTest {
    /** Seven learning rates, one initialisation: 7 cells, so 3 cells per batch leave an uneven last batch. */
    static final String[] BASE = {"--train-size", "40", "--test-size", "20", "--lr", "0.1,0.3,1,2,3,5,10",
        "--inits", "1", "--dtype", "f64", "--quiet"};
    /** Steps and evaluation interval unless a case gives its own (the CNN: fewer, PoCL runs it slowly). */
    static final String[] STEPS = {"--steps", "8", "--eval-every", "4"};

    @TempDir
    Path tmp;

    protected abstract String backend();

    protected abstract BackendProvider provider();

    protected abstract boolean requiredInCi();

    @BeforeEach
    void requireBackend() {
        Availability a = provider().probe();
        if (!a.available()) {
            String reason = backend() + " unavailable: " + a.detail();
            if ("true".equalsIgnoreCase(System.getenv("CI")) && requiredInCi()) {
                fail("backend required in CI (CI=true) but unavailable: " + reason);
            }
            Assumptions.abort(reason);
        }
    }

    /** Name, trajectories per cell, options. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("mlp-paper", 3, new String[] {"--replicas", "2"}),
                Arguments.of("cnn-paper", 2, new String[] {"--arch", "conv:2@5x5,tanh,avgpool:2,dense:10",
                    "--replicas", "1", "--steps", "4", "--eval-every", "2"}),
                Arguments.of("tangent", 1, new String[] {"--method", "tangent", "--exponents", "2"}),
                Arguments.of("benettin", 2, new String[] {"--method", "benettin"}),
                Arguments.of("spectrum-weight-decay", 3, new String[] {"--method", "spectrum", "--exponents", "2",
                    "--weight-decay", "0,0.01"}),
                Arguments.of("sharpness", 2, new String[] {"--replicas", "1", "--sharpness", "--sharpness-every",
                    "4"}),
                // the momentum axis: a batch holds several β (its cells run reordered by β, one launch per run
                // of equal β); the list is not sorted, so the reordering moves cells
                Arguments.of("tangent-nesterov-axis", 1, new String[] {"--method", "tangent", "--exponents", "2",
                    "--optimizer", "nesterov", "--momentum", "0.9,0,0.5", "--sharpness"}),
                Arguments.of("paper-momentum-and-weight-decay-axes", 3, new String[] {"--replicas", "2",
                    "--momentum", "0.5,0", "--weight-decay", "0,0.01"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyBatchingAndShardingGivesTheSameBytes(String name, int perCell, String[] options) throws IOException {
        String[] base = Cli.with(BASE, "--backend", backend());
        Path all = sweep(name + "-all", base, options);
        Path one = sweep(name + "-one", base, options, "--max-batch", String.valueOf(perCell));
        Path uneven = sweep(name + "-uneven", base, options, "--max-batch", String.valueOf(3 * perCell));
        Path sharded = tmp.resolve(name + "-sharded");
        sweepInto(sharded, base, options, "--shard", "0/2", "--max-batch", String.valueOf(2 * perCell));
        sweepInto(sharded, base, options, "--shard", "1/2");
        Cli m = Cli.run("merge", sharded.toString());
        assertEquals(ExitCodes.OK, m.code(), m.toString());
        for (String f : List.of("results.csv", "curves.csv", "summary.csv")) {
            String want = Files.readString(all.resolve(f));
            assertEquals(want, Files.readString(one.resolve(f)), name + ": one cell per batch, " + f);
            assertEquals(want, Files.readString(uneven.resolve(f)), name + ": batches of 3, 3 and 1 cells, " + f);
            assertEquals(want, Files.readString(sharded.resolve(f)), name + ": two shards merged, " + f);
        }
    }

    private Path sweep(String dir, String[] base, String[] options, String... more) {
        Path out = tmp.resolve(dir);
        sweepInto(out, base, options, more);
        return out;
    }

    /** {@code gdchaos sweep} on the embedded MNIST subset into {@code out} (784-8-10 unless the options give --arch). */
    private static void sweepInto(Path out, String[] base, String[] options, String... more) {
        List<String> a = new ArrayList<>(List.of("sweep", "--data", "mnist-10k", "--out", out.toString()));
        a.addAll(List.of(base));
        if (!List.of(options).contains("--arch")) a.addAll(List.of("--layers", "784,8,10"));
        if (!List.of(options).contains("--steps")) a.addAll(List.of(STEPS));
        a.addAll(List.of(options));
        a.addAll(List.of(more));
        Cli c = Cli.run(a.toArray(String[]::new));
        assertEquals(ExitCodes.OK, c.code(), c.toString());
    }
}
