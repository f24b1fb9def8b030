package io.tradeanomaly.detector.quality.series;

import java.util.List;

/**
 * One generated, labelled series: what one key of a stream sends, with the truth about it. Values are
 * {@code values[t][feature]}; a missing value is NaN (such a record is dead-lettered by the detector, never scored).
 *
 * @param key the record key (picks the model)
 * @param shape what kind of normal behaviour the series has (for reports and to hold shapes out of tuning)
 * @param featureNames one name per feature
 * @param times event time of each point, epoch milliseconds, increasing
 * @param values the features of each point
 * @param labels the label of each point: for {@link Scoring#WINDOWED} the onset of each anomaly (one point per
 *     anomaly, the scorer draws the windows around it); otherwise every point of each anomalous segment
 * @param scoredFrom the first point the point-wise scorers count (warm-up, or the normal history before the test part)
 * @param anomalies what was injected, for reports
 */
public record LabelledSeries(
        String key,
        String shape,
        String[] featureNames,
        long[] times,
        double[][] values,
        boolean[] labels,
        int scoredFrom,
        List<Anomaly> anomalies) {

    /** One injected anomaly: its kind, first point and the first point after it (start + 1 for a single point). */
    public record Anomaly(String kind, int start, int end) {}

    /** How a corpus is scored. */
    public enum Scoring {
        /** Single-value series, anomaly windows around each labelled onset ({@link WindowedScorer}). */
        WINDOWED,
        /** Multivariate runs, fault segments labelled whole, verdicts' F1 and false-alarm rate after a warm-up. */
        SENSOR_RUNS,
        /** Point-wise labels, one threshold for every key (best-cut F1). */
        POINTWISE
    }

    public int length() {
        return times.length;
    }

    public int dimensions() {
        return featureNames.length;
    }

    /** Whether any feature of point {@code t} is missing. */
    public boolean missing(int t) {
        for (double v : values[t]) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
