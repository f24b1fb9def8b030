package io.tradeanomaly.detector.scoring;

import java.util.Arrays;

/**
 * The last {@code capacity} values, kept both in arrival order (to drop the oldest) and sorted (for quantiles and
 * robust statistics in constant or linear time). Not thread-safe.
 */
final class RollingWindow {

    private final double[] ring;
    private final double[] sorted;
    private int size;
    private int next;

    RollingWindow(int capacity) {
        ring = new double[capacity];
        sorted = new double[capacity];
    }

    void add(double value) {
        if (size == ring.length) {
            remove(ring[next]);
        }
        ring[next] = value;
        next = (next + 1) % ring.length;
        insert(value);
    }

    private void remove(double value) {
        int i = Arrays.binarySearch(sorted, 0, size, value);
        System.arraycopy(sorted, i + 1, sorted, i, size - i - 1);
        size--;
    }

    private void insert(double value) {
        int i = Arrays.binarySearch(sorted, 0, size, value);
        if (i < 0) {
            i = -i - 1;
        }
        System.arraycopy(sorted, i, sorted, i + 1, size - i);
        sorted[i] = value;
        size++;
    }

    int size() {
        return size;
    }

    int capacity() {
        return ring.length;
    }

    /** The value at quantile {@code q} (0..1), linear between order statistics. */
    double quantile(double q) {
        double position = q * (size - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(size - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    double median() {
        return quantile(0.5);
    }

    /** The distance between the upper and lower quartiles. */
    double interquartileRange() {
        return quantile(0.75) - quantile(0.25);
    }

    /** Median absolute deviation from the median. */
    double mad() {
        double center = median();
        double[] deviations = new double[size];
        for (int i = 0; i < size; i++) {
            deviations[i] = Math.abs(sorted[i] - center);
        }
        Arrays.sort(deviations);
        return deviations[size / 2];
    }

    /** The smallest positive gap between two values (the data's resolution, e.g. a price tick), or 0. */
    double resolution() {
        double gap = Double.POSITIVE_INFINITY;
        for (int i = 1; i < size; i++) {
            double d = sorted[i] - sorted[i - 1];
            if (d > 0 && d < gap) {
                gap = d;
            }
        }
        return gap == Double.POSITIVE_INFINITY ? 0 : gap;
    }

    /** Mean of how far the values above {@code threshold} lie above it, or 0 when none does. */
    double meanExcess(double threshold) {
        double sum = 0;
        int n = 0;
        for (int i = size - 1; i >= 0 && sorted[i] > threshold; i--) {
            sum += sorted[i] - threshold;
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Mean of how far the values below {@code threshold} lie below it, or 0 when none does. */
    double meanDeficit(double threshold) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < size && sorted[i] < threshold; i++) {
            sum += threshold - sorted[i];
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Where {@code value} lies among the values, as a fraction in [0, 1]: linear between order statistics at
     * positions i / (n - 1), the middle of a run of equal values.
     */
    double rank(double value) {
        if (value <= sorted[0] || value >= sorted[size - 1]) {
            return value <= sorted[0] ? 0 : 1;
        }
        int i = Arrays.binarySearch(sorted, 0, size, value);
        if (i < 0) {
            i = -i - 1; // sorted[i - 1] < value < sorted[i]
            double f = (value - sorted[i - 1]) / (sorted[i] - sorted[i - 1]);
            return (i - 1 + f) / (size - 1);
        }
        int first = i;
        int last = i;
        while (first > 0 && sorted[first - 1] == value) {
            first--;
        }
        while (last < size - 1 && sorted[last + 1] == value) {
            last++;
        }
        return (first + last) / 2.0 / (size - 1);
    }

    /** How many values are at least {@code value}. */
    int countAtLeast(double value) {
        int i = Arrays.binarySearch(sorted, 0, size, value);
        if (i < 0) {
            return size - (-i - 1);
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return size - i;
    }

    /** The largest value (the window must not be empty). */
    double max() {
        return sorted[size - 1];
    }

    double mean() {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += sorted[i];
        }
        return sum / size;
    }

    /** The values, oldest first (for snapshots). */
    double[] values() {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = ring[(next - size + i + ring.length) % ring.length];
        }
        return values;
    }

    /** Refills the window with {@code values}, oldest first (from a snapshot); keeps the newest that fit. */
    void restore(double[] values) {
        size = 0;
        next = 0;
        for (int i = Math.max(0, values.length - ring.length); i < values.length; i++) {
            add(values[i]);
        }
    }
}
