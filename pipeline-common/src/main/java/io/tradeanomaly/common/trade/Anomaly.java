package io.tradeanomaly.common.trade;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Map;

/**
 * A trade the detector found anomalous, on the anomalies stream (docs/contracts.md, "Records"). The first six field names are
 * exactly those of the Kinesis Data Analytics tutorial output so that existing Athena/Glue tables keep working.
 *
 * @param tickerSymbol the stock, also the Kinesis partition key
 * @param tradeType BUY or SELL
 * @param price the trade's price
 * @param quantity the trade's quantity
 * @param id the trade's id
 * @param anomalyScore the Random Cut Forest anomaly score
 * @param explanation per feature ({@code price}, {@code quantity}) direction, strength and attribution
 * @param tradeTime when the trade was generated
 * @param detectedAt when the detector scored it
 * @param injected the simulator's label copied from the trade, null when the trade had none
 * @param sourceShardId the shard of the trades stream the trade was read from
 * @param sourceSequenceNumber the trade's sequence number there: with the shard, the anomaly's identity, unique by
 *     construction (the archiver keeps each identity once)
 * @param arrivalTime when the trade arrived on the trades stream (Kinesis approximate arrival time, KDA's ROWTIME)
 */
@JsonPropertyOrder({
    "tickerSymbol",
    "tradeType",
    "price",
    "quantity",
    "id",
    "ANOMALY_SCORE",
    "ANOMALY_EXPLANATION",
    "tradeTime",
    "detectedAt",
    "injected",
    "sourceShardId",
    "sourceSequenceNumber",
    "arrivalTime"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Anomaly(
        String tickerSymbol,
        TradeType tradeType,
        double price,
        long quantity,
        long id,
        @JsonProperty("ANOMALY_SCORE") double anomalyScore,
        @JsonProperty("ANOMALY_EXPLANATION") Map<String, FeatureExplanation> explanation,
        Instant tradeTime,
        Instant detectedAt,
        Boolean injected,
        String sourceShardId,
        String sourceSequenceNumber,
        Instant arrivalTime) {

    /** Where a trade was read from: its shard, sequence number and arrival time on the trades stream. */
    public record Source(String shardId, String sequenceNumber, Instant arrivalTime) {}

    /** Builds the anomaly for a scored trade read from {@code source}. */
    public static Anomaly of(
            Trade trade, double score, Map<String, FeatureExplanation> explanation, Instant detectedAt, Source source) {
        return new Anomaly(
                trade.tickerSymbol(),
                trade.tradeType(),
                trade.price(),
                trade.quantity(),
                trade.id(),
                score,
                explanation,
                trade.tradeTime(),
                detectedAt,
                trade.injected(),
                source == null ? null : source.shardId(),
                source == null ? null : source.sequenceNumber(),
                source == null ? null : source.arrivalTime());
    }

    /**
     * What makes this anomaly one: the trade's shard and sequence number on the trades stream, unique by
     * construction; records without them (written by other tools) fall back to the trade id.
     */
    public String identity() {
        return sourceShardId != null && sourceSequenceNumber != null
                ? sourceShardId + "/" + sourceSequenceNumber
                : "id:" + id;
    }
}
