package org.gdchaos.data;

import static org.gdchaos.data.NpyTestFiles.npy;
import static org.gdchaos.data.NpyTestFiles.text;
import static org.gdchaos.data.NpyTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24, item 4: each bad file is one {@link DataException} naming the file (and the row, column or array), thrown
 * before anything beyond what the file holds is allocated.
 */
class DataBadInputTest {
    @TempDir
    Path tmp;

    Path y3;

    /** Loads {@code spec} expecting a DataException whose one-line message holds every fragment. */
    static String fails(String spec, String... fragments) {
        DataException e = assertThrows(DataException.class, () -> DataSpec.load(spec, null, Normalization.AUTO, 0, 0),
                spec);
        String m = e.getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        for (String f : fragments) assertTrue(m.contains(f), "'" + f + "' in: " + m);
        return m;
    }

    Path x3() throws IOException {
        y3 = write(tmp, "y3.npy", npy("<i8", new long[] {3}, 0, 1, 0));
        return write(tmp, "x3.npy", npy("<f8", new long[] {3, 2}, 1, 2, 3, 4, 5, 6));
    }

    @Test
    void truncatedOrCorruptHeader() throws IOException {
        byte[] good = npy("<f8", new long[] {3, 2}, 1, 2, 3, 4, 5, 6);
        x3();
        Path cut = write(tmp, "cut.npy", java.util.Arrays.copyOf(good, 30));
        fails("npy:" + cut + "," + y3, "cut.npy", "truncated .npy header");
        Path lead = write(tmp, "lead.npy", java.util.Arrays.copyOf(good, 5));
        fails("npy:" + lead + "," + y3, "lead.npy", "truncated .npy header");
        Path bad = write(tmp, "bad.npy", NpyTestFiles.npyWithHeader("{'descr': '<f8', 'fortran_order': Maybe, "
                + "'shape': (3, 2), }", NpyTestFiles.encode("<f8", 1, 2, 3, 4, 5, 6)));
        fails("npy:" + bad + "," + y3, "bad.npy", "corrupt .npy header", "True or False");
        byte[] longHeader = good.clone();
        longHeader[8] = (byte) 0xff;
        longHeader[9] = (byte) 0xff;
        fails("npy:" + write(tmp, "long.npy", longHeader) + "," + y3, "long.npy", "truncated .npy header");
        Path notNpy = text(tmp, "x.npy", "a,b\n1,2\n");
        fails("npy:" + notNpy + "," + y3, "x.npy", "not a NumPy .npy file");
        fails("npy:" + write(tmp, "empty.npy", new byte[0]) + "," + y3, "empty.npy", "empty or not an .npy file");
    }

    /** A 100-byte file whose header claims 10^12 × 4 doubles fails on the length check, allocating nothing. */
    @Test
    void aHeaderClaimingTeraElements() throws IOException {
        x3();
        Path huge = write(tmp, "huge.npy", NpyTestFiles.npy("<f8", false, new long[] {1_000_000_000_000L, 4},
                new byte[64]));
        fails("npy:" + huge + "," + y3, "huge.npy", "(1000000000000, 4)", "but the file holds 64");
        Path over = write(tmp, "over.npy", NpyTestFiles.npy("<f8", false,
                new long[] {1L << 40, 1L << 40}, new byte[8]));
        fails("npy:" + over + "," + y3, "over.npy", "overflows 64 bits");
        // the same in an npz member
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x", NpyTestFiles.npy("<f8", false, new long[] {1_000_000_000_000L, 4}, new byte[64]));
        m.put("y", Files.readAllBytes(y3));
        Path z = write(tmp, "huge.npz", NpyTestFiles.npz(m, true));
        fails("npz:" + z, "huge.npz:x", "(1000000000000, 4)");
        // trailing bytes: the header says less than the file holds
        Path trail = write(tmp, "trail.npy", NpyTestFiles.npy("<f8", false, new long[] {3, 2}, new byte[6 * 8 + 3]));
        fails("npy:" + trail + "," + y3, "trail.npy", "trailing bytes");
    }

    @Test
    void mismatchedLengths() throws IOException {
        Path x = x3();
        Path y2 = write(tmp, "y2.npy", npy("<i8", new long[] {2}, 0, 1));
        fails("npy:" + x + "," + y2, "mismatched lengths", "x3.npy has 3 samples", "y2.npy has 2");
    }

