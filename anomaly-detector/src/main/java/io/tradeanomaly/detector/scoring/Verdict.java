package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.record.FeatureExplanation;
import java.util.Map;

/**
 * What the detector concluded about one trade.
 *
 * @param score the anomaly score (0 while the model warms up): RCF's score of the trade, over raw features (KDA) or
 *     over the ticker's calibrated scores, where it grows with how far out the trade is
 * @param anomaly whether the trade is to be published as an anomaly
 * @param warmingUp true when the model had not yet seen enough trades to give a verdict
 * @param cutoff the score above which this trade would have been anomalous (the threshold, or the model's cut-off)
 * @param explanation per feature direction, strength, attribution and (calibrated features) expected value, present
 *     for anomalies only
 */
public record Verdict(
        double score, boolean anomaly, boolean warmingUp, double cutoff, Map<String, FeatureExplanation> explanation) {

    static Verdict warmUp() {
        return new Verdict(0, false, true, Double.NaN, null);
    }
}
