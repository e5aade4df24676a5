package org.gdchaos.data;

import static org.gdchaos.data.NpyTestFiles.encode;
import static org.gdchaos.data.NpyTestFiles.npy;
import static org.gdchaos.data.NpyTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npy: and npz: sources read what NumPy writes: every dtype and byte order, C and Fortran order, image shapes. */
class NumpySourceTest {
    @TempDir
    Path tmp;

    /** x[i][j] = 10·i + j for a (n, f) array. */
    static double[] table(int n, int f) {
        double[] v = new double[n * f];
        for (int i = 0; i < n; i++) for (int j = 0; j < f; j++) v[i * f + j] = 10 * i + j;
        return v;
    }

    /** The same (n, f) table in Fortran (column-major) order. */
    static double[] fortran(double[] c, int n, int f) {
        double[] v = new double[c.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < f; j++) v[j * n + i] = c[i * f + j];
        return v;
    }

    @Test
    void everyDtypeAndByteOrderAndOrderReadsTheSameTable() throws IOException {
        int n = 6;
        int f = 3;
        double[] x = table(n, f);
        Path y = write(tmp, "y.npy", npy("<i8", new long[] {n}, 0, 1, 2, 0, 1, 2));
        for (String d : new String[] {"<f8", ">f8", "<f4", ">f4", "|u1", "|i1", "<i2", ">i2", "<i4", ">i4", "<i8",
            ">i8", "<u2", ">u4", "<u8"}) {
            for (boolean fo : new boolean[] {false, true}) {
                Path xp = write(tmp, "x.npy", NpyTestFiles.npy(d, fo, new long[] {n, f},
                        encode(d, fo ? fortran(x, n, f) : x)));
                Dataset all = DataSpec.parse("npy:" + xp + "," + y).load(4, 2).train();
                double[] want = java.util.Arrays.copyOf(x, 4 * f);
                if (d.equals("|u1")) for (int k = 0; k < want.length; k++) want[k] /= 255.0;
                assertArrayEquals(want, all.x(), 1e-12, d + (fo ? " fortran" : ""));
                assertEquals(3, all.outputs());
                assertArrayEquals(new int[] {0, 1, 2, 0}, all.labels());
            }
        }
    }

    @Test
    void imageShapesKeepTheirShapeAndChannelsFirstIsTransposed() throws IOException {
        int n = 2;
        // (N, H, W) = (2, 2, 3): one channel
        double[] v = table(n, 6);
        Path y = write(tmp, "y.npy", npy("|u1", new long[] {n}, 1, 0));
        Path x3 = write(tmp, "x3.npy", npy("<f4", new long[] {n, 2, 3}, v));
        DataSource s3 = DataSpec.parse("npy:" + x3 + "," + y);
        assertEquals(new Shape(2, 3, 1), s3.sampleShape());
        DataSplit sp = s3.load(1, 1);
        assertEquals(new Shape(2, 3, 1), sp.shape());
        // (N, C, H, W) = (2, 3, 1, 2) with layout=nchw → (N, 1, 2, 3) channels last
        Path x4 = write(tmp, "x4.npy", npy("<f8", new long[] {n, 3, 1, 2}, v));
        DataSource s4 = DataSpec.parse("npy:" + x4 + "," + y + ":layout=nchw");
        assertEquals(new Shape(1, 2, 3), s4.sampleShape());
        Dataset d = s4.load(1, 1).train();
        // sample 0, channel c, pixel p = v[c·2 + p] → at p·3 + c
        assertArrayEquals(new double[] {0, 2, 4, 1, 3, 5}, d.x(), 0);
        // without layout=nchw the same array is (H, W, C) = (3, 1, 2)
        assertEquals(new Shape(3, 1, 2), DataSpec.parse("npy:" + x4 + "," + y).sampleShape());
    }

