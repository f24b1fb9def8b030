package io.tradeanomaly.detector.quality.series;

import io.tradeanomaly.detector.scoring.NormalTails;

/**
 * Turns a stream of raw anomaly scores into a calibrated surprise, as HTM-based detectors do: the short average of
 * the last {@code shortWindow} raw scores, set against the mean and deviation of such averages over the last {@code
 * longWindow} records; the surprise is {@code -log10} of the Gaussian tail probability above it. The same surprise
 * means the same tail probability for every key, whatever its raw scores' scale. 0 until {@code learning} raw scores
 * have been seen.
 */
final class AnomalyLikelihood {

    private final int shortWindow;
    private final int learning;
    private final double[] shortRing;
    private final double[] longRing;
    private double shortSum;
    private double longSum;
    private double longSumSquares;
    private int shortCount;
    private int longCount;
    private int shortNext;
    private int longNext;
    private long seen;

    AnomalyLikelihood(int shortWindow, int longWindow, int learning) {
        this.shortWindow = shortWindow;
        this.learning = learning;
        this.shortRing = new double[shortWindow];
        this.longRing = new double[longWindow];
    }

    /** The surprise of this raw score (then remembered). */
    double surprise(double raw) {
        if (shortCount == shortWindow) {
            shortSum -= shortRing[shortNext];
        } else {
            shortCount++;
        }
        shortRing[shortNext] = raw;
        shortSum += raw;
        shortNext = (shortNext + 1) % shortWindow;
        double average = shortSum / shortCount;
        double surprise = 0;
        if (seen >= learning && longCount > 1) {
            double mean = longSum / longCount;
            double variance = Math.max(0, longSumSquares / longCount - mean * mean);
            double sd = Math.max(Math.sqrt(variance), 1e-3 * Math.abs(mean) + 1e-12);
            double z = (average - mean) / sd;
            surprise = z <= 0 ? 0 : NormalTails.upperDecades(z);
        }
        if (longCount == longRing.length) {
            longSum -= longRing[longNext];
            longSumSquares -= longRing[longNext] * longRing[longNext];
        } else {
            longCount++;
        }
        longRing[longNext] = average;
        longSum += average;
        longSumSquares += average * average;
        longNext = (longNext + 1) % longRing.length;
        seen++;
        return surprise;
    }
}
