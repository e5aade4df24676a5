package org.gdchaos.data;

/**
 * A source whose samples form one pool (a pair of arrays, a table): {@link #load} splits it as train = the first
 * {@code trainSize} samples, test = the next {@code testSize} ({@link Sizes#splitPool}; neither given = 80 % /
 * 20 %), reading only the samples it uses. With {@code --test-data} the whole pool (or its first samples) is one
 * side ({@link #read}).
 */
abstract class PoolSource implements DataSource {

    /** Samples in the pool (from a header, or by counting rows). */
    abstract int size();

    /**
     * The first {@code count} samples, named {@code name}; {@code count ≤ 0} = all. Classes, when the source has
     * labels and names no {@code classes=K}, are {@code 1 + the largest label read}; {@code minClasses} raises
     * that (so a test set agrees with its training set).
     */
    abstract Dataset read(int count, String name, int minClasses);

    @Override
    public DataSplit load(int trainSize, int testSize) {
        int[] sizes = Sizes.splitPool(size(), trainSize, testSize, spec());
        Dataset all = read(sizes[0] + sizes[1], spec(), 0);
        return new DataSplit(all.subset(0, sizes[0], spec() + "/train"),
                all.subset(sizes[0], sizes[1], spec() + "/test"));
    }

    /** The first {@code count} samples ({@code ≤ 0}: all) as one set. */
    Dataset readPrefix(int count, String what, int minClasses) {
        int n = Sizes.resolve(count, size(), what, spec());
        return read(n, spec() + "/" + (what.equals("training") ? "train" : "test"), minClasses);
    }

    /** Classes from labels: the explicit count, else one more than the largest label (at least {@code min}). */
    static int classes(int[] labels, Integer explicit, int min, String source, String what) {
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (c < 0 || (explicit != null && c >= explicit) || (explicit == null && c >= MAX_AUTO_CLASSES)) {
                throw new DataException(source + ": " + what + " " + i + " has label " + c + ", outside 0.."
                        + ((explicit == null ? MAX_AUTO_CLASSES : explicit) - 1) + (explicit == null
                        ? " (labels are class indices 0..classes-1; give classes=K for more classes)"
                        : " (classes=" + explicit + ")"));
            }
            max = Math.max(max, c);
        }
        return explicit != null ? explicit : Math.max(max + 1, min);
    }

    /** Largest class count inferred from labels without {@code classes=K}. */
    static final int MAX_AUTO_CLASSES = 1000;

    /** Throws at the first NaN or infinity. */
    static void checkFinite(double[] v, int per, String source, String what) {
        for (int k = 0; k < v.length; k++) {
            if (!Double.isFinite(v[k])) {
                throw new DataException(source + ": sample " + k / per + (per > 1 ? ", " + what + " " + k % per : "")
                        + " is " + v[k] + "; remove or impute missing values first");
            }
        }
    }
}
