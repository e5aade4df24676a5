package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gdchaos.sweep.store.FolderLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder that another writer holds: exit 4 with a clear message, for sweep, shard and merge; nothing written. */
class ConcurrentWriterTest {
    @TempDir
    Path tmp;

    static final String[] SCALAR = {"sweep", "--data", "scalar:x=1,y=1", "--model", "linear", "--width", "2", "--lr",
        "0.1,0.2", "--inits", "1", "--steps", "3", "--backend", "java", "--quiet"};

    static String[] sweep(Path out, String... more) {
        return Cli.with(Cli.with(SCALAR, "--out", out.toString()), more);
    }

    @Test
    void aLockedOutputFolderIsExitFour() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        try (FolderLock held = FolderLock.acquire(out)) {
            Cli c = Cli.run(sweep(out));
            BadInputTest.fails(c, ExitCodes.OUTPUT, "another gdchaos process is writing " + out);
            Cli r = Cli.run(sweep(out, "--resume", null));
            BadInputTest.fails(r, ExitCodes.OUTPUT, "another gdchaos process is writing");
            assertFalse(Files.exists(out.resolve("results.csv")) || Files.exists(out.resolve("run.json")));
        }
        Cli ok = Cli.run(sweep(out));
        assertEquals(ExitCodes.OK, ok.code(), ok.toString());
    }

    @Test
    void aLockedShardOrMergeFolderIsExitFour() throws Exception {
        Path out = tmp.resolve("sharded");
        assertEquals(ExitCodes.OK, Cli.run(sweep(out, "--shard", "0/2")).code());
        Path shard1 = Files.createDirectories(out.resolve("shards/1-of-2"));
        try (FolderLock held = FolderLock.acquire(shard1)) {
            BadInputTest.fails(Cli.run(sweep(out, "--shard", "1/2")), ExitCodes.OUTPUT,
                    "another gdchaos process is writing " + shard1);
        }
        assertEquals(ExitCodes.OK, Cli.run(sweep(out, "--shard", "1/2")).code());
        try (FolderLock held = FolderLock.acquire(out)) {
            BadInputTest.fails(Cli.run("merge", out.toString()), ExitCodes.OUTPUT,
                    "another gdchaos process is writing " + out);
            assertFalse(Files.exists(out.resolve("results.csv")));
        }
        Cli m = Cli.run("merge", out.toString());
        assertEquals(ExitCodes.OK, m.code(), m.toString());
        assertTrue(Files.exists(out.resolve("results.csv")));
    }
}
