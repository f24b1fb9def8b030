package io.tradeanomaly.detector.scoring;

/**
 * Exponentially weighted mean and variance of a model's recent normal scores, the basis of the adaptive cut-off.
 * Scores judged anomalous are not added, so that a burst of outliers cannot raise the bar for the next ones.
 */
final class ScoreStatistics {

    private final double alpha;
    private double mean;
    private double variance;
    private long count;

    ScoreStatistics(int window) {
        this.alpha = 2.0 / (window + 1);
    }

    void add(double score) {
        count++;
        // A plain running mean and variance until the window is full, exponentially weighted after that; starting
        // the weighted form on the first score would leave mean and variance stuck near it for a whole window.
        double weight = Math.max(alpha, 1.0 / count);
        double delta = score - mean;
        mean += weight * delta;
        variance = (1 - weight) * (variance + weight * delta * delta);
    }

    long count() {
        return count;
    }

    double cutoff(double sigmas) {
        return mean + sigmas * Math.sqrt(variance);
    }

    double mean() {
        return mean;
    }

    double variance() {
        return variance;
    }

    double deviation() {
        return Math.sqrt(variance);
    }

    void restore(double mean, double variance, long count) {
        this.mean = mean;
        this.variance = variance;
        this.count = count;
    }
}
