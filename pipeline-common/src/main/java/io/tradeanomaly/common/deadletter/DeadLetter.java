package io.tradeanomaly.common.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tradeanomaly.common.record.RecordRejectedException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * A record that was not processed, with why: the one dead-letter shape of both consumers, written as one JSON line
 * under the consumer's error prefix.
 *
 * @param reason the {@code records_rejected_total} reason tag
 * @param message what exactly is wrong
 * @param shardId the shard it came from
 * @param sequenceNumber its sequence number
 * @param subSequenceNumber its place in a KPL aggregate (the user records of one aggregate share its sequence
 *     number), null when the record was not aggregated
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
        @JsonInclude(JsonInclude.Include.NON_NULL) Long subSequenceNumber,
        String partitionKey,
        Instant approximateArrivalTimestamp,
        String data,
        String dataEncoding) {

    /**
     * What makes this letter one: the record's sequence number, and its sub-sequence number when it came from a KPL
     * aggregate (whose user records share the sequence number).
     */
    public String identity() {
        return subSequenceNumber == null ? sequenceNumber : sequenceNumber + "/" + subSequenceNumber;
    }

    /** The reason of the records of a poison batch (one whose processing failed every time). */
    public static final String POISON_BATCH = "poison-batch";

    /** The dead letter of a Kinesis record refused for a reason. */
    public static DeadLetter of(KinesisClientRecord record, String shardId, RecordRejectedException rejected) {
        return of(record, shardId, rejected.reason().tag(), rejected.getMessage());
    }

    /** The dead letter of a Kinesis record not processed, with the reason tag and message. */
    public static DeadLetter of(KinesisClientRecord record, String shardId, String reason, String message) {
        ByteBuffer data = record.data().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        String text;
        String encoding;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            encoding = "utf-8";
            if (text.indexOf('\0') >= 0) {
                throw new CharacterCodingException(); // NUL bytes (UTF-16 and such): keep them out of the text
            }
        } catch (CharacterCodingException notText) {
            text = Base64.getEncoder().encodeToString(bytes);
            encoding = "base64";
        }
        return new DeadLetter(
                reason,
                message,
                shardId,
                record.sequenceNumber(),
                record.aggregated() ? record.subSequenceNumber() : null,
                record.partitionKey(),
                record.approximateArrivalTimestamp(),
                text,
                encoding);
    }
}
