package io.tradeanomaly.common.record;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * One record of the input stream as the detector reads it, whatever the stream: the value of its key field (which
 * model scores it), its features in the configured order, its event time, and the record itself, carried through
 * unchanged into the anomaly. Never modify {@code fields}.
 *
 * @param key the key field's value as text ({@code ""} when the stream has one model)
 * @param features the configured numeric fields, finite, in the order of {@code detector.input.features}
 * @param time the event time (null when no time field is configured: the Kinesis arrival time stands in)
 * @param label the record's label when it carries one ({@code injected} by default): true for a known anomaly; never
 *     used for scoring, only to measure detection quality; null when absent
 * @param fields the whole record as it arrived
 */
public record InputRecord(String key, double[] features, Instant time, Boolean label, ObjectNode fields) {

    /** True only when the record is labelled as a known anomaly. */
    public boolean isLabelled() {
        return Boolean.TRUE.equals(label);
    }
}
