package io.tradeanomaly.common.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How one feature contributed to an anomaly score, in the shape of Kinesis Data Analytics'
 * {@code RANDOM_CUT_FOREST_WITH_EXPLANATION}, plus what the model expected (an extra field that KDA-shaped tables
 * ignore).
 *
 * @param direction HIGH when the value is above what the model expects, LOW when below; null when KDA's
 *     {@code withDirectionality} is off
 * @param strength how strongly the feature points in that direction: for the calibrated default, how far out the
 *     feature is on its own, in the key's normal deviations; for KDA's raw features, how one-sided RCF's attribution
 *     is (0 = balanced); null when KDA's {@code withDirectionality} is off
 * @param attributionScore this feature's share of the anomaly score; the shares of all features sum to the score
 * @param expected the value the model expected for this feature, in its own units, or null when the model gives none
 *     (KDA's raw features)
 */
@JsonPropertyOrder({"DIRECTION", "STRENGTH", "ATTRIBUTION_SCORE", "EXPECTED"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureExplanation(
        @JsonProperty("DIRECTION") Direction direction,
        @JsonProperty("STRENGTH") Double strength,
        @JsonProperty("ATTRIBUTION_SCORE") double attributionScore,
        @JsonProperty("EXPECTED") Double expected) {

    /** An explanation without an expected value (KDA's shape). */
    public FeatureExplanation(Direction direction, double strength, double attributionScore) {
        this(direction, strength, attributionScore, null);
    }

    /** KDA's explanation without directionality: the attribution alone. */
    public static FeatureExplanation attributionOnly(double attributionScore) {
        return new FeatureExplanation(null, null, attributionScore, null);
    }

    /** Direction in which a feature deviates from the model's expectation. */
    public enum Direction {
        HIGH,
        LOW
    }
}
