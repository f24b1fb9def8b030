package io.tradeanomaly.common.record;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A record the detector found anomalous, as published on the anomalies stream and archived (docs/contracts.md,
 * "Records"): the input record's fields unchanged, plus KDA's {@code ANOMALY_SCORE} and {@code ANOMALY_EXPLANATION}
 * (one entry per configured feature, keyed by its name) and the pipeline's own fields (when it was detected, where
 * the record was read from). Built by {@link AnomalyLayout}, which also orders the fields; serialized as exactly
 * {@link #record()}. Immutable: never modify the record.
 */
public final class Anomaly {

    public static final String SCORE = "ANOMALY_SCORE";
    public static final String EXPLANATION = "ANOMALY_EXPLANATION";
    public static final String DETECTED_AT = "detectedAt";
    public static final String SOURCE_SHARD = "sourceShardId";
    public static final String SOURCE_SEQUENCE = "sourceSequenceNumber";
    public static final String SOURCE_SUB_SEQUENCE = "sourceSubSequenceNumber";
    public static final String ARRIVAL = "arrivalTime";
    /** The fields the pipeline writes, in their default order; an input field of one of these names is replaced. */
    public static final List<String> OUTPUT_FIELDS =
            List.of(SCORE, EXPLANATION, DETECTED_AT, SOURCE_SHARD, SOURCE_SEQUENCE, SOURCE_SUB_SEQUENCE, ARRIVAL);

    /**
     * Where a record was read from.
     *
     * @param shardId its shard of the input stream
     * @param sequenceNumber its sequence number there
     * @param subSequenceNumber its position inside a KPL aggregate; null when it was not aggregated
     * @param arrivalTime when it arrived on the input stream (Kinesis approximate arrival time, KDA's ROWTIME)
     */
    public record Source(String shardId, String sequenceNumber, Long subSequenceNumber, Instant arrivalTime) {

        /** Without a sub-sequence number (a record that was not aggregated). */
        public Source(String shardId, String sequenceNumber, Instant arrivalTime) {
            this(shardId, sequenceNumber, null, arrivalTime);
        }
    }

    private final ObjectNode record;
    private final String key;
    private final double score;
    private final Map<String, FeatureExplanation> explanation;
    private final Instant detectedAt;
    private final Source source;
    private final Boolean label;

    Anomaly(
            ObjectNode record,
            String key,
            double score,
            Map<String, FeatureExplanation> explanation,
            Instant detectedAt,
            Source source,
            Boolean label) {
        this.record = record;
        this.key = key;
        this.score = score;
        this.explanation = explanation;
        this.detectedAt = detectedAt;
        this.source = source;
        this.label = label;
    }

    /** The anomaly record as published: this is its JSON. */
    @JsonValue
    public ObjectNode record() {
        return record;
    }

    /** The value of the record's key field ({@code ""} when the stream has one model). */
    public String key() {
        return key;
    }

    public double anomalyScore() {
        return score;
    }

    public Map<String, FeatureExplanation> explanation() {
        return explanation;
    }

    public Instant detectedAt() {
        return detectedAt;
    }

    /** Where the input record was read from; null when unknown. */
    public Source source() {
        return source;
    }

    /** When the input record arrived on the input stream, or null when unknown. */
    public Instant arrivalTime() {
        return source == null ? null : source.arrivalTime();
    }

    /** The input record's label ({@code injected} for trades), null when it had none. */
    public Boolean label() {
        return label;
    }

    /**
     * What makes this anomaly one: the input record's shard, sequence number and (in a KPL aggregate) sub-sequence
     * number, unique by construction; the archiver keeps each identity once. The same as {@link
     * AnomalyLine#identity()} of its encoding.
     */
    public String identity() {
        return AnomalyLine.identity(record, null);
    }

    /** The record as compact UTF-8 JSON. */
    public byte[] encode() {
        return JsonRecords.encode(record);
    }

    @Override
    public String toString() {
        return record.toString();
    }
}
