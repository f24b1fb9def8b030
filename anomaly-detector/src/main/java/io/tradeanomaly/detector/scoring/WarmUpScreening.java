package io.tradeanomaly.detector.scoring;

import java.util.Arrays;

/**
 * Finds the outliers among a model's first trades, before it has any idea of normal, so that its first reference and
 * forest sample are clean even when outliers are frequent. Rosner's generalized extreme studentized deviate procedure
 * with an exponential tail in place of the normal one: for k = 1, 2, ... the k most extreme values on a side are set
 * aside and the next one is tested against the tail fitted on the rest; the largest k whose test fails marks the k
 * most extreme as outliers. Testing a growing group, not one value at a time, is what keeps outliers from hiding each
 * other. At most a quarter of the values can be marked on each side. The same test screens a young shape's reference
 * again as it grows ({@link FeatureShape}), with more values to go on than the warm-up's.
 */
final class WarmUpScreening {

    /** Tail probability below which a value is an outlier. */
    static final double SIGNIFICANCE = 1e-3;
    /** Fraction of the rest the tail is fitted beyond. */
    private static final double TAIL = 0.2;

    private WarmUpScreening() {}

    /** Marks the outliers of {@code values} on both sides. */
    static boolean[] outliers(double[] values) {
        boolean[] out = new boolean[values.length];
        side(values, out, 1);
        side(values, out, -1);
        return out;
    }

    private static void side(double[] values, boolean[] out, int sign) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(sign * values[b], sign * values[a])); // most extreme first
        double[] ascending = new double[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = sign * values[order[n - 1 - i]];
        }
        int flagged = flagged(ascending);
        for (int k = 0; k < flagged; k++) {
            out[order[k]] = true;
        }
    }

    /** How many of the largest of {@code ascending} (sorted, smallest first) are outliers. */
    private static int flagged(double[] ascending) {
        int n = ascending.length;
        double[] sums = new double[n + 1]; // sums[i]: the sum of the i smallest, for each k's mean excess in O(1)
        for (int i = 0; i < n; i++) {
            sums[i + 1] = sums[i] + ascending[i];
        }
        int flagged = 0;
        for (int k = 1; k <= n / 4; k++) {
            int m = n - k; // the rest: ascending[0 .. m - 1]
            double threshold = ascending[(int) Math.floor((1 - TAIL) * (m - 1))];
            int first = firstAbove(ascending, m, threshold);
            int above = m - first;
            double sum = sums[m] - sums[first] - above * threshold;
            double spread = ascending[(int) Math.floor(0.9 * (m - 1))] - ascending[(int) Math.floor(0.1 * (m - 1))];
            double beta = Math.max(0.05 * spread + 1e-9, above == 0 ? 0 : sum / above);
            double candidate = ascending[m];
            double logTail = Math.log(TAIL) - Math.max(0, candidate - threshold) / beta;
            if (logTail < Math.log(SIGNIFICANCE)) {
                flagged = k;
            }
        }
        return flagged;
    }

    /** The index of the first of {@code sorted[0 .. m - 1]} above {@code threshold} ({@code m} when none is). */
    private static int firstAbove(double[] sorted, int m, double threshold) {
        int low = 0;
        int high = m;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] > threshold) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }
}
