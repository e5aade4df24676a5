package org.gdchaos.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A folder of IDX files ({@code idx:DIR}). Two layouts are recognised, each file either
 * gzip-compressed ({@code .gz}) or raw:
 * <ol>
 *   <li><b>Standard MNIST</b>: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 *       {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte} (also the
 *       {@code train-images.idx3-ubyte} spelling). Train comes from the train files,
 *       test from the t10k files; a size ≤ 0 means the whole file; the first samples are taken.</li>
 *   <li><b>Single pool</b>: {@code images-idx3-ubyte} + {@code labels-idx1-ubyte}, split as
 *       train = the first {@code trainSize} samples, test = the next {@code testSize}
 *       (rules in {@link Sizes#splitPool}; neither given = 80 % / 20 %).</li>
 * </ol>
 * Pixels are {@code byte/255.0} in [0, 1]; targets are one-hot over {@code classes} (10). A sample
 * is an image of the files' rows × cols × 1 ({@link #sampleShape} reads it from the image file's
 * header without reading the pixels).
 */
public final class IdxFolder implements ImageDataSource {

    /** Classes of MNIST-like data. */
    public static final int MNIST_CLASSES = 10;

    private final Path dir;
    private final String spec;
    private final String missingHint;
    private final int classes;

    /**
     * @param dir         the folder
     * @param spec        the spec string naming this source (also the dataset name)
     * @param missingHint appended to the error when the folder does not exist (may be empty)
     */
    public IdxFolder(Path dir, String spec, String missingHint) {
        this(dir, spec, missingHint, MNIST_CLASSES);
    }

    public IdxFolder(Path dir, String spec, String missingHint, int classes) {
        if (dir == null || spec == null) {
            throw new IllegalArgumentException("dir and spec must not be null");
        }
        if (classes <= 0 || classes > 256) {
            throw new IllegalArgumentException("classes must be in 1..256, got " + classes);
        }
        this.dir = dir;
        this.spec = spec;
        this.missingHint = missingHint == null ? "" : missingHint;
        this.classes = classes;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String spec() {
        return spec;
    }

    /**
     * The image shape in the header of the training images (or the single pool's images): rows ×
     * cols × 1. When the folder or the file is missing or its header cannot be read, MNIST's
     * 28×28×1, and {@link #load} reports what is wrong.
     */
    @Override
    public Shape sampleShape() {
        if (!Files.isDirectory(dir)) return EmbeddedMnist.SHAPE;
        Path images = find("train-images-idx3-ubyte", "train-images.idx3-ubyte");
        if (images == null) images = find("images-idx3-ubyte", "images.idx3-ubyte");
        if (images == null) return EmbeddedMnist.SHAPE;
        try {
            int[] dims = IdxReader.readImagesHeader(images);
            return new Shape(dims[1], dims[2], 1);
        } catch (DataException | IllegalArgumentException e) {
            return EmbeddedMnist.SHAPE;
        }
    }

    @Override
    public DataSplit load(int trainSize, int testSize) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DataException(spec + ": " + dir + " is a file, not a folder: idx:DIR takes the folder that "
                    + "holds the four MNIST-named IDX files");
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException(spec + ": folder not found: " + dir
                    + (missingHint.isEmpty() ? "" : "; " + missingHint));
        }
        Path trImg = find("train-images-idx3-ubyte", "train-images.idx3-ubyte");
        Path trLab = find("train-labels-idx1-ubyte", "train-labels.idx1-ubyte");
        Path teImg = find("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte");
        Path teLab = find("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte");
        if (trImg != null && trLab != null && teImg != null && teLab != null) {
            Dataset train = readPrefix(trImg, trLab, trainSize, "training", spec + "/train");
            Dataset test = readPrefix(teImg, teLab, testSize, "test", spec + "/test");
            if (!train.shape().equals(test.shape())) {
                throw new DataException(spec + ": the training images " + trImg + " are " + train.shape()
                        + " but the test images " + teImg + " are " + test.shape());
            }
            return new DataSplit(train, test);
        }
        Path img = find("images-idx3-ubyte", "images.idx3-ubyte");
        Path lab = find("labels-idx1-ubyte", "labels.idx1-ubyte");
        if (img != null && lab != null) {
            // sizes from the headers, then only the samples used are read (a gzip bomb costs what is asked for)
            int count = IdxReader.readImagesHeader(img)[0];
            IdxReader.checkCounts(img, count, lab, IdxReader.readLabelsCount(lab));
            int[] sizes = Sizes.splitPool(count, trainSize, testSize, spec);
            int used = sizes[0] + sizes[1];
            IdxImages images = IdxReader.readImages(img, used);
            int[] labels = IdxReader.readLabels(lab, classes, used);
            return new DataSplit(slice(images, labels, 0, sizes[0], spec + "/train"),
                    slice(images, labels, sizes[0], sizes[1], spec + "/test"));
        }
        throw new DataException(spec + ": no IDX data set found in " + dir + "; expected either"
                + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
                + " t10k-labels-idx1-ubyte (each optionally .gz), or a single pair"
                + " images-idx3-ubyte + labels-idx1-ubyte (optionally .gz); the folder holds: "
                + listing());
    }

    private Dataset readPrefix(Path imgFile, Path labFile, int requested, String what,
                               String name) {
        int available = IdxReader.readImagesHeader(imgFile)[0];
        IdxReader.checkCounts(imgFile, available, labFile, IdxReader.readLabelsCount(labFile));
        int count = Sizes.resolve(requested, available, what, spec + " (" + imgFile + ")");
        // only the samples used are read: the rest of the file is never decompressed or held
        IdxImages images = IdxReader.readImages(imgFile, count);
        int[] labels = IdxReader.readLabels(labFile, classes, count);
        return slice(images, labels, 0, count, name);
    }

    private Dataset slice(IdxImages images, int[] labels, int from, int count, String name) {
        int[] lab = java.util.Arrays.copyOfRange(labels, from, from + count);
        return Dataset.classification(name, images.toDoubles(from, count), lab,
                images.features(), classes).withShape(images.shape());
    }

    /** The first existing file among the base names, each tried with {@code .gz} then raw. */
    private Path find(String... bases) {
        for (String base : bases) {
            for (String candidate : new String[] {base + ".gz", base}) {
                Path p = dir.resolve(candidate);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private String listing() {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted()
                    .limit(20).collect(Collectors.toList());
            return names.isEmpty() ? "(nothing)" : String.join(", ", names);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
