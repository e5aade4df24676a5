package org.gdchaos.sweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per output folder, against this JVM and against another process. */
class FolderLockTest {
    @TempDir
    Path tmp;

    static final ResultsCsv FORMAT = new ResultsCsv(1, List.of());

    @Test
    void aSecondWriterInThisJvmIsRefusedUntilTheFirstCloses() {
        try (ResultStore first = new ResultStore(tmp, FORMAT, false)) {
            OutputFolderException e = assertThrows(OutputFolderException.class,
                    () -> new ResultStore(tmp, FORMAT, true));
            assertTrue(e.getMessage().startsWith("another gdchaos process is writing " + tmp), e.getMessage());
            assertThrows(OutputFolderException.class, () -> FolderLock.acquire(tmp));
            assertTrue(first.warnings().isEmpty());
        }
        try (ResultStore again = new ResultStore(tmp, FORMAT, true)) {
            assertTrue(Files.exists(tmp.resolve(FolderLock.FILE)));
        }
    }

    @Test
    void aRefusedStoreDoesNotKeepTheLock() throws IOException {
        Files.writeString(tmp.resolve(ResultStore.RESULTS), FORMAT.header() + "\n");
        OutputFolderException e = assertThrows(OutputFolderException.class, () -> new ResultStore(tmp, FORMAT, false));
        assertTrue(e.getMessage().contains("holds results.csv but no run.json"), e.getMessage());
        FolderLock.acquire(tmp).close();
    }

    /** Holds the lock of the folder args[0] in a separate JVM until its stdin closes. */
    public static final class Holder {
        public static void main(String[] args) throws IOException {
            try (FileChannel ch = FileChannel.open(Path.of(args[0]).resolve(FolderLock.FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                ch.lock();
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent to close stdin
                }
            }
        }
    }

    /** Starts {@link Holder} on dir and waits until it holds the lock. */
    static Process holdInAnotherProcess(Path dir) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(FolderLockTest.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                + java.io.File.pathSeparator
                + Path.of(FolderLock.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Process p = new ProcessBuilder(javaBin, "-cp", cp, Holder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", r.readLine(), "the holder process took the lock");
        return p;
    }

    @Test
    void anotherProcessHoldingTheFolderIsRefusedAndItsDeathFreesIt() throws Exception {
        Process holder = holdInAnotherProcess(tmp);
        try {
            OutputFolderException e = assertThrows(OutputFolderException.class,
                    () -> new ResultStore(tmp, FORMAT, false));
            assertTrue(e.getMessage().startsWith("another gdchaos process is writing"), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (ResultStore s = new ResultStore(tmp, FORMAT, false)) {
            assertTrue(s.warnings().isEmpty());
        }
    }
}
