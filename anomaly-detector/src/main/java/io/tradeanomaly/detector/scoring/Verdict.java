package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.trade.FeatureExplanation;
import java.util.Map;

/**
 * What the detector concluded about one trade.
 *
 * @param score the anomaly score (0 while the model warms up)
 * @param anomaly whether the trade is to be published as an anomaly
 * @param warmingUp true when the model had not yet seen enough points to give a verdict
 * @param cutoff the score above which this trade would have been anomalous (the threshold, or the adaptive cut-off)
 * @param explanation per feature attribution, present for anomalies only
 */
public record Verdict(
        double score, boolean anomaly, boolean warmingUp, double cutoff, Map<String, FeatureExplanation> explanation) {

    static Verdict warmUp() {
        return new Verdict(0, false, true, Double.NaN, null);
    }
}
