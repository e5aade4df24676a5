package org.gdchaos.data;

/** Resolution of requested subset sizes against what a source has. */
final class Sizes {

    /**
     * Fraction of a single pool that becomes the test set when neither size is given:
     * {@code test = max(1, round(n·0.2))}, {@code train = n − test}.
     */
    static final double DEFAULT_TEST_FRACTION = 0.2;

    private Sizes() {
    }

    /** A negative size is refused (0 means all; a negative one must not silently mean all too). */
    static void checkNotNegative(int requested, String what, String source) {
        if (requested < 0) {
            throw new DataException(source + ": the number of " + what + " samples must be ≥ 0 (0 = all), got "
                    + requested);
        }
    }

    /** {@code requested = 0} → {@code available}; more than available → error. */
    static int resolve(int requested, int available, String what, String source) {
        checkNotNegative(requested, what, source);
        if (requested == 0) {
            return available;
        }
        if (requested > available) {
            throw new DataException(source + ": " + requested + " " + what
                    + " samples requested but only " + available + " exist");
        }
        return requested;
    }

    /**
     * Splits one pool of {@code n} samples into train = the first {@code train} samples and
     * test = the next {@code test} ones.
     * <ul>
     *   <li>both given (&gt; 0): {@code train + test ≤ n} required;</li>
     *   <li>only train given: test = all the rest ({@code n − train}, at least 1);</li>
     *   <li>only test given: train = all the rest ({@code n − test}, at least 1);</li>
     *   <li>neither: test = {@code max(1, round(0.2·n))}, train = the rest.</li>
     * </ul>
     * @return {train, test}
     */
    static int[] splitPool(int n, int train, int test, String source) {
        checkNotNegative(train, "training", source);
        checkNotNegative(test, "test", source);
        int tr;
        int te;
        if (train > 0 && test > 0) {
            if ((long) train + test > n) {
                throw new DataException(source + ": train-size " + train + " + test-size " + test
                        + " = " + ((long) train + test) + " exceeds the " + n
                        + " samples available (train and test are disjoint parts of one set)");
            }
            tr = train;
            te = test;
        } else if (train > 0) {
            if (train >= n) {
                throw new DataException(source + ": train-size " + train
                        + " leaves no test samples (" + n + " samples available)");
            }
            tr = train;
            te = n - train;
        } else if (test > 0) {
            if (test >= n) {
                throw new DataException(source + ": test-size " + test
                        + " leaves no training samples (" + n + " samples available)");
            }
            te = test;
            tr = n - test;
        } else {
            if (n < 2) {
                throw new DataException(source + ": " + n
                        + " sample(s) cannot be split into a training and a test set");
            }
            te = Math.max(1, (int) Math.round(n * DEFAULT_TEST_FRACTION));
            tr = n - te;
        }
        return new int[] {tr, te};
    }
}
