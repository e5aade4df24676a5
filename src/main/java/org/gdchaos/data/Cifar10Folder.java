package org.gdchaos.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cifar10:DIR}: the CIFAR-10 binary batches ({@code cifar-10-binary.tar.gz} from
 * https://www.cs.toronto.edu/~kriz/cifar.html, unpacked: {@code data_batch_1.bin} … {@code data_batch_5.bin} and
 * {@code test_batch.bin}). Each file is records of 3073 bytes: one label byte (0…9), then 3072 pixel bytes, channel
 * planes R, G, B of 32×32 row-major. Samples load as 32×32×3 images, channels last (NHWC, the layout of
 * {@code --arch}): {@code x[i][h][w][c] = byte[1 + 1024·c + 32·h + w] / 255}. Training samples come from the data
 * batches in order (those present, starting at {@code data_batch_1.bin}), test samples from
 * {@code test_batch.bin}; the first samples are taken and only their bytes are read.
 */
final class Cifar10Folder implements ImageDataSource {

    /** Bytes per record: a label and 32·32·3 pixels. */
    static final int RECORD = 1 + 3072;
    static final Shape SHAPE = new Shape(32, 32, 3);
    static final int CLASSES = 10;

    private final Path dir;
    private final String spec;

    Cifar10Folder(Path dir, String spec) {
        this.dir = dir;
        this.spec = spec;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Shape sampleShape() {
        return SHAPE;
    }

    private List<Path> trainFiles() {
        List<Path> out = new ArrayList<>();
        for (int k = 1; Files.isRegularFile(dir.resolve("data_batch_" + k + ".bin")); k++) {
            out.add(dir.resolve("data_batch_" + k + ".bin"));
        }
        return out;
    }

    private void checkFolder() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DataException(spec + ": " + dir + " is a file, not a folder: cifar10:DIR takes the folder of"
                    + " data_batch_1.bin … data_batch_5.bin and test_batch.bin");
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException(spec + ": folder not found: " + dir + "; download cifar-10-binary.tar.gz from"
                    + " https://www.cs.toronto.edu/~kriz/cifar.html and unpack it");
        }
    }

    /** Records in a batch file, checking that its length is a whole number of records. */
    private static int records(Path f) {
        long len;
        try {
            len = Files.size(f);
        } catch (IOException e) {
            throw NpyReader.wrap(f.toString(), e);
        }
        if (len == 0 || len % RECORD != 0) {
            throw new DataException(f + ": " + len + " bytes is not a whole number of " + RECORD + "-byte CIFAR-10"
                    + " records (a label byte and 3072 pixels): truncated or not a CIFAR-10 binary batch");
        }
        return (int) Math.min(Integer.MAX_VALUE, len / RECORD);
    }

    @Override
    public DataSplit load(int trainSize, int testSize) {
        return new DataSplit(readTrain(trainSize), readTest(testSize));
    }

    Dataset readTrain(int trainSize) {
        checkFolder();
        List<Path> files = trainFiles();
        if (files.isEmpty()) {
            throw new DataException(spec + ": no data_batch_1.bin in " + dir + " (the CIFAR-10 binary version)");
        }
        long available = 0;
        for (Path f : files) available += records(f);
        int n = Sizes.resolve(trainSize, (int) Math.min(Integer.MAX_VALUE - 8, available), "training", spec);
        return read(files, n, spec + "/train");
    }

    Dataset readTest(int testSize) {
        checkFolder();
        Path test = dir.resolve("test_batch.bin");
        if (!Files.isRegularFile(test)) throw new DataException(spec + ": no test_batch.bin in " + dir);
        int n = Sizes.resolve(testSize, records(test), "test", spec);
        return read(List.of(test), n, spec + "/test");
    }

    private Dataset read(List<Path> files, int n, String name) {
        NpyReader.checkFits(spec, (long) n * (RECORD - 1) + (long) n * CLASSES);
        double[] x = new double[n * (RECORD - 1)];
        int[] labels = new int[n];
        byte[] rec = new byte[RECORD];
        int i = 0;
        for (Path f : files) {
            if (i == n) break;
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                for (int r = 0; i < n; r++) {
                    int got = in.readNBytes(rec, 0, RECORD);
                    if (got == 0) break;
                    if (got < RECORD) throw new DataException(f + ": truncated record " + r);
                    int label = rec[0] & 0xff;
                    if (label >= CLASSES) {
                        throw new DataException(f + ": record " + r + " has label " + label + ", outside 0..9");
                    }
                    labels[i] = label;
                    int base = i * (RECORD - 1);
                    for (int c = 0; c < 3; c++) {
                        for (int p = 0; p < 1024; p++) x[base + 3 * p + c] = (rec[1 + 1024 * c + p] & 0xff) / 255.0;
                    }
                    i++;
                }
            } catch (IOException e) {
                throw NpyReader.wrap(f.toString(), e);
            }
        }
        return Dataset.classification(name, x, labels, RECORD - 1, CLASSES).withShape(SHAPE);
    }

    @Override
    public String toString() {
        return spec;
    }
}