    @Test
    void nanOrInfinityInFeaturesOrTargets() throws IOException {
        x3();
        Path xn = write(tmp, "xn.npy", npy("<f4", new long[] {3, 2}, 1, 2, 3, Double.NaN, 5, 6));
        fails("npy:" + xn + "," + y3, "xn.npy", "sample 1, feature 1 is NaN");
        Path xi = write(tmp, "xi.npy", npy(">f8", new long[] {3, 2}, 1, 2, 3, 4, Double.POSITIVE_INFINITY, 6));
        fails("npy:" + xi + "," + y3, "xi.npy", "sample 2, feature 0 is Infinity");
        Path yn = write(tmp, "yn.npy", npy("<f8", new long[] {3}, 0.5, Double.NaN, 1));
        fails("npy:" + tmp.resolve("x3.npy") + "," + yn, "yn.npy", "sample 1 is NaN");
        Path csv = text(tmp, "n.csv", "a,b,t\n1,2,0.5\n3,NaN,1.5\n");
        fails("csv:" + csv + ":target=t", "n.csv", "line 3", "column 'b'", "'NaN' is not a number", "impute");
    }

    @Test
    void labelsOutsideTheClasses() throws IOException {
        Path x = x3();
        Path neg = write(tmp, "neg.npy", npy("<i4", new long[] {3}, 0, -1, 1));
        fails("npy:" + x + "," + neg, "neg.npy", "sample 1 has label -1");
        fails("npy:" + x + "," + y3 + ":classes=1", "y3.npy", "sample 1 has label 1, outside 0..0", "classes=1");
        Path csv = text(tmp, "l.csv", "a,b,label\n1,2,0\n3,4,7\n5,6,1\n");
        fails("csv:" + csv + ":classes=3", "l.csv", "line 3", "column 'label'", "label 7 is not a class index 0..2");
        Path frac = text(tmp, "f.csv", "a,b,label\n1,2,0\n3,4,1.5\n");
        fails("csv:" + frac, "f.csv", "line 3", "label 1.5");
    }

    @Test
    void badCsvCellsAndShapes() throws IOException {
        Path c = text(tmp, "c.csv", "sepal,petal,species\n1.0,2.0,0\n1.5,abc,1\n");
        fails("csv:" + c + ":label=species", "c.csv", "line 3", "column 'petal' (2)", "'abc' is not a number");
        fails("csv:" + text(tmp, "e.csv", ""), "e.csv", "empty file");
        fails("csv:" + text(tmp, "h.csv", "a,b\n"), "h.csv", "no data rows");
        fails("csv:" + text(tmp, "r.csv", "a,b,c\n1,2,0\n1,2\n"), "r.csv", "line 3 has 2 fields", "header has 3");
        fails("csv:" + text(tmp, "n.csv", "1.5,2.5,0\n1,2,0\n"), "n.csv", "line 1 holds numbers");
        fails("csv:" + c + ":label=colour", "c.csv", "no label column 'colour'", "sepal, petal, species");
        fails("csv:" + text(tmp, "q.csv", "a,\"b\nx"), "q.csv", "line 1", "quote");
        fails("csv:" + tmp.resolve("missing.csv"), "file not found", "missing.csv");
    }

