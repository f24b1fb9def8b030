package io.tradeanomaly.common.trade;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How one feature contributed to an anomaly score, in the shape of Kinesis Data Analytics'
 * {@code RANDOM_CUT_FOREST_WITH_EXPLANATION}.
 *
 * @param direction HIGH when the value is above what the model expects, LOW when below
 * @param strength how strongly the feature points in that direction (0 = balanced)
 * @param attributionScore this feature's share of the anomaly score; the shares of all features sum to the score
 */
@JsonPropertyOrder({"DIRECTION", "STRENGTH", "ATTRIBUTION_SCORE"})
public record FeatureExplanation(
        @JsonProperty("DIRECTION") Direction direction,
        @JsonProperty("STRENGTH") double strength,
        @JsonProperty("ATTRIBUTION_SCORE") double attributionScore) {

    /** Direction in which a feature deviates from the model's expectation. */
    public enum Direction {
        HIGH,
        LOW
    }
}
