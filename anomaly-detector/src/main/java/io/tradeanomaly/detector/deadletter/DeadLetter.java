package io.tradeanomaly.detector.deadletter;

import java.time.Instant;

/**
 * A record that was not scored, with why; written as one JSON line under the dead-letter prefix.
 *
 * @param reason the {@code records_rejected_total} reason tag
 * @param message what exactly is wrong
 * @param shardId the shard it came from
 * @param sequenceNumber its sequence number
 * @param partitionKey its partition key
 * @param approximateArrivalTimestamp when Kinesis received it
 * @param data the record as text when it is valid UTF-8, else base64
 * @param dataEncoding {@code utf-8} or {@code base64}
 */
public record DeadLetter(
        String reason,
        String message,
        String shardId,
        String sequenceNumber,
        String partitionKey,
        Instant approximateArrivalTimestamp,
        String data,
        String dataEncoding) {}
