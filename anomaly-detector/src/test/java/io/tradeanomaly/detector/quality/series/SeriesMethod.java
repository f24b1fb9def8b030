package io.tradeanomaly.detector.quality.series;

import io.tradeanomaly.common.record.FeatureExplanation;

/**
 * A per-key detection method as the harness runs it: one instance per key, fed that key's records in order, each
 * scored before it is learnt. Not thread-safe.
 */
public interface SeriesMethod {

    /**
     * Scores one record, then learns it (as the method decides).
     *
     * @param features the record's features, all finite
     * @param epochMillis the record's event time
     */
    Scored score(double[] features, long epochMillis);

    /**
     * What a method concluded about one record.
     *
     * @param score the anomaly score, at least 0 (0 during warm-up); higher is more anomalous
     * @param anomaly the verdict at the method's own threshold
     * @param explanation per feature, or null (the harness does not need it)
     */
    record Scored(double score, boolean anomaly, FeatureExplanation[] explanation) {
        static final Scored WARM_UP = new Scored(0, false, null);
    }

    /** Makes one instance per key. */
    interface Factory {
        String name();

        /**
         * A fresh model for one key. It may read only the series' dimensions; {@link Methods#calibratedAsTrades()} alone also
         * reads its value range, to shift values into the positive numbers the trade schema needs.
         */
        SeriesMethod create(LabelledSeries series, long seed);
    }
}
