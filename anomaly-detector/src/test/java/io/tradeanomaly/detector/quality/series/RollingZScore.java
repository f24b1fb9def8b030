package io.tradeanomaly.detector.quality.series;

/**
 * A plain rolling z-score: per feature the mean and standard deviation of the previous {@code window} values, the
 * score the largest |z| over the features, anomalous above 3 (the three-sigma rule). No score before half a window.
 */
final class RollingZScore implements SeriesMethod {

    static final double THRESHOLD = 3;

    private final int window;
    private final double[][] ring;
    private final double[] sum;
    private final double[] sumSquares;
    private int count;
    private int next;

    RollingZScore(int dimensions, int window) {
        this.window = window;
        this.ring = new double[window][dimensions];
        this.sum = new double[dimensions];
        this.sumSquares = new double[dimensions];
    }

    @Override
    public Scored score(double[] features, long epochMillis) {
        double score = 0;
        if (count >= window / 2) {
            for (int i = 0; i < features.length; i++) {
                double mean = sum[i] / count;
                double variance = Math.max(0, sumSquares[i] / count - mean * mean);
                double sd = Math.sqrt(variance);
                double z = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? Math.abs(features[i] - mean) / sd : 0;
                score = Math.max(score, z);
            }
        }
        if (count == window) {
            for (int i = 0; i < features.length; i++) {
                sum[i] -= ring[next][i];
                sumSquares[i] -= ring[next][i] * ring[next][i];
            }
        } else {
            count++;
        }
        for (int i = 0; i < features.length; i++) {
            ring[next][i] = features[i];
            sum[i] += features[i];
            sumSquares[i] += features[i] * features[i];
        }
        next = (next + 1) % window;
        return new Scored(score, score > THRESHOLD, null);
    }
}