    /** An object array is a pickle: refused from its header, its bytes never looked at. */
    @Test
    void picklesAreRefused() throws IOException {
        x3();
        byte[] pickle = {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0, 0, 'c', 'o', 's', '\n', 's', 'y', 's', 't',
            'e', 'm', '\n', '.'};
        Path obj = write(tmp, "obj.npy", NpyTestFiles.npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape':"
                + " (3,), }", pickle));
        fails("npy:" + tmp.resolve("x3.npy") + "," + obj, "obj.npy", "object array", "pickles", "never loads");
        fails("npy:" + write(tmp, "raw.pkl", pickle) + "," + y3, "raw.pkl", "not a NumPy .npy file");
        Path rec = write(tmp, "rec.npy", NpyTestFiles.npyWithHeader("{'descr': [('a', '<f8')], 'fortran_order': "
                + "False, 'shape': (3,), }", new byte[24]));
        fails("npy:" + rec + "," + y3, "rec.npy", "structured array");
    }

    /**
     * A gzip .npy whose header claims more than its compressed bytes can expand to is refused before reading on;
     * an honest 1000:1 bomb (64 MB of zeros in ~64 KB) gives up a prefix without expanding the rest.
     */
    @Test
    void gzipBombs() throws IOException {
        x3();
        byte[] claim = NpyTestFiles.npy("<f8", false, new long[] {1L << 34, 1}, new byte[4096]);
        Path liar = write(tmp, "liar.npy", NpyTestFiles.gzip(claim));
        fails("npy:" + liar + "," + y3, "liar.npy", "the compressed file can hold at most");
        int n = 8_000_000;
        Path bomb = tmp.resolve("bomb.npy");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
            g.write(NpyTestFiles.npy("<f8", false, new long[] {n, 1}, new byte[0]));
            byte[] zeros = new byte[1 << 20];
            for (int k = 0; k < 8 * n / zeros.length; k++) g.write(zeros);
        }
        assertTrue(Files.size(bomb) < (1 << 20), "a bomb: " + Files.size(bomb));
        Path yb = tmp.resolve("yb.npy");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(yb), 1 << 16)) {
            g.write(NpyTestFiles.npy("<f8", false, new long[] {n}, new byte[0]));
            g.write(new byte[8 * n]);
        }
        long t0 = System.nanoTime();
        Dataset d = DataSpec.load("npy:" + bomb + "," + yb, null, Normalization.AUTO, 10, 5).train();
        assertEquals(10, d.n());
        assertTrue(System.nanoTime() - t0 < 5e9, "a prefix of the bomb reads quickly");
    }

    /** In a JVM with a 64 MB heap, asking for all 8 million samples of the bomb is refused before allocating. */
    @Test
    void allOfABombUnderASmallHeapIsRefusedBeforeAllocating() throws IOException, InterruptedException {
        int n = 8_000_000;
        Path bomb = tmp.resolve("bomb.npy");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
            g.write(NpyTestFiles.npy("<f8", false, new long[] {n, 1}, new byte[0]));
            byte[] zeros = new byte[1 << 20];
            for (int k = 0; k < 8 * n / zeros.length; k++) g.write(zeros);
        }
        Path yb = tmp.resolve("yb.npy");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(yb), 1 << 16)) {
            g.write(NpyTestFiles.npy("<f8", false, new long[] {n}, new byte[0]));
            g.write(new byte[8 * n]);
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Loader.class.getName(), "npy:" + bomb + "," + yb));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("DataException") && out.contains("do not fit in memory"), out);
        assertTrue(!out.contains("OutOfMemoryError"), out);
    }

    /** Loads a spec with all samples and prints the outcome (for the small-heap test). */
    public static final class Loader {
        public static void main(String[] args) {
            try {
                DataSpec.load(args[0], null, Normalization.AUTO, 0, 0);
                System.out.println("loaded");
            } catch (DataException e) {
                System.out.println("DataException: " + e.getMessage());
            }
        }
    }

    @Test
    void badInitFiles() throws IOException {
        Path t = text(tmp, "w.txt", "1\n2\nthree\n");
        DataException e = assertThrows(DataException.class, () -> org.gdchaos.nn.InitSpec.parse("file:" + t));
        assertTrue(e.getMessage().contains("w.txt: line 3: 'three' is not a number"), e.getMessage());
        Path empty = text(tmp, "e.txt", "# nothing\n");
        e = assertThrows(DataException.class, () -> org.gdchaos.nn.InitSpec.parse("file:" + empty));
        assertTrue(e.getMessage().contains("no numbers"), e.getMessage());
        Path nan = write(tmp, "n.npy", npy("<f8", new long[] {2}, 1, Double.NaN));
        e = assertThrows(DataException.class, () -> org.gdchaos.nn.InitSpec.parse("file:" + nan));
        assertTrue(e.getMessage().contains("element 1 is NaN"), e.getMessage());
        e = assertThrows(DataException.class, () -> org.gdchaos.nn.InitSpec.parse("file:" + tmp.resolve("none.npy")));
        assertTrue(e.getMessage().contains("none.npy") && e.getMessage().contains("not found"), e.getMessage());
    }
}
