package org.gdchaos.sweep.run;

import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.SweepSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 13: writers started together on one folder. Each either gets the folder or fails
 * with the "another gdchaos process is writing" message; none fails with "not writable" because a
 * rival deleted its write probe (the probe used to be written and deleted before the lock was taken).
 */
class StartupRaceTest {
    @TempDir
    Path tmp;

    @Test
    void writersStartedTogetherEitherLockTheFolderOrSeeItLocked() throws Exception {
        SweepSpec spec = SweepSpec.builder().learningRates(0.1).inits(1).build();
        ResultsCsv format = ResultsCsv.of(spec);
        int threads = 4, rounds = 150;
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        int[] locked = new int[1];
        for (int r = 0; r < rounds; r++) {
            Path dir = tmp.resolve("r" + r);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        try (ResultStore s = new ResultStore(dir, format, true)) {
                            synchronized (locked) {
                                locked[0]++;
                            }
                            Thread.onSpinWait();
                        }
                    } catch (OutputFolderException e) {
                        if (!e.getMessage().startsWith("another gdchaos process is writing")) wrong.add(e.getMessage());
                    } catch (Exception e) {
                        wrong.add(e.toString());
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) th.join();
            assertTrue(Files.notExists(dir.resolve(ResultStore.PROBE)), "no probe left behind");
        }
        assertEquals(List.of(), new ArrayList<>(wrong), "failures other than 'locked'");
        assertTrue(locked[0] >= rounds, "every round, some writer got the folder");
    }
}
