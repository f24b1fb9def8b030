package io.tradeanomaly.common.deadletter;

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
        String dataEncoding) {

    /** The dead letter of a Kinesis record refused for a reason. */
    public static DeadLetter of(KinesisClientRecord record, String shardId, RecordRejectedException rejected) {
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
                rejected.reason().tag(),
                rejected.getMessage(),
                shardId,
                record.sequenceNumber(),
                record.partitionKey(),
                record.approximateArrivalTimestamp(),
                text,
                encoding);
    }
}
