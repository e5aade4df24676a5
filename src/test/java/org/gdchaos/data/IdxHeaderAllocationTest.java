package org.gdchaos.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 6: a header is never trusted for an allocation. Small files whose headers claim
 * 2e9 one-pixel images, a million 28×28 images or 2^31−1 labels are read in a separate JVM with
 * a 48 MB heap: each fails with "truncated" (a {@link DataException}), never with an
 * {@link OutOfMemoryError}. Reading them used to allocate what the header claims first.
 */
class IdxHeaderAllocationTest {
    @TempDir
    Path tmp;

    /** Reads each file (args: images|labels PATH …) and prints the outcome, one line per file. */
    public static final class Reader {
        public static void main(String[] args) {
            for (int i = 0; i < args.length; i += 2) {
                try {
                    if (args[i].equals("images")) IdxReader.readImages(Path.of(args[i + 1]));
                    else IdxReader.readLabels(Path.of(args[i + 1]), 10);
                    System.out.println("read " + args[i + 1]);
                } catch (DataException e) {
                    System.out.println("DataException: " + e.getMessage());
                }
            }
        }
    }

    static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) p[i] = (byte) (i % 7);
        return p;
    }

    @Test
    void hugeHeadersInSmallFilesFailAsTruncatedUnderASmallHeap() throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        byte[] manyTiny = IdxTestFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {2_000_000_000, 1, 1}, payload(47_000));
        byte[] millionMnist = IdxTestFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {1_000_000, 28, 28}, payload(47_000));
        byte[] labels = IdxTestFiles.idx(IdxReader.LABELS_MAGIC, new int[] {Integer.MAX_VALUE}, payload(47_000));
        args.addAll(List.of("images", IdxTestFiles.write(tmp, "a-idx3-ubyte", manyTiny).toString()));
        args.addAll(List.of("images", IdxTestFiles.write(tmp, "b-idx3-ubyte", millionMnist).toString()));
        args.addAll(List.of("images", IdxTestFiles.write(tmp, "c-idx3-ubyte.gz", IdxTestFiles.gzip(millionMnist))
                .toString()));
        args.addAll(List.of("labels", IdxTestFiles.write(tmp, "d-idx1-ubyte", labels).toString()));
        args.addAll(List.of("labels", IdxTestFiles.write(tmp, "e-idx1-ubyte.gz", IdxTestFiles.gzip(labels)).toString()));

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(Reader.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                + java.io.File.pathSeparator
                + Path.of(IdxReader.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx48m", "-cp", cp, Reader.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("DataException: ")).toList();
        assertEquals(5, lines.size(), out);
        for (String l : lines) assertTrue(l.contains(": truncated: "), l);
        assertTrue(lines.get(0).contains("the header declares 2000000000 data bytes but the file ends after 47000 "
                + "bytes"), lines.get(0));
    }
}