    @Test
    void floatTargetsAreRegressionWithSeveralOutputs() throws IOException {
        Path x = write(tmp, "x.npy", npy("<f8", new long[] {4, 2}, table(4, 2)));
        Path y = write(tmp, "y.npy", npy(">f4", new long[] {4, 2}, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4));
        DataSplit s = DataSpec.parse("npy:" + x + "," + y).load(3, 1);
        assertFalse(s.isClassification());
        assertEquals(2, s.outputs());
        assertArrayEquals(new double[] {3.5, 4}, s.test().y(), 0);
    }

    @Test
    void npzStoredAndDeflatedWithDefaultAndNamedKeys() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("features", npy("<f8", new long[] {5, 2}, table(5, 2)));
        m.put("classes", npy("<i4", new long[] {5}, 0, 1, 0, 1, 3));
        for (boolean deflate : new boolean[] {false, true}) {
            Path z = write(tmp, "d" + deflate + ".npz", NpyTestFiles.npz(m, deflate));
            Dataset d = DataSpec.parse("npz:" + z + ":x=features,y=classes").load(4, 1).train();
            assertArrayEquals(java.util.Arrays.copyOf(table(5, 2), 8), d.x(), 0);
            assertEquals(4, d.outputs(), "classes = 1 + the largest label of the samples read");
        }
        Map<String, byte[]> plain = new LinkedHashMap<>();
        plain.put("arr_0", m.get("features"));
        plain.put("arr_1", m.get("classes"));
        Path z = write(tmp, "plain.npz", NpyTestFiles.npz(plain, true));
        assertEquals(2, DataSpec.parse("npz:" + z + ":classes=5").load(2, 2).train().features());
        assertEquals(5, DataSpec.parse("npz:" + z + ":classes=5").load(2, 2).outputs());
    }

    /** A prefix of a large C-order file reads only its first bytes; a Fortran one seeks past the rest. */
    @Test
    void aPrefixReadsOnlyItsBytes() throws IOException {
        int n = 20_000;
        int f = 50;
        for (boolean fo : new boolean[] {false, true}) {
            double[] x = table(n, f);
            Path xp = write(tmp, "big.npy", NpyTestFiles.npy("<f8", fo, new long[] {n, f},
                    encode("<f8", fo ? fortran(x, n, f) : x)));
            NpyReader.Input plain = NpyReader.file(xp);
            AtomicLong read = new AtomicLong();
            NpyReader.Input counting = new NpyReader.Input() {
                public String source() {
                    return plain.source();
                }

                public InputStream open() throws IOException {
                    InputStream in = plain.open();
                    return new java.io.FilterInputStream(in) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            int r = super.read(b, off, len);
                            if (r > 0) read.addAndGet(r);
                            return r;
                        }

                        @Override
                        public int read() throws IOException {
                            int r = super.read();
                            if (r >= 0) read.incrementAndGet();
                            return r;
                        }
                    };
                }

                public long length() {
                    return plain.length();
                }

                public long maxLength() {
                    return plain.maxLength();
                }
            };
            NpyReader.Header h = NpyReader.header(counting);
            read.set(0);
            double[] rows = NpyReader.readRows(counting, h, 10);
            assertArrayEquals(java.util.Arrays.copyOf(x, 10 * f), rows, 0);
            long file = (long) n * f * 8;
            assertTrue(read.get() < file / 10, (fo ? "fortran" : "C") + ": read " + read.get() + " of " + file);
        }
    }

    @Test
    void initFromNpyAndTextFiles() throws IOException {
        Path a = write(tmp, "w.npy", npy(">f4", new long[] {2, 2}, 1.5, -2, 3, 0.25));
        assertArrayEquals(new double[] {1.5, -2, 3, 0.25}, org.gdchaos.nn.InitSpec.parse("file:" + a).values(), 0);
        Path t = NpyTestFiles.text(tmp, "w.txt", "# weights\n1.5\n\n-2\n3e0\n0.25\n");
        assertEquals(org.gdchaos.nn.InitSpec.values(1.5, -2, 3, 0.25), org.gdchaos.nn.InitSpec.parse("file:" + t));
    }
}
