package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes are whole or absent: a channel that writes short still gets every
 * byte; a full disk is one {@link OutputFolderException} naming the file and {@code --resume};
 * results rows never land before their curves; and {@link ResultStore#recover()} cuts the torn
 * tail a failed write leaves, so the resumed files equal those of an undisturbed store.
 */
class ResultStoreWriteTest {
    @TempDir
    Path tmp;

    static final ResultsCsv FORMAT = new ResultsCsv(1, List.of());
    static final int STEPS = 400; // ~12 KB of curves per cell: many short writes

    static CellOutcome outcome(int lrIndex, int init) {
        Cell c = new Cell(lrIndex, 0.1 * (lrIndex + 1), init);
        double[] loss = new double[STEPS + 1];
        double[] d = new double[STEPS + 1];
        for (int s = 0; s <= STEPS; s++) {
            loss[s] = 1.0 / (s + 1 + lrIndex + 7 * init);
            d[s] = Math.log(1e-8) + 0.01 * s * (lrIndex + 1);
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("loss", loss);
        curves.put("ln_d_l1", d);
        CellRow row = CellRow.builder(c, 7).exponents(0.01 * lrIndex).fitR2(0.9).fitWindow(3, 40).fitPoints(38)
                .finalLoss(loss[STEPS]).trainAcc(0.5).testLoss(loss[STEPS]).testAcc(0.5).stepsToThreshold(12)
                .gradNorm(1e-3).build();
        return new CellOutcome(row, curves);
    }

    static List<CellOutcome> batch(int from) {
        List<CellOutcome> b = new ArrayList<>();
        for (int i = from; i < from + 3; i++) b.add(outcome(i, i % 2));
        return b;
    }

    /** The files an undisturbed store writes for the batches. */
    Path reference(int batches) {
        Path dir = tmp.resolve("reference");
        try (ResultStore s = new ResultStore(dir, FORMAT, false)) {
            for (int b = 0; b < batches; b++) s.append(batch(3 * b));
        }
        return dir;
    }

    static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    /** A real file channel whose writes take at most {@code max} bytes, and that can fail after a budget. */
    static final class FakeChannel extends FileChannel {
        final FileChannel real;
        final int max;
        long budget; // bytes it accepts before "No space left on device"
        int writes;

        FakeChannel(Path p, int max, long budget) throws IOException {
            real = ResultStore.FILES.open(p);
            this.max = max;
            this.budget = budget;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            writes++;
            if (budget <= 0) throw new IOException("No space left on device");
            int n = (int) Math.min(Math.min(max, budget), src.remaining());
            ByteBuffer part = src.slice();
            part.limit(n);
            int w = real.write(part);
            src.position(src.position() + w);
            budget -= w;
            return w;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("the store writes one buffer at a time");
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            throw new UnsupportedOperationException("the store appends");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }

    @Test
    void shortWritesAreContinuedUntilEveryByteIsOnDisk() throws IOException {
        Path ref = reference(2);
        Path dir = tmp.resolve("short");
        List<FakeChannel> opened = new ArrayList<>();
        try (ResultStore s = new ResultStore(dir, FORMAT, false, p -> {
            FakeChannel c = new FakeChannel(p, 4093, Long.MAX_VALUE);
            opened.add(c);
            return c;
        })) {
            s.append(batch(0));
            s.append(batch(3));
        }
        assertTrue(opened.stream().anyMatch(c -> c.writes > 3), "the fake channel did write short");
        assertEquals(read(ref.resolve(ResultStore.CURVES)), read(dir.resolve(ResultStore.CURVES)));
        assertEquals(read(ref.resolve(ResultStore.RESULTS)), read(dir.resolve(ResultStore.RESULTS)));
    }

    @Test
    void aFullDiskIsOneClearErrorAndResumeCutsTheTornTail() throws IOException {
        Path ref = reference(2);
        Path dir = tmp.resolve("full");
        try (ResultStore s = new ResultStore(dir, FORMAT, false)) {
            Files.writeString(dir.resolve(RunInfo.FILE), "{\"spec\": {}}"); // as the runner does before the first batch
            // (a run.json with a spec: one without would make resuming refuse the rows)
            s.append(batch(0));
        }
        String resultsBefore = read(dir.resolve(ResultStore.RESULTS));
        long curvesBefore = Files.size(dir.resolve(ResultStore.CURVES));
        // the disk fills 20,000 bytes into the second batch's curves: one cell and a torn line are on disk
        OutputFolderException e;
        try (ResultStore s = new ResultStore(dir, FORMAT, true, p -> new FakeChannel(p, 1 << 20, 20_000))) {
            s.recover();
            e = assertThrows(OutputFolderException.class, () -> s.append(batch(3)));
        }
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve(ResultStore.CURVES)
                + ": No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("then resume the sweep"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertEquals(curvesBefore + 20_000, Files.size(dir.resolve(ResultStore.CURVES)));
        assertEquals(resultsBefore, read(dir.resolve(ResultStore.RESULTS)), "no row committed for that batch");

        try (ResultStore s = new ResultStore(dir, FORMAT, true)) {
            Set<Cell.Identity> done = s.recover();
            assertEquals(Set.of(new Cell(0, 0.1, 0).identity(), new Cell(1, 0.1 * 2, 1).identity(),
                    new Cell(2, 0.1 * 3, 0).identity()), done);
            assertTrue(read(dir.resolve(ResultStore.CURVES)).endsWith("\n"), "the torn tail is cut");
            s.append(batch(3));
        }
        assertEquals(read(ref.resolve(ResultStore.CURVES)), read(dir.resolve(ResultStore.CURVES)));
        assertEquals(read(ref.resolve(ResultStore.RESULTS)), read(dir.resolve(ResultStore.RESULTS)));
    }

    @Test
    void aFailureWritingTheRowsLeavesNoRowWithoutItsCurves() throws IOException {
        Path ref = reference(1);
        Path dir = tmp.resolve("rows");
        // curves go through, the results file fails after 100 bytes (inside its first row)
        try (ResultStore s = new ResultStore(dir, FORMAT, false, p -> p.getFileName().toString()
                .equals(ResultStore.RESULTS) ? new FakeChannel(p, 1 << 20, 100) : ResultStore.FILES.open(p))) {
            Files.writeString(dir.resolve(RunInfo.FILE), "{\"spec\": {}}");
            OutputFolderException e = assertThrows(OutputFolderException.class, () -> s.append(batch(0)));
            assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve(ResultStore.RESULTS)), e.getMessage());
        }
        try (ResultStore s = new ResultStore(dir, FORMAT, true)) {
            assertEquals(Set.of(), s.recover(), "a torn row does not count as done");
            assertEquals("", read(dir.resolve(ResultStore.CURVES)).lines().skip(1).findAny().orElse(""),
                    "curves of cells without a row are dropped");
            s.append(batch(0));
        }
        assertEquals(read(ref.resolve(ResultStore.CURVES)), read(dir.resolve(ResultStore.CURVES)));
        assertEquals(read(ref.resolve(ResultStore.RESULTS)), read(dir.resolve(ResultStore.RESULTS)));
    }
}
