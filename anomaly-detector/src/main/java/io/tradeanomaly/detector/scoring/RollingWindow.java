package io.tradeanomaly.detector.scoring;

import java.util.Arrays;

/** The last {@code capacity} values, kept in arrival order and sorted, for robust statistics. Not thread-safe. */
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

    /** The value at quantile {@code q} (0..1) by linear interpolation. */
    double quantile(double q) {
        double position = q * (size - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(size - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    double median() {
        return quantile(0.5);
    }

    /** Median absolute deviation from {@code center}. */
    double mad(double center) {
        double[] deviations = new double[size];
        for (int i = 0; i < size; i++) {
            deviations[i] = Math.abs(sorted[i] - center);
        }
        Arrays.sort(deviations);
        return deviations[size / 2];
    }

    /** The smallest positive gap between two values in the window (the data's resolution), or 0. */
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

    /** Mean of the values above {@code threshold} minus the threshold, or 0 when none is above. */
    double meanExcess(double threshold) {
        double sum = 0;
        int n = 0;
        for (int i = size - 1; i >= 0 && sorted[i] > threshold; i--) {
            sum += sorted[i] - threshold;
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Mean of how far the values below {@code threshold} lie below it, or 0 when none is below. */
    double meanDeficit(double threshold) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < size && sorted[i] < threshold; i++) {
            sum += threshold - sorted[i];
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Median of how far the values above {@code threshold} lie above it, or 0 when none is above. */
    double medianExcess(double threshold) {
        int first = size;
        while (first > 0 && sorted[first - 1] > threshold) {
            first--;
        }
        int n = size - first;
        if (n == 0) {
            return 0;
        }
        double middle = (sorted[first + (n - 1) / 2] + sorted[first + n / 2]) / 2;
        return middle - threshold;
    }

    /** Median of how far the values below {@code threshold} lie below it, or 0 when none is below. */
    double medianDeficit(double threshold) {
        int n = 0;
        while (n < size && sorted[n] < threshold) {
            n++;
        }
        if (n == 0) {
            return 0;
        }
        double middle = (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
        return threshold - middle;
    }

    double[] sorted() {
        return Arrays.copyOf(sorted, size);
    }

    double[] values() {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = ring[(next - size + i + ring.length) % ring.length];
        }
        return values;
    }
}
